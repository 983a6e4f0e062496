//! SMTP TLS (RFC 8460) aggregates of a domain: session totals by result, and sessions per
//! reporting organization and per failure path. DTOs and HTTP only; the figures come from
//! `services::aggregates`. Must not read storage.

use super::{AggregateQuery, Counts, Range, range};
use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::export::{self, Table};
use crate::services::aggregates::TlsFailurePath;
use crate::services::aggregates::{self, ForDomain};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// TLS session totals by result.
#[derive(Serialize, ToSchema)]
pub struct TlsByResultResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    pub total_sessions: u64,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Failed sessions reported in failure details, by result type.
    #[schema(value_type = Counts)]
    pub failed_sessions_by_result_type: BTreeMap<String, u64>,
}

/// SMTP TLS results for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Totals (CSV: one row per figure: `dimension`, `value`, `sessions`)", content((TlsByResultResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-result")]
pub async fn get_tls_by_result(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let answer = blocking(move || {
        Ok(aggregates::tls_by_result(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    let answer = TlsByResultResponse::new(r, answer);
    let name = format!(
        "{}-tls-by-result-{}-{}",
        answer.domain, answer.from, answer.to
    );
    export::respond(format, answer, TlsByResultResponse::table, &name)
}

impl TlsByResultResponse {
    fn table(&self) -> Table {
        let mut figures = vec![
            ("total", "", self.total_sessions),
            ("sessions", "successful", self.successful_sessions),
            ("sessions", "failed", self.failed_sessions),
        ];
        figures.extend(
            self.failed_sessions_by_result_type
                .iter()
                .map(|(value, n)| ("failed_result_type", value.as_str(), *n)),
        );
        Table::figures((&self.domain, &self.from, &self.to), "sessions", figures)
    }

    /// The answer of `services::aggregates::tls_by_result` for a range.
    pub(crate) fn new(r: Range, answer: ForDomain<aggregates::TlsResults>) -> Self {
        let ForDomain { domain, value: t } = answer;
        TlsByResultResponse {
            domain,
            from: r.from,
            to: r.to,
            total_sessions: t.total_sessions,
            successful_sessions: t.successful_sessions,
            failed_sessions: t.failed_sessions,
            failed_sessions_by_result_type: t.failed_sessions_by_result_type,
        }
    }
}

/// Sessions reported by one organization.
#[derive(Serialize, ToSchema)]
pub struct TlsOrganizationResponse {
    pub organization: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
}

/// Failed sessions between one sending MTA and one receiving MX.
#[derive(Serialize, ToSchema)]
pub struct TlsFailurePathResponse {
    /// Empty when the reporter did not say.
    pub sending_mta_ip: String,
    /// Empty when the reporter did not say.
    pub receiving_mx_hostname: String,
    pub result_type: String,
    pub failed_sessions: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TlsBySourceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Per reporting organization.
    pub organizations: Vec<TlsOrganizationResponse>,
    /// Distinct failure paths in the range (in all pages).
    pub total_failures: u64,
    /// A page of failures per sending MTA IP, receiving MX and result type: most failed
    /// sessions first, then by address, MX and result type (`limit`, default 100).
    pub failures: Vec<TlsFailurePathResponse>,
    /// Pass as `cursor` for the next page of failures; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// SMTP TLS results per reporting organization and per sending MTA / receiving MX.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Breakdown (CSV: one row per organization (`kind` `organization`), then per failure path (`failure_path`); without `limit` and `cursor`, every failure path)", content((TlsBySourceResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range, limit or cursor", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-source")]
pub async fn get_tls_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
    let r = range(&query)?;
    let page = failure_page(&query)?;
    // A CSV asked for without a page holds every failure path.
    let page = if format == export::Format::Csv && query.limit.is_none() && page.after.is_none() {
        aggregates::FailurePage::default()
    } else {
        page
    };
    let name = path.into_inner();
    let days = r.days;
    let answer = blocking(move || {
        Ok(aggregates::tls_by_source(
            &state.db,
            &caller.scope,
            &name,
            days,
            page,
        )?)
    })
    .await?;
    let answer = TlsBySourceResponse::new(r, answer);
    let name = format!(
        "{}-tls-by-source-{}-{}",
        answer.domain, answer.from, answer.to
    );
    export::respond(format, answer, TlsBySourceResponse::table, &name)
}

/// The page of failure paths `limit` and `cursor` ask for.
pub(crate) fn failure_page(query: &AggregateQuery) -> Result<aggregates::FailurePage, ApiError> {
    let after = query
        .cursor
        .as_deref()
        .map(|c| {
            let raw = crate::api::pagination::decode_cursor(c)?;
            let (failed_sessions, sending_mta_ip, receiving_mx_hostname, result_type) =
                serde_json::from_str::<(u64, String, String, String)>(&raw)
                    .map_err(|_| crate::api::pagination::bad_cursor())?;
            Ok::<_, ApiError>(TlsFailurePath {
                sending_mta_ip,
                receiving_mx_hostname,
                result_type,
                failed_sessions,
            })
        })
        .transpose()?;
    Ok(aggregates::FailurePage {
        limit: Some(query.limit()?),
        after,
    })
}

/// The cursor after a failure path.
fn failure_cursor(p: &TlsFailurePathResponse) -> String {
    crate::api::pagination::encode_cursor(
        &serde_json::json!([
            p.failed_sessions,
            p.sending_mta_ip,
            p.receiving_mx_hostname,
            p.result_type
        ])
        .to_string(),
    )
}

impl TlsBySourceResponse {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            "kind",
            "organization",
            "sending_mta_ip",
            "receiving_mx_hostname",
            "result_type",
            "successful_sessions",
            "failed_sessions",
        ]);
        for o in &self.organizations {
            t.row(vec![
                "organization".into(),
                o.organization.clone(),
                String::new(),
                String::new(),
                String::new(),
                o.successful_sessions.to_string(),
                o.failed_sessions.to_string(),
            ]);
        }
        for p in &self.failures {
            t.row(vec![
                "failure_path".into(),
                String::new(),
                p.sending_mta_ip.clone(),
                p.receiving_mx_hostname.clone(),
                p.result_type.clone(),
                String::new(),
                p.failed_sessions.to_string(),
            ]);
        }
        t
    }

    /// The answer of `services::aggregates::tls_by_source` for a range.
    pub(crate) fn new(r: Range, answer: ForDomain<aggregates::TlsSources>) -> Self {
        let ForDomain { domain, value } = answer;
        let more = value.more;
        let mut response = TlsBySourceResponse {
            domain,
            from: r.from,
            to: r.to,
            organizations: value
                .organizations
                .into_iter()
                .map(|o| TlsOrganizationResponse {
                    organization: o.organization,
                    successful_sessions: o.successful_sessions,
                    failed_sessions: o.failed_sessions,
                })
                .collect(),
            total_failures: value.total_failures,
            failures: value
                .failures
                .into_iter()
                .map(|p| TlsFailurePathResponse {
                    sending_mta_ip: p.sending_mta_ip,
                    receiving_mx_hostname: p.receiving_mx_hostname,
                    result_type: p.result_type,
                    failed_sessions: p.failed_sessions,
                })
                .collect(),
            next_cursor: None,
        };
        if more {
            response.next_cursor = response.failures.last().map(failure_cursor);
        }
        response
    }
}
