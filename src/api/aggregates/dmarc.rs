//! DMARC aggregates of a domain: totals by result, sending sources (a page, with reverse DNS,
//! passing auth domains and the service they name) and sources grouped by service. DTOs and
//! HTTP only; the figures come from `services::aggregates`. Must not read storage.

use super::{AggregateQuery, Counts, Range, range};
use crate::api::AppState;
use crate::api::auth::Caller;
use crate::api::blocking;
use crate::api::error::{ApiError, Problem};
use crate::api::export::{self, Table, label, pairs};
use crate::services::aggregates::{self, ForDomain};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

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
    (status = 200, description = "Totals (CSV: one row per figure: `dimension`, `value`, `messages`)", content((DmarcByResultResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-result")]
pub async fn get_dmarc_by_result(
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
        Ok(aggregates::dmarc_by_result(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    let answer = DmarcByResultResponse::new(r, answer);
    let name = format!(
        "{}-dmarc-by-result-{}-{}",
        answer.domain, answer.from, answer.to
    );
    export::respond(format, answer, DmarcByResultResponse::table, &name)
}

impl DmarcByResultResponse {
    /// One row per figure: the total, DMARC pass and fail, then each disposition, DKIM and
    /// SPF result.
    fn table(&self) -> Table {
        let mut figures = vec![
            ("total", "", self.total_messages),
            ("dmarc", "pass", self.dmarc_pass_messages),
            ("dmarc", "fail", self.dmarc_fail_messages),
        ];
        for (dimension, counts) in [
            ("disposition", &self.disposition),
            ("dkim_aligned", &self.dkim_aligned),
            ("spf_aligned", &self.spf_aligned),
        ] {
            figures.extend(
                counts
                    .iter()
                    .map(|(value, n)| (dimension, value.as_str(), *n)),
            );
        }
        Table::figures((&self.domain, &self.from, &self.to), "messages", figures)
    }

    /// The answer of `services::aggregates::dmarc_by_result` for a range, as every front door
    /// gives it.
    pub(crate) fn new(r: Range, answer: ForDomain<aggregates::DmarcResults>) -> Self {
        let ForDomain { domain, value: t } = answer;
        DmarcByResultResponse {
            domain,
            from: r.from,
            to: r.to,
            total_messages: t.total_messages,
            dmarc_pass_messages: t.dmarc_pass_messages,
            dmarc_fail_messages: t.dmarc_fail_messages,
            disposition: t.disposition,
            dkim_aligned: t.dkim_aligned,
            spf_aligned: t.spf_aligned,
        }
    }
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
    /// Messages whose DKIM result passed and was aligned with the From domain.
    pub dkim_aligned_messages: u64,
    /// Messages whose SPF result passed and was aligned with the From domain.
    pub spf_aligned_messages: u64,
    /// Messages the receiver said were forwarded (policy override reason `forwarded`,
    /// `trusted_forwarder` or `mailing_list`).
    pub forwarded_messages: u64,
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
    (status = 200, description = "Sources (CSV: one row per source; without `limit` and `cursor`, every source of the range)", content((DmarcBySourceResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range or limit", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-source")]
pub async fn get_dmarc_by_source(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<AggregateQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = export::negotiate(&req, query.format.as_deref())?;
    let r = range(&query)?;
    let limit = query.limit()?;
    let after = crate::api::pagination::number_cursor(query.cursor.as_deref())?;
    let name = path.into_inner();
    let days = r.days;
    let everything = format == export::Format::Csv && query.limit.is_none() && after.is_none();
    let page = aggregates::SourcePage {
        // The first page of a whole export also checks the domain before streaming.
        limit: if everything { EXPORT_PAGE } else { limit },
        after,
    };
    let db = state.db.clone();
    let scope = caller.scope.clone();
    let first = {
        let name = name.clone();
        blocking(move || Ok(aggregates::dmarc_by_source(&db, &scope, &name, days, page)?)).await?
    };
    let answer = DmarcBySourceResponse::new(r, first);
    let file = format!(
        "{}-dmarc-by-source-{}-{}",
        answer.domain, answer.from, answer.to
    );
    if !everything {
        return export::respond(format, answer, DmarcBySourceResponse::table, &file);
    }
    // Every source: the first page, then the next ones, each read while the client takes
    // the previous.
    Ok(export::stream(&file, SOURCE_COLUMNS, move |sink| {
        let mut cursor = answer.next_cursor.clone();
        for row in answer.rows() {
            sink.row(row)?;
        }
        while let Some(next) = cursor.take() {
            let after = crate::api::pagination::number_cursor(Some(&next))?;
            let page = aggregates::SourcePage {
                limit: EXPORT_PAGE,
                after,
            };
            let value = aggregates::dmarc_by_source(&state.db, &caller.scope, &name, days, page)?;
            let more = DmarcBySourceResponse::new(
                Range {
                    days,
                    from: answer.from.clone(),
                    to: answer.to.clone(),
                },
                value,
            );
            for row in more.rows() {
                sink.row(row)?;
            }
            cursor = more.next_cursor;
        }
        Ok(())
    }))
}

/// Sources per page of a whole by-source export.
const EXPORT_PAGE: i64 = 10_000;

/// The columns of a by-source CSV.
const SOURCE_COLUMNS: &[&str] = &[
    "source_ip",
    "messages",
    "dmarc_pass_messages",
    "dmarc_fail_messages",
    "dkim_aligned_messages",
    "spf_aligned_messages",
    "forwarded_messages",
    "header_from",
    "reverse_dns",
    "org_domain",
    "service",
    "service_category",
    "matched_by",
    "dkim_domains",
    "spf_domains",
];

impl DmarcBySourceResponse {
    /// One row per source (`SOURCE_COLUMNS`); lists are `name=messages` pairs joined by `;`.
    fn rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        self.sources.iter().map(|s| {
            let dns = s.reverse_dns.as_ref();
            vec![
                s.source_ip.clone(),
                s.messages.to_string(),
                s.dmarc_pass_messages.to_string(),
                s.dmarc_fail_messages.to_string(),
                s.dkim_aligned_messages.to_string(),
                s.spf_aligned_messages.to_string(),
                s.forwarded_messages.to_string(),
                pairs(
                    s.header_from
                        .iter()
                        .map(|h| (h.header_from.as_str(), h.messages)),
                ),
                dns.and_then(|d| d.confirmed_name.clone())
                    .unwrap_or_default(),
                dns.and_then(|d| d.org_domain.clone()).unwrap_or_default(),
                s.service
                    .as_ref()
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                s.service
                    .as_ref()
                    .map(|m| label(&m.category))
                    .unwrap_or_default(),
                s.service
                    .as_ref()
                    .map(|m| label(&m.matched_by))
                    .unwrap_or_default(),
                pairs(
                    s.dkim_domains
                        .iter()
                        .map(|d| (d.domain.as_str(), d.messages)),
                ),
                pairs(
                    s.spf_domains
                        .iter()
                        .map(|d| (d.domain.as_str(), d.messages)),
                ),
            ]
        })
    }

    fn table(&self) -> Table {
        let mut t = Table::new(SOURCE_COLUMNS.to_vec());
        for row in self.rows() {
            t.row(row);
        }
        t
    }

    /// A page of `services::aggregates::dmarc_by_source`, with the cursor of the next one.
    pub(crate) fn new(r: Range, answer: ForDomain<aggregates::Sources>) -> Self {
        let ForDomain { domain, value } = answer;
        let next_cursor = value.more.then(|| value.sources.last()).flatten().map(|s| {
            crate::api::pagination::encode_cursor(&format!("{}:{}", s.messages, s.source_ip))
        });
        DmarcBySourceResponse {
            domain,
            from: r.from,
            to: r.to,
            total_sources: value.total,
            next_cursor,
            sources: value
                .sources
                .into_iter()
                .map(|s| DmarcSourceResponse {
                    reverse_dns: s.reverse_dns.map(ReverseDnsResponse::from),
                    service: s.service,
                    dkim_domains: auth_counts(&s.dkim_domains),
                    spf_domains: auth_counts(&s.spf_domains),
                    source_ip: s.source_ip,
                    messages: s.messages,
                    dmarc_pass_messages: s.dmarc_pass_messages,
                    dmarc_fail_messages: s.dmarc_fail_messages,
                    dkim_aligned_messages: s.dkim_aligned_messages,
                    spf_aligned_messages: s.spf_aligned_messages,
                    forwarded_messages: s.forwarded_messages,
                    header_from: s
                        .header_from
                        .into_iter()
                        .map(|(header_from, messages)| HeaderFromCount {
                            header_from,
                            messages,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
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
    (status = 200, description = "Services (CSV: one row per group)", content((DmarcByServiceResponse = "application/json"), (String = "text/csv"))),
    (status = 400, description = "Bad range", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Unauthenticated", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Domain not found", body = Problem, content_type = "application/problem+json"),
))]
#[get("/domains/{domain}/dmarc/by-service")]
pub async fn get_dmarc_by_service(
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
        Ok(aggregates::dmarc_by_service(
            &state.db,
            &caller.scope,
            &name,
            days,
        )?)
    })
    .await?;
    let answer = DmarcByServiceResponse::new(r, answer);
    let name = format!(
        "{}-dmarc-by-service-{}-{}",
        answer.domain, answer.from, answer.to
    );
    export::respond(format, answer, DmarcByServiceResponse::table, &name)
}

impl DmarcByServiceResponse {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            "group",
            "service",
            "service_category",
            "org_domain",
            "sources",
            "messages",
            "dmarc_pass_messages",
            "dmarc_fail_messages",
        ]);
        for g in &self.services {
            t.row(vec![
                g.group.clone(),
                g.service
                    .as_ref()
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                g.service
                    .as_ref()
                    .map(|m| label(&m.category))
                    .unwrap_or_default(),
                g.org_domain.clone().unwrap_or_default(),
                g.sources.to_string(),
                g.messages.to_string(),
                g.dmarc_pass_messages.to_string(),
                g.dmarc_fail_messages.to_string(),
            ]);
        }
        t
    }

    /// The groups of `services::aggregates::dmarc_by_service`, largest first.
    pub(crate) fn new(r: Range, answer: ForDomain<Vec<aggregates::ServiceGroup>>) -> Self {
        let ForDomain { domain, value } = answer;
        DmarcByServiceResponse {
            domain,
            from: r.from,
            to: r.to,
            services: value
                .into_iter()
                .map(|g| DmarcServiceResponse {
                    service: g.service,
                    group: g.group.as_str().to_string(),
                    org_domain: g.org_domain,
                    sources: g.sources,
                    messages: g.messages,
                    dmarc_pass_messages: g.dmarc_pass_messages,
                    dmarc_fail_messages: g.dmarc_fail_messages,
                })
                .collect(),
        }
    }
}
