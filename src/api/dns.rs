//! DNS checks, SPF evaluation and record generators, plus stored check snapshots of registered
//! domains. Lookups go through the configured resolver (`RUAD_DNS_NAMESERVERS`); nothing here
//! blocks an actix worker: DNS is async, storage runs in `blocking`.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::pagination;
use crate::api::problems::{NotFound, ValidationFailed, WriterRequired};
use crate::dns::Severity;
use crate::dns::checks::{self, CheckKind, CheckReport};
use crate::dns::generate::{
    self, BimiInput, DkimInput, DmarcInput, Generated, MtaStsInput, TlsRptInput,
};
use crate::dns::{generate::spf::SpfInput, spf::Evaluation};
use crate::domain::tenant::Role;
use crate::storage::dns_snapshots::{self, DnsSnapshot};
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use utoipa::{IntoParams, ToSchema};

/// What to check.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DnsCheckQuery {
    /// The domain (all kinds but `fcrdns`).
    #[param(example = "example.com")]
    pub domain: Option<String>,
    /// DKIM selector (required for `dkim`) or BIMI selector (default `default`).
    #[param(example = "google")]
    pub selector: Option<String>,
    /// The IP address (`fcrdns` only).
    #[param(example = "192.0.2.25")]
    pub ip: Option<String>,
}

pub(crate) fn kind_of(raw: &str) -> Result<CheckKind, ApiError> {
    CheckKind::parse(raw).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "unknown check kind '{raw}' (dmarc, spf, dkim, bimi, mta_sts, tlsrpt, fcrdns)"
        ))
    })
}

/// Check a domain's DMARC, SPF, DKIM, BIMI, MTA-STS or TLS-RPT records, or the reverse DNS
/// of an address (`fcrdns`): the records found (also invalid ones), the parsed view, and
/// findings with the RFC rule behind each.
#[utoipa::path(tag = "dns", security(("bearer" = [])),
    params(("kind" = CheckKind, Path, description = "What to check"), DnsCheckQuery),
    responses(
        (status = 200, description = "The check", body = CheckReport),
        (status = 422, description = "Not a domain name or IP address", body = Problem, content_type = "application/problem+json"),
))]
#[get("/dns/{kind}/check")]
pub async fn run_dns_check(
    state: web::Data<AppState>,
    _caller: Caller,
    kind: web::Path<String>,
    query: web::Query<DnsCheckQuery>,
) -> Result<web::Json<CheckReport>, ApiError> {
    check(
        &state.checker,
        &kind,
        query.domain.as_deref(),
        query.selector.as_deref(),
        query.ip.as_deref(),
    )
    .await
    .map(web::Json)
}

/// One live check of `kind` (as `GET /dns/{kind}/check` names it) for a domain, or for an
/// address (`fcrdns`), through the configured resolver.
pub(crate) async fn check(
    checker: &checks::Checker,
    kind: &str,
    domain: Option<&str>,
    selector: Option<&str>,
    ip: Option<&str>,
) -> Result<CheckReport, ApiError> {
    let kind = kind_of(kind)?;
    let target = match kind {
        CheckKind::Fcrdns => ip.ok_or_else(|| ApiError::BadRequest("fcrdns needs ?ip=".into()))?,
        _ => domain
            .ok_or_else(|| ApiError::BadRequest(format!("{} needs ?domain=", kind.as_str())))?,
    };
    let selectors: Vec<String> = selector.iter().map(|s| s.to_string()).collect();
    let mut reports = checks::run(checker, kind, target, &selectors)
        .await
        .map_err(|e| ApiError::Validation(e.to_string()))?;
    reports
        .pop()
        .ok_or_else(|| ApiError::BadRequest("dkim needs ?selector=".into()))
}

/// An SPF evaluation request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpfEvaluateRequest {
    /// The connecting client's address.
    #[schema(value_type = String, example = "192.0.2.25")]
    pub ip: IpAddr,
    /// The envelope sender (MAIL FROM); empty for a bounce.
    #[schema(example = "bounce@example.com")]
    pub sender: String,
    /// The HELO/EHLO name, used when the sender is empty.
    pub helo: Option<String>,
}

