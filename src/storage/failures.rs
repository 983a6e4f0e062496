//! Stored DMARC failure reports (`failure_reports`, one row per report, and
//! `failure_report_types`, one row per Auth-Failure value) and the per-tenant failure report
//! settings (`failure_settings`: privacy mode and the key of the address hashes).
//!
//! Rows are written already redacted (the service decides what is kept); nothing here sees
//! a report before redaction except its content hash. Reads take the caller's scope first.
//!
//! Must not depend on `services`, `api` or `reports`.

use super::schema::{failure_report_types, failure_reports, failure_settings};
use super::{DbConnection, StorageError, StorageResult, TenantScope, domain_in_scope, now, sql};
use crate::domain::failure::FailurePrivacy;
use crate::domain::ids::{DomainId, ReportId, TenantId, UploadId};
use crate::storage::write_transaction;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

/// The kind of a stored failure report in ingest outcomes and upload answers.
pub const KIND_FAILURE: &str = "failure_report";

/// A tenant's failure report settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureSettings {
    pub privacy: FailurePrivacy,
    /// Hex key of the keyed address hashes; never leaves the server.
    pub hash_key: String,
}

fn new_hash_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The settings of a tenant, when they were ever made (ingestion; no caller scope).
pub fn find_settings(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> StorageResult<Option<FailureSettings>> {
    let row: Option<(String, String)> = failure_settings::table
        .filter(failure_settings::tenant_id.eq(tenant_id.as_str()))
        .select((failure_settings::privacy, failure_settings::hash_key))
        .first(conn)
        .optional()?;
    Ok(row.map(|(privacy, hash_key)| FailureSettings {
        privacy: FailurePrivacy::parse(&privacy).unwrap_or_default(),
        hash_key,
    }))
}

/// The settings of the tenant a report is filed under, made with the default privacy and a
/// new random key on first use (ingestion; the tenant is known, there is no caller scope).
pub fn ensure_settings(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> StorageResult<FailureSettings> {
    if let Some(found) = find_settings(conn, tenant_id)? {
        return Ok(found);
    }
    let made = FailureSettings {
        privacy: FailurePrivacy::default(),
        hash_key: new_hash_key(),
    };
    let inserted = diesel::insert_into(failure_settings::table)
        .values((
            failure_settings::tenant_id.eq(tenant_id.as_str()),
            failure_settings::privacy.eq(made.privacy.as_str()),
            failure_settings::hash_key.eq(&made.hash_key),
            failure_settings::updated_at.eq(now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(made),
        // Another instance made them first: theirs hold.
        Err(_) => find_settings(conn, tenant_id)?.ok_or(StorageError::NotFound),
    }
}

/// The privacy mode of a tenant in the caller's scope (the default when never set).
pub fn get_privacy(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
) -> StorageResult<FailurePrivacy> {
    super::tenants::get_tenant(conn, scope, tenant_id)?;
    Ok(find_settings(conn, tenant_id)?
        .map(|s| s.privacy)
        .unwrap_or_default())
}

/// Sets the privacy mode of a tenant in the caller's scope; applies to reports stored from
/// now on (stored rows keep what they were stored with).
pub fn set_privacy(
    conn: &mut DbConnection,
    scope: &TenantScope,
    tenant_id: &TenantId,
    privacy: FailurePrivacy,
) -> StorageResult<()> {
    super::tenants::get_tenant(conn, scope, tenant_id)?;
    ensure_settings(conn, tenant_id)?;
    diesel::update(
        failure_settings::table.filter(failure_settings::tenant_id.eq(tenant_id.as_str())),
    )
    .set((
        failure_settings::privacy.eq(privacy.as_str()),
        failure_settings::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(())
}

/// A failure report as it is stored (already redacted).
#[derive(Debug, Clone)]
pub struct NewFailure {
    pub tenant_id: TenantId,
    pub domain_id: DomainId,
    pub upload_id: Option<UploadId>,
    pub origin: String,
    pub content_hash: String,
    pub privacy: FailurePrivacy,
    pub policy_domain: String,
    pub reporter: Option<String>,
    pub source_ip: Option<String>,
    pub auth_failures: Vec<String>,
    pub delivery_result: Option<String>,
    pub arrival_ts: i64,
    pub incidents: i64,
    pub original_mail_from: Option<String>,
    pub header_from: Option<String>,
    /// The redacted report, JSON.
    pub report: String,
    pub warnings: String,
}

/// The stored failure report of this tenant with this content hash, if any.
pub fn find_failure_by_hash(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    hash: &str,
) -> StorageResult<Option<ReportId>> {
    Ok(failure_reports::table
        .filter(failure_reports::tenant_id.eq(tenant_id.as_str()))
        .filter(failure_reports::content_hash.eq(hash))
        .select(failure_reports::id)
        .first::<String>(conn)
        .optional()?
        .map(ReportId::from))
}

/// Inserts a failure report and its per-type rows (inside the caller's transaction).
pub fn insert_failure(conn: &mut DbConnection, new: &NewFailure) -> StorageResult<ReportId> {
    let id = ReportId::generate();
    diesel::insert_into(failure_reports::table)
        .values((
            failure_reports::id.eq(id.as_str()),
            failure_reports::tenant_id.eq(new.tenant_id.as_str()),
            failure_reports::domain_id.eq(new.domain_id.as_str()),
            failure_reports::upload_id.eq(new.upload_id.as_ref().map(UploadId::as_str)),
            failure_reports::origin.eq(&new.origin),
            failure_reports::content_hash.eq(&new.content_hash),
            failure_reports::privacy.eq(new.privacy.as_str()),
            failure_reports::policy_domain.eq(&new.policy_domain),
            failure_reports::reporter.eq(&new.reporter),
            failure_reports::source_ip.eq(&new.source_ip),
            failure_reports::auth_failures.eq(delimited(&new.auth_failures)),
            failure_reports::delivery_result.eq(&new.delivery_result),
            failure_reports::arrival_ts.eq(new.arrival_ts),
            failure_reports::incidents.eq(new.incidents),
            failure_reports::original_mail_from.eq(&new.original_mail_from),
            failure_reports::header_from.eq(&new.header_from),
            failure_reports::report.eq(&new.report),
            failure_reports::warnings.eq(&new.warnings),
            failure_reports::created_at.eq(now()),
        ))
        .execute(conn)?;
    let mut types: Vec<&String> = new.auth_failures.iter().collect();
    types.sort();
    types.dedup();
    for t in types {
        diesel::insert_into(failure_report_types::table)
            .values((
                failure_report_types::report_id.eq(id.as_str()),
                failure_report_types::domain_id.eq(new.domain_id.as_str()),
                failure_report_types::auth_failure.eq(t),
                failure_report_types::arrival_ts.eq(new.arrival_ts),
                failure_report_types::incidents.eq(new.incidents),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// `,a,b,`: every value is found with `LIKE '%,a,%'`.
fn delimited(values: &[String]) -> String {
    format!(",{},", values.join(","))
}

/// A stored failure report row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = failure_reports)]
pub struct FailureRow {
    #[diesel(deserialize_as = String)]
    pub id: ReportId,
    #[diesel(deserialize_as = String)]
    pub domain_id: DomainId,
    pub privacy: String,
    pub policy_domain: String,
    pub reporter: Option<String>,
    pub source_ip: Option<String>,
    pub auth_failures: String,
    pub delivery_result: Option<String>,
    pub arrival_ts: i64,
    pub incidents: i64,
    pub original_mail_from: Option<String>,
    pub header_from: Option<String>,
    pub report: String,
    pub warnings: String,
    pub created_at: i64,
}

impl FailureRow {
    /// The Auth-Failure values.
    pub fn auth_failures(&self) -> Vec<String> {
        self.auth_failures
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// Which failure reports of a domain a list shows.
#[derive(Debug, Clone, Default)]
pub struct FailureFilter {
    /// Arrival at or after (Unix seconds).
    pub from: Option<i64>,
    /// Arrival before (Unix seconds).
    pub to: Option<i64>,
    pub source_ip: Option<String>,
    pub auth_failure: Option<String>,
    pub policy_domain: Option<String>,
}

/// A page of a domain's failure reports, newest arrival first; `after` is the
/// `(arrival_ts, id)` of the last item of the previous page. Fetches `limit` rows.
pub fn list_failures(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    filter: &FailureFilter,
    after: Option<(i64, String)>,
    limit: i64,
) -> StorageResult<Vec<FailureRow>> {
    domain_in_scope(conn, scope, domain)?;
    let mut query = failure_reports::table
        .filter(failure_reports::domain_id.eq(domain.as_str()))
        .into_boxed();
    if let Some(from) = filter.from {
        query = query.filter(failure_reports::arrival_ts.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(failure_reports::arrival_ts.lt(to));
    }
    if let Some(ip) = &filter.source_ip {
        query = query.filter(failure_reports::source_ip.eq(ip.clone()));
    }
    if let Some(t) = &filter.auth_failure {
        query = query.filter(failure_reports::auth_failures.like(format!("%,{t},%")));
    }
    if let Some(d) = &filter.policy_domain {
        query = query.filter(failure_reports::policy_domain.eq(d.clone()));
    }
    if let Some((ts, id)) = after {
        query = query.filter(
            failure_reports::arrival_ts
                .lt(ts)
                .or(failure_reports::arrival_ts
                    .eq(ts)
                    .and(failure_reports::id.lt(id))),
        );
    }
    Ok(query
        .order((
            failure_reports::arrival_ts.desc(),
            failure_reports::id.desc(),
        ))
        .limit(limit)
        .select(FailureRow::as_select())
        .load(conn)?)
}

/// One failure report of a domain.
pub fn get_failure(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    id: &ReportId,
) -> StorageResult<FailureRow> {
    domain_in_scope(conn, scope, domain)?;
    Ok(failure_reports::table
        .filter(failure_reports::domain_id.eq(domain.as_str()))
        .filter(failure_reports::id.eq(id.as_str()))
        .select(FailureRow::as_select())
        .first(conn)?)
}

/// Reports and incidents of one group of a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureCount {
    /// The source IP or the failure type (`None`: the report named no source IP).
    pub key: Option<String>,
    pub reports: i64,
    pub incidents: i64,
}

/// Failure counts of a domain over `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureSummary {
    pub reports: i64,
    pub incidents: i64,
    /// By source IP, most incidents first.
    pub by_source: Vec<FailureCount>,
    /// By Auth-Failure value, most incidents first.
    pub by_type: Vec<FailureCount>,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Nullable<Text>)]
    label: Option<String>,
    #[diesel(sql_type = BigInt)]
    reports: i64,
    #[diesel(sql_type = BigInt)]
    incidents: i64,
}

/// Sources shown in a summary (the busiest first).
pub const MAX_SUMMARY_SOURCES: i64 = 1000;

/// Counts by source and by failure type over `[from, to)`.
pub fn summarize_failures(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    from: i64,
    to: i64,
) -> StorageResult<FailureSummary> {
    domain_in_scope(conn, scope, domain)?;
    let by_source = format!(
        "SELECT source_ip AS label, CAST(COUNT(*) AS BIGINT) AS reports, \
           CAST(SUM(incidents) AS BIGINT) AS incidents \
         FROM failure_reports WHERE domain_id = ? AND arrival_ts >= ? AND arrival_ts < ? \
         GROUP BY source_ip ORDER BY incidents DESC, label LIMIT {MAX_SUMMARY_SOURCES}"
    );
    let by_type = "SELECT auth_failure AS label, CAST(COUNT(*) AS BIGINT) AS reports, \
           CAST(SUM(incidents) AS BIGINT) AS incidents \
         FROM failure_report_types WHERE domain_id = ? AND arrival_ts >= ? AND arrival_ts < ? \
         GROUP BY auth_failure ORDER BY incidents DESC, label";
    let totals = "SELECT CAST(NULL AS TEXT) AS label, CAST(COUNT(*) AS BIGINT) AS reports, \
           CAST(COALESCE(SUM(incidents), 0) AS BIGINT) AS incidents \
         FROM failure_reports WHERE domain_id = ? AND arrival_ts >= ? AND arrival_ts < ?";
    let mut run = |text: &str| -> StorageResult<Vec<CountRow>> {
        let text = super::wide_sums(conn, sql(conn, text));
        Ok(diesel::sql_query(text)
            .bind::<Text, _>(domain.as_str())
            .bind::<BigInt, _>(from)
            .bind::<BigInt, _>(to)
            .load(conn)?)
    };
    let count = |rows: Vec<CountRow>| -> Vec<FailureCount> {
        rows.into_iter()
            .map(|r| FailureCount {
                key: r.label,
                reports: r.reports,
                incidents: r.incidents,
            })
            .collect()
    };
    let total = run(totals)?;
    let by_source = count(run(&by_source)?);
    let by_type = count(run(by_type)?);
    let (reports, incidents) = total
        .first()
        .map(|r| (r.reports, r.incidents))
        .unwrap_or_default();
    Ok(FailureSummary {
        reports,
        incidents,
        by_source,
        by_type,
    })
}

/// Per source IP of one domain: the failure reports and incidents that arrived in
/// `[from, to)`, busiest first (the evaluation's input for the failure burst rule).
pub fn failure_counts_by_source(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    from: i64,
    to: i64,
) -> StorageResult<Vec<FailureCount>> {
    domain_in_scope(conn, scope, domain)?;
    let text = format!(
        "SELECT source_ip AS label, CAST(COUNT(*) AS BIGINT) AS reports, \
           CAST(SUM(incidents) AS BIGINT) AS incidents \
         FROM failure_reports WHERE domain_id = ? AND arrival_ts >= ? AND arrival_ts < ? \
           AND source_ip IS NOT NULL \
         GROUP BY source_ip ORDER BY incidents DESC, label LIMIT {MAX_SUMMARY_SOURCES}"
    );
    let text = super::wide_sums(conn, sql(conn, &text));
    let rows: Vec<CountRow> = diesel::sql_query(text)
        .bind::<Text, _>(domain.as_str())
        .bind::<BigInt, _>(from)
        .bind::<BigInt, _>(to)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| FailureCount {
            key: r.label,
            reports: r.reports,
            incidents: r.incidents,
        })
        .collect())
}

/// Removes the raw bytes of uploads of `tenant_id` with this SHA-256 that no kept report
/// needs as raw (a mixed upload holding a redacted failure report: its raw copy would undo
/// the redaction). Reports that referenced it keep their parsed content.
pub fn drop_upload_data(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    sha256: &str,
) -> StorageResult<usize> {
    use super::schema::uploads;
    Ok(diesel::update(
        uploads::table
            .filter(uploads::tenant_id.eq(tenant_id.as_str()))
            .filter(uploads::sha256.eq(sha256)),
    )
    .set(uploads::data.eq(Vec::<u8>::new()))
    .execute(conn)?)
}

/// Deletes one failure report of a domain (with its per-type rows), and its raw copy when no
/// other report needs that upload.
pub fn delete_failure(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
    id: &ReportId,
) -> StorageResult<()> {
    use super::schema::{reports, uploads};
    get_failure(conn, scope, domain, id)?;
    write_transaction(conn, |conn| {
        let upload: Option<String> = failure_reports::table
            .filter(failure_reports::id.eq(id.as_str()))
            .select(failure_reports::upload_id)
            .first(conn)?;
        diesel::delete(
            failure_report_types::table.filter(failure_report_types::report_id.eq(id.as_str())),
        )
        .execute(conn)?;
        diesel::delete(failure_reports::table.filter(failure_reports::id.eq(id.as_str())))
            .execute(conn)?;
        if let Some(upload) = upload {
            let reports_using: i64 = reports::table
                .filter(reports::upload_id.eq(&upload))
                .count()
                .get_result(conn)?;
            let failures_using: i64 = failure_reports::table
                .filter(failure_reports::upload_id.eq(&upload))
                .count()
                .get_result(conn)?;
            if reports_using + failures_using == 0 {
                diesel::delete(uploads::table.filter(uploads::id.eq(&upload))).execute(conn)?;
            }
        }
        Ok(())
    })
}
