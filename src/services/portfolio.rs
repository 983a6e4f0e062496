//! The portfolio: every domain of a tenant subtree with its volume, DMARC pass rate, TLS
//! sessions, published DMARC policy, unresolved issues and last report, and whether it needs
//! attention (and why). Shared by `GET /portfolio` and the portfolio document; independent of
//! HTTP.
//!
//! Invariants:
//! - Cost grows with the number of domains of the subtree, never with reports or records:
//!   three reads (`storage::portfolio`), then sorting and paging in memory.
//! - Figures for a range equal the aggregates' by-result totals for that range: both come
//!   from the same per-report rollups of current reports (`domain_daily` sums them at ingest).
//! - The published policy is the `p` of the domain's latest stored DMARC DNS check
//!   (`dns_snapshots`, kind `dmarc`), `None` when the domain was never checked.
//! - Pages are keyset pages over (sort value, domain name, domain id): a domain appears once
//!   in a walk, whatever the sort.

use crate::domain::ids::{DomainId, TenantId};
use crate::storage::aggregates::DayRange;
use crate::storage::portfolio::{self as store, DomainSums, PortfolioDomain};
use crate::storage::{DbConnection, StorageResult, TenantScope};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use utoipa::ToSchema;

const DAY: i64 = 86_400;

/// When a domain needs attention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttentionRules {
    /// A pass rate below this (with any messages in the period) needs attention.
    pub min_pass_rate: f64,
    /// No report received for this many days (or none ever) needs attention.
    pub max_days_without_report: i64,
}

impl Default for AttentionRules {
    fn default() -> Self {
        AttentionRules {
            min_pass_rate: 0.9,
            max_days_without_report: 7,
        }
    }
}

/// Why a domain needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttentionReason {
    /// An unresolved issue of severity `critical`.
    CriticalIssue,
    /// The latest DMARC check found no valid DMARC policy.
    NoDmarcPolicy,
    /// The published DMARC policy is `p=none`: nothing is quarantined or rejected.
    PolicyNone,
    /// The DMARC pass rate over the period is below the threshold (90 %).
    LowPassRate,
    /// No report arrived for 7 days (or never).
    NoRecentReport,
}

/// Unresolved (open or acknowledged) issues of a domain by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct IssueSeverityCounts {
    pub critical: i64,
    pub high: i64,
    pub medium: i64,
    pub low: i64,
    pub info: i64,
}

/// One domain of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PortfolioRow {
    #[schema(value_type = String)]
    pub domain_id: DomainId,
    #[schema(example = "example.com")]
    pub domain: String,
    /// The tenant that registered the domain.
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    /// DMARC messages reported in the period (current report versions).
    pub messages: i64,
    /// Of those, messages that passed DMARC (DKIM or SPF aligned).
    pub dmarc_pass_messages: i64,
    /// `dmarc_pass_messages / messages`, 0 to 1; `null` without messages (always present).
    pub pass_rate: Option<f64>,
    /// Successful TLS sessions reported in the period (SMTP TLS reports).
    pub tls_successful_sessions: i64,
    /// Failed TLS sessions reported in the period.
    pub tls_failed_sessions: i64,
    /// The published DMARC policy (`none`, `quarantine`, `reject`), from the `p` tag of
    /// the domain's latest stored DMARC DNS check; `null` when that check found no valid
    /// policy or the domain was never checked (always present).
    #[schema(example = "quarantine")]
    pub dmarc_policy: Option<String>,
    /// When that DNS check ran (Unix seconds); `null` when never (always present).
    pub dmarc_checked_at: Option<i64>,
    /// Unresolved (open or acknowledged) issues by severity.
    pub open_issues: IssueSeverityCounts,
    /// When the domain's newest stored report arrived (Unix seconds); `null` before the
    /// first (always present).
    pub last_report_at: Option<i64>,
    pub needs_attention: bool,
    /// Why it needs attention, most serious first; empty when it does not.
    pub attention_reasons: Vec<AttentionReason>,
}

/// What the portfolio is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortfolioSort {
    /// The domain name.
    #[default]
    Domain,
    /// DMARC messages in the period.
    Messages,
    /// DMARC pass rate in the period (domains without messages count as lowest).
    PassRate,
    /// When the last report arrived (never counts as earliest).
    LastReportAt,
    /// How much attention the domain needs: whether it needs any, then the number of
    /// reasons, then unresolved issues from critical down.
    Attention,
}

/// Which domains, in which order, which page.
#[derive(Debug, Clone)]
pub struct PortfolioQuery {
    /// Only this tenant's subtree (a tenant in the caller's scope); `None` for the caller's.
    pub tenant: Option<TenantId>,
    /// Only domains that need attention.
    pub attention_only: bool,
    pub sort: PortfolioSort,
    pub descending: bool,
    pub days: DayRange,
    /// Continue after this key (from [`PortfolioPage::next`]).
    pub after: Option<SortKey>,
    /// Page size; `None` for every row (documents).
    pub limit: Option<usize>,
    /// The current time, for "no recent report".
    pub now: i64,
    pub rules: AttentionRules,
}

