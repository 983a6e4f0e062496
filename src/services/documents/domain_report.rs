//! The domain report: one registered domain over a period. Summary (messages, DMARC pass
//! rate, the published policy, change against the previous period of the same length), the
//! daily trend, DMARC by result, sending sources and services with their compliance, SMTP
//! TLS by result, per reporting organization and per failure path, enforcement readiness
//! (the next policy step, what it would do to each kind of sender, the services to fix
//! first), open issues with what to do, and the latest DNS check of each kind.
//!
//! Invariants:
//! - Figures come from `services::aggregates` (rollups), so a document's cost grows with days
//!   and distinct sources, not records, and it says the same as the aggregates API.
//! - Every table is capped at [`MAX_ROWS`] rows, with a line saying how many were left out
//!   and (for sources) how many messages they carried.

use super::i18n::{Arg, Tr};
use super::model::{
    Align, Block, Callout, Chart, Definition, Document, Figure, Series, Severity, Table, col,
};
use super::{DayRange, DocumentError, brand, generated, iso_day, more_rows, period};
use crate::analysis::readiness::Step;
use crate::analysis::services::Category;
use crate::domain::branding::Branding;
use crate::domain::issue::{IssueSeverity, IssueStatus, SuggestedRecord};
use crate::services::aggregates::{self, GroupKind, Interval, Kind, PointTotals, SourcePage};
use crate::storage::{Db, TenantScope, dns_snapshots, domains, issues};
use std::collections::BTreeMap;

/// The most rows of a table.
pub const MAX_ROWS: usize = 50;

/// Colours of the chart's series: DMARC pass and fail.
const PASS_COLOR: &str = "#2e7d32";
const FAIL_COLOR: &str = "#c62828";

