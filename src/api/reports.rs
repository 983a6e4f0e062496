//! Report upload (raw bytes or multipart), listing with cursor pagination, retrieval of the
//! normalized report and of the original bytes, deletion.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
pub use crate::api::error::UploadError;
use crate::api::error::{ApiError, ErrorCode, Problem};
use crate::api::pagination;
use crate::domain::ids::{DomainId, ReportId};
use crate::domain::report::{
    AggregateReport, AuthResults, Disposition, DmarcResult, Identifiers, PolicyEvaluated, Record,
    TlsFailureDetail, TlsPolicy, TlsPolicyResult, TlsPolicyType, TlsReport, TlsResultType,
};
use crate::domain::tenant::Role;
use crate::reports::Warning;
use crate::services::ingest::{self, Ingested, Target, Upload};
use crate::storage::domains;
use crate::storage::reports::{self as store, ReportFilter, ReportRow, StoredHeader};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::io::Read;
use utoipa::{IntoParams, ToSchema};

/// Kind of report.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// DMARC aggregate report (RFC 7489 / RFC 9990).
    DmarcAggregate,
    /// SMTP TLS report (RFC 8460).
    TlsReport,
    /// DMARC failure report (RFC 6591 ARF); read them at `/domains/{domain}/failures`.
    FailureReport,
}

impl ReportKind {
    fn from_storage(kind: &str) -> ReportKind {
        if kind == store::KIND_TLS {
            ReportKind::TlsReport
        } else if kind == crate::storage::failures::KIND_FAILURE {
            ReportKind::FailureReport
        } else {
            ReportKind::DmarcAggregate
        }
    }

    fn as_storage(self) -> &'static str {
        match self {
            ReportKind::DmarcAggregate => store::KIND_DMARC,
            ReportKind::TlsReport => store::KIND_TLS,
            ReportKind::FailureReport => crate::storage::failures::KIND_FAILURE,
        }
    }
}

/// One report found in an upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedReport {
    /// Id of the stored report (of the already stored one when `duplicate`).
    pub id: String,
    pub kind: ReportKind,
    /// Policy domain named in the report.
    pub policy_domain: String,
    /// Registered domain it was filed under.
    pub domain: String,
    /// The same report (same reporter, report id, domain, date range and content) was
    /// already stored; nothing new was stored.
    pub duplicate: bool,
    /// A report with the same key but different content exists; this version supersedes it.
    pub conflict: bool,
    /// Multipart field file name, when uploaded as multipart.
    pub file: Option<String>,
    /// Where inside the upload the report was found (zip member, attachment…).
    pub part: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UploadResponse {
    /// Reports stored (or recognized as duplicates), in upload order.
    pub reports: Vec<UploadedReport>,
    /// Parts that yielded no report.
    pub errors: Vec<UploadError>,
}

/// The bytes of one report file: XML, JSON, gzip, zlib, zip, email or mbox.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct ReportFile(Vec<u8>);

pub(crate) struct IncomingFile {
    pub(crate) name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) bytes: web::Bytes,
}

async fn read_files(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Vec<IncomingFile>, ApiError> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let too_large =
        || ApiError::PayloadTooLarge(format!("the upload is larger than {limit} bytes"));
    if is_multipart(req) {
        let mut multipart = actix_multipart::Multipart::new(req.headers(), payload);
        let mut files = Vec::new();
        let mut total = 0usize;
        while let Some(field) = multipart.next().await {
            let mut field = field.map_err(multipart_error)?;
            let name = field
                .content_disposition()
                .and_then(|d| d.get_filename().map(str::to_string));
            let ct = field.content_type().map(ToString::to_string);
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(multipart_error)?;
                total += chunk.len();
                if total > limit {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            files.push(IncomingFile {
                name,
                content_type: ct,
                bytes: bytes.freeze(),
            });
        }
        if files.is_empty() {
            return Err(ApiError::BadRequest(
                "the multipart body holds no file".into(),
            ));
        }
        return Ok(files);
    }
    let bytes = payload
        .to_bytes_limited(limit)
        .await
        .map_err(|_| too_large())?
        .map_err(|e| match e.as_error::<actix_web::error::PayloadError>() {
            Some(payload) => crate::api::body::body_error(payload),
            None => ApiError::BadRequest("the request body could not be read completely".into()),
        })?;
    Ok(vec![IncomingFile {
        name: None,
        content_type,
        bytes,
    }])
}

/// Whether the request body is `multipart/form-data`.
fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("multipart/form-data"))
}

