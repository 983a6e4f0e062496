//! Documents for people who read rather than parse: a domain's report for a period, one
//! stored report, each in HTML and PDF with the same content, in the reader's language and
//! under the sender's brand.
//!
//! How a document is made: a builder ([`domain_report`], [`single_report`]) reads storage and
//! the aggregates service and fills the renderer-independent [`model::Document`], with every
//! string from the message catalogs ([`i18n`]) and every number formatted for the language;
//! then [`html`] or [`pdf`] lays it out. Charts are SVG drawn by [`charts`], inline in HTML
//! and vector in the PDF.
//!
//! Invariants:
//! - The renderers see only the model, so both formats say the same.
//! - Report content is hostile: HTML escapes every string; the PDF template reads the model
//!   as JSON data and never evaluates a report string as Typst markup.
//! - No external request and no external program: the HTML page is self-contained (inline
//!   CSS, images as `data:` URIs and inline SVG); the PDF is made in-process with embedded,
//!   openly licensed fonts (`fonts/`, OFL).
//! - A document's size is bounded whatever the data: periods of at most [`MAX_DAYS`] days,
//!   tables capped with a line saying what was left out.
//! - A document with a missing message is refused (`DocumentError::Render`), never shown
//!   with a key in its text.
//! - The brand is given ([`Branding`]); documents never look it up and show no other name.
//!
//! Synchronous and CPU-bound: run [`render`] through `services::blocking`. Must not depend on
//! `api` or HTTP.

pub mod charts;
pub mod domain_report;
pub mod html;
pub mod i18n;
pub mod model;
pub mod pdf;
pub mod portfolio;
pub mod single_report;

use crate::domain::branding::{Branding, Language};
use crate::domain::ids::ReportId;
use crate::services::branding;
use crate::storage::reports::get_report;
use crate::storage::{Db, DbConnection, StorageError, StorageResult, TenantScope, domains};
use std::fmt;
use std::str::FromStr;

pub use crate::storage::aggregates::DayRange;

/// The longest period a document may cover, in days.
pub const MAX_DAYS: i64 = 366;

/// How a document is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// A PDF with embedded fonts.
    Pdf,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// The media type of a document in this format.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format other than `html` and `pdf`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported format {0:?}: supported are html, pdf")]
pub struct UnsupportedFormat(pub String);

impl FromStr for Format {
    type Err = UnsupportedFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "html" => Ok(Format::Html),
            "pdf" => Ok(Format::Pdf),
            _ => Err(UnsupportedFormat(s.to_string())),
        }
    }
}

/// What a document is about.
#[derive(Debug, Clone)]
pub enum Subject {
    /// A registered domain (a name or an id in scope) over a range of UTC days.
    Domain { domain: String, days: DayRange },
    /// One stored DMARC aggregate or SMTP TLS report.
    Report { id: ReportId },
    /// Every domain of the caller's subtree over a range of UTC days.
    Portfolio { days: DayRange },
}

/// A finished document.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `text/html; charset=utf-8` or `application/pdf`.
    pub media_type: &'static str,
    /// A safe file name (ASCII letters, digits, `.`, `-`, `_`), with its extension.
    pub file_name: String,
    /// The document's title, e.g. for a mail subject.
    pub title: String,
    pub bytes: Vec<u8>,
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The domain or report is not in the caller's scope (or does not exist).
    #[error("not found")]
    NotFound,
    /// The period is longer than [`MAX_DAYS`].
    #[error("the period spans {days} days; a document covers at most {max} days")]
    PeriodTooLong { days: i64, max: i64 },
    /// This kind of document cannot be made on this server yet.
    #[error("{0} documents are not available")]
    NotAvailable(&'static str),
    #[error(transparent)]
    Storage(StorageError),
    /// Layout or a message of the catalogs failed; a bug, not the caller's fault.
    #[error("document rendering failed: {0}")]
    Render(String),
}

impl From<StorageError> for DocumentError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => DocumentError::NotFound,
            other => DocumentError::Storage(other),
        }
    }
}

impl From<crate::services::BlockingError> for DocumentError {
    fn from(e: crate::services::BlockingError) -> Self {
        DocumentError::Storage(e.into())
    }
}

/// Checks that `days` is no longer than [`MAX_DAYS`].
pub fn check_period(days: DayRange) -> Result<(), DocumentError> {
    let len = days.last.saturating_sub(days.first).saturating_add(1);
    if len > MAX_DAYS {
        return Err(DocumentError::PeriodTooLong {
            days: len,
            max: MAX_DAYS,
        });
    }
    Ok(())
}

