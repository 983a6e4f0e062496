//! Per-domain aggregates over a range of UTC days, read from the per-day rollups.

use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::storage::aggregates::{self, DayRange};
use crate::storage::domains;
use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The range of days to aggregate.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AggregateQuery {
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
    /// How many sources (dmarc/by-source) or failure paths (tls/by-source) to return,
    /// largest first (1 to 10000, default 100). Checked the same way on every aggregate,
    /// including those that return no list.
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<i64>,
    /// dmarc/by-source: `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl AggregateQuery {
    /// The list length, or 400 when it is outside 1..=10000.
    fn limit(&self) -> Result<i64, ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=10_000).contains(&limit) {
            return Err(ApiError::BadRequest(
                "limit must be between 1 and 10000".into(),
            ));
        }
        Ok(limit)
    }
}

struct Range {
    days: DayRange,
    from: String,
    to: String,
}

fn day_string(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The range of an aggregate query; its `limit` is checked here too, so every aggregate
/// refuses the same bad values whether it returns a list or not.
fn range(q: &AggregateQuery) -> Result<Range, ApiError> {
    q.limit()?;
    parse_range(q.from.as_deref(), q.to.as_deref())
}

fn parse_range(from: Option<&str>, to: Option<&str>) -> Result<Range, ApiError> {
    let to = match to {
        Some(v) => crate::api::parse_day("to", v)? / 86_400,
        None => chrono::Utc::now().timestamp().div_euclid(86_400),
    };
    let from = match from {
        Some(v) => crate::api::parse_day("from", v)? / 86_400,
        None => to - 30,
    };
    if from > to {
        return Err(ApiError::BadRequest("from must not be after to".into()));
    }
    if to - from > 50_000 {
        return Err(ApiError::BadRequest(
            "the range may span at most 136 years".into(),
        ));
    }
    Ok(Range {
        days: DayRange {
            first: from,
            last: to,
        },
        from: day_string(from),
        to: day_string(to),
    })
}

/// Counts keyed by a value as reporters sent it (a disposition, a result, a result type).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Counts(BTreeMap<String, u64>);

fn with_keys(mut map: BTreeMap<String, u64>, keys: &[&str]) -> BTreeMap<String, u64> {
    for k in keys {
        map.entry((*k).to_string()).or_default();
    }
    map
}

/// DMARC message totals by result.
#[derive(Serialize, ToSchema)]
pub struct DmarcByResultResponse {
    pub domain: String,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    pub total_messages: u64,
    /// Messages where DMARC-aligned DKIM or SPF passed.
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// Messages by disposition (`none`, `quarantine`, `reject`, and any other value reporters sent).
    #[schema(value_type = Counts)]
    pub disposition: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned DKIM result (`pass`, `fail`, …).
    #[schema(value_type = Counts)]
    pub dkim_aligned: BTreeMap<String, u64>,
    /// Messages by DMARC-aligned SPF result (`pass`, `fail`, …).
    #[schema(value_type = Counts)]
    pub spf_aligned: BTreeMap<String, u64>,
}

/// DMARC results for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Totals", body = DmarcByResultResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-result")]
pub async fn get_dmarc_by_result(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcByResultResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, totals) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            let totals = aggregates::dmarc_by_result(conn, domain.id.as_str(), days)?;
            Ok((domain.name, totals))
        })?)
    })
    .await?;
    Ok(web::Json(DmarcByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        dmarc_fail_messages: totals.total_messages - totals.dmarc_pass_messages,
        total_messages: totals.total_messages,
        dmarc_pass_messages: totals.dmarc_pass_messages,
        disposition: with_keys(totals.disposition, &["none", "quarantine", "reject"]),
        dkim_aligned: with_keys(totals.dkim_aligned, &["pass", "fail"]),
        spf_aligned: with_keys(totals.spf_aligned, &["pass", "fail"]),
    }))
}

/// Messages of one header_from value from a source.
#[derive(Serialize, ToSchema)]
pub struct HeaderFromCount {
    pub header_from: String,
    pub messages: u64,
}