/// Builds the domain report of `domain` (a name or an id in `scope`) over `days`; returns it
/// with a file name stem.
pub fn build(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    branding: &Branding,
    tr: &Tr,
    now: i64,
) -> Result<(Document, String), DocumentError> {
    let len = days.last - days.first + 1;
    let previous = DayRange {
        first: days.first - len,
        last: days.first - 1,
    };
    let dmarc = aggregates::dmarc_by_result(db, scope, domain, days)?;
    let name = dmarc.domain.clone();
    let dmarc = dmarc.value;
    let before = aggregates::dmarc_by_result(db, scope, domain, previous)?.value;
    let tls = aggregates::tls_by_result(db, scope, domain, days)?.value;
    let policy = published_policy(db, scope, domain, days)?;

    let mut blocks = Vec::new();

    // Summary.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-summary"),
    });
    let message_change = change_count(tr, dmarc.total_messages, before.total_messages, len);
    let pass_change = change_rate(
        tr,
        (dmarc.dmarc_pass_messages, dmarc.total_messages),
        (before.dmarc_pass_messages, before.total_messages),
        len,
    );
    blocks.push(Block::Figures {
        items: vec![
            Figure {
                label: tr.t("figure-messages"),
                value: tr.count(dmarc.total_messages),
                change: message_change,
            },
            Figure {
                label: tr.t("figure-dmarc-pass-rate"),
                value: tr.percent(dmarc.dmarc_pass_messages, dmarc.total_messages),
                change: pass_change,
            },
            Figure {
                label: tr.t("figure-policy"),
                value: policy
                    .as_ref()
                    .and_then(|p| p.p.as_ref())
                    .map(|p| policy_word(tr, &enum_str(p)))
                    .unwrap_or_else(|| tr.t("value-not-reported")),
                change: None,
            },
            Figure {
                label: tr.t("figure-tls-success-rate"),
                value: tr.percent(tls.successful_sessions, tls.total_sessions),
                change: None,
            },
        ],
    });
    blocks.push(Block::Paragraph {
        text: match &policy {
            Some(p) => tr.t_with("summary-policy", &[("record", Arg::Text(policy_text(p)))]),
            None => tr.t("summary-no-policy"),
        },
    });
    if dmarc.total_messages == 0 && tls.total_sessions == 0 {
        blocks.push(Block::Paragraph {
            text: tr.t("summary-no-reports"),
        });
    }

    // Daily trend.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-trend"),
    });
    blocks.push(Block::Chart(trend_chart(db, scope, domain, days, tr)?));

    // DMARC by result.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-dmarc-results"),
    });
    blocks.push(Block::Table(dmarc_results_table(tr, &dmarc)));

    // Sources and services.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-sources"),
    });
    blocks.push(Block::Table(sources_table(
        db,
        scope,
        domain,
        days,
        tr,
        dmarc.total_messages,
    )?));
    let service_groups = aggregates::dmarc_by_service(db, scope, domain, days)?.value;
    blocks.push(Block::Table(services_table(tr, &service_groups)));

    // Enforcement readiness, from the same service groups.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-readiness"),
    });
    blocks.extend(readiness_blocks(
        db,
        scope,
        domain,
        days,
        tr,
        &service_groups,
    )?);

    // SMTP TLS.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-tls"),
    });
    blocks.extend(tls_blocks(db, scope, domain, days, tr, &tls)?);

    // Issues.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-issues"),
    });
    blocks.extend(issue_blocks(db, scope, domain, tr)?);

    // DNS.
    blocks.push(Block::Heading {
        level: 2,
        text: tr.t("section-dns"),
    });
    blocks.push(dns_block(db, scope, domain, tr)?);

    let title = tr.t_with(
        "domain-report-title",
        &[("domain", Arg::Text(name.clone()))],
    );
    let subtitle = period(tr, days);
    let stem = format!(
        "{}-{}-{}-{}",
        tr.t("file-domain-report"),
        name,
        iso_day(days.first),
        iso_day(days.last)
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

/// The `snake_case` name a serde enum serializes to.
pub(crate) fn enum_str<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A DMARC policy (`none`, `quarantine`, `reject`) in words; another value as sent.
pub(crate) fn policy_word(tr: &Tr, p: &str) -> String {
    match p {
        "none" | "quarantine" | "reject" => tr.t(&format!("policy-{p}")),
        other => other.to_string(),
    }
}

/// The policy as its record's tags: `p=reject; sp=none; adkim=r; aspf=r`.
pub(crate) fn policy_text(p: &crate::domain::report::PolicyPublished) -> String {
    let mut tags = Vec::new();
    if let Some(v) = &p.p {
        tags.push(format!("p={}", enum_str(v)));
    }
    if let Some(v) = &p.sp {
        tags.push(format!("sp={}", enum_str(v)));
    }
    if let Some(v) = &p.np {
        tags.push(format!("np={}", enum_str(v)));
    }
    if let Some(v) = &p.adkim {
        tags.push(format!("adkim={}", enum_str(v)));
    }
    if let Some(v) = &p.aspf {
        tags.push(format!("aspf={}", enum_str(v)));
    }
    if let Some(v) = &p.pct {
        tags.push(format!("pct={v}"));
    }
    if let Some(v) = &p.testing {
        tags.push(format!("t={v}"));
    }
    tags.join("; ")
}

/// The policy the newest DMARC report of the period says the domain published.
fn published_policy(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
) -> Result<Option<crate::domain::report::PolicyPublished>, DocumentError> {
    Ok(db.read(|conn| {
        let d = domains::get_domain_by_name(conn, scope, domain)?;
        crate::services::readiness::published_policy(conn, scope, &d.id, days)
    })?)
}

/// "+12.5 % against the previous 30 days", or `None` without earlier data.
fn change_count(tr: &Tr, now: u64, before: u64, days: i64) -> Option<String> {
    let tenths = super::i18n::tenths(now.abs_diff(before), before)?;
    let signed = if now >= before {
        i64::try_from(tenths).ok()?
    } else {
        -i64::try_from(tenths).ok()?
    };
    let value = if signed > 0 {
        format!("+{}", tr.percent_tenths(signed))
    } else {
        tr.percent_tenths(signed)
    };
    Some(tr.t_with(
        "change-against-previous",
        &[
            ("change", Arg::Text(value)),
            ("days", Arg::Number(u64::try_from(days).unwrap_or(0))),
        ],
    ))
}

/// "+1.5 points against the previous 30 days", or `None` without earlier data.
fn change_rate(tr: &Tr, now: (u64, u64), before: (u64, u64), days: i64) -> Option<String> {
    let a = i64::try_from(super::i18n::tenths(now.0, now.1)?).ok()?;
    let b = i64::try_from(super::i18n::tenths(before.0, before.1)?).ok()?;
    let d = a - b;
    let value = if d > 0 {
        format!("+{}", tr.decimal_tenths(d))
    } else {
        tr.decimal_tenths(d)
    };
    Some(tr.t_with(
        "change-points-against-previous",
        &[
            ("change", Arg::Text(value)),
            ("days", Arg::Number(u64::try_from(days).unwrap_or(0))),
        ],
    ))
}

fn trend_chart(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    tr: &Tr,
) -> Result<Chart, DocumentError> {
    let series = aggregates::Series::new(Kind::Dmarc, Interval::Day, days)
        .map_err(|e| DocumentError::Render(e.to_string()))?;
    let points = aggregates::timeseries(db, scope, domain, series)?.value;
    let mut labels = Vec::with_capacity(points.len());
    let mut pass = Vec::with_capacity(points.len());
    let mut fail = Vec::with_capacity(points.len());
    let mut max = 0u64;
    for p in &points {
        labels.push(tr.short_date(p.start));
        if let PointTotals::Dmarc(t) = &p.totals {
            pass.push(t.dmarc_pass_messages as f64);
            fail.push(t.dmarc_fail_messages as f64);
            max = max.max(t.total_messages);
        }
    }
    let scale_max = super::charts::nice_max(max as f64);
    let scale_labels = (0..=4u64)
        .map(|i| tr.count((scale_max as u64).saturating_mul(i) / 4))
        .collect();
    Ok(Chart {
        title: tr.t("chart-trend-title"),
        labels,
        series: vec![
            Series {
                name: tr.t("chart-series-pass"),
                color: PASS_COLOR.into(),
                values: pass,
            },
            Series {
                name: tr.t("chart-series-fail"),
                color: FAIL_COLOR.into(),
                values: fail,
            },
        ],
        scale_max,
        scale_labels,
        description: tr.t_with(
            "chart-trend-description",
            &[("max", Arg::Text(tr.count(max)))],
        ),
    })
}

fn dmarc_results_table(tr: &Tr, d: &aggregates::DmarcResults) -> Table {
    let mut rows = Vec::new();
    let total = d.total_messages;
    let mut row = |label: String, n: u64| {
        rows.push(vec![label, tr.count(n), tr.percent(n, total)]);
    };
    row(tr.t("result-dmarc-pass"), d.dmarc_pass_messages);
    row(tr.t("result-dmarc-fail"), d.dmarc_fail_messages);
    for (key, n) in &d.disposition {
        row(
            tr.t_with(
                "result-disposition",
                &[("value", Arg::Text(value_word(tr, "disposition", key)))],
            ),
            *n,
        );
    }
    for (key, n) in &d.dkim_aligned {
        row(
            tr.t_with(
                "result-dkim-aligned",
                &[("value", Arg::Text(value_word(tr, "result", key)))],
            ),
            *n,
        );
    }
    for (key, n) in &d.spf_aligned {
        row(
            tr.t_with(
                "result-spf-aligned",
                &[("value", Arg::Text(value_word(tr, "result", key)))],
            ),
            *n,
        );
    }
    Table {
        caption: tr.t("table-dmarc-results"),
        columns: vec![
            col(tr.t("column-result"), Align::Start),
            col(tr.t("column-messages"), Align::End),
            col(tr.t("column-share"), Align::End),
        ],
        rows,
        more: None,
        empty: tr.t("table-empty"),
    }
}

/// A value reporters send (a disposition, a result) in words when the catalog knows it
/// (`<prefix>-<value>`), else as sent.
fn value_word(tr: &Tr, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}-{value}");
    if value.chars().all(|c| c.is_ascii_lowercase() || c == '_') && tr.has(&key) {
        tr.t(&key)
    } else {
        value.to_string()
    }
}

