//! The single report document: one stored DMARC aggregate or SMTP TLS report as a reader
//! sees it. Metadata (reporter, period, the policy published), its records (DMARC) or
//! policies and failure details (TLS), and the tolerances its parser applied, in plain words.
//!
//! Invariants:
//! - Tables are capped at [`MAX_ROWS`] rows (records are read one page, never the whole
//!   report), with a line saying how many were left out.
//! - The report is looked up in the caller's scope; another tenant's is not found.

use super::domain_report::{enum_str, policy_text, policy_word};
use super::i18n::{Arg, Tr};
use super::model::{Align, Block, Definition, Document, Table, col};
use super::{DocumentError, brand, generated, iso_day, more_rows};
use crate::domain::branding::Branding;
use crate::domain::ids::ReportId;
use crate::reports::Warning;
use crate::storage::reports::{self, StoredHeader};
use crate::storage::{Db, TenantScope};

/// The most rows of a table.
pub const MAX_ROWS: usize = 50;

/// Builds the document of report `id` (in `scope`); returns it with a file name stem.
pub fn build(
    db: &Db,
    scope: &TenantScope,
    id: &ReportId,
    branding: &Branding,
    tr: &Tr,
    now: i64,
) -> Result<(Document, String), DocumentError> {
    let row = db.read(|conn| reports::get_report(conn, scope, id))?;
    let header = row
        .header()
        .map_err(|e| DocumentError::Render(e.to_string()))?;
    let warnings: Vec<Warning> = serde_json::from_str(&row.warnings).unwrap_or_default();
    let mut blocks = Vec::new();
    let period = tr.t_with(
        "report-period",
        &[
            ("from", Arg::Text(tr.date_time(row.begin_ts))),
            ("to", Arg::Text(tr.date_time(row.end_ts))),
        ],
    );
    let (title, stem_kind) = match header {
        StoredHeader::Dmarc(h) => {
            let meta = &h.report_metadata;
            let mut items = vec![
                Definition {
                    term: tr.t("meta-reporter"),
                    value: meta.org_name.clone(),
                },
                Definition {
                    term: tr.t("meta-report-id"),
                    value: meta.report_id.clone(),
                },
                Definition {
                    term: tr.t("meta-period"),
                    value: period.clone(),
                },
                Definition {
                    term: tr.t("meta-domain"),
                    value: h.policy_published.domain.clone(),
                },
                Definition {
                    term: tr.t("meta-policy"),
                    value: match &h.policy_published.p {
                        Some(p) => format!(
                            "{} ({})",
                            policy_word(tr, &enum_str(p)),
                            policy_text(&h.policy_published)
                        ),
                        None => tr.t("value-not-reported"),
                    },
                },
                Definition {
                    term: tr.t("meta-messages"),
                    value: tr.count(u64::try_from(row.message_count).unwrap_or(0)),
                },
            ];
            if let Some(email) = &meta.email {
                items.insert(
                    1,
                    Definition {
                        term: tr.t("meta-contact"),
                        value: email.clone(),
                    },
                );
            }
            for e in &meta.errors {
                items.push(Definition {
                    term: tr.t("meta-reporter-error"),
                    value: e.clone(),
                });
            }
            blocks.push(Block::Heading {
                level: 2,
                text: tr.t("section-report-details"),
            });
            blocks.push(Block::Definitions { items });
            blocks.push(Block::Heading {
                level: 2,
                text: tr.t("section-records"),
            });
            let records =
                db.read(|conn| reports::list_records_page(conn, &row.id, 0, MAX_ROWS as i64))?;
            let total = u64::try_from(row.record_count).unwrap_or(0);
            blocks.push(Block::Table(Table {
                caption: tr.t_with(
                    "table-records",
                    &[
                        ("count", Arg::Number(total)),
                        ("countText", Arg::Text(tr.count(total))),
                    ],
                ),
                columns: vec![
                    col(tr.t("column-source"), Align::Start),
                    col(tr.t("column-messages"), Align::End),
                    col(tr.t("column-disposition"), Align::Start),
                    col(tr.t("column-dkim-aligned"), Align::Start),
                    col(tr.t("column-spf-aligned"), Align::Start),
                    col(tr.t("column-header-from"), Align::Start),
                ],
                rows: records
                    .iter()
                    .map(|r| {
                        vec![
                            r.source_ip.clone(),
                            tr.count(u64::try_from(r.count).unwrap_or(0)),
                            r.disposition.clone().unwrap_or_default(),
                            r.dkim_aligned.clone().unwrap_or_default(),
                            r.spf_aligned.clone().unwrap_or_default(),
                            r.header_from.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
                more: more_rows(tr, total.saturating_sub(records.len() as u64)),
                empty: tr.t("table-empty"),
            }));
            (
                tr.t_with(
                    "dmarc-report-title",
                    &[("reporter", Arg::Text(meta.org_name.clone()))],
                ),
                "dmarc",
            )
        }
        StoredHeader::Tls(h) => {
            let mut items = vec![
                Definition {
                    term: tr.t("meta-reporter"),
                    value: h.organization_name.clone(),
                },
                Definition {
                    term: tr.t("meta-report-id"),
                    value: h.report_id.clone(),
                },
                Definition {
                    term: tr.t("meta-period"),
                    value: period.clone(),
                },
                Definition {
                    term: tr.t("meta-domain"),
                    value: row.policy_domain.clone(),
                },
            ];
            if let Some(c) = &h.contact_info {
                items.insert(
                    1,
                    Definition {
                        term: tr.t("meta-contact"),
                        value: c.clone(),
                    },
                );
            }
            blocks.push(Block::Heading {
                level: 2,
                text: tr.t("section-report-details"),
            });
            blocks.push(Block::Definitions { items });
            let (policies, failures) = db.read(|conn| reports::list_tls(conn, &row.id))?;
            blocks.push(Block::Heading {
                level: 2,
                text: tr.t("section-tls-policies"),
            });
            blocks.push(Block::Table(Table {
                caption: tr.t("table-tls-policies"),
                columns: vec![
                    col(tr.t("column-policy-type"), Align::Start),
                    col(tr.t("column-policy-domain"), Align::Start),
                    col(tr.t("column-policy-mode"), Align::Start),
                    col(tr.t("column-mx"), Align::Start),
                    col(tr.t("column-successful-sessions"), Align::End),
                    col(tr.t("column-failed-sessions"), Align::End),
                ],
                rows: policies
                    .iter()
                    .take(MAX_ROWS)
                    .map(|p| {
                        vec![
                            p.policy_type.clone(),
                            p.policy_domain.clone(),
                            policy_mode(&p.policy_string),
                            p.mx_host.clone(),
                            tr.count(u64::try_from(p.successful_sessions).unwrap_or(0)),
                            tr.count(u64::try_from(p.failed_sessions).unwrap_or(0)),
                        ]
                    })
                    .collect(),
                more: more_rows(tr, policies.len().saturating_sub(MAX_ROWS) as u64),
                empty: tr.t("table-empty"),
            }));
            blocks.push(Block::Table(Table {
                caption: tr.t("table-tls-failure-details"),
                columns: vec![
                    col(tr.t("column-result-type"), Align::Start),
                    col(tr.t("column-sending-mta"), Align::Start),
                    col(tr.t("column-receiving-mx"), Align::Start),
                    col(tr.t("column-receiving-ip"), Align::Start),
                    col(tr.t("column-failed-sessions"), Align::End),
                    col(tr.t("column-reason"), Align::Start),
                ],
                rows: failures
                    .iter()
                    .take(MAX_ROWS)
                    .map(|f| {
                        vec![
                            f.result_type.clone(),
                            f.sending_mta_ip.clone().unwrap_or_default(),
                            f.receiving_mx_hostname.clone().unwrap_or_default(),
                            f.receiving_ip.clone().unwrap_or_default(),
                            tr.count(u64::try_from(f.failed_session_count).unwrap_or(0)),
                            [
                                f.failure_reason_code.clone(),
                                f.additional_information.clone(),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" "),
                        ]
                    })
                    .collect(),
                more: more_rows(tr, failures.len().saturating_sub(MAX_ROWS) as u64),
                empty: tr.t("table-empty-tls-failures"),
            }));
            (
                tr.t_with(
                    "tls-report-title",
                    &[("reporter", Arg::Text(h.organization_name.clone()))],
                ),
                "tls",
            )
        }
    };
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-warnings"),
    });
    if warnings.is_empty() {
        blocks.push(Block::Paragraph {
            text: tr.t("warnings-none"),
        });
    } else {
        blocks.push(Block::Definitions {
            items: warnings
                .iter()
                .take(MAX_ROWS)
                .map(|w| {
                    let code = enum_str(&w.code).replace('_', "-");
                    Definition {
                        term: tr.t(&format!("warning-{code}")),
                        value: tr.t_with(
                            "warning-occurrence",
                            &[
                                ("count", Arg::Number(w.count)),
                                ("countText", Arg::Text(tr.count(w.count))),
                                ("path", Arg::Text(w.path.clone())),
                            ],
                        ),
                    }
                })
                .collect(),
        });
    }
    let subtitle = tr.t_with(
        "single-report-subtitle",
        &[
            ("domain", Arg::Text(row.policy_domain.clone())),
            ("period", Arg::Text(period)),
        ],
    );
    let stem = format!(
        "{}-{}-{}-{}",
        stem_kind,
        tr.t("file-report"),
        row.policy_domain,
        iso_day(row.begin_ts.div_euclid(86_400))
    );
    Ok((
        Document {
            language: tr.language().code().to_string(),
            title,
            subtitle,
            brand: brand(branding, tr),
            generated: generated(branding, tr, now),
            blocks,
        },
        stem,
    ))
}

/// The `mode` of an MTA-STS policy string (`mode: enforce`), empty for other policies.
fn policy_mode(policy_string: &str) -> String {
    let lines: Vec<String> = serde_json::from_str(policy_string)
        .unwrap_or_else(|_| policy_string.lines().map(str::to_string).collect());
    lines
        .iter()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim().eq_ignore_ascii_case("mode")).then(|| v.trim().to_string())
        })
        .unwrap_or_default()
}