/// One sending source (IP address).
#[derive(Serialize, ToSchema)]
pub struct DmarcSourceResponse {
    pub source_ip: String,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// The From domains it sent, with message counts.
    pub header_from: Vec<HeaderFromCount>,
    /// What reverse DNS says about the address; absent until the background enrichment has
    /// looked it up (usually seconds after the upload).
    pub reverse_dns: Option<ReverseDnsResponse>,
    /// DKIM signing domains (`d=`) whose signatures passed on its mail, most messages first.
    pub dkim_domains: Vec<AuthDomainCount>,
    /// SPF domains (envelope senders, or HELO names) that passed for it, most messages first.
    pub spf_domains: Vec<AuthDomainCount>,
    /// The sending service, named from the forward-confirmed PTR name first, then from the
    /// passing DKIM domains, then from the passing SPF domains (`matched_by` says which). An
    /// unconfirmed PTR name, or a failing DKIM or SPF result, never names a source.
    pub service: Option<crate::analysis::services::ServiceMatch>,
}

/// A DKIM or SPF domain that passed, with the messages it passed for.
#[derive(Serialize, ToSchema)]
pub struct AuthDomainCount {
    #[schema(example = "sendgrid.net")]
    pub domain: String,
    pub messages: u64,
}

/// Reverse DNS of a source address.
#[derive(Serialize, ToSchema)]
pub struct ReverseDnsResponse {
    /// The first PTR name that resolves back to the address (FCrDNS), if any.
    #[schema(example = "mail-sor-f41.google.com")]
    pub confirmed_name: Option<String>,
    /// Organizational domain of the confirmed name.
    #[schema(example = "google.com")]
    pub org_domain: Option<String>,
    /// PTR names that do not resolve back to the address: anyone controlling the reverse
    /// zone can set these, so they are shown, never trusted.
    pub unconfirmed_names: Vec<String>,
    /// Why the lookup failed, when it did (retried later).
    pub lookup_error: Option<String>,
    /// When the names were looked up (epoch seconds).
    pub checked_at: i64,
}

impl From<crate::storage::source_names::SourceName> for ReverseDnsResponse {
    fn from(n: crate::storage::source_names::SourceName) -> Self {
        let names: Vec<String> = serde_json::from_str(&n.ptr_names).unwrap_or_default();
        ReverseDnsResponse {
            unconfirmed_names: names
                .into_iter()
                .filter(|name| Some(name) != n.confirmed_name.as_ref())
                .collect(),
            confirmed_name: n.confirmed_name,
            org_domain: n.org_domain,
            lookup_error: n.lookup_error,
            checked_at: n.checked_at,
        }
    }
}

/// The service behind a source: its confirmed PTR name first, then its passing DKIM
/// domains, then its passing SPF domains, each in order (see `analysis::services`).
fn service_of(
    confirmed_name: Option<&str>,
    dkim_domains: &[&str],
    spf_domains: &[&str],
) -> Option<crate::analysis::services::ServiceMatch> {
    use crate::analysis::services::{ConfirmedName, Evidence, classify};
    let name = confirmed_name.and_then(ConfirmedName::from_stored_confirmation);
    classify(&Evidence {
        confirmed_ptr_name: name.as_ref(),
        dkim_domains,
        spf_domains,
    })
}

/// The service a source with this confirmed PTR name (if any) and this one passing DKIM
/// (`method` "dkim") or SPF domain is named for.
fn service_of_auth(
    method: &str,
    domain: &str,
    confirmed_name: Option<&str>,
) -> Option<crate::analysis::services::ServiceMatch> {
    let one = [domain];
    let (dkim, spf): (&[&str], &[&str]) = if method == "dkim" {
        (&one, &[])
    } else {
        (&[], &one)
    };
    service_of(confirmed_name, dkim, spf)
}

/// The domains of a list of (domain, messages).
fn domain_names(list: &[(String, u64)]) -> Vec<&str> {
    list.iter().map(|(d, _)| d.as_str()).collect()
}