fn category_word(tr: &Tr, category: Category) -> String {
    tr.t(&format!(
        "category-{}",
        enum_str(&category).replace('_', "-")
    ))
}

fn sources_table(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    tr: &Tr,
    total_messages: u64,
) -> Result<Table, DocumentError> {
    let page = aggregates::dmarc_by_source(
        db,
        scope,
        domain,
        days,
        SourcePage {
            limit: MAX_ROWS as i64,
            after: None,
        },
    )?
    .value;
    let mut shown_messages = 0u64;
    let rows: Vec<Vec<String>> = page
        .sources
        .iter()
        .map(|s| {
            shown_messages = shown_messages.saturating_add(s.messages);
            let name = s
                .service
                .as_ref()
                .map(|m| m.name.clone())
                .or_else(|| {
                    s.reverse_dns
                        .as_ref()
                        .and_then(|r| r.confirmed_name.clone())
                })
                .unwrap_or_default();
            let category = match &s.service {
                Some(m) if m.category == Category::ForwarderMailingList => {
                    tr.t("category-forwarder")
                }
                Some(m) => category_word(tr, m.category),
                None => tr.t("category-unknown"),
            };
            vec![
                s.source_ip.clone(),
                name,
                tr.count(s.messages),
                tr.percent(s.dmarc_pass_messages, s.messages),
                tr.percent(s.dkim_aligned_messages, s.messages),
                tr.percent(s.spf_aligned_messages, s.messages),
                s.dkim_domains
                    .first()
                    .map(|d| d.0.clone())
                    .unwrap_or_default(),
                s.spf_domains
                    .first()
                    .map(|d| d.0.clone())
                    .unwrap_or_default(),
                category,
            ]
        })
        .collect();
    let left = page.total.saturating_sub(rows.len() as u64);
    let more = (left > 0).then(|| {
        tr.t_with(
            "table-more-sources",
            &[
                ("count", Arg::Number(left)),
                ("countText", Arg::Text(tr.count(left))),
                (
                    "messages",
                    Arg::Text(tr.count(total_messages.saturating_sub(shown_messages))),
                ),
            ],
        )
    });
    Ok(Table {
        caption: tr.t_with(
            "table-sources",
            &[
                ("count", Arg::Number(page.total)),
                ("countText", Arg::Text(tr.count(page.total))),
            ],
        ),
        columns: vec![
            col(tr.t("column-source"), Align::Start),
            col(tr.t("column-name"), Align::Start),
            col(tr.t("column-messages"), Align::End),
            col(tr.t("column-dmarc-pass"), Align::End),
            col(tr.t("column-dkim-aligned"), Align::End),
            col(tr.t("column-spf-aligned"), Align::End),
            col(tr.t("column-dkim-domain"), Align::Start),
            col(tr.t("column-spf-domain"), Align::Start),
            col(tr.t("column-category"), Align::Start),
        ],
        rows,
        more,
        empty: tr.t("table-empty-sources"),
    })
}

