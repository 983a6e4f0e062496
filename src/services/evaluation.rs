//! Issue evaluation of one domain: read what is stored about it (storage), summarize it into
//! the rules' input, run the rules (analysis, pure), and apply the outcome to the stored
//! issues (their lifecycle). Run by the `evaluate_issues` job after new data
//! (enriched sources, TLS reports, DNS checks) and by `POST /domains/{domain}/issues/evaluate`.
//!
//! Reads and the write are separate steps so that, on SQLite, the single writer lock is held
//! only while issues are written. Records are read in pages, report by report, so memory
//! follows the number of distinct sources, not records.

use crate::analysis::input::{
    DmarcData, DnsCheck, DomainInput, FailureData, FailureSource, PolicyObservation, ReporterData,
    SourceData, SourceNames, TlsData, TlsDay, TlsFailureData,
};
use crate::analysis::issues::{DAY, Evaluation, Thresholds, detect};
use crate::domain::ids::{DomainId, TenantId};
use crate::services::readiness::policy_word;
use crate::storage::aggregates::{self, DayRange};
use crate::storage::analysis_data::{self, KIND_DMARC, KIND_TLS};
use crate::storage::domains::Domain;
use crate::storage::issues::{self, Changes};
use crate::storage::{
    DbConnection, StorageError, StorageResult, TenantScope, dns_snapshots, reports, source_names,
    tenants,
};
use std::collections::{BTreeMap, HashMap};

/// Reports read for the policy history and reporter regularity: this many days back.
const HISTORY_DAYS: i64 = 120;
/// At most this many reports are read for one evaluation (newest first).
const MAX_REPORTS: i64 = 20_000;
/// Records read at a time.
const RECORDS_PER_PAGE: i64 = 5_000;
/// Report ids kept per source as evidence.
const IDS_PER_SOURCE: usize = 10;

/// Evaluates `domain` at `now` and records the outcome. Returns the evaluation and what
/// changed.
pub fn evaluate(
    db: &crate::storage::Db,
    domain: &Domain,
    now: i64,
    t: &Thresholds,
) -> StorageResult<(Evaluation, Changes)> {
    let input = db.read(|conn| load_input(conn, domain, now, t))?;
    let evaluation = detect(&input, t);
    let changes = db.write(|conn| {
        issues::reconcile(
            conn,
            &domain.tenant_id,
            &domain.id,
            &evaluation.issues,
            &evaluation.undetermined,
            now,
        )
    })?;
    Ok((evaluation, changes))
}

/// Evaluates the domain `domain_id` at `now` (the `evaluate_issues` job) and logs what
/// changed; a deleted domain has nothing to evaluate.
pub fn evaluate_domain_id(
    db: &crate::storage::Db,
    domain_id: &DomainId,
    now: i64,
    t: &Thresholds,
) -> StorageResult<()> {
    let Some(domain) =
        db.read(|conn| crate::storage::domains::find_domain_by_id(conn, domain_id))?
    else {
        return Ok(());
    };
    let (evaluation, changes) = evaluate(db, &domain, now, t)?;
    tracing::info!(
        domain = %domain.name,
        issues = evaluation.issues.len(),
        opened = changes.opened.len(),
        resolved = changes.resolved.len(),
        "issues evaluated"
    );
    Ok(())
}

/// Queues an evaluation of `domain_id` at `run_at` unless one is already waiting (then that
/// one is made due no later than `run_at`), so a burst of new data is evaluated once.
pub fn queue(
    db: &crate::storage::Db,
    tenant_id: Option<&TenantId>,
    domain_id: &DomainId,
    run_at: i64,
) -> StorageResult<()> {
    db.write(|conn| {
        crate::storage::jobs::enqueue_unique(
            conn,
            tenant_id,
            crate::domain::job::JobKind::EvaluateIssues,
            &serde_json::json!({ "domain_id": domain_id }),
            run_at,
        )
    })?;
    Ok(())
}

/// The scope the evaluation of `domain` reads in: its own tenant's. The evaluation runs for
/// the domain's owner, either as a job (no caller at all) or on the owner's request (which
/// found the domain in the caller's scope already), so the narrowest scope that sees the
/// domain is the right one; a system-wide scope would let a wrong id read any tenant's data.
fn owner_scope(conn: &mut DbConnection, domain: &Domain) -> StorageResult<TenantScope> {
    tenants::find_tenant_unscoped(conn, &domain.tenant_id)?
        .map(|tenant| tenant.scope())
        .ok_or(StorageError::NotFound)
}