fn auth_counts(list: &[(String, u64)]) -> Vec<AuthDomainCount> {
    list.iter()
        .map(|(domain, messages)| AuthDomainCount {
            domain: domain.clone(),
            messages: *messages,
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct DmarcBySourceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Distinct sources in the range (the list holds at most `limit`).
    pub total_sources: u64,
    /// Sources by message volume, largest first (then by address).
    pub sources: Vec<DmarcSourceResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page (always present).
    pub next_cursor: Option<String>,
}

/// DMARC results per sending source for a domain over a range of days.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Sources", body = DmarcBySourceResponse),
    (status = 400, description = "Bad range or limit", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-source")]
pub async fn get_dmarc_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcBySourceResponse>, ApiError> {
    let r = range(&query)?;
    let limit = query.limit()?;
    let after = crate::api::pagination::number_cursor(query.cursor.as_deref())?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, (sources, total), names, auth) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            // One more than the page, to know whether there is a next one.
            let mut found =
                aggregates::dmarc_by_source(conn, domain.id.as_str(), days, limit + 1, after)?;
            let more = found.0.len() as i64 > limit;
            found.0.truncate(usize::try_from(limit).unwrap_or(0));
            let found = (found.0, (found.1, more));
            let ips: Vec<String> = found.0.iter().map(|s| s.source_ip.clone()).collect();
            let names = crate::storage::source_names::find_many(conn, &ips)?;
            let auth = aggregates::dmarc_source_auth(conn, domain.id.as_str(), days, &ips)?;
            Ok((domain.name, found, names, auth))
        })?)
    })
    .await?;
    let (total, more) = total;
    let next_cursor = more
        .then(|| sources.last())
        .flatten()
        .map(|s| crate::api::pagination::encode_cursor(&format!("{}:{}", s.messages, s.source_ip)));
    let mut names: std::collections::HashMap<String, crate::storage::source_names::SourceName> =
        names.into_iter().map(|n| (n.ip.clone(), n)).collect();
    Ok(web::Json(DmarcBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sources: total,
        next_cursor,
        sources: sources
            .into_iter()
            .map(|s| {
                let reverse_dns = names.remove(&s.source_ip).map(ReverseDnsResponse::from);
                let auth = auth.get(&s.source_ip);
                let service = service_of(
                    reverse_dns
                        .as_ref()
                        .and_then(|r| r.confirmed_name.as_deref()),
                    &auth.map(|a| domain_names(&a.dkim)).unwrap_or_default(),
                    &auth.map(|a| domain_names(&a.spf)).unwrap_or_default(),
                );
                DmarcSourceResponse {
                    reverse_dns,
                    service,
                    dkim_domains: auth.map(|a| auth_counts(&a.dkim)).unwrap_or_default(),
                    spf_domains: auth.map(|a| auth_counts(&a.spf)).unwrap_or_default(),
                    source_ip: s.source_ip,
                    messages: s.messages,
                    dmarc_pass_messages: s.dmarc_pass_messages,
                    dmarc_fail_messages: s.dmarc_fail_messages,
                    header_from: s
                        .header_from
                        .into_iter()
                        .map(|(header_from, messages)| HeaderFromCount {
                            header_from,
                            messages,
                        })
                        .collect(),
                }
            })
            .collect(),
    }))
}

/// One group of sources by sending service.
#[derive(Serialize, ToSchema)]
pub struct DmarcServiceResponse {
    /// The named service; absent for sources no service could be named for.
    pub service: Option<crate::analysis::services::ServiceMatch>,
    /// How the group was formed: `service` (a named service), `organization` (confirmed PTR
    /// names of one organizational domain that the service table does not know),
    /// `unconfirmed` (no PTR name resolves back to the address) or `pending` (not looked up
    /// yet).
    #[schema(example = "service")]
    pub group: String,
    /// Organizational domain of the confirmed PTR names (`organization` groups).
    pub org_domain: Option<String>,
    /// Distinct source addresses.
    pub sources: u64,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
}

#[derive(Serialize, ToSchema)]
pub struct DmarcByServiceResponse {
    pub domain: String,
    pub from: String,
    pub to: String,
    /// Groups by message volume, largest first.
    pub services: Vec<DmarcServiceResponse>,
}