/// Evaluate SPF (RFC 7208 `check_host`) for a sending address and envelope sender: the result,
/// the mechanism that matched, the explanation, and the lookups it took.
#[utoipa::path(tag = "dns", security(("bearer" = [])), request_body = SpfEvaluateRequest, responses(
    (status = 200, description = "The evaluation", body = Evaluation),
    (status = 422, description = "No domain to evaluate", body = Problem, content_type = "application/problem+json"),
))]
#[post("/dns/spf/evaluate")]
pub async fn evaluate_spf(
    state: web::Data<AppState>,
    _caller: Caller,
    body: web::Json<SpfEvaluateRequest>,
) -> Result<web::Json<Evaluation>, ApiError> {
    let domain = match body.sender.rsplit_once('@') {
        Some((_, d)) if !d.is_empty() => d.to_string(),
        _ if body.sender.contains('.') && !body.sender.contains('@') => body.sender.clone(),
        _ => body.helo.clone().ok_or_else(|| {
            ApiError::Validation("the sender has no domain: give helo for a null sender".into())
        })?,
    };
    let now = chrono::Utc::now().timestamp();
    // Bounded like a check: lookups unanswered within the budget are temperror.
    let checker = state.checker.for_one_run();
    let evaluation = crate::dns::spf::check_host(
        &checker.resolver,
        body.ip,
        &domain,
        &body.sender,
        body.helo.as_deref(),
        now,
    )
    .await;
    Ok(web::Json(evaluation))
}

macro_rules! generator {
    ($fn_name:ident, $path:literal, $input:ty, $generate:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(tag = "dns", security(("bearer" = [])), request_body = $input, responses(
                            (status = 200, description = "Records to publish", body = Generated),
                            (status = 422, response = ValidationFailed),
                        ))]
        #[post($path)]
        pub async fn $fn_name(
            _caller: Caller,
            body: web::Json<$input>,
        ) -> Result<web::Json<Generated>, ApiError> {
            let now = chrono::Utc::now().timestamp();
            let generate: fn(&$input, i64) -> Result<Generated, generate::GenerateError> =
                $generate;
            generate(&body, now)
                .map(web::Json)
                .map_err(|e| ApiError::Validation(e.to_string()))
        }
    };
}

generator!(
    generate_dmarc_record,
    "/dns/dmarc/generate",
    DmarcInput,
    |i, _| generate::generate_dmarc(i),
    "Generate a DMARC record, and the `_report._dmarc` authorization records report destinations in other domains need."
);
generator!(
    generate_spf_record,
    "/dns/spf/generate",
    SpfInput,
    |i, _| crate::dns::generate::spf::generate(i),
    "Generate an SPF record; refused when it would exceed the 10-lookup limit."
);
generator!(
    generate_dkim_record,
    "/dns/dkim/generate",
    DkimInput,
    |i, _| generate::generate_dkim(i),
    "Generate a DKIM key pair (RSA or Ed25519) and its key record, or the record for a given public key. The private key is returned once and not kept."
);
generator!(
    generate_bimi_record,
    "/dns/bimi/generate",
    BimiInput,
    |i, _| generate::generate_bimi(i),
    "Generate a BIMI assertion record (or a declination record)."
);
generator!(
    generate_mta_sts_record,
    "/dns/mta_sts/generate",
    MtaStsInput,
    generate::generate_mta_sts,
    "Generate the MTA-STS TXT record and the policy file to serve."
);
generator!(
    generate_tlsrpt_record,
    "/dns/tlsrpt/generate",
    TlsRptInput,
    |i, _| generate::generate_tlsrpt(i),
    "Generate a TLS-RPT record."
);

/// One stored check of a registered domain.
#[derive(Serialize, ToSchema)]
pub struct DnsSnapshotResponse {
    pub kind: CheckKind,
    /// DKIM/BIMI selector (empty for other kinds).
    pub selector: String,
    pub checked_at: i64,
    /// The worst finding's severity; absent without findings.
    pub worst: Option<Severity>,
    pub report: CheckReport,
}

impl TryFrom<DnsSnapshot> for DnsSnapshotResponse {
    type Error = ApiError;

    fn try_from(s: DnsSnapshot) -> Result<Self, ApiError> {
        let report: CheckReport = serde_json::from_str(&s.report).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("stored dns snapshot {}: {e}", s.id))
        })?;
        Ok(DnsSnapshotResponse {
            kind: report.kind,
            selector: s.selector,
            checked_at: s.checked_at,
            worst: report.worst(),
            report,
        })
    }
}

/// Stored checks. The latest checks of a domain are always one page.
#[derive(Serialize, ToSchema)]
pub struct DnsSnapshotListResponse {
    pub items: Vec<DnsSnapshotResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).(always present).
    pub next_cursor: Option<String>,
}

pub(crate) fn snapshot_list(
    rows: Vec<DnsSnapshot>,
    next_cursor: Option<String>,
) -> Result<DnsSnapshotListResponse, ApiError> {
    let items = rows
        .into_iter()
        .map(DnsSnapshotResponse::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DnsSnapshotListResponse { items, next_cursor })
}