fn multipart_error(e: actix_multipart::MultipartError) -> ApiError {
    match e {
        actix_multipart::MultipartError::Payload(e) => crate::api::body::body_error(&e),
        _ => ApiError::BadRequest("the multipart body is malformed".into()),
    }
}

fn part(origin: &crate::reports::Origin) -> Option<String> {
    (!origin.is_root()).then(|| origin.to_string())
}

/// Stores every report of the given files and answers 201, or 422 when none could be stored.
async fn ingest_files(
    state: web::Data<AppState>,
    scope: crate::storage::TenantScope,
    files: Vec<IncomingFile>,
) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    let metrics = state.metrics.clone();
    let limits = state.limits;
    let results = blocking(move || {
        let target = Target::Scope(&scope);
        let mut all = Vec::new();
        for file in files {
            // Answered only after the service returns: every stored report is committed.
            let upload = Upload {
                bytes: &file.bytes,
                content_type: file.content_type.as_deref(),
                file_name: file.name.as_deref(),
            };
            let results = ingest::ingest(&db, &metrics, target, &upload, &limits)?;
            all.push((file.name, results));
        }
        Ok(all)
    })
    .await?;
    let response = uploaded_response(results)?;
    Ok(HttpResponse::Created().json(response))
}

/// The answer to an upload: what was stored per file, or the 4xx problem when nothing was.
pub(crate) fn uploaded_response(
    results: Vec<(Option<String>, Vec<Ingested>)>,
) -> Result<UploadResponse, ApiError> {
    let mut response = UploadResponse {
        reports: Vec::new(),
        errors: Vec::new(),
    };
    for (file, results) in results {
        for result in results {
            match result {
                Ingested::Stored {
                    id,
                    kind,
                    policy_domain,
                    domain,
                    duplicate,
                    conflict,
                    origin,
                } => {
                    response.reports.push(UploadedReport {
                        id: id.into_string(),
                        kind: ReportKind::from_storage(kind),
                        policy_domain,
                        domain,
                        duplicate,
                        conflict,
                        file: file.clone(),
                        part: part(&origin),
                    });
                }
                Ingested::Failed { origin, error } => {
                    let (code, detail, domain) = (
                        error.code().to_string(),
                        error.to_string(),
                        error.domain().map(str::to_string),
                    );
                    response.errors.push(UploadError {
                        file: file.clone(),
                        part: part(&origin),
                        code,
                        detail,
                        domain,
                    });
                }
            }
        }
    }
    if response.reports.is_empty() {
        let all = |code: &str| {
            !response.errors.is_empty() && response.errors.iter().all(|e| e.code == code)
        };
        let (all_domain, all_ambiguous) = (all("domain_not_registered"), all("ambiguous_domain"));
        let detail = response
            .errors
            .first()
            .map(|e| e.detail.clone())
            .unwrap_or_else(|| "the upload holds no report".into());
        return Err(ApiError::Upload {
            code: if all_ambiguous {
                ErrorCode::AmbiguousDomain
            } else if all_domain {
                ErrorCode::DomainNotRegistered
            } else {
                ErrorCode::NoReport
            },
            detail,
            errors: response.errors,
        });
    }
    Ok(response)
}

/// Where an upload's reports are filed.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// File the reports under this tenant's domains only (it must be the caller's tenant or
    /// below it). Needed when several tenants of the caller's subtree registered the domain
    /// a report is about (`ambiguous_domain`).
    pub tenant_id: Option<String>,
}

/// Upload report files: the raw bytes of one file (XML, JSON, gzip, zip, email, mbox — the
/// bytes decide, the content type is only a hint), or `multipart/form-data` with many files.
/// Each report is filed under the registered domain it is about. Re-uploading a stored
/// report is answered `duplicate: true`.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(UploadQuery),
    // One media type: SDK generators handle a single raw body well and mixed ones badly
    // (openapi-python-client 0.29 emits broken code, progenitor takes one media type).
    request_body(description = "One report file as the raw body, with any content type: the \
        bytes decide what it is. (`multipart/form-data` with one or more file fields, any \
        field names, is accepted too.)", content(
        (inline(ReportFile) = "application/octet-stream"),
    )),
    responses(
        (status = 201, description = "At least one report stored or recognized as duplicate", body = UploadResponse),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the writer role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`tenant_id` names no tenant of the caller's subtree", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The body arrived too slowly", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No report could be stored because each names a domain several tenants of the caller's subtree registered (`ambiguous_domain`); upload with `tenant_id`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Upload too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No report could be stored (`no_report`, `domain_not_registered`); `errors` lists each part", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/reports")]
