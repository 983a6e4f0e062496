//! Stored issues and their lifecycle. [`reconcile`] applies one evaluation of a domain:
//! - found and not stored → inserted `open` (an *opened* change);
//! - found and stored `open`/`acknowledged` → texts, severity and evidence refreshed, status
//!   kept;
//! - found and stored `resolved` → `open` again (an *opened* change);
//! - stored `open`/`acknowledged`, not found, and its code determined this time → `resolved`
//!   (a *resolved* change).
//!
//! Every opened (or reopened) and resolved issue is announced to webhooks (`issue.opened`,
//! `issue.resolved`) in the transaction that records it.
//!
//! Clients may only move an issue between `open` and `acknowledged`; `resolved` is ruad's
//! conclusion that the condition cleared.

use super::schema::{domains, issues, tenants};
use super::{DbConnection, StorageError, StorageResult, TenantScope, webhooks};
use crate::domain::event::Event;
use crate::domain::ids::{DomainId, IssueId, TenantId};
use crate::domain::issue::{DetectedIssue, IssueCode, IssueSeverity, IssueStatus};
use crate::storage::write_transaction;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = issues, treat_none_as_null = true)]
pub struct IssueRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: IssueId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub tenant_id: TenantId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub domain_id: DomainId,
    pub code: String,
    pub subject: String,
    pub severity: String,
    pub severity_rank: i32,
    pub status: String,
    pub title: String,
    pub explanation: String,
    pub remediation: String,
    /// Suggested record, JSON.
    pub record: Option<String>,
    /// Evidence, JSON.
    pub evidence: String,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    pub status_changed_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

/// What an evaluation changed, for notifications.
#[derive(Debug, Default)]
pub struct Changes {
    pub opened: Vec<IssueRow>,
    pub resolved: Vec<IssueRow>,
}

fn json(value: &impl serde::Serialize) -> StorageResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StorageError::Other(anyhow::anyhow!("encode issue: {e}")))
}

fn fill(row: &mut IssueRow, found: &DetectedIssue, now: i64) -> StorageResult<()> {
    row.severity = found.severity.as_str().to_string();
    row.severity_rank = found.severity.rank();
    row.title = found.title.clone();
    row.explanation = found.explanation.clone();
    row.remediation = found.remediation.clone();
    row.record = found.record.as_ref().map(json).transpose()?;
    row.evidence = json(&found.evidence)?;
    row.last_seen_at = now;
    Ok(())
}