fn services_table(tr: &Tr, groups: &[aggregates::ServiceGroup]) -> Table {
    let total = groups.len();
    let rows = groups
        .iter()
        .take(MAX_ROWS)
        .map(|g| {
            let (name, category) = match (g.group, &g.service) {
                (GroupKind::Service, Some(m)) => (m.name.clone(), category_word(tr, m.category)),
                (GroupKind::Organization, _) => (
                    g.org_domain.clone().unwrap_or_default(),
                    tr.t("category-unknown"),
                ),
                (GroupKind::Unconfirmed, _) => {
                    (tr.t("group-unconfirmed"), tr.t("category-unknown"))
                }
                _ => (tr.t("group-pending"), tr.t("category-unknown")),
            };
            vec![
                name,
                category,
                tr.count(g.sources),
                tr.count(g.messages),
                tr.percent(g.dmarc_pass_messages, g.messages),
            ]
        })
        .collect();
    let left = total.saturating_sub(MAX_ROWS) as u64;
    Table {
        caption: tr.t("table-services"),
        columns: vec![
            col(tr.t("column-service"), Align::Start),
            col(tr.t("column-category"), Align::Start),
            col(tr.t("column-sources"), Align::End),
            col(tr.t("column-messages"), Align::End),
            col(tr.t("column-dmarc-pass"), Align::End),
        ],
        rows,
        more: more_rows(tr, left),
        empty: tr.t("table-empty-sources"),
    }
}

