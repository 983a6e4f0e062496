//! Enforcement readiness of a domain over a period (`GET /domains/{domain}/enforcement-readiness`):
//! the per-service groups of the per-source rollups (the same as by-service), the header From
//! split, the policy the newest report of the period says was published and the DMARC record
//! of the newest DNS check, assessed by `analysis::readiness`. Reads rollups only, so it costs
//! what by-service costs, whatever the number of records.

use crate::analysis::readiness::{self, GroupFigures, PublishedPolicy, Readiness, Sender};
use crate::domain::ids::DomainId;
use crate::domain::report::PolicyPublished;
use crate::services::aggregates::{ForDomain, GroupKind, ServiceGroup, service_groups_of};
use crate::storage::aggregates::{self, DayRange};
use crate::storage::reports::{KIND_DMARC, ReportFilter, StoredHeader, list_reports};
use crate::storage::{Db, DbConnection, StorageResult, TenantScope, dns_snapshots, domains};

/// The policy the newest DMARC report of the period says the domain published.
pub fn published_policy(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    days: DayRange,
) -> StorageResult<Option<PolicyPublished>> {
    let rows = list_reports(
        conn,
        scope,
        &ReportFilter {
            domain_id: Some(domain.as_str().to_string()),
            kind: Some(KIND_DMARC.into()),
            from: Some(days.first.saturating_mul(86_400)),
            to: Some(days.last.saturating_add(1).saturating_mul(86_400)),
            limit: 1,
            ..ReportFilter::default()
        },
    )?;
    Ok(rows.first().and_then(|r| match r.header() {
        Ok(StoredHeader::Dmarc(h)) => Some(h.policy_published),
        _ => None,
    }))
}

/// A policy word as reported, trimmed and lower-case; `None` when absent or empty.
pub(crate) fn policy_word(p: Option<&str>) -> Option<String> {
    p.map(|p| p.trim().to_ascii_lowercase())
        .filter(|p| !p.is_empty())
}

/// The enforcement readiness of `domain` (a name in `scope`) over `days`.
pub fn enforcement_readiness(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
) -> StorageResult<ForDomain<Readiness>> {
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let groups = service_groups_of(conn, scope, &domain.id, days)?;
        let value = assess_groups(conn, scope, (&domain.id, &domain.name), days, &groups)?;
        Ok(ForDomain {
            domain: domain.name,
            value,
        })
    })
}

/// The readiness of a domain (id and name) whose service groups over `days` the caller
/// already holds (the domain document shows them too): adds the header From split, the
/// published policy and the DMARC record.
pub fn assess_groups(
    conn: &mut DbConnection,
    scope: &TenantScope,
    (id, name): (&DomainId, &str),
    days: DayRange,
    groups: &[ServiceGroup],
) -> StorageResult<Readiness> {
    let groups: Vec<GroupFigures> = groups
        .iter()
        .map(|g| GroupFigures {
            sender: match (g.group, &g.service) {
                (GroupKind::Service, Some(m)) => Sender::Service(m.clone()),
                _ => Sender::Unknown,
            },
            sources: g.sources,
            messages: g.messages,
            dmarc_pass_messages: g.dmarc_pass_messages,
            forwarded_messages: g.forwarded_messages,
            quarantine_messages: g.quarantine_messages,
            reject_messages: g.reject_messages,
        })
        .collect();
    let header_from = aggregates::dmarc_by_header_from(conn, scope, id, days)?;
    let policy = published_policy(conn, scope, id, days)?.map(|p| PublishedPolicy {
        p: policy_word(p.p.as_ref().map(|p| p.as_str())),
        sp: policy_word(p.sp.as_ref().map(|p| p.as_str())),
        np: policy_word(p.np.as_ref().map(|p| p.as_str())),
    });
    let record: Option<String> = dns_snapshots::latest_for_domain(conn, id)?
        .into_iter()
        .find(|s| s.kind == "dmarc")
        .and_then(|s| {
            let report: serde_json::Value = serde_json::from_str(&s.report).ok()?;
            report["records"]
                .as_array()?
                .first()?
                .as_str()
                .map(str::to_string)
        });
    Ok(readiness::assess(&readiness::ReadinessInput {
        domain: name,
        policy,
        dmarc_record: record.as_deref(),
        groups: &groups,
        header_from: &header_from,
        // The gate the issue rule applies (`policy_none_ready_to_enforce`), so the endpoint,
        // the document and the issue recommend the same step.
        min_pass_share: crate::analysis::issues::Thresholds::default().policy_none_min_pass_share,
    }))
}