pub async fn upload_report(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    upload(state, caller, req, query.into_inner(), payload).await
}

/// Both upload operations: the target scope, the files, then ingestion.
async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: UploadQuery,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Writer)?;
    let scope = match query.tenant_id {
        None => caller.scope,
        Some(tenant_id) => {
            let db = state.db.clone();
            blocking(move || {
                Ok(db.read(|conn| {
                    crate::storage::tenants::get_tenant(conn, &caller.scope, &tenant_id.into())
                })?)
            })
            .await?
            .scope()
        }
    };
    let files = read_files(&req, payload, state.settings.max_upload_bytes as usize).await?;
    ingest_files(state, scope, files).await
}

/// A `multipart/form-data` upload: one or more files, each a report file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportFiles {
    /// The files (any field name is accepted; `files` is the documented one).
    files: Vec<ReportFile>,
}

/// Upload several report files at once as `multipart/form-data` (one file per field, any
/// field names). Each file is handled as by `POST /reports`; the answer lists every report
/// with the file it came from.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(UploadQuery),
    request_body(description = "One or more report files", content(
        (ReportFiles = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "At least one report stored or recognized as duplicate", body = UploadResponse),
        (status = 400, description = "Malformed request or no file", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the writer role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`tenant_id` names no tenant of the caller's subtree", body = Problem, content_type = "application/problem+json"),
        (status = 408, description = "The body arrived too slowly", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No report could be stored because each names a domain several tenants of the caller's subtree registered (`ambiguous_domain`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Upload too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `multipart/form-data`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No report could be stored (`no_report`, `domain_not_registered`); `errors` lists each part", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/reports/files")]
pub async fn upload_report_files(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !is_multipart(&req) {
        return Err(ApiError::UnsupportedMediaType(
            "expected multipart/form-data with one or more files".into(),
        ));
    }
    upload(state, caller, req, query.into_inner(), payload).await
}

/// Filters and pagination for listing reports.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportListQuery {
    /// Only reports filed under this registered domain.
    pub domain: Option<String>,
    /// Only this kind.
    pub kind: Option<ReportKind>,
    /// Only reports whose range ends on or after this day (ISO 8601 date).
    pub from: Option<String>,
    /// Only reports whose range begins before the end of this day (ISO 8601 date).
    pub to: Option<String>,
    /// Only reports from this reporting organization (as sent).
    pub reporter: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// A stored report without its records.
#[derive(Serialize, ToSchema)]
pub struct ReportSummary {
    #[schema(value_type = String)]
    pub id: ReportId,
    pub kind: ReportKind,
    #[schema(value_type = String)]
    pub domain_id: DomainId,
    /// Policy domain named in the report.
    pub policy_domain: String,
    /// Reporting organization, as sent.
    pub org_name: String,
    /// The reporter's report id.
    pub report_id: String,
    /// Start of the reported range (Unix time).
    pub begin: i64,
    /// End of the reported range (Unix time).
    pub end: i64,
    /// DMARC records, or TLS policies.
    pub records: i64,
    /// DMARC messages, or TLS sessions.
    pub messages: i64,
    /// Another version with the same key and other content exists.
    pub conflict: bool,
    /// Id of the version that replaced this one in aggregates.
    pub superseded_by: Option<String>,
    /// Where inside its upload the report was found.
    pub part: Option<String>,
    /// Tolerances applied while parsing.
    pub warnings: Vec<Warning>,
    pub created_at: i64,
    /// When the tenant's retention deleted the report's records (DMARC) or policies (TLS)
    /// and its original upload; it still counts in the aggregates until its rollups expire.
    pub records_expired_at: Option<i64>,
}

impl From<&ReportRow> for ReportSummary {
    fn from(r: &ReportRow) -> Self {
        let origin: Vec<String> = serde_json::from_str(&r.origin).unwrap_or_default();
        ReportSummary {
            id: r.id.clone(),
            kind: ReportKind::from_storage(&r.kind),
            domain_id: r.domain_id.clone(),
            policy_domain: r.policy_domain.clone(),
            org_name: r.org_name.clone(),
            report_id: r.external_id.clone(),
            begin: r.begin_ts,
            end: r.end_ts,
            records: r.record_count,
            messages: r.message_count,
            conflict: r.conflict,
            superseded_by: r.superseded_by.clone(),
            part: (!origin.is_empty()).then(|| origin.join(" > ")),
            warnings: serde_json::from_str(&r.warnings).unwrap_or_default(),
            created_at: r.created_at,
            records_expired_at: r.records_purged_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportListResponse {
    pub items: Vec<ReportSummary>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

/// List reports, newest range first.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportListQuery), responses(
    (status = 200, description = "A page of reports", body = ReportListResponse),
    (status = 400, description = "Bad filter or cursor", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReportListQuery>,
) -> Result<web::Json<ReportListResponse>, ApiError> {
    let q = query.into_inner();
    let limit = pagination::checked_limit(q.limit)?;
    let (from, to) = crate::api::parse_day_bounds(q.from.as_deref(), q.to.as_deref())?;
    let after = pagination::number_cursor(q.cursor.as_deref())?;
    let rows = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain_id = match &q.domain {
                Some(name) => Some(
                    domains::get_domain_by_name(conn, &caller.scope, name)?
                        .id
                        .into(),
                ),
                None => None,
            };
            let filter = ReportFilter {
                domain_id,
                kind: q.kind.map(|k| k.as_storage().to_string()),
                from,
                to,
                reporter: q.reporter.clone(),
                after,
                limit: limit + 1,
            };
            store::list_reports(conn, &caller.scope, &filter)
        })?)
    })
    .await?;
    let (rows, next_cursor) = pagination::page(rows, limit, |r| format!("{}:{}", r.begin_ts, r.id));
    Ok(web::Json(ReportListResponse {
        items: rows.iter().map(ReportSummary::from).collect(),
        next_cursor,
    }))
}

/// The normalized report content.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReportContent {
    DmarcAggregate(Box<AggregateReport>),
    TlsReport(TlsReport),
}

#[derive(Serialize, ToSchema)]
pub struct ReportResponse {
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// The normalized report: DMARC header and records, or the TLS report.
    pub report: ReportContent,
}

/// 410 for data the tenant's retention deleted.
pub(crate) fn expired() -> ApiError {
    ApiError::Expired(
        "the tenant's retention deleted this report's records and original upload; its figures remain in the aggregates until its rollups expire".into(),
    )
}

/// A stored record as the API shows it.
pub(crate) fn to_record(row: store::RecordRow) -> Result<Record, ApiError> {
    let corrupt = |what: &str| {
        ApiError::Internal(anyhow::anyhow!(
            "stored record {} has an unreadable {what}",
            row.seq
        ))
    };
    Ok(Record {
        source_ip: row.source_ip.parse().map_err(|_| corrupt("source_ip"))?,
        count: u64::try_from(row.count).unwrap_or(0),
        policy_evaluated: PolicyEvaluated {
            disposition: row.disposition.as_deref().map(|d| Disposition::parse(d).0),
            dkim: row.dkim_aligned.as_deref().map(|d| DmarcResult::parse(d).0),
            spf: row.spf_aligned.as_deref().map(|d| DmarcResult::parse(d).0),
            reasons: serde_json::from_str(&row.reasons).map_err(|_| corrupt("reasons"))?,
        },
        identifiers: Identifiers {
            header_from: row.header_from.clone(),
            envelope_from: row.envelope_from.clone(),
            envelope_to: row.envelope_to.clone(),
        },
        auth_results: AuthResults {
            dkim: serde_json::from_str(&row.dkim).map_err(|_| corrupt("dkim"))?,
            spf: serde_json::from_str(&row.spf).map_err(|_| corrupt("spf"))?,
        },
        extensions: match &row.extensions {
            Some(e) => serde_json::from_str(e).map_err(|_| corrupt("extensions"))?,
            None => Vec::new(),
        },
    })
}

fn load_content(
    conn: &mut crate::storage::DbConnection,
    row: &ReportRow,
) -> Result<ReportContent, ApiError> {
    let header = row
        .header()
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    if let StoredHeader::Tls(header) = header {
        let (policies, failures) = store::list_tls(conn, &row.id)?;
        let policies: Vec<TlsPolicyResult> = policies
            .into_iter()
            .map(|p| TlsPolicyResult {
                policy: TlsPolicy {
                    policy_type: TlsPolicyType::parse(&p.policy_type).0,
                    policy_string: serde_json::from_str(&p.policy_string).unwrap_or_default(),
                    policy_domain: p.policy_domain,
                    mx_host: serde_json::from_str(&p.mx_host).unwrap_or_default(),
                },
                total_successful_session_count: u64::try_from(p.successful_sessions).unwrap_or(0),
                total_failure_session_count: u64::try_from(p.failed_sessions).unwrap_or(0),
                failure_details: failures
                    .iter()
                    .filter(|f| f.policy_seq == p.seq)
                    .map(|f| TlsFailureDetail {
                        result_type: TlsResultType::parse(&f.result_type).0,
                        sending_mta_ip: f.sending_mta_ip.clone(),
                        receiving_mx_hostname: f.receiving_mx_hostname.clone(),
                        receiving_mx_helo: f.receiving_mx_helo.clone(),
                        receiving_ip: f.receiving_ip.clone(),
                        failed_session_count: u64::try_from(f.failed_session_count).unwrap_or(0),
                        additional_information: f.additional_information.clone(),
                        failure_reason_code: f.failure_reason_code.clone(),
                    })
                    .collect(),
            })
            .collect();
        return Ok(ReportContent::TlsReport(header.with_policies(policies)));
    }
    let StoredHeader::Dmarc(header) = header else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "stored report {} is neither DMARC nor TLS",
            row.id
        )));
    };
    let records = store::list_records(conn, &row.id)?
        .into_iter()
        .map(to_record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ReportContent::DmarcAggregate(Box::new(AggregateReport {
        header: *header,
        records,
    })))
}