/// Makes the document about `subject`, in `format`, written in `language` under `branding`,
/// as of `now` (epoch seconds).
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id, format = %format, language = %language))]
pub fn render(
    db: &Db,
    scope: &TenantScope,
    subject: &Subject,
    format: Format,
    branding: &Branding,
    language: Language,
    now: i64,
) -> Result<Rendered, DocumentError> {
    let tr = i18n::Tr::new(language);
    let (document, stem) = match subject {
        Subject::Domain { domain, days } => {
            check_period(*days)?;
            domain_report::build(db, scope, domain, *days, branding, &tr, now)?
        }
        Subject::Report { id } => single_report::build(db, scope, id, branding, &tr, now)?,
        Subject::Portfolio { days } => {
            check_period(*days)?;
            portfolio::build(db, scope, *days, branding, &tr, now)?
        }
    };
    tr.finish()
        .map_err(|errors| DocumentError::Render(errors.join("; ")))?;
    let bytes = match format {
        Format::Html => html::render(&document).into_bytes(),
        Format::Pdf => pdf::render(&document)?,
    };
    Ok(Rendered {
        media_type: format.media_type(),
        file_name: format!("{}.{}", safe_file_stem(&stem), format.as_str()),
        title: document.title.clone(),
        bytes,
    })
}

/// A file name stem of ASCII letters, digits, `.`, `-` and `_` only (others become `-`),
/// at most 120 characters, never empty or starting with a dot.
pub fn safe_file_stem(stem: &str) -> String {
    let mut out: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .take(120)
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.is_empty() {
        out.push_str("document");
    }
    out
}

/// An ISO 8601 date of an epoch day, for file names.
pub(crate) fn iso_day(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The brand as the model carries it.
pub(crate) fn brand(branding: &Branding, tr: &i18n::Tr) -> model::Brand {
    model::Brand {
        name: branding.display_name.clone(),
        primary_color: branding.primary_color.as_str().to_string(),
        accent_color: branding.accent_color.as_str().to_string(),
        footer: branding.footer_text.clone(),
        support: branding
            .support_contact
            .as_ref()
            .map(|c| tr.t_with("footer-support", &[("contact", i18n::Arg::Text(c.clone()))])),
        has_logo: branding.logo.is_some(),
        logo_extension: branding.logo.as_ref().map(|l| match l.format {
            crate::domain::branding::LogoFormat::Png => "png",
            crate::domain::branding::LogoFormat::Svg => "svg",
        }),
        logo: branding.logo.clone(),
    }
}

/// "1 January 2026 to 31 January 2026 (31 days)": the period a document covers.
/// "… and N more rows", when `left` rows were left out of a table.
pub(crate) fn more_rows(tr: &i18n::Tr, left: u64) -> Option<String> {
    (left > 0).then(|| {
        tr.t_with(
            "table-more-rows",
            &[
                ("count", i18n::Arg::Number(left)),
                ("countText", i18n::Arg::Text(tr.count(left))),
            ],
        )
    })
}

pub(crate) fn period(tr: &i18n::Tr, days: DayRange) -> String {
    let len = days.last.saturating_sub(days.first).saturating_add(1);
    tr.t_with(
        "period",
        &[
            ("from", i18n::Arg::Text(tr.date(days.first))),
            ("to", i18n::Arg::Text(tr.date(days.last))),
            ("days", i18n::Arg::Number(u64::try_from(len).unwrap_or(0))),
        ],
    )
}

/// "Made on … by …".
pub(crate) fn generated(branding: &Branding, tr: &i18n::Tr, now: i64) -> String {
    tr.t_with(
        "footer-generated",
        &[
            ("date", i18n::Arg::Text(tr.date_time(now))),
            ("brand", i18n::Arg::Text(branding.display_name.clone())),
        ],
    )
}

/// The brand a document of `subject` is shown under: the effective brand of the tenant that
/// owns what it is about (the domain's or the report's tenant; for a portfolio, the caller's
/// own tenant), so a customer's document carries the customer's brand, or its MSSP's when it
/// has none of its own. The one place that decides it.
pub fn branding_for(
    conn: &mut DbConnection,
    scope: &TenantScope,
    subject: &Subject,
) -> StorageResult<Branding> {
    let owner = match subject {
        Subject::Domain { domain, .. } => {
            domains::get_domain_by_name(conn, scope, domain)?.tenant_id
        }
        Subject::Report { id } => get_report(conn, scope, id)?.tenant_id,
        Subject::Portfolio { .. } => scope.tenant_id.clone(),
    };
    branding::effective(conn, &owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_stem_keeps_only_safe_characters() {
        assert_eq!(
            safe_file_stem("dmarc-example.com-2026"),
            "dmarc-example.com-2026"
        );
        assert_eq!(safe_file_stem("../\"evil\r\n.pdf"), "--evil--.pdf");
        assert_eq!(safe_file_stem("..."), "document");
        assert_eq!(safe_file_stem("xn--bcher-kva"), "xn--bcher-kva");
    }

    #[test]
    fn a_period_longer_than_the_maximum_is_refused() {
        assert!(
            check_period(DayRange {
                first: 0,
                last: MAX_DAYS - 1
            })
            .is_ok()
        );
        assert!(matches!(
            check_period(DayRange {
                first: 0,
                last: MAX_DAYS
            }),
            Err(DocumentError::PeriodTooLong {
                days: 367,
                max: 366
            })
        ));
    }

    #[test]
    fn formats_are_named_html_and_pdf() {
        assert_eq!("PDF".parse::<Format>(), Ok(Format::Pdf));
        assert_eq!("html".parse::<Format>(), Ok(Format::Html));
        assert!("docx".parse::<Format>().is_err());
    }
}