/// DMARC results per sending service for a domain over a range of days. Each source is named
/// through ruad's service table from its forward-confirmed PTR name, else from the DKIM
/// domains that passed for it, else from its passing SPF domains; the rest are grouped by the
/// organization of their confirmed PTR names, or as unconfirmed, or as not looked up yet.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Services", body = DmarcByServiceResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-service")]
pub async fn get_dmarc_by_service(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<DmarcByServiceResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, groups) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            // Only the auth domains that name a service can change a source's group.
            let naming: Vec<(String, String)> =
                aggregates::dmarc_auth_domains(conn, domain.id.as_str(), days)?
                    .into_iter()
                    .filter(|(method, d)| service_of_auth(method, d, None).is_some())
                    .collect();
            let groups =
                aggregates::dmarc_evidence_groups(conn, domain.id.as_str(), days, &naming)?;
            Ok((domain.name, groups))
        })?)
    })
    .await?;
    let mut merged: Vec<DmarcServiceResponse> = Vec::new();
    let mut index: std::collections::HashMap<(&'static str, Option<String>), usize> =
        std::collections::HashMap::new();
    for g in groups {
        let service = match &g.auth {
            Some((method, d)) => service_of_auth(method, d, g.confirmed_name.as_deref()),
            None => service_of(g.confirmed_name.as_deref(), &[], &[]),
        };
        let (group, key) = match (&service, &g.org_domain, g.enriched) {
            (Some(m), _, _) => ("service", Some(m.id.clone())),
            (None, Some(org), _) => ("organization", Some(org.clone())),
            (None, None, true) => ("unconfirmed", None),
            (None, None, false) => ("pending", None),
        };
        let fail = g.messages.saturating_sub(g.dmarc_pass_messages);
        match index
            .get(&(group, key.clone()))
            .and_then(|&i| merged.get_mut(i))
        {
            Some(x) => {
                x.sources = x.sources.saturating_add(g.sources);
                x.messages = x.messages.saturating_add(g.messages);
                x.dmarc_pass_messages = x.dmarc_pass_messages.saturating_add(g.dmarc_pass_messages);
                x.dmarc_fail_messages = x.dmarc_fail_messages.saturating_add(fail);
            }
            None => {
                index.insert((group, key), merged.len());
                merged.push(DmarcServiceResponse {
                    org_domain: if group == "organization" {
                        g.org_domain.clone()
                    } else {
                        None
                    },
                    group: group.to_string(),
                    service,
                    sources: g.sources,
                    messages: g.messages,
                    dmarc_pass_messages: g.dmarc_pass_messages,
                    dmarc_fail_messages: fail,
                });
            }
        }
    }
    merged.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.group.cmp(&b.group))
            .then_with(|| {
                let id = |g: &DmarcServiceResponse| g.service.as_ref().map(|s| s.id.clone());
                id(a).cmp(&id(b))
            })
            .then_with(|| a.org_domain.cmp(&b.org_domain))
    });
    Ok(web::Json(DmarcByServiceResponse {
        domain,
        from: r.from,
        to: r.to,
        services: merged,
    }))
}

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
    (status = 200, description = "Totals", body = TlsByResultResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-result")]
pub async fn get_tls_by_result(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<TlsByResultResponse>, ApiError> {
    let r = range(&query)?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, t) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            Ok((
                domain.name,
                aggregates::tls_by_result(conn, domain.id.as_str(), days)?,
            ))
        })?)
    })
    .await?;
    Ok(web::Json(TlsByResultResponse {
        domain,
        from: r.from,
        to: r.to,
        total_sessions: t.successful_sessions + t.failed_sessions,
        successful_sessions: t.successful_sessions,
        failed_sessions: t.failed_sessions,
        failed_sessions_by_result_type: t.failed_sessions_by_result_type,
    }))
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
    /// Distinct failure paths in the range (the list holds at most `limit`).
    pub total_failures: u64,
    /// Failures per sending MTA IP, receiving MX and result type, largest first.
    pub failures: Vec<TlsFailurePathResponse>,
}

/// SMTP TLS results per reporting organization and per sending MTA / receiving MX.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), AggregateQuery), responses(
    (status = 200, description = "Breakdown", body = TlsBySourceResponse),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/tls/by-source")]