/// Get a report with its normalized content.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("report_id" = String, Path, description = "Report id")), responses(
    (status = 200, description = "The report", body = ReportResponse),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/reports/{report_id}")]
pub async fn get_report(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ReportId>,
) -> Result<web::Json<ReportResponse>, ApiError> {
    let id = path.into_inner();
    let response = blocking(move || {
        let mut conn = state.db.conn()?;
        let row = store::get_report(&mut conn, &caller.scope, &id)?;
        let report = load_content(&mut conn, &row)?;
        Ok(ReportResponse {
            summary: ReportSummary::from(&row),
            report,
        })
    })
    .await?;
    Ok(web::Json(response))
}

/// What to download.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RawQuery {
    /// `true`: the whole original upload (the email, zip or gzip file that held the report),
    /// as it was sent. Default `false`: the report's own payload, unpacked.
    pub original: Option<bool>,
}

/// Download a report's own payload (its XML or JSON, unpacked from whatever container it came
/// in), or with `original=true` the whole upload it came in. The media type is what the
/// bytes are (never the uploader's declared type), and `Content-Disposition` gives a file
/// name: the original one when known (the multipart file name, the zip member or the email
/// attachment), else the RFC 7489 §7.2.1.1 / RFC 8460 §5.3.1 name
/// `receiver!domain!begin!end.xml|json`.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("report_id" = String, Path, description = "Report id"), RawQuery), responses(
    (status = 200, description = "The report's payload (`application/xml` or `application/tlsrpt+json`), or with `original=true` the whole upload (`application/gzip`, `application/zip`, `message/rfc822`, …)", body = inline(ReportFile), content_type = "application/octet-stream"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
    (status = 410, description = "`expired`: the tenant's retention deleted the upload", body = Problem, content_type = "application/problem+json"),
))]
#[get("/reports/{report_id}/raw")]
pub async fn get_report_raw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ReportId>,
    query: web::Query<RawQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let original = query.original.unwrap_or(false);
    let limits = state.limits;
    let (bytes, media, filename) = blocking(move || {
        let upload = state.db.read(|conn| {
            let report = store::get_report(conn, &caller.scope, &id)?;
            if report.records_purged_at.is_some() {
                return Ok(Err(expired()));
            }
            Ok(Ok(store::get_report_upload(conn, &caller.scope, &id)?))
        })??;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&upload.compressed[..])
            .read_to_end(&mut bytes)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored upload is unreadable: {e}")))?;
        let tls = upload.report.kind == store::KIND_TLS;
        if original {
            let kind = crate::reports::envelope::sniff(&bytes[..bytes.len().min(1024)]);
            let media = media_type(kind, tls);
            let name = upload
                .filename
                .clone()
                .unwrap_or_else(|| format!("{}.{}", upload.report.id, extension(kind, tls)));
            return Ok((bytes, media, name));
        }
        let origin: Vec<String> = serde_json::from_str(&upload.report.origin).unwrap_or_default();
        let origin = crate::reports::Origin(origin);
        let (kind, payload) = crate::reports::extract_payload(&bytes, &origin, &limits)
            .ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!(
                    "report {} not found again in its upload at {origin}",
                    upload.report.id
                ))
            })?;
        let name = payload_name(&origin, upload.filename.as_deref(), tls)
            .unwrap_or_else(|| conventional_name(&upload.report, tls));
        Ok((payload, media_type(kind, tls), name))
    })
    .await?;
    use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
    Ok(HttpResponse::Ok()
        .content_type(media)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .body(bytes))
}