/// A row's place in an order: the sort values, then name and id as tie-breakers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortKey {
    pub values: Vec<i64>,
    pub name: String,
    pub id: String,
}

impl SortKey {
    /// The key as an opaque text (for a cursor).
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A key from [`SortKey::encode`]'s text; `None` for anything else.
    pub fn decode(text: &str) -> Option<SortKey> {
        serde_json::from_str(text).ok()
    }
}

/// One page of the portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioPage {
    pub rows: Vec<PortfolioRow>,
    /// Domains matching the filters, on every page.
    pub total: usize,
    /// The key to continue after; `None` on the last page.
    pub next: Option<SortKey>,
}

/// The `p` of a stored DMARC check report: `Some(None)` when the check found no valid
/// policy, `None` when the report does not read as a check.
fn published_policy(report: &str) -> Option<Option<String>> {
    let v: serde_json::Value = serde_json::from_str(report).ok()?;
    Some(
        v.get("parsed")
            .and_then(|p| p.get("p"))
            .and_then(|p| p.as_str())
            .map(str::to_string),
    )
}

fn row(
    d: PortfolioDomain,
    sums: DomainSums,
    issues: Option<&store::IssueCounts>,
    q: &PortfolioQuery,
) -> PortfolioRow {
    let count = |s: &str| issues.and_then(|m| m.get(s)).copied().unwrap_or(0);
    let open_issues = IssueSeverityCounts {
        critical: count("critical"),
        high: count("high"),
        medium: count("medium"),
        low: count("low"),
        info: count("info"),
    };
    let pass_rate =
        (sums.messages > 0).then(|| sums.dmarc_pass_messages as f64 / sums.messages as f64);
    let (dmarc_checked_at, policy) = match &d.dmarc_check {
        Some((at, report)) => (Some(*at), published_policy(report)),
        None => (None, None),
    };
    let mut reasons = Vec::new();
    if open_issues.critical > 0 {
        reasons.push(AttentionReason::CriticalIssue);
    }
    match &policy {
        Some(None) => reasons.push(AttentionReason::NoDmarcPolicy),
        Some(Some(p)) if p == "none" => reasons.push(AttentionReason::PolicyNone),
        _ => {}
    }
    if pass_rate.is_some_and(|r| r < q.rules.min_pass_rate) {
        reasons.push(AttentionReason::LowPassRate);
    }
    let stale_before = q.now - q.rules.max_days_without_report * DAY;
    if d.last_report_at.is_none_or(|t| t < stale_before) {
        reasons.push(AttentionReason::NoRecentReport);
    }
    PortfolioRow {
        domain_id: d.id,
        domain: d.name,
        tenant_id: d.tenant_id,
        messages: sums.messages,
        dmarc_pass_messages: sums.dmarc_pass_messages,
        pass_rate,
        tls_successful_sessions: sums.tls_successful,
        tls_failed_sessions: sums.tls_failed,
        dmarc_policy: policy.flatten(),
        dmarc_checked_at,
        open_issues,
        last_report_at: d.last_report_at,
        needs_attention: !reasons.is_empty(),
        attention_reasons: reasons,
    }
}

impl PortfolioRow {
    /// The row's key in the order `sort`.
    pub fn sort_key(&self, sort: PortfolioSort) -> SortKey {
        let values = match sort {
            PortfolioSort::Domain => vec![],
            PortfolioSort::Messages => vec![self.messages],
            // Parts per billion: exact enough to order, and an integer in the cursor.
            PortfolioSort::PassRate => vec![
                self.pass_rate
                    .map(|r| (r * 1e9).round() as i64)
                    .unwrap_or(-1),
            ],
            PortfolioSort::LastReportAt => vec![self.last_report_at.unwrap_or(i64::MIN)],
            PortfolioSort::Attention => vec![
                i64::from(self.needs_attention),
                self.attention_reasons.len() as i64,
                self.open_issues.critical,
                self.open_issues.high,
                self.open_issues.medium,
                self.open_issues.low,
            ],
        };
        SortKey {
            values,
            name: self.domain.clone(),
            id: self.domain_id.as_str().to_string(),
        }
    }
}