/// Applies one evaluation (issues found; codes it could not decide) of the domain `domain_id` (owned by `tenant_id`) at `now`, in one
/// transaction.
#[tracing::instrument(skip_all, fields(tenant_id = %tenant_id, domain_id = %domain_id))]
pub fn reconcile(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    domain_id: &DomainId,
    found_issues: &[DetectedIssue],
    undetermined: &[IssueCode],
    now: i64,
) -> StorageResult<Changes> {
    write_transaction(conn, |conn| {
        // Two evaluations of one domain (a job and an API call, or two instances) must not
        // interleave: on PostgreSQL the domain row serializes them; SQLite has one writer.
        if let DbConnection::Pg(pg) = conn {
            diesel::sql_query("SELECT id FROM domains WHERE id = $1 FOR UPDATE")
                .bind::<diesel::sql_types::Text, _>(domain_id.as_str())
                .execute(pg)?;
        }
        // A domain whose deletion has begun lost its issues with the mark
        // (`domains::mark_domain_deleting`); an evaluation that read its data before then
        // must not bring them back.
        let live = domains::table
            .filter(domains::id.eq(domain_id.as_str()))
            .filter(domains::deleting_since.is_null())
            .count()
            .get_result::<i64>(conn)?;
        if live == 0 {
            return Ok(Changes::default());
        }
        let stored: Vec<IssueRow> = issues::table
            .filter(issues::domain_id.eq(domain_id.as_str()))
            .select(IssueRow::as_select())
            .load(conn)?;
        let mut changes = Changes::default();
        for found in found_issues {
            let existing = stored
                .iter()
                .find(|r| r.code == found.code.as_str() && r.subject == found.subject);
            match existing {
                None => {
                    let mut row = IssueRow {
                        id: IssueId::generate(),
                        tenant_id: tenant_id.clone(),
                        domain_id: domain_id.clone(),
                        code: found.code.as_str().to_string(),
                        subject: found.subject.clone(),
                        severity: String::new(),
                        severity_rank: 0,
                        status: IssueStatus::Open.as_str().to_string(),
                        title: String::new(),
                        explanation: String::new(),
                        remediation: String::new(),
                        record: None,
                        evidence: String::new(),
                        first_seen_at: now,
                        last_seen_at: now,
                        status_changed_at: now,
                        acknowledged_at: None,
                        resolved_at: None,
                    };
                    fill(&mut row, found, now)?;
                    diesel::insert_into(issues::table)
                        .values(row.clone())
                        .execute(conn)?;
                    changes.opened.push(row);
                }
                Some(old) => {
                    let mut row = old.clone();
                    fill(&mut row, found, now)?;
                    let reopened = old.status == IssueStatus::Resolved.as_str();
                    if reopened {
                        row.status = IssueStatus::Open.as_str().to_string();
                        row.status_changed_at = now;
                        row.acknowledged_at = None;
                        row.resolved_at = None;
                    }
                    diesel::update(issues::table.filter(issues::id.eq(row.id.as_str())))
                        .set(row.clone())
                        .execute(conn)?;
                    if reopened {
                        changes.opened.push(row);
                    }
                }
            }
        }
        for old in &stored {
            if old.status == IssueStatus::Resolved.as_str() {
                continue;
            }
            let still = found_issues
                .iter()
                .any(|f| f.code.as_str() == old.code && f.subject == old.subject);
            let undetermined =
                IssueCode::parse(&old.code).is_some_and(|c| undetermined.contains(&c));
            if still || undetermined {
                continue;
            }
            let mut row = old.clone();
            row.status = IssueStatus::Resolved.as_str().to_string();
            row.status_changed_at = now;
            row.resolved_at = Some(now);
            diesel::update(issues::table.filter(issues::id.eq(row.id.as_str())))
                .set((
                    issues::status.eq(&row.status),
                    issues::status_changed_at.eq(now),
                    issues::resolved_at.eq(Some(now)),
                ))
                .execute(conn)?;
            changes.resolved.push(row);
        }
        // Webhooks hear of it in the same transaction: an issue opened or resolved is
        // announced exactly when it is recorded.
        let domain_name: String = domains::table
            .filter(domains::id.eq(domain_id.as_str()))
            .select(domains::name)
            .first(conn)?;
        for (event, rows) in [
            (Event::IssueOpened, &changes.opened),
            (Event::IssueResolved, &changes.resolved),
        ] {
            for row in rows {
                webhooks::emit(conn, tenant_id, event, &event_data(row, &domain_name), now)?;
            }
        }
        Ok(changes)
    })
}

/// The `data` of an `issue.opened` / `issue.resolved` event: the issue as the API shows it.
fn event_data(row: &IssueRow, domain: &str) -> serde_json::Value {
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or_default();
    serde_json::json!({
        "issue_id": row.id,
        "tenant_id": row.tenant_id,
        "domain": domain,
        "domain_id": row.domain_id,
        "code": row.code,
        "subject": row.subject,
        "severity": row.severity,
        "status": row.status,
        "title": row.title,
        "explanation": row.explanation,
        "remediation": row.remediation,
        "record": row.record.as_deref().map(parse),
        "evidence": parse(&row.evidence),
        "first_seen_at": row.first_seen_at,
        "last_seen_at": row.last_seen_at,
        "resolved_at": row.resolved_at,
    })
}

/// Which issues to list.
#[derive(Debug, Clone, Default)]
pub struct IssueFilter {
    /// Only this tenant's subtree (within the caller's scope).
    pub tenant_id: Option<TenantId>,
    pub domain_id: Option<DomainId>,
    /// Only these severities (all when empty).
    pub severities: Vec<IssueSeverity>,
    /// Only these statuses (all when empty).
    pub statuses: Vec<IssueStatus>,
    pub code: Option<String>,
    /// Continue after this (severity rank, last seen, id), in the listing's order.
    pub after: Option<(i32, i64, String)>,
    pub limit: i64,
}