/// The enforcement readiness of the period: the next step (with what to do and the record
/// to publish), what quarantine and reject would have done to each kind of sender, and the
/// named services to fix first.
fn readiness_blocks(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    tr: &Tr,
    groups: &[aggregates::ServiceGroup],
) -> Result<Vec<Block>, DocumentError> {
    let r = db.read(|conn| {
        let d = domains::get_domain_by_name(conn, scope, domain)?;
        crate::services::readiness::assess_groups(conn, scope, (&d.id, &d.name), days, groups)
    })?;
    let step = enum_str(&r.recommendation.step).replace('_', "-");
    let sp = r.policy.sp.clone().unwrap_or_default();
    let mut blocks = vec![Block::Callout(Callout {
        severity: if matches!(
            r.recommendation.step,
            Step::FixServicesFirst | Step::ReviewUnknownSources
        ) {
            Severity::Warning
        } else {
            Severity::Info
        },
        severity_label: tr.t("readiness-next-step"),
        title: tr.t_with(
            &format!("readiness-step-{step}"),
            &[("sp", Arg::Text(policy_word(tr, &sp)))],
        ),
        explanation: tr.t_with(
            "readiness-summary",
            &[
                ("messages", Arg::Number(r.messages)),
                ("messagesText", Arg::Text(tr.count(r.messages))),
                ("failing", Arg::Text(tr.count(r.failing_messages))),
                (
                    "quarantine",
                    Arg::Text(tr.count(r.quarantine.newly_affected_messages)),
                ),
                (
                    "reject",
                    Arg::Text(tr.count(r.reject.newly_affected_messages)),
                ),
            ],
        ),
        remediation_label: tr.t("issue-remediation"),
        remediation: tr.t(&format!("readiness-do-{step}")),
        record_label: tr.t("issue-record"),
        record: r.recommendation.record.as_ref().map(record_line),
    })];
    if r.messages == 0 {
        return Ok(blocks);
    }
    let row = |label: &str, q: u64, rj: u64| vec![tr.t(label), tr.count(q), tr.count(rj)];
    blocks.push(Block::Table(Table {
        caption: tr.t("table-readiness"),
        columns: vec![
            col(tr.t("column-sender"), Align::Start),
            col(tr.t("column-if-quarantine"), Align::End),
            col(tr.t("column-if-reject"), Align::End),
        ],
        rows: vec![
            row(
                "readiness-row-services",
                r.quarantine.from_services,
                r.reject.from_services,
            ),
            row(
                "readiness-row-forwarders",
                r.quarantine.from_forwarders,
                r.reject.from_forwarders,
            ),
            row(
                "readiness-row-unknown",
                r.quarantine.from_unknown,
                r.reject.from_unknown,
            ),
            row(
                "readiness-row-total",
                r.quarantine.newly_affected_messages,
                r.reject.newly_affected_messages,
            ),
        ],
        more: None,
        empty: tr.t("table-empty"),
    }));
    if r.forwarders.failing_messages > 0 {
        blocks.push(Block::Paragraph {
            text: tr.t_with(
                "readiness-forwarders",
                &[
                    (
                        "failing",
                        Arg::Text(tr.count(r.forwarders.failing_messages)),
                    ),
                    (
                        "saved",
                        Arg::Text(tr.count(r.forwarders.saved_by_receivers)),
                    ),
                    ("dkim", Arg::Text(tr.count(r.forwarders.needing_dkim))),
                ],
            ),
        });
    }
    if !r.services_to_fix.is_empty() {
        let left = r.services_to_fix.len().saturating_sub(MAX_ROWS) as u64;
        blocks.push(Block::Table(Table {
            caption: tr.t("table-services-to-fix"),
            columns: vec![
                col(tr.t("column-service"), Align::Start),
                col(tr.t("column-messages"), Align::End),
                col(tr.t("column-failing-messages"), Align::End),
                col(tr.t("column-failing-share"), Align::End),
                col(tr.t("column-blocks-next-step"), Align::Start),
            ],
            rows: r
                .services_to_fix
                .iter()
                .take(MAX_ROWS)
                .map(|s| {
                    vec![
                        s.service.name.clone(),
                        tr.count(s.messages),
                        tr.count(s.failing_messages),
                        tr.percent(s.failing_messages, s.messages),
                        tr.t(if s.blocks_next_step {
                            "value-yes"
                        } else {
                            "value-no"
                        }),
                    ]
                })
                .collect(),
            more: more_rows(tr, left),
            empty: tr.t("table-empty"),
        }));
    }
    Ok(blocks)
}