/// Everything the rules need about `domain`.
pub fn load_input(
    conn: &mut DbConnection,
    domain: &Domain,
    now: i64,
    t: &Thresholds,
) -> StorageResult<DomainInput> {
    let scope = owner_scope(conn, domain)?;
    let id = &domain.id;
    Ok(DomainInput {
        domain: domain.name.clone(),
        now,
        registered_at: Some(domain.created_at),
        dmarc: load_dmarc(conn, &scope, id, t)?,
        tls: load_tls(conn, &scope, id, t)?,
        failures: load_failures(conn, &scope, id, now, t)?,
        dns: dns_snapshots::latest_for_domain(conn, &domain.id)?
            .into_iter()
            .map(|s| DnsCheck {
                report: serde_json::from_str(&s.report).unwrap_or_default(),
                kind: s.kind,
                selector: s.selector,
                checked_at: s.checked_at,
            })
            .collect(),
    })
}

/// Failure reports per source that arrived in the burst window before `now`.
fn load_failures(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    now: i64,
    t: &Thresholds,
) -> StorageResult<FailureData> {
    let from = now - t.failure_burst_hours * 3600;
    let sources =
        crate::storage::failures::failure_counts_by_source(conn, scope, domain, from, now + 1)?
            .into_iter()
            .filter_map(|c| {
                Some(FailureSource {
                    ip: c.key?,
                    reports: u64::try_from(c.reports).unwrap_or(0),
                    incidents: u64::try_from(c.incidents).unwrap_or(0),
                })
            })
            .collect();
    Ok(FailureData {
        from,
        to: now + 1,
        sources,
    })
}

fn load_dmarc(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    t: &Thresholds,
) -> StorageResult<DmarcData> {
    let Some(to) = analysis_data::newest_report_end(conn, scope, domain, KIND_DMARC)? else {
        return Ok(DmarcData::default());
    };
    let from = to - t.dmarc_window_days * DAY;
    let history_from = to - HISTORY_DAYS.max(t.policy_none_min_days + 7) * DAY;
    let reports = analysis_data::reports_ending_after(
        conn,
        scope,
        domain,
        KIND_DMARC,
        history_from,
        MAX_REPORTS,
    )?;
    let policies = reports
        .iter()
        .filter_map(|r| {
            let header = r.dmarc_header().ok()?;
            let p = &header.policy_published;
            Some(PolicyObservation {
                begin: r.begin_ts,
                end: r.end_ts,
                p: p.p
                    .as_ref()
                    .map(|p| p.as_str().trim().to_ascii_lowercase())
                    .unwrap_or_default(),
                sp: policy_word(p.sp.as_ref().map(|p| p.as_str())),
                np: policy_word(p.np.as_ref().map(|p| p.as_str())),
                pct: p.pct.as_deref().and_then(|s| s.trim().parse().ok()),
                testing: p.testing.as_deref().is_some_and(|s| s.trim() == "y"),
            })
        })
        .collect();
    let mut reporters: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in &reports {
        reporters
            .entry(r.org_name.clone())
            .or_default()
            .push(r.end_ts);
    }
    let mut sources: HashMap<String, SourceData> = HashMap::new();
    for r in reports.iter().filter(|r| r.end_ts > from) {
        let mut after = i64::MIN;
        loop {
            let page = reports::list_records_page(conn, &r.id, after, RECORDS_PER_PAGE)?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.seq;
            let full = page.len() as i64 == RECORDS_PER_PAGE;
            for row in page {
                let s = sources
                    .entry(row.source_ip.clone())
                    .or_insert_with(|| SourceData {
                        ip: row.source_ip.clone(),
                        ..Default::default()
                    });
                add_record(s, &row, &r.org_name, r.id.as_str());
            }
            if !full {
                break;
            }
        }
    }
    let ips: Vec<String> = sources.keys().cloned().collect();
    for name in source_names::find_many(conn, &ips)? {
        if let Some(s) = sources.get_mut(&name.ip) {
            let ptr_names: Vec<String> = serde_json::from_str(&name.ptr_names).unwrap_or_default();
            s.names = match (name.confirmed_name, name.lookup_error) {
                (Some(confirmed), _) => SourceNames::Confirmed {
                    name: confirmed,
                    ptr_names,
                },
                (None, Some(error)) => SourceNames::LookupFailed {
                    error,
                    since: name.failing_since.unwrap_or(name.checked_at),
                },
                (None, None) => SourceNames::Unconfirmed {
                    ptr_names,
                    lookup_error: None,
                },
            };
        }
    }
    let mut sources: Vec<SourceData> = sources.into_values().collect();
    sources.sort_by(|a, b| a.ip.cmp(&b.ip));
    Ok(DmarcData {
        from,
        to,
        sources,
        policies,
        reporters: reporters
            .into_iter()
            .map(|(org, report_ends)| ReporterData { org, report_ends })
            .collect(),
    })
}