/// Which checks to run on a registered domain.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RunDomainChecksRequest {
    /// DKIM selectors to check (none: DKIM is not checked).
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    /// BIMI selector (default `default`).
    pub bimi_selector: Option<String>,
}

/// Check every record kind of a registered domain now (DMARC, SPF, BIMI, MTA-STS, TLS-RPT,
/// and DKIM for the selectors given) and store the results as snapshots.
#[utoipa::path(tag = "dns", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name")),
    request_body(content = RunDomainChecksRequest, description = "Which checks to run; `{}` \
        (or no body) runs the defaults"),
    responses(
        (status = 201, description = "The checks, stored", body = DnsSnapshotListResponse),
        (status = 403, response = WriterRequired),
        (status = 404, response = NotFound),
        (status = 422, description = "Invalid selector", body = Problem, content_type = "application/problem+json"),
))]
#[post("/domains/{domain}/dns-checks")]
pub async fn run_domain_dns_checks(
    state: web::Data<AppState>,
    caller: Caller,
    domain: web::Path<String>,
    body: Option<web::Json<RunDomainChecksRequest>>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Writer)?;
    let request = body.map(web::Json::into_inner).unwrap_or_default();
    let name = domain.into_inner();
    // Resolve the domain first, so an unknown one costs no DNS traffic.
    let found = {
        let (state, caller, name) = (state.clone(), caller.clone(), name.clone());
        blocking(move || {
            Ok(state.db.read(|conn| {
                crate::storage::domains::get_domain_by_name(conn, &caller.scope, &name)
            })?)
        })
        .await?
    };
    let selectors = crate::services::dns_checks::Selectors {
        dkim: request.dkim_selectors,
        bimi: request.bimi_selector,
    };
    let rows = crate::services::dns_checks::run_and_store(
        &state.db,
        &state.checker,
        &found,
        &selectors,
        chrono::Utc::now().timestamp(),
        false,
    )
    .await
    .map_err(|e| match e {
        crate::services::dns_checks::DomainCheckError::Invalid(why) => {
            ApiError::Validation(why.to_string())
        }
        crate::services::dns_checks::DomainCheckError::Storage(e) => e.into(),
    })?;
    Ok(HttpResponse::Created().json(snapshot_list(rows, None)?))
}

/// The latest stored check of each kind (and selector) of a registered domain.
#[utoipa::path(tag = "dns", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name")),
    responses(
        (status = 200, description = "Latest checks", body = DnsSnapshotListResponse),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/dns-checks")]
pub async fn list_domain_dns_checks(
    state: web::Data<AppState>,
    caller: Caller,
    domain: web::Path<String>,
) -> Result<web::Json<DnsSnapshotListResponse>, ApiError> {
    let name = domain.into_inner();
    let rows = blocking(move || {
        Ok(state
            .db
            .read(|conn| dns_snapshots::list_latest(conn, &caller.scope, &name))?)
    })
    .await?;
    Ok(web::Json(snapshot_list(rows, None)?))
}

/// Which history to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DnsHistoryQuery {
    /// The check kind.
    #[param(value_type = CheckKind, example = "dmarc")]
    pub kind: String,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The stored checks of one kind of a registered domain, newest first, to see changes over
/// time.
#[utoipa::path(tag = "dns", security(("bearer" = [])),
    params(("domain" = String, Path, description = "Domain name"), DnsHistoryQuery),
    responses(
        (status = 200, description = "Checks, newest first", body = DnsSnapshotListResponse),
        (status = 404, response = NotFound),
))]
#[get("/domains/{domain}/dns-checks/history")]
pub async fn list_domain_dns_check_history(
    state: web::Data<AppState>,
    caller: Caller,
    domain: web::Path<String>,
    query: web::Query<DnsHistoryQuery>,
) -> Result<web::Json<DnsSnapshotListResponse>, ApiError> {
    let kind = kind_of(&query.kind)?;
    let limit = pagination::checked_limit(query.limit)?;
    let before = pagination::number_cursor(query.cursor.as_deref())?;
    let name = domain.into_inner();
    let rows = blocking(move || {
        Ok(state.db.read(|conn| {
            dns_snapshots::list_history(
                conn,
                &caller.scope,
                &name,
                kind.as_str(),
                before,
                limit + 1,
            )
        })?)
    })
    .await?;
    let (rows, next_cursor) =
        pagination::page(rows, limit, |s| format!("{}:{}", s.checked_at, s.id));
    Ok(web::Json(snapshot_list(rows, next_cursor)?))
}