fn tls_blocks(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    tr: &Tr,
    tls: &aggregates::TlsResults,
) -> Result<Vec<Block>, DocumentError> {
    let mut blocks = vec![Block::Figures {
        items: vec![
            Figure {
                label: tr.t("figure-tls-sessions"),
                value: tr.count(tls.total_sessions),
                change: None,
            },
            Figure {
                label: tr.t("figure-tls-successful"),
                value: tr.count(tls.successful_sessions),
                change: None,
            },
            Figure {
                label: tr.t("figure-tls-failed"),
                value: tr.count(tls.failed_sessions),
                change: None,
            },
        ],
    }];
    blocks.push(Block::Table(Table {
        caption: tr.t("table-tls-result-types"),
        columns: vec![
            col(tr.t("column-result-type"), Align::Start),
            col(tr.t("column-failed-sessions"), Align::End),
        ],
        rows: tls
            .failed_sessions_by_result_type
            .iter()
            .take(MAX_ROWS)
            .map(|(k, n)| vec![k.clone(), tr.count(*n)])
            .collect(),
        more: None,
        empty: tr.t("table-empty-tls-failures"),
    }));
    let sources = aggregates::tls_by_source(
        db,
        scope,
        domain,
        days,
        aggregates::FailurePage {
            limit: Some(MAX_ROWS as i64),
            after: None,
        },
    )?
    .value;
    let orgs = sources.organizations.len();
    blocks.push(Block::Table(Table {
        caption: tr.t("table-tls-organizations"),
        columns: vec![
            col(tr.t("column-organization"), Align::Start),
            col(tr.t("column-successful-sessions"), Align::End),
            col(tr.t("column-failed-sessions"), Align::End),
            col(tr.t("column-success-rate"), Align::End),
        ],
        rows: sources
            .organizations
            .iter()
            .take(MAX_ROWS)
            .map(|o| {
                vec![
                    o.organization.clone(),
                    tr.count(o.successful_sessions),
                    tr.count(o.failed_sessions),
                    tr.percent(
                        o.successful_sessions,
                        o.successful_sessions.saturating_add(o.failed_sessions),
                    ),
                ]
            })
            .collect(),
        more: more_rows(tr, orgs.saturating_sub(MAX_ROWS) as u64),
        empty: tr.t("table-empty-tls"),
    }));
    let left = sources
        .total_failures
        .saturating_sub(sources.failures.len() as u64);
    blocks.push(Block::Table(Table {
        caption: tr.t("table-tls-failures"),
        columns: vec![
            col(tr.t("column-sending-mta"), Align::Start),
            col(tr.t("column-receiving-mx"), Align::Start),
            col(tr.t("column-result-type"), Align::Start),
            col(tr.t("column-failed-sessions"), Align::End),
        ],
        rows: sources
            .failures
            .iter()
            .map(|f| {
                vec![
                    f.sending_mta_ip.clone(),
                    f.receiving_mx_hostname.clone(),
                    f.result_type.clone(),
                    tr.count(f.failed_sessions),
                ]
            })
            .collect(),
        more: more_rows(tr, left),
        empty: tr.t("table-empty-tls-failures"),
    }));
    Ok(blocks)
}

/// A record to publish as a callout shows it: `name TYPE "value"`.
fn record_line(s: &SuggestedRecord) -> String {
    format!("{} {} \"{}\"", s.name, s.record_type, s.value)
}

fn severity_of(s: &str) -> (Severity, String) {
    match IssueSeverity::parse(s) {
        Some(IssueSeverity::Critical | IssueSeverity::High) => (Severity::Critical, s.into()),
        Some(IssueSeverity::Medium | IssueSeverity::Low) => (Severity::Warning, s.into()),
        _ => (Severity::Info, "info".into()),
    }
}

