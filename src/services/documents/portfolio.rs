//! The portfolio document: every domain of a tenant's subtree on one page, those needing
//! attention first, with volume, DMARC pass rate, published policy, unresolved issues by
//! severity and the last report received. It reads `services::portfolio` (per-domain daily
//! rollups), so its cost grows with the number of domains, not with records.
//!
//! Invariants:
//! - The figures are the ones `GET /portfolio` answers for the same scope and period.
//! - The table is capped at [`MAX_ROWS`] domains and says how many it left out.

use super::domain_report::policy_word;
use super::i18n::{Arg, Tr};
use super::model::{Align, Block, Document, Figure, Table, col};
use super::{DocumentError, brand, generated, iso_day, period};
use crate::domain::branding::Branding;
use crate::services::portfolio::{
    self, AttentionReason, AttentionRules, PortfolioQuery, PortfolioRow, PortfolioSort,
};
use crate::storage::aggregates::DayRange;
use crate::storage::{Db, TenantScope};

/// Domains listed in the table; the rest are counted below it.
pub const MAX_ROWS: usize = 200;

fn reason_word(tr: &Tr, reason: AttentionReason) -> String {
    tr.t(match reason {
        AttentionReason::CriticalIssue => "attention-critical-issue",
        AttentionReason::NoDmarcPolicy => "attention-no-dmarc-policy",
        AttentionReason::PolicyNone => "attention-policy-none",
        AttentionReason::LowPassRate => "attention-low-pass-rate",
        AttentionReason::NoRecentReport => "attention-no-recent-report",
    })
}

fn row_cells(tr: &Tr, r: &PortfolioRow) -> Vec<String> {
    let issues = &r.open_issues;
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
    vec![
        r.domain.clone(),
        tr.count(as_u64(r.messages)),
        tr.percent(as_u64(r.dmarc_pass_messages), as_u64(r.messages)),
        r.dmarc_policy
            .as_deref()
            .map(|p| policy_word(tr, p))
            .unwrap_or_else(|| tr.t("value-not-checked")),
        {
            let urgent = as_u64(issues.critical.saturating_add(issues.high));
            let other = as_u64(
                issues
                    .medium
                    .saturating_add(issues.low)
                    .saturating_add(issues.info),
            );
            if urgent == 0 && other == 0 {
                tr.t("value-none")
            } else {
                tr.t_with(
                    "portfolio-issues",
                    &[
                        ("urgent", Arg::Text(tr.count(urgent))),
                        ("other", Arg::Text(tr.count(other))),
                    ],
                )
            }
        },
        r.last_report_at
            .map(|t| tr.date(t.div_euclid(86_400)))
            .unwrap_or_else(|| tr.t("value-never")),
        r.attention_reasons
            .iter()
            .map(|&a| reason_word(tr, a))
            .collect::<Vec<_>>()
            .join(", "),
    ]
}

/// The portfolio of `scope` over `days`, as of `now`.
pub fn build(
    db: &Db,
    scope: &TenantScope,
    days: DayRange,
    branding: &Branding,
    tr: &Tr,
    now: i64,
) -> Result<(Document, String), DocumentError> {
    let query = PortfolioQuery {
        tenant: None,
        attention_only: false,
        sort: PortfolioSort::Attention,
        descending: true,
        days,
        after: None,
        limit: None,
        now,
        rules: AttentionRules::default(),
    };
    let page = db.read(|conn| portfolio::list(conn, scope, &query))?;
    let rows = page.rows;
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
    let messages: u64 = rows.iter().map(|r| as_u64(r.messages)).sum();
    let passed: u64 = rows.iter().map(|r| as_u64(r.dmarc_pass_messages)).sum();
    let attention = rows.iter().filter(|r| r.needs_attention).count() as u64;

    let mut blocks = vec![
        Block::Heading {
            level: 2,
            text: tr.t("section-summary"),
        },
        Block::Figures {
            items: vec![
                Figure {
                    label: tr.t("figure-domains"),
                    value: tr.count(rows.len() as u64),
                    change: None,
                },
                Figure {
                    label: tr.t("figure-messages"),
                    value: tr.count(messages),
                    change: None,
                },
                Figure {
                    label: tr.t("figure-dmarc-pass-rate"),
                    value: tr.percent(passed, messages),
                    change: None,
                },
                Figure {
                    label: tr.t("figure-needing-attention"),
                    value: tr.count(attention),
                    change: None,
                },
            ],
        },
        Block::Heading {
            level: 2,
            text: tr.t("section-domains"),
        },
    ];
    let left_out = rows.len().saturating_sub(MAX_ROWS) as u64;
    blocks.push(Block::Table(Table {
        caption: tr.t("table-domains"),
        columns: vec![
            col(tr.t("column-domain"), Align::Start),
            col(tr.t("column-messages"), Align::End),
            col(tr.t("column-dmarc-pass"), Align::End),
            col(tr.t("column-policy"), Align::Start),
            col(tr.t("column-issues"), Align::Start),
            col(tr.t("column-last-report"), Align::Start),
            col(tr.t("column-attention"), Align::Start),
        ],
        rows: rows
            .iter()
            .take(MAX_ROWS)
            .map(|r| row_cells(tr, r))
            .collect(),
        more: super::more_rows(tr, left_out),
        empty: tr.t("table-empty-domains"),
    }));

    let subtitle = period(tr, days);
    let stem = format!(
        "{}-{}-{}",
        tr.t("file-portfolio"),
        iso_day(days.first),
        iso_day(days.last)
    );
    Ok((
        Document {
            language: tr.language().code().to_string(),
            title: tr.t_with(
                "portfolio-title",
                &[("brand", Arg::Text(branding.display_name.clone()))],
            ),
            subtitle,
            brand: brand(branding, tr),
            generated: generated(branding, tr, now),
            blocks,
        },
        stem,
    ))
}