fn media_type(kind: crate::reports::envelope::Sniffed, tls: bool) -> &'static str {
    use crate::reports::envelope::Sniffed;
    match kind {
        Sniffed::Gzip => "application/gzip",
        Sniffed::Zip => "application/zip",
        Sniffed::Zlib => "application/zlib",
        Sniffed::Xml => "application/xml",
        Sniffed::Json if tls => "application/tlsrpt+json",
        Sniffed::Json => "application/json",
        Sniffed::Email => "message/rfc822",
        Sniffed::Mbox => "application/mbox",
        _ => "application/octet-stream",
    }
}

fn extension(kind: crate::reports::envelope::Sniffed, tls: bool) -> &'static str {
    use crate::reports::envelope::Sniffed;
    match kind {
        Sniffed::Gzip if tls => "json.gz",
        Sniffed::Gzip => "xml.gz",
        Sniffed::Zip => "zip",
        Sniffed::Zlib => "zlib",
        Sniffed::Xml => "xml",
        Sniffed::Json => "json",
        Sniffed::Email => "eml",
        Sniffed::Mbox => "mbox",
        _ => "bin",
    }
}

/// The payload's original file name, when the upload tells it: the innermost zip member or
/// email attachment name on the way to it, else the uploaded file's name, with compression
/// suffixes taken off (the payload is served unpacked).
fn payload_name(
    origin: &crate::reports::Origin,
    upload: Option<&str>,
    tls: bool,
) -> Option<String> {
    let generic = |s: &str| {
        ["message ", "part ", "zip entry "]
            .iter()
            .any(|p| s.strip_prefix(p).is_some_and(|n| n.parse::<u64>().is_ok()))
    };
    let named = origin.0.iter().rev().find_map(|segment| {
        if let Some(name) = segment
            .strip_prefix("attachment '")
            .and_then(|s| s.strip_suffix('\''))
        {
            Some(name.to_string())
        } else if generic(segment) {
            None
        } else {
            Some(segment.rsplit('/').next().unwrap_or(segment).to_string())
        }
    });
    let mut name = named.or_else(|| upload.map(str::to_string))?;
    loop {
        let lower = name.to_ascii_lowercase();
        let Some(cut) = [".gz", ".gzip", ".zip", ".zlib", ".z"]
            .iter()
            .find(|s| lower.ends_with(*s))
        else {
            break;
        };
        name.truncate(name.len() - cut.len());
    }
    let wanted = if tls { ".json" } else { ".xml" };
    (name.to_ascii_lowercase().ends_with(wanted) && name.len() > wanted.len()).then_some(name)
}

/// `receiver!domain!begin!end.xml` (RFC 7489 §7.2.1.1; RFC 8460 §5.3.1 for `.json`), with
/// characters a file name should not hold replaced.
fn conventional_name(report: &store::ReportRow, tls: bool) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "{}!{}!{}!{}.{}",
        clean(&report.org_name),
        clean(&report.policy_domain),
        report.begin_ts,
        report.end_ts,
        if tls { "json" } else { "xml" }
    )
}

/// Delete a report (its records and its share of the aggregates).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("report_id" = String, Path, description = "Report id")), responses(
    (status = 204, description = "Deleted"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Needs the writer role", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: the report's records (or those of the version it replaced) expired under the tenant's retention, so its share of the aggregates cannot be taken out; it goes when its rollups expire", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/reports/{report_id}")]
pub async fn delete_report(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ReportId>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Writer)?;
    let id = path.into_inner();
    blocking(move || {
        Ok(state
            .db
            .write(|conn| store::delete_report(conn, &caller.scope, &id))?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
