//! The document model: what a document says, independent of how it is drawn. Builders
//! (`domain_report`, `single_report`) fill it from storage and the services, with every
//! string already translated and every number already formatted for the reader's language;
//! the renderers (`html`, `pdf`) only lay it out, so HTML and PDF carry the same content.
//!
//! Invariants:
//! - Every string here is plain text, possibly hostile (report content: organization names,
//!   domains, XML text). Renderers escape it (HTML) or never parse it as markup (PDF: the
//!   model reaches the template as JSON data).
//! - Tables are bounded: a builder caps their rows and says how many it left out in `more`.
//!
//! Must not depend on storage, HTTP or a renderer.

use serde::Serialize;

/// A whole document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// BCP 47 tag of the language every string is written in.
    pub language: String,
    pub title: String,
    /// What the document covers, e.g. the period.
    pub subtitle: String,
    pub brand: Brand,
    /// "Made on … by …", at the foot of the document.
    pub generated: String,
    pub blocks: Vec<Block>,
}

/// The sender as the reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    pub name: String,
    /// `#rrggbb`.
    pub primary_color: String,
    /// `#rrggbb`.
    pub accent_color: String,
    pub footer: Option<String>,
    /// "Questions? …", already a sentence.
    pub support: Option<String>,
    #[serde(skip)]
    pub logo: Option<crate::domain::branding::Logo>,
    /// Whether there is a logo (the PDF template reads it as a file).
    pub has_logo: bool,
    /// The logo's file extension (`png`, `svg`), when there is one.
    pub logo_extension: Option<&'static str>,
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading; level 2 under the title, 3 below that.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// Key figures shown side by side.
    Figures {
        items: Vec<Figure>,
    },
    Table(Table),
    Chart(Chart),
    Callout(Callout),
    /// Terms and their values (e.g. DNS check results).
    Definitions {
        items: Vec<Definition>,
    },
}

/// A key figure: a label, its value and how it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    /// The change against the previous period, already worded.
    pub change: Option<String>,
}

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Start,
    End,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub title: String,
    pub align: Align,
}

/// A column titled `title`, aligned `align`.
pub fn col(title: String, align: Align) -> Column {
    Column { title, align }
}

/// A table with headers; rows of already formatted cells, one per column.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// "and 12 more sources carrying 345 messages", when rows were left out.
    pub more: Option<String>,
    /// Shown instead of an empty table.
    pub empty: String,
}

/// A chart of values per label (a day), as stacked bars.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    /// One per bar, e.g. a short date.
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// The top of the value axis (a round number at or above the largest bar).
    pub scale_max: f64,
    /// Labels of evenly spaced grid lines from 0 to `scale_max`, formatted.
    pub scale_labels: Vec<String>,
    /// The text alternative of the chart (HTML `aria-label`, PDF `alt`).
    pub description: String,
}

/// One stacked part of every bar.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    pub values: Vec<f64>,
}

/// How much an issue matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
    Info,
}

/// A problem found, with what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Callout {
    pub severity: Severity,
    /// The severity in words.
    pub severity_label: String,
    pub title: String,
    pub explanation: String,
    /// "What to do", in the reader's language.
    pub remediation_label: String,
    pub remediation: String,
    /// "Record to publish", in the reader's language.
    pub record_label: String,
    /// The DNS record to publish, shown as code.
    pub record: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub term: String,
    pub value: String,
}