/// Folds one stored record into its source's figures.
fn add_record(s: &mut SourceData, row: &reports::RecordRow, org: &str, report_id: &str) {
    let n = u64::try_from(row.count).unwrap_or(0);
    let pass = |v: &Option<String>| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("pass"));
    s.messages = s.messages.saturating_add(n);
    let (dkim, spf) = (pass(&row.dkim_aligned), pass(&row.spf_aligned));
    if dkim || spf {
        s.dmarc_pass = s.dmarc_pass.saturating_add(n);
    }
    if dkim {
        s.dkim_aligned = s.dkim_aligned.saturating_add(n);
    }
    if spf {
        s.spf_aligned = s.spf_aligned.saturating_add(n);
    }
    match row
        .disposition
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("quarantine") => s.quarantined += n,
        Some("reject") => s.rejected += n,
        _ => {}
    }
    let reasons: Vec<serde_json::Value> = serde_json::from_str(&row.reasons).unwrap_or_default();
    if reasons.iter().any(|r| {
        matches!(
            r["type"].as_str().map(str::to_ascii_lowercase).as_deref(),
            Some("forwarded" | "mailing_list" | "trusted_forwarder")
        )
    }) {
        s.forwarded_reason = s.forwarded_reason.saturating_add(n);
    }
    if let Some(h) = row.header_from.as_deref().filter(|h| !h.is_empty()) {
        let h = h.to_ascii_lowercase();
        if dkim || spf {
            let slot = s.header_from_pass.entry(h.clone()).or_default();
            *slot = slot.saturating_add(n);
        }
        let slot = s.header_from.entry(h).or_default();
        *slot = slot.saturating_add(n);
    }
    add_auth(
        &row.dkim,
        n,
        &mut s.dkim_pass_domains,
        &mut s.dkim_fail_domains,
    );
    add_auth(
        &row.spf,
        n,
        &mut s.spf_pass_domains,
        &mut s.spf_fail_domains,
    );
    s.reporters.insert(org.to_string());
    if s.report_ids.len() < IDS_PER_SOURCE {
        s.report_ids.insert(report_id.to_string());
    }
}

/// Counts `n` messages for each domain of stored DKIM or SPF auth results (JSON), as passing
/// or not.
fn add_auth(
    json: &str,
    n: u64,
    pass: &mut BTreeMap<String, u64>,
    fail: &mut BTreeMap<String, u64>,
) {
    let results: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    for a in &results {
        if let Some(d) = auth_domain(a) {
            let passed = a["result"]
                .as_str()
                .is_some_and(|r| r.eq_ignore_ascii_case("pass"));
            let map = if passed { &mut *pass } else { &mut *fail };
            let slot = map.entry(d).or_default();
            *slot = slot.saturating_add(n);
        }
    }
}

/// The `domain` of a DKIM or SPF auth result, lower-case without trailing dot.
fn auth_domain(a: &serde_json::Value) -> Option<String> {
    crate::domain::report::normalized_auth_domain(a["domain"].as_str()?)
}

fn load_tls(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    t: &Thresholds,
) -> StorageResult<TlsData> {
    let Some(to) = analysis_data::newest_report_end(conn, scope, domain, KIND_TLS)? else {
        return Ok(TlsData::default());
    };
    let from = to - t.tls_window_days * DAY;
    let mut failures: BTreeMap<(String, String), TlsFailureData> = BTreeMap::new();
    for f in analysis_data::tls_failures_after(conn, scope, domain, from)? {
        let mx = f
            .receiving_mx_hostname
            .as_deref()
            .unwrap_or("")
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let entry = failures
            .entry((f.result_type.clone(), mx.clone()))
            .or_insert_with(|| TlsFailureData {
                result_type: f.result_type.clone(),
                mx_host: mx,
                ..Default::default()
            });
        entry.sessions = entry
            .sessions
            .saturating_add(u64::try_from(f.failed_session_count).unwrap_or(0));
        entry.reporters.insert(f.org_name);
        entry.sending_ips.extend(f.sending_mta_ip);
        entry.receiving_ips.extend(f.receiving_ip);
        entry.details.extend(f.additional_information);
        entry.details.extend(f.failure_reason_code);
        if entry.report_ids.len() < IDS_PER_SOURCE {
            entry.report_ids.insert(f.report_id);
        }
    }
    let span = t.tls_recent_days + t.tls_baseline_days + 1;
    let days = DayRange {
        first: (to - span * DAY).div_euclid(DAY),
        last: to.div_euclid(DAY),
    };
    let daily = aggregates::tls_by_result_per_day(conn, scope, domain, days)?
        .into_iter()
        .map(|(day, totals)| TlsDay {
            day: day * DAY,
            successful: totals.successful_sessions,
            failed: totals.failed_sessions,
        })
        .collect();
    Ok(TlsData {
        from,
        to,
        failures: failures.into_values().collect(),
        daily,
        any_report: true,
    })
}