fn issue_blocks(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    tr: &Tr,
) -> Result<Vec<Block>, DocumentError> {
    let rows = db.read(|conn| {
        let d = domains::get_domain_by_name(conn, scope, domain)?;
        issues::list_issues(
            conn,
            scope,
            &issues::IssueFilter {
                domain_id: Some(d.id.clone()),
                statuses: vec![IssueStatus::Open, IssueStatus::Acknowledged],
                limit: MAX_ROWS as i64 + 1,
                ..issues::IssueFilter::default()
            },
        )
    })?;
    if rows.is_empty() {
        return Ok(vec![Block::Paragraph {
            text: tr.t("issues-none"),
        }]);
    }
    let mut blocks: Vec<Block> = rows
        .iter()
        .take(MAX_ROWS)
        .map(|(r, _)| {
            let (severity, key) = severity_of(&r.severity);
            let record = r
                .record
                .as_deref()
                .and_then(|j| serde_json::from_str::<SuggestedRecord>(j).ok())
                .as_ref()
                .map(record_line);
            Block::Callout(Callout {
                severity,
                severity_label: tr.t(&format!("severity-{key}")),
                title: r.title.clone(),
                explanation: r.explanation.clone(),
                remediation_label: tr.t("issue-remediation"),
                remediation: r.remediation.clone(),
                record_label: tr.t("issue-record"),
                record,
            })
        })
        .collect();
    if rows.len() > MAX_ROWS {
        blocks.push(Block::Paragraph {
            text: tr.t("issues-more"),
        });
    }
    Ok(blocks)
}

fn dns_block(db: &Db, scope: &TenantScope, domain: &str, tr: &Tr) -> Result<Block, DocumentError> {
    let snapshots = db.read(|conn| dns_snapshots::list_latest(conn, scope, domain))?;
    if snapshots.is_empty() {
        return Ok(Block::Paragraph {
            text: tr.t("dns-none"),
        });
    }
    let items = snapshots
        .iter()
        .map(|s| {
            let report: serde_json::Value =
                serde_json::from_str(&s.report).unwrap_or(serde_json::Value::Null);
            let records: Vec<String> = report
                .get("records")
                .and_then(|r| r.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let findings: BTreeMap<String, usize> = report
                .get("findings")
                .and_then(|f| f.as_array())
                .map(|a| {
                    let mut m = BTreeMap::new();
                    for f in a {
                        if let Some(s) = f.get("severity").and_then(|s| s.as_str()) {
                            *m.entry(s.to_string()).or_default() += 1;
                        }
                    }
                    m
                })
                .unwrap_or_default();
            let term = if s.selector.is_empty() {
                s.kind.to_uppercase()
            } else {
                format!("{} ({})", s.kind.to_uppercase(), s.selector)
            };
            let verdict = if findings.is_empty() {
                tr.t("dns-no-findings")
            } else {
                let parts: Vec<String> = findings
                    .iter()
                    .map(|(sev, n)| {
                        format!("{} {}", tr.count(*n as u64), value_word(tr, "finding", sev))
                    })
                    .collect();
                parts.join(", ")
            };
            let record = if records.is_empty() {
                tr.t("dns-no-record")
            } else {
                records.join(" | ")
            };
            Definition {
                term,
                value: tr.t_with(
                    "dns-check",
                    &[
                        ("date", Arg::Text(tr.date_time(s.checked_at))),
                        ("verdict", Arg::Text(verdict)),
                        ("record", Arg::Text(record)),
                    ],
                ),
            }
        })
        .collect();
    Ok(Block::Definitions { items })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::services::documents::i18n::keys;

    #[test]
    fn every_readiness_key_built_at_run_time_is_in_every_catalog() {
        let steps = [
            Step::NoData,
            Step::FixServicesFirst,
            Step::ReviewUnknownSources,
            Step::Quarantine,
            Step::Reject,
            Step::RejectSubdomains,
            Step::Enforced,
        ];
        let mut wanted: Vec<String> = steps
            .iter()
            .flat_map(|s| {
                let step = enum_str(s).replace('_', "-");
                [
                    format!("readiness-step-{step}"),
                    format!("readiness-do-{step}"),
                ]
            })
            .collect();
        for row in ["services", "forwarders", "unknown", "total"] {
            wanted.push(format!("readiness-row-{row}"));
        }
        for &language in crate::domain::branding::Language::ALL {
            let catalog = keys(language).unwrap();
            for key in &wanted {
                assert!(catalog.contains(key), "{language}: {key}");
            }
        }
    }
}