pub async fn get_tls_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<web::Json<TlsBySourceResponse>, ApiError> {
    let r = range(&query)?;
    let limit = query.limit()?;
    let name = path.into_inner();
    let days = r.days;
    let (domain, (orgs, mut paths)) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            Ok((
                domain.name,
                aggregates::tls_by_source(conn, domain.id.as_str(), days)?,
            ))
        })?)
    })
    .await?;
    Ok(web::Json(TlsBySourceResponse {
        domain,
        from: r.from,
        to: r.to,
        organizations: orgs
            .into_iter()
            .map(|o| TlsOrganizationResponse {
                organization: o.organization,
                successful_sessions: o.successful_sessions,
                failed_sessions: o.failed_sessions,
            })
            .collect(),
        total_failures: {
            let total = paths.len() as u64;
            paths.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            total
        },
        failures: paths
            .into_iter()
            .map(|p| TlsFailurePathResponse {
                sending_mta_ip: p.sending_mta_ip,
                receiving_mx_hostname: p.receiving_mx_hostname,
                result_type: p.result_type,
                failed_sessions: p.failed_sessions,
            })
            .collect(),
    }))
}

/// What a timeseries counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeseriesKind {
    /// DMARC messages, as in `dmarc/by-result`.
    Dmarc,
    /// SMTP TLS sessions, as in `tls/by-result`.
    Tls,
}

/// How long a timeseries bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeseriesInterval {
    /// One UTC day.
    Day,
    /// One ISO week, Monday to Sunday (UTC).
    Week,
}

impl TimeseriesInterval {
    /// The most buckets one request may ask for.
    const fn max_points(self) -> i64 {
        match self {
            TimeseriesInterval::Day => 366,
            TimeseriesInterval::Week => 260,
        }
    }

    const fn as_str(self) -> &'static str {
        match self {
            TimeseriesInterval::Day => "day",
            TimeseriesInterval::Week => "week",
        }
    }
}

/// The series to compute.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TimeseriesQuery {
    /// `dmarc` (messages) or `tls` (sessions).
    #[param(value_type = TimeseriesKind, example = "dmarc")]
    pub kind: String,
    /// `day` (default) or `week` (ISO weeks, starting Monday). At most 366 daily or 260
    /// weekly points.
    #[param(value_type = Option<TimeseriesInterval>, example = "week")]
    pub interval: Option<String>,
    /// First day, inclusive (ISO 8601 date; default: 30 days before `to`).
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day, inclusive (ISO 8601 date; default: today, UTC).
    #[param(example = "2026-11-22")]
    pub to: Option<String>,
}

fn timeseries_kind(raw: &str) -> Result<TimeseriesKind, ApiError> {
    match raw {
        "dmarc" => Ok(TimeseriesKind::Dmarc),
        "tls" => Ok(TimeseriesKind::Tls),
        _ => Err(ApiError::BadRequest(format!(
            "unknown kind '{raw}' (dmarc, tls)"
        ))),
    }
}

fn timeseries_interval(raw: Option<&str>) -> Result<TimeseriesInterval, ApiError> {
    match raw {
        None | Some("day") => Ok(TimeseriesInterval::Day),
        Some("week") => Ok(TimeseriesInterval::Week),
        Some(other) => Err(ApiError::BadRequest(format!(
            "unknown interval '{other}' (day, week)"
        ))),
    }
}

/// The buckets covering a range, in order, as inclusive (first, last) epoch days: single days,
/// or ISO weeks (Monday to Sunday) with the first and last clipped to the range.
fn buckets(days: DayRange, interval: TimeseriesInterval) -> Vec<(i64, i64)> {
    match interval {
        TimeseriesInterval::Day => (days.first..=days.last).map(|d| (d, d)).collect(),
        TimeseriesInterval::Week => {
            // Epoch day 0 (1970-01-01) was a Thursday.
            let monday = |d: i64| d - (d + 3).rem_euclid(7);
            let mut out = Vec::new();
            let mut start = monday(days.first);
            while start <= days.last {
                out.push((start.max(days.first), (start + 6).min(days.last)));
                start += 7;
            }
            out
        }
    }
}

/// How many buckets cover a range (without building them).
fn bucket_count(days: DayRange, interval: TimeseriesInterval) -> i64 {
    match interval {
        TimeseriesInterval::Day => days.last - days.first + 1,
        TimeseriesInterval::Week => {
            let monday = |d: i64| d - (d + 3).rem_euclid(7);
            (monday(days.last) - monday(days.first)) / 7 + 1
        }
    }
}