/// Sort values in the asked direction; ties by domain name then id, always ascending, so
/// equal values read alphabetically either way.
fn compare(a: &SortKey, b: &SortKey, descending: bool) -> Ordering {
    let values = if descending {
        b.values.cmp(&a.values)
    } else {
        a.values.cmp(&b.values)
    };
    values
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// The portfolio of the caller's subtree (or of `q.tenant`'s within it): filtered, sorted,
/// one page.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn list(
    conn: &mut DbConnection,
    scope: &TenantScope,
    q: &PortfolioQuery,
) -> StorageResult<PortfolioPage> {
    let tenant = q.tenant.as_ref();
    let domains = store::list_portfolio_domains(conn, scope, tenant)?;
    let mut sums = store::sum_domain_daily(conn, scope, tenant, q.days)?;
    let issues = store::count_unresolved_issues(conn, scope, tenant)?;
    let mut rows: Vec<(SortKey, PortfolioRow)> = domains
        .into_iter()
        .map(|d| {
            let s = sums.remove(&d.id).unwrap_or_default();
            let i = issues.get(&d.id);
            row(d, s, i, q)
        })
        .filter(|r| !q.attention_only || r.needs_attention)
        .map(|r| (r.sort_key(q.sort), r))
        .collect();
    let total = rows.len();
    rows.sort_by(|a, b| compare(&a.0, &b.0, q.descending));
    let start = match &q.after {
        Some(after) => rows.partition_point(|(k, _)| compare(k, after, q.descending).is_le()),
        None => 0,
    };
    let mut rest: Vec<(SortKey, PortfolioRow)> = rows.into_iter().skip(start).collect();
    let mut next = None;
    if let Some(limit) = q.limit
        && rest.len() > limit
    {
        rest.truncate(limit);
        next = rest.last().map(|(k, _)| k.clone());
    }
    Ok(PortfolioPage {
        rows: rest.into_iter().map(|(_, r)| r).collect(),
        total,
        next,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key(values: Vec<i64>, name: &str) -> SortKey {
        SortKey {
            values,
            name: name.into(),
            id: format!("id-{name}"),
        }
    }

    #[test]
    fn ties_read_alphabetically_in_either_direction() {
        let a = key(vec![5], "a.example");
        let b = key(vec![5], "b.example");
        let c = key(vec![9], "c.example");
        assert_eq!(compare(&a, &b, false), Ordering::Less);
        assert_eq!(compare(&a, &b, true), Ordering::Less);
        assert_eq!(compare(&c, &a, true), Ordering::Less);
        assert_eq!(compare(&c, &a, false), Ordering::Greater);
    }

    #[test]
    fn a_sort_key_survives_its_text_form() {
        let k = key(vec![1, -1, i64::MIN], "x.example");
        assert_eq!(SortKey::decode(&k.encode()), Some(k));
        assert_eq!(SortKey::decode("1:abc"), None);
    }

    #[test]
    fn the_published_policy_is_the_p_of_the_parsed_record() {
        assert_eq!(
            published_policy(r#"{"parsed":{"p":"reject"}}"#),
            Some(Some("reject".into()))
        );
        assert_eq!(published_policy(r#"{"parsed":null}"#), Some(None));
        assert_eq!(published_policy("not json"), None);
    }

    fn domain(last_report_at: Option<i64>, check: Option<&str>) -> PortfolioDomain {
        PortfolioDomain {
            id: DomainId::from("d".to_string()),
            name: "example.com".into(),
            tenant_id: TenantId::from("t".to_string()),
            last_report_at,
            dmarc_check: check.map(|c| (1, c.to_string())),
        }
    }

    fn query(now: i64) -> PortfolioQuery {
        PortfolioQuery {
            tenant: None,
            attention_only: false,
            sort: PortfolioSort::Domain,
            descending: false,
            days: DayRange { first: 0, last: 0 },
            after: None,
            limit: None,
            now,
            rules: AttentionRules::default(),
        }
    }

    #[test]
    fn a_healthy_domain_needs_no_attention() {
        let now = 100 * DAY;
        let sums = DomainSums {
            messages: 100,
            dmarc_pass_messages: 99,
            ..DomainSums::default()
        };
        let r = row(
            domain(Some(now - DAY), Some(r#"{"parsed":{"p":"reject"}}"#)),
            sums,
            None,
            &query(now),
        );
        assert!(!r.needs_attention, "{:?}", r.attention_reasons);
        assert_eq!(r.pass_rate, Some(0.99));
        assert_eq!(r.dmarc_policy.as_deref(), Some("reject"));
    }

    #[test]
    fn each_reason_for_attention_fires_on_its_own_condition() {
        let now = 100 * DAY;
        let mut issues = store::IssueCounts::new();
        issues.insert("critical".into(), 1);
        let sums = DomainSums {
            messages: 100,
            dmarc_pass_messages: 50,
            ..DomainSums::default()
        };
        let r = row(
            domain(Some(now - 8 * DAY), Some(r#"{"parsed":{"p":"none"}}"#)),
            sums,
            Some(&issues),
            &query(now),
        );
        assert_eq!(
            r.attention_reasons,
            vec![
                AttentionReason::CriticalIssue,
                AttentionReason::PolicyNone,
                AttentionReason::LowPassRate,
                AttentionReason::NoRecentReport
            ]
        );
        let r = row(
            domain(None, Some(r#"{"parsed":null}"#)),
            DomainSums::default(),
            None,
            &query(now),
        );
        assert_eq!(
            r.attention_reasons,
            vec![
                AttentionReason::NoDmarcPolicy,
                AttentionReason::NoRecentReport
            ]
        );
        assert_eq!(r.pass_rate, None);
    }
}