/// Pairs each issue with its domain's name.
fn with_domain_names(
    conn: &mut DbConnection,
    rows: Vec<IssueRow>,
) -> StorageResult<Vec<(IssueRow, String)>> {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.domain_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    let names: std::collections::HashMap<String, String> = domains::table
        .filter(domains::id.eq_any(ids))
        .select((domains::id, domains::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = names.get(r.domain_id.as_str()).cloned().unwrap_or_default();
            (r, name)
        })
        .collect())
}

/// Issues in scope with their domain's name, most severe first, then most recently seen.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn list_issues(
    conn: &mut DbConnection,
    scope: &TenantScope,
    filter: &IssueFilter,
) -> StorageResult<Vec<(IssueRow, String)>> {
    let like = match &filter.tenant_id {
        Some(t) => {
            let path: Option<String> = tenants::table
                .filter(tenants::id.eq(t.as_str()))
                .filter(tenants::path.like(scope.like()))
                .select(tenants::path)
                .first(conn)
                .optional()?;
            format!("{}%", path.ok_or(StorageError::NotFound)?)
        }
        None => scope.like(),
    };
    let in_scope = tenants::table
        .filter(tenants::path.like(like))
        .select(tenants::id);
    let mut query = issues::table
        .filter(issues::tenant_id.eq_any(in_scope))
        .into_boxed();
    if let Some(d) = &filter.domain_id {
        query = query.filter(issues::domain_id.eq(d.as_str().to_string()));
    }
    if !filter.severities.is_empty() {
        let s: Vec<&str> = filter.severities.iter().map(|s| s.as_str()).collect();
        query = query.filter(issues::severity.eq_any(s));
    }
    if !filter.statuses.is_empty() {
        let s: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query = query.filter(issues::status.eq_any(s));
    }
    if let Some(c) = &filter.code {
        query = query.filter(issues::code.eq(c.clone()));
    }
    if let Some((rank, seen, id)) = &filter.after {
        query = query.filter(
            issues::severity_rank
                .lt(*rank)
                .or(issues::severity_rank.eq(*rank).and(
                    issues::last_seen_at.lt(*seen).or(issues::last_seen_at
                        .eq(*seen)
                        .and(issues::id.lt(id.clone()))),
                )),
        );
    }
    let rows = query
        .order((
            issues::severity_rank.desc(),
            issues::last_seen_at.desc(),
            issues::id.desc(),
        ))
        .limit(filter.limit)
        .select(IssueRow::as_select())
        .load(conn)?;
    with_domain_names(conn, rows)
}

/// One issue in scope, with its domain's name.
pub fn get_issue_with_domain(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &IssueId,
) -> StorageResult<(IssueRow, String)> {
    let row = get_issue(conn, scope, id)?;
    let mut v = with_domain_names(conn, vec![row])?;
    v.pop().ok_or(StorageError::NotFound)
}

/// One issue in scope.
pub fn get_issue(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &IssueId,
) -> StorageResult<IssueRow> {
    let in_scope = tenants::table
        .filter(tenants::path.like(scope.like()))
        .select(tenants::id);
    issues::table
        .filter(issues::id.eq(id.as_str()))
        .filter(issues::tenant_id.eq_any(in_scope))
        .select(IssueRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// Acknowledges an issue (`acknowledged`) or takes the acknowledgement back (`open`). A
/// resolved issue cannot be changed: `Conflict`.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id))]
pub fn set_issue_status(
    conn: &mut DbConnection,
    scope: &TenantScope,
    id: &IssueId,
    status: IssueStatus,
    now: i64,
) -> StorageResult<(IssueRow, String)> {
    write_transaction(conn, |conn| {
        let row = get_issue(conn, scope, id)?;
        if row.status == IssueStatus::Resolved.as_str() {
            return Err(StorageError::Conflict(
                "the issue is resolved; it reopens by itself if the condition returns".into(),
            ));
        }
        if row.status == status.as_str() {
            return get_issue_with_domain(conn, scope, id);
        }
        let acknowledged_at = (status == IssueStatus::Acknowledged).then_some(now);
        diesel::update(issues::table.filter(issues::id.eq(id.as_str())))
            .set((
                issues::status.eq(status.as_str()),
                issues::status_changed_at.eq(now),
                issues::acknowledged_at.eq(acknowledged_at),
            ))
            .execute(conn)?;
        get_issue_with_domain(conn, scope, id)
    })
}