/// The totals of one bucket. `start` and `end` are always present; the other fields are
/// those of the requested kind only (`dmarc`: `messages` … `spf_aligned`; `tls`:
/// `successful_sessions` … `failed_sessions_by_result_type`), each present in every point.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesPoint {
    /// First day of the bucket (inclusive; the range's first day for a clipped first week).
    #[schema(example = "2026-11-02")]
    pub start: String,
    /// Last day of the bucket (inclusive; the range's last day for a clipped last week).
    #[schema(example = "2026-11-08")]
    pub end: String,
    /// dmarc: messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub messages: Option<u64>,
    /// dmarc: messages where DMARC-aligned DKIM or SPF passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub dmarc_pass_messages: Option<u64>,
    /// dmarc: messages where neither passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub dmarc_fail_messages: Option<u64>,
    /// dmarc: messages by disposition (`none`, `quarantine`, `reject`, and any other value
    /// reporters sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub disposition: Option<BTreeMap<String, u64>>,
    /// dmarc: messages by DMARC-aligned DKIM result (`pass`, `fail`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub dkim_aligned: Option<BTreeMap<String, u64>>,
    /// dmarc: messages by DMARC-aligned SPF result (`pass`, `fail`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub spf_aligned: Option<BTreeMap<String, u64>>,
    /// tls: successful sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub successful_sessions: Option<u64>,
    /// tls: failed sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub failed_sessions: Option<u64>,
    /// tls: failed sessions reported in failure details, by result type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Option<Counts>)]
    pub failed_sessions_by_result_type: Option<BTreeMap<String, u64>>,
}

impl TimeseriesPoint {
    fn empty(start: i64, end: i64) -> TimeseriesPoint {
        TimeseriesPoint {
            start: day_string(start),
            end: day_string(end),
            messages: None,
            dmarc_pass_messages: None,
            dmarc_fail_messages: None,
            disposition: None,
            dkim_aligned: None,
            spf_aligned: None,
            successful_sessions: None,
            failed_sessions: None,
            failed_sessions_by_result_type: None,
        }
    }

    fn dmarc(start: i64, end: i64, t: aggregates::DmarcByResult) -> TimeseriesPoint {
        TimeseriesPoint {
            messages: Some(t.total_messages),
            dmarc_pass_messages: Some(t.dmarc_pass_messages),
            dmarc_fail_messages: Some(t.total_messages - t.dmarc_pass_messages),
            disposition: Some(with_keys(t.disposition, &["none", "quarantine", "reject"])),
            dkim_aligned: Some(with_keys(t.dkim_aligned, &["pass", "fail"])),
            spf_aligned: Some(with_keys(t.spf_aligned, &["pass", "fail"])),
            ..TimeseriesPoint::empty(start, end)
        }
    }

    fn tls(start: i64, end: i64, t: aggregates::TlsByResult) -> TimeseriesPoint {
        TimeseriesPoint {
            successful_sessions: Some(t.successful_sessions),
            failed_sessions: Some(t.failed_sessions),
            failed_sessions_by_result_type: Some(t.failed_sessions_by_result_type),
            ..TimeseriesPoint::empty(start, end)
        }
    }
}

/// A domain's DMARC or TLS totals per day or week.
#[derive(Serialize, ToSchema)]
pub struct TimeseriesResponse {
    pub domain: String,
    pub kind: TimeseriesKind,
    pub interval: TimeseriesInterval,
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
    /// One point per day or week of the range, oldest first, days without reports included
    /// (as zeros).
    pub points: Vec<TimeseriesPoint>,
}

/// Sums per-day totals into buckets; days without a total count as zero.
fn bucketed<T: Default>(
    per_day: &BTreeMap<i64, T>,
    buckets: &[(i64, i64)],
    merge: impl Fn(&mut T, &T),
) -> Vec<(i64, i64, T)> {
    buckets
        .iter()
        .map(|&(start, end)| {
            let mut total = T::default();
            for (_, day) in per_day.range(start..=end) {
                merge(&mut total, day);
            }
            (start, end, total)
        })
        .collect()
}

/// DMARC or SMTP TLS results of a domain per day or ISO week, to draw trends.
///
/// Each point holds the figures of `dmarc/by-result` (`kind=dmarc`) or `tls/by-result`
/// (`kind=tls`) for its bucket. Every bucket of the range is present, zero when no report
/// covers it; weeks run Monday to Sunday (UTC), the first and last clipped to the range.
#[utoipa::path(tag = "aggregates", security(("bearer" = [])), params(("domain" = String, Path, description = "Domain name"), TimeseriesQuery), responses(
    (status = 200, description = "Points, oldest first", body = TimeseriesResponse),
    (status = 400, description = "Unknown kind or interval, bad range, or too many points", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/timeseries")]
pub async fn get_timeseries(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<TimeseriesQuery>,
) -> Result<web::Json<TimeseriesResponse>, ApiError> {
    let kind = timeseries_kind(&query.kind)?;
    let interval = timeseries_interval(query.interval.as_deref())?;
    let r = parse_range(query.from.as_deref(), query.to.as_deref())?;
    let count = bucket_count(r.days, interval);
    let max = interval.max_points();
    if count > max {
        return Err(ApiError::BadRequest(format!(
            "the range spans {count} {}s; at most {max} points are allowed per request",
            interval.as_str()
        )));
    }
    let name = path.into_inner();
    let days = r.days;
    let spans = buckets(days, interval);
    let (domain, points) = blocking(move || {
        Ok(state.db.read(|conn| {
            let domain = domains::get_domain_by_name(conn, &caller.scope, &name)?;
            let points: Vec<TimeseriesPoint> = match kind {
                TimeseriesKind::Dmarc => bucketed(
                    &aggregates::dmarc_by_result_per_day(conn, domain.id.as_str(), days)?,
                    &spans,
                    aggregates::DmarcByResult::merge,
                )
                .into_iter()
                .map(|(start, end, t)| TimeseriesPoint::dmarc(start, end, t))
                .collect(),
                TimeseriesKind::Tls => bucketed(
                    &aggregates::tls_by_result_per_day(conn, domain.id.as_str(), days)?,
                    &spans,
                    aggregates::TlsByResult::merge,
                )
                .into_iter()
                .map(|(start, end, t)| TimeseriesPoint::tls(start, end, t))
                .collect(),
            };
            Ok((domain.name, points))
        })?)
    })
    .await?;
    Ok(web::Json(TimeseriesResponse {
        domain,
        kind,
        interval,
        from: r.from,
        to: r.to,
        points,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        crate::api::parse_day("d", s).unwrap() / 86_400
    }

    fn spans(from: &str, to: &str, interval: TimeseriesInterval) -> Vec<(String, String)> {
        let days = DayRange {
            first: day(from),
            last: day(to),
        };
        let out: Vec<(String, String)> = buckets(days, interval)
            .into_iter()
            .map(|(a, b)| (day_string(a), day_string(b)))
            .collect();
        assert_eq!(out.len() as i64, bucket_count(days, interval));
        out
    }

    #[test]
    fn weeks_start_on_monday_and_are_clipped_to_the_range() {
        // 2026-11-04 is a Wednesday, 2026-11-17 a Tuesday.
        assert_eq!(
            spans("2026-11-04", "2026-11-17", TimeseriesInterval::Week),
            vec![
                ("2026-11-04".into(), "2026-11-08".into()),
                ("2026-11-09".into(), "2026-11-15".into()),
                ("2026-11-16".into(), "2026-11-17".into()),
            ]
        );
        // Before the epoch, and a single-day range on a Sunday.
        assert_eq!(
            spans("1969-12-28", "1969-12-29", TimeseriesInterval::Week),
            vec![
                ("1969-12-28".into(), "1969-12-28".into()),
                ("1969-12-29".into(), "1969-12-29".into()),
            ]
        );
        assert_eq!(
            spans("1970-01-01", "1970-01-04", TimeseriesInterval::Week).len(),
            1
        );
    }

    #[test]
    fn days_are_one_point_each() {
        assert_eq!(
            spans("2024-02-28", "2024-03-01", TimeseriesInterval::Day),
            vec![
                ("2024-02-28".into(), "2024-02-28".into()),
                ("2024-02-29".into(), "2024-02-29".into()),
                ("2024-03-01".into(), "2024-03-01".into()),
            ]
        );
    }
}
