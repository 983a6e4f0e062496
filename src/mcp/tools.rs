//! The tools: each one question the REST API answers, with the same validation (the API's
//! range, limit and cursor checks) and the same answer (the API's DTOs, built by their own
//! conversions from what `services` returns). Inputs are small schemars structs, so every
//! tool publishes a JSON Schema of its arguments.
//!
//! The flexible query (`POST /query/dmarc`, `/query/tls`) is `query_dmarc` / `query_tls`: its
//! arguments are the API's request body itself (the same DTO, with a JSON Schema of its
//! typed fields, operators and metrics), its answer the API's.

use super::{Ruad, answer, answer_for};
use crate::api::aggregates::dmarc::{
    DmarcByResultResponse, DmarcByServiceResponse, DmarcBySourceResponse,
};
use crate::api::aggregates::readiness::EnforcementReadinessResponse;
use crate::api::aggregates::timeseries::{
    TimeseriesResponse, timeseries_interval, timeseries_kind,
};
use crate::api::aggregates::tls::{TlsByResultResponse, TlsBySourceResponse};
use crate::api::aggregates::{AggregateQuery, parse_range, range};
use crate::api::blocking;
use crate::api::domains::{DomainListResponse, DomainResponse};
use crate::api::error::ApiError;
use crate::api::pagination::{self, PageQuery};
use crate::api::portfolio::{PortfolioListQuery, PortfolioResponse, SortOrder, portfolio_query};
use crate::api::query::{DmarcQueryRequest, QueryResponse, TlsQueryRequest};
use crate::dns::generate::{self, GenerateError, Generated};
use crate::domain::issue::IssueCode;
use crate::domain::tenant::Role;
use crate::services::aggregates::{self, SourcePage};
use crate::services::portfolio::PortfolioSort;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A page of a list.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageArgs {
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
}

/// A domain and a range of days.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainRangeArgs {
    /// The domain: its name (`example.com`) or its id.
    pub domain: String,
    /// First day, inclusive, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (default: today, UTC).
    pub to: Option<String>,
}

/// A domain, a range of days and a page of its sources.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainSourcesArgs {
    /// The domain: its name (`example.com`) or its id.
    pub domain: String,
    /// First day, inclusive, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (default: today, UTC).
    pub to: Option<String>,
    /// How many sources (or TLS failure paths) to return, largest first: 1 to 10000
    /// (default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// What `get_timeseries` charts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeseriesArgs {
    /// The domain: its name (`example.com`) or its id.
    pub domain: String,
    /// `dmarc` (messages by result) or `tls` (sessions by result).
    pub kind: String,
    /// `day` (default), `week` (ISO weeks) or `month`; at most 366 days, 523 weeks or 121
    /// months.
    pub interval: Option<String>,
    /// First day, inclusive, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (default: today, UTC).
    pub to: Option<String>,
}

/// Which domains of the portfolio, in which order.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortfolioArgs {
    /// First day of the period, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day of the period, `YYYY-MM-DD` (default: today, UTC).
    pub to: Option<String>,
    /// Only the domains that need attention.
    pub attention_only: Option<bool>,
    /// `domain` (default), `messages`, `pass_rate`, `last_report_at` or `attention`.
    pub sort: Option<String>,
    /// `asc` or `desc` (default: `asc` by domain, `desc` otherwise).
    pub order: Option<String>,
    /// Only this tenant's subtree (a tenant id within the credential's).
    pub tenant: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Which issues of a domain.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainIssuesArgs {
    /// The domain: its name (`example.com`) or its id.
    pub domain: String,
    /// Comma-separated severities: `critical`, `high`, `medium`, `low`, `info` (default: all).
    pub severity: Option<String>,
    /// Comma-separated statuses: `open`, `acknowledged`, `resolved`, or `all` (default: open
    /// and acknowledged).
    pub status: Option<String>,
    /// Only issues with this code (e.g. `dmarc_policy_none`).
    pub code: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A domain.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainArgs {
    /// The domain: its name (`example.com`) or its id.
    pub domain: String,
}

/// A live DNS check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckDnsArgs {
    /// What to check: `dmarc`, `spf`, `dkim` (needs `selector`), `bimi` (optional `selector`),
    /// `mta_sts`, `tlsrpt`, or `fcrdns` (forward-confirmed reverse DNS of `ip`).
    pub kind: String,
    /// The domain to check (every kind but `fcrdns`); any domain, registered or not.
    pub domain: Option<String>,
    /// DKIM or BIMI selector.
    pub selector: Option<String>,
    /// The address for `fcrdns`.
    pub ip: Option<String>,
}

/// A record to generate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateArgs {
    /// Which record: `dmarc`, `spf`, `dkim`, `bimi`, `mta_sts` or `tlsrpt`.
    pub kind: String,
    /// The generator's input: the JSON body `POST /api/v1/dns/{kind}/generate` takes (e.g.
    /// for `dmarc`: `{"domain": "example.com", "p": "quarantine", "rua": ["mailto:…"]}`).
    pub input: serde_json::Map<String, serde_json::Value>,
}

/// A string argument parsed as the serde enum the API takes for it.
fn parse_choice<T: DeserializeOwned>(
    name: &str,
    value: Option<&str>,
) -> Result<Option<T>, ApiError> {
    value
        .map(|v| {
            serde_json::from_value(serde_json::Value::String(v.to_string()))
                .map_err(|_| ApiError::BadRequest(format!("{name}: unknown value '{v}'")))
        })
        .transpose()
}

#[tool_router(vis = "pub(crate)")]
impl Ruad {
    /// The domains this credential sees (its tenant's and its descendants'), by name.
    #[tool(
        description = "List the registered domains the credential sees (its tenant and every tenant below it), by name, a page at a time. Answers {items: [{id, tenant_id, name, created_at}], next_cursor}.",
        annotations(read_only_hint = true)
    )]
    async fn list_domains(&self, Parameters(args): Parameters<PageArgs>) -> CallToolResult {
        answer(self.domains(args).await)
    }

    async fn domains(&self, args: PageArgs) -> Result<DomainListResponse, ApiError> {
        let query = PageQuery {
            cursor: args.cursor,
            limit: args.limit,
        };
        let limit = query.limit()?;
        let after = query.after()?;
        let (db, scope) = (self.ctx.db.clone(), self.scope.clone());
        let rows = blocking(move || {
            Ok(crate::services::domains::list_domains(
                &db,
                &scope,
                after.as_deref(),
                limit + 1,
            )?)
        })
        .await?;
        let (rows, next_cursor) = pagination::page(rows, limit, |d| d.name.clone());
        Ok(DomainListResponse {
            // Read-only: an ingest token is a write credential, so no role shows it here.
            items: rows
                .into_iter()
                .map(|d| DomainResponse::for_role(d, Role::Reader))
                .collect(),
            next_cursor,
        })
    }

    #[tool(
        description = "Every domain of the credential's tenants at once, for a period: DMARC volume and pass rate, TLS sessions, published policy, unresolved issues by severity, last report, and whether it needs attention and why (as GET /api/v1/portfolio). Start here to find the domains to look at.",
        annotations(read_only_hint = true)
    )]
    async fn get_portfolio(&self, Parameters(args): Parameters<PortfolioArgs>) -> CallToolResult {
        answer(self.portfolio(args).await)
    }

    async fn portfolio(&self, args: PortfolioArgs) -> Result<PortfolioResponse, ApiError> {
        let (query, range) = portfolio_query(PortfolioListQuery {
            cursor: args.cursor,
            limit: args.limit,
            sort: parse_choice::<PortfolioSort>("sort", args.sort.as_deref())?,
            order: parse_choice::<SortOrder>("order", args.order.as_deref())?,
            tenant: args.tenant,
            attention: args.attention_only,
            from: args.from,
            to: args.to,
        })?;
        let (db, scope) = (self.ctx.db.clone(), self.scope.clone());
        let page = blocking(move || {
            Ok(db.read(|conn| crate::services::portfolio::list(conn, &scope, &query))?)
        })
        .await?;
        Ok(PortfolioResponse::new(range, page))
    }

    #[tool(
        description = "DMARC results of a domain over a range of days: total messages, DMARC pass and fail, messages by disposition and by aligned DKIM and SPF result (as GET /api/v1/domains/{domain}/dmarc/by-result).",
        annotations(read_only_hint = true)
    )]
    async fn get_dmarc_by_result(
        &self,
        Parameters(args): Parameters<DomainRangeArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.dmarc_by_result(&args).await)
    }

    async fn dmarc_by_result(
        &self,
        args: &DomainRangeArgs,
    ) -> Result<DmarcByResultResponse, ApiError> {
        let r = parse_range(args.from.as_deref(), args.to.as_deref())?;
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::dmarc_by_result(&db, &scope, &name, days)?)).await?;
        Ok(DmarcByResultResponse::new(r, found))
    }

    #[tool(
        description = "The sources (IP addresses) sending mail as a domain, largest first, each with its messages, DMARC pass and fail, From domains, reverse DNS, the DKIM and SPF domains that passed for it and the sending service named from those (as GET /api/v1/domains/{domain}/dmarc/by-source). Pages with limit and cursor.",
        annotations(read_only_hint = true)
    )]
    async fn get_dmarc_by_source(
        &self,
        Parameters(args): Parameters<DomainSourcesArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.dmarc_by_source(&args).await)
    }

    async fn dmarc_by_source(
        &self,
        args: &DomainSourcesArgs,
    ) -> Result<DmarcBySourceResponse, ApiError> {
        let query = aggregate_query(args);
        let r = range(&query)?;
        let page = SourcePage {
            limit: query.limit()?,
            after: pagination::number_cursor(query.cursor.as_deref())?,
        };
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::dmarc_by_source(&db, &scope, &name, days, page)?))
                .await?;
        Ok(DmarcBySourceResponse::new(r, found))
    }

    #[tool(
        description = "A domain's DMARC traffic grouped by sending service (a named service such as Google Workspace or SendGrid, an organization, unconfirmed or not yet looked up), largest first, with sources, messages, DMARC pass and fail (as GET /api/v1/domains/{domain}/dmarc/by-service).",
        annotations(read_only_hint = true)
    )]
    async fn get_dmarc_by_service(
        &self,
        Parameters(args): Parameters<DomainRangeArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.dmarc_by_service(&args).await)
    }

    async fn dmarc_by_service(
        &self,
        args: &DomainRangeArgs,
    ) -> Result<DmarcByServiceResponse, ApiError> {
        let r = parse_range(args.from.as_deref(), args.to.as_deref())?;
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::dmarc_by_service(&db, &scope, &name, days)?)).await?;
        Ok(DmarcByServiceResponse::new(r, found))
    }

    #[tool(
        description = "Enforcement readiness of a domain over a range of days: what p=quarantine and p=reject would have done to its mail (messages failing DMARC that receivers did not already treat so), split into its named services (legitimate mail that would be lost, each with its fix), forwarders and mailing lists, and unknown sources; mail from subdomains; and the recommended next policy step with the DMARC record to publish (as GET /api/v1/domains/{domain}/enforcement-readiness).",
        annotations(read_only_hint = true)
    )]
    async fn get_enforcement_readiness(
        &self,
        Parameters(args): Parameters<DomainRangeArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.enforcement_readiness(&args).await)
    }

    async fn enforcement_readiness(
        &self,
        args: &DomainRangeArgs,
    ) -> Result<EnforcementReadinessResponse, ApiError> {
        let r = parse_range(args.from.as_deref(), args.to.as_deref())?;
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found = blocking(move || {
            Ok(crate::services::readiness::enforcement_readiness(
                &db, &scope, &name, days,
            )?)
        })
        .await?;
        Ok(EnforcementReadinessResponse {
            domain: found.domain,
            from: r.from,
            to: r.to,
            readiness: found.value,
        })
    }

    #[tool(
        description = "SMTP TLS (RFC 8460) results of a domain over a range of days: total, successful and failed sessions, failures by result type (as GET /api/v1/domains/{domain}/tls/by-result).",
        annotations(read_only_hint = true)
    )]
    async fn get_tls_by_result(
        &self,
        Parameters(args): Parameters<DomainRangeArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.tls_by_result(&args).await)
    }

    async fn tls_by_result(&self, args: &DomainRangeArgs) -> Result<TlsByResultResponse, ApiError> {
        let r = parse_range(args.from.as_deref(), args.to.as_deref())?;
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::tls_by_result(&db, &scope, &name, days)?)).await?;
        Ok(TlsByResultResponse::new(r, found))
    }

    #[tool(
        description = "A domain's SMTP TLS sessions per reporting organization, and its failure paths (sending MTA, receiving MX, result type), most failures first (as GET /api/v1/domains/{domain}/tls/by-source).",
        annotations(read_only_hint = true)
    )]
    async fn get_tls_by_source(
        &self,
        Parameters(args): Parameters<DomainSourcesArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.tls_by_source(&args).await)
    }

    async fn tls_by_source(
        &self,
        args: &DomainSourcesArgs,
    ) -> Result<TlsBySourceResponse, ApiError> {
        let query = aggregate_query(args);
        let r = range(&query)?;
        let page = crate::api::aggregates::failure_page(&query)?;
        let (db, scope, name, days) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::tls_by_source(&db, &scope, &name, days, page)?))
                .await?;
        Ok(TlsBySourceResponse::new(r, found))
    }

    #[tool(
        description = "A domain's DMARC or TLS results per day, ISO week or calendar month, every bucket present (as GET /api/v1/domains/{domain}/timeseries).",
        annotations(read_only_hint = true)
    )]
    async fn get_timeseries(&self, Parameters(args): Parameters<TimeseriesArgs>) -> CallToolResult {
        answer_for(&args.domain, self.timeseries(&args).await)
    }

    async fn timeseries(&self, args: &TimeseriesArgs) -> Result<TimeseriesResponse, ApiError> {
        let kind = timeseries_kind(&args.kind)?;
        let interval = timeseries_interval(args.interval.as_deref())?;
        let r = parse_range(args.from.as_deref(), args.to.as_deref())?;
        let series = aggregates::Series::new(kind.into(), interval.into(), r.days)
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let (db, scope, name, _) = self.for_domain(&args.domain, r.days);
        let found =
            blocking(move || Ok(aggregates::timeseries(&db, &scope, &name, series)?)).await?;
        Ok(TimeseriesResponse::new(kind, interval, r, found))
    }

    #[tool(
        description = "The problems ruad found in a domain's reports and DNS, most severe first, each with severity, status, a plain-language explanation, the remediation, the DNS record to publish where ruad can write it, and the evidence (as GET /api/v1/domains/{domain}/issues).",
        annotations(read_only_hint = true)
    )]
    async fn list_domain_issues(
        &self,
        Parameters(args): Parameters<DomainIssuesArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.domain_issues(&args).await)
    }

    async fn domain_issues(
        &self,
        args: &DomainIssuesArgs,
    ) -> Result<crate::api::issues::IssueListResponse, ApiError> {
        let code = args
            .code
            .as_deref()
            .map(|c| {
                IssueCode::parse(c)
                    .ok_or_else(|| ApiError::BadRequest(format!("code: unknown value '{c}'")))
            })
            .transpose()?;
        let (filter, limit) = crate::api::issues::filter(
            args.severity.as_deref(),
            args.status.as_deref(),
            code,
            args.cursor.as_deref(),
            args.limit,
        )?;
        let (db, scope, name) = (self.ctx.db.clone(), self.scope.clone(), args.domain.clone());
        let rows = blocking(move || {
            Ok(crate::services::issues::list_domain_issues(
                &db, &scope, &name, filter,
            )?)
        })
        .await?;
        crate::api::issues::page(rows, limit)
    }

    #[tool(
        description = "The latest stored DNS checks of a registered domain (DMARC, SPF, DKIM, BIMI, MTA-STS, TLS-RPT), each with its findings and worst severity (as GET /api/v1/domains/{domain}/dns-checks). check_dns looks a record up now instead.",
        annotations(read_only_hint = true)
    )]
    async fn list_domain_dns_checks(
        &self,
        Parameters(args): Parameters<DomainArgs>,
    ) -> CallToolResult {
        answer_for(&args.domain, self.dns_checks(&args).await)
    }

    async fn dns_checks(
        &self,
        args: &DomainArgs,
    ) -> Result<crate::api::dns::DnsSnapshotListResponse, ApiError> {
        let (db, scope, name) = (self.ctx.db.clone(), self.scope.clone(), args.domain.clone());
        let rows =
            blocking(move || Ok(crate::services::dns_checks::latest(&db, &scope, &name)?)).await?;
        crate::api::dns::snapshot_list(rows, None)
    }

    #[tool(
        description = "Look a DNS record up now and check it: dmarc, spf (with its lookup tree), dkim (needs selector), bimi, mta_sts (record and policy file), tlsrpt, or fcrdns for an IP address; findings with severities (as GET /api/v1/dns/{kind}/check). Works for any domain, registered or not; nothing is stored.",
        annotations(read_only_hint = true, open_world_hint = true)
    )]
    async fn check_dns(&self, Parameters(args): Parameters<CheckDnsArgs>) -> CallToolResult {
        answer(
            crate::api::dns::check(
                &self.ctx.checker,
                &args.kind,
                args.domain.as_deref(),
                args.selector.as_deref(),
                args.ip.as_deref(),
            )
            .await,
        )
    }

    #[tool(
        description = "Query DMARC traffic of one or more domains (default: every domain of the credential, at most 100) over a range of days: group_by any of day, week, month, domain, header_from, source_ip, source_network, service, service_category, reporter, disposition, dkim_result, spf_result, dkim_domain, spf_domain, alignment, policy (at most 4); filters [{field, op: equals|not|in|not_in|prefix|cidr, value|values}] on fields and [{field: <metric>, op: range, min, max}] on group metrics; metrics messages, dmarc_pass, dmarc_fail, dkim_aligned, spf_aligned, disposition_none, disposition_quarantine, disposition_reject; order_by [{field, direction}]; limit and cursor (as POST /api/v1/query/dmarc). Says whether it was answered from rollups or raw records.",
        annotations(read_only_hint = true)
    )]
    async fn query_dmarc(&self, Parameters(args): Parameters<DmarcQueryRequest>) -> CallToolResult {
        answer(self.dmarc_query(args).await)
    }

    async fn dmarc_query(&self, args: DmarcQueryRequest) -> Result<QueryResponse, ApiError> {
        crate::api::query::run_dmarc_query(self.ctx.db.clone(), self.scope.clone(), args, false)
            .await
    }

    #[tool(
        description = "Query SMTP TLS sessions of one or more domains (default: every domain of the credential, at most 100): group_by any of day, week, month, domain, reporter, result_type, sending_mta_ip, receiving_mx_hostname, policy_type, policy_domain; filters, metrics successful_sessions, failed_sessions, total_sessions, order_by, limit and cursor like query_dmarc (as POST /api/v1/query/tls). Failure fields (result_type, sending_mta_ip, receiving_mx_hostname) have failed_sessions only.",
        annotations(read_only_hint = true)
    )]
    async fn query_tls(&self, Parameters(args): Parameters<TlsQueryRequest>) -> CallToolResult {
        answer(self.tls_query(args).await)
    }

    async fn tls_query(&self, args: TlsQueryRequest) -> Result<QueryResponse, ApiError> {
        crate::api::query::run_tls_query(self.ctx.db.clone(), self.scope.clone(), args, false).await
    }

    #[tool(
        description = "Write a DNS record to publish: dmarc (and the _report._dmarc authorizations external report destinations need), spf (refused over the 10-lookup limit), dkim (a new key pair, or the record of a given public key; the private key is returned once and not kept), bimi, mta_sts (record and policy file) or tlsrpt. `input` is the body of POST /api/v1/dns/{kind}/generate. Nothing is stored or published.",
        annotations(read_only_hint = true)
    )]
    async fn generate_dns_record(
        &self,
        Parameters(args): Parameters<GenerateArgs>,
    ) -> CallToolResult {
        answer(generate_record(&args.kind, args.input))
    }
}

impl Ruad {
    /// What a blocking read about one domain takes along.
    fn for_domain(
        &self,
        domain: &str,
        days: aggregates::DayRange,
    ) -> (
        crate::storage::Db,
        crate::storage::TenantScope,
        String,
        aggregates::DayRange,
    ) {
        (
            self.ctx.db.clone(),
            self.scope.clone(),
            domain.to_string(),
            days,
        )
    }
}

fn aggregate_query(args: &DomainSourcesArgs) -> AggregateQuery {
    AggregateQuery {
        from: args.from.clone(),
        to: args.to.clone(),
        limit: args.limit,
        cursor: args.cursor.clone(),
        format: None,
    }
}

/// Runs the generator of `kind` on `input`, as `POST /dns/{kind}/generate` does.
fn generate_record(
    kind: &str,
    input: serde_json::Map<String, serde_json::Value>,
) -> Result<Generated, ApiError> {
    fn run<I: DeserializeOwned>(
        input: serde_json::Map<String, serde_json::Value>,
        generate: impl Fn(&I) -> Result<Generated, GenerateError>,
    ) -> Result<Generated, ApiError> {
        let input: I = serde_json::from_value(serde_json::Value::Object(input)).map_err(|e| {
            ApiError::BadRequest(format!(
                "the input does not fit this generator: {}",
                crate::api::plain(&e)
            ))
        })?;
        generate(&input).map_err(|e| ApiError::Validation(e.to_string()))
    }
    let now = chrono::Utc::now().timestamp();
    match kind {
        "dmarc" => run(input, generate::generate_dmarc),
        "spf" => run(input, generate::spf::generate),
        "dkim" => run(input, generate::generate_dkim),
        "bimi" => run(input, generate::generate_bimi),
        "mta_sts" => run(input, |i| generate::generate_mta_sts(i, now)),
        "tlsrpt" => run(input, generate::generate_tlsrpt),
        other => Err(ApiError::BadRequest(format!(
            "unknown record kind '{other}' (dmarc, spf, dkim, bimi, mta_sts, tlsrpt)"
        ))),
    }
}

/// The generators and the API schema of each one's input.
const GENERATORS: [(&str, &str); 6] = [
    ("dmarc", "DmarcInput"),
    ("spf", "SpfInput"),
    ("dkim", "DkimInput"),
    ("bimi", "BimiInput"),
    ("mta_sts", "MtaStsInput"),
    ("tlsrpt", "TlsRptInput"),
];

/// The input schema of `generate_dns_record`: `input` is, for each `kind`, the request body
/// the API's OpenAPI document gives `POST /dns/{kind}/generate` (its components become
/// `$defs`), so an agent sees every field the generators take, from the one source.
pub(crate) fn generate_input_schema() -> Option<serde_json::Map<String, serde_json::Value>> {
    use serde_json::{Value, json};
    let spec = serde_json::to_value(crate::api::openapi()).ok()?;
    let components = spec.pointer("/components/schemas")?.as_object()?;
    let mut defs = serde_json::Map::new();
    let mut pending: Vec<String> = GENERATORS.iter().map(|(_, n)| n.to_string()).collect();
    while let Some(name) = pending.pop() {
        if defs.contains_key(&name) {
            continue;
        }
        let mut schema = components.get(&name)?.clone();
        local_refs(&mut schema, &mut pending);
        defs.insert(name, schema);
    }
    let kinds: Vec<&str> = GENERATORS.iter().map(|(k, _)| *k).collect();
    let one_of: Vec<Value> = GENERATORS
        .iter()
        .map(|(kind, name)| {
            json!({"properties": {
                "kind": {"const": kind},
                "input": {"$ref": format!("#/$defs/{name}")},
            }})
        })
        .collect();
    match json!({
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": kinds, "description": "Which record to generate."},
            "input": {"type": "object", "description": "What the record should say: the request \
                body of POST /api/v1/dns/{kind}/generate."},
        },
        "required": ["kind", "input"],
        "additionalProperties": false,
        "oneOf": one_of,
        "$defs": defs,
    }) {
        Value::Object(schema) => Some(schema),
        _ => None,
    }
}

/// Rewrites `#/components/schemas/X` references to `#/$defs/X`, noting each `X`.
fn local_refs(value: &mut serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(reference)) = map.get_mut("$ref")
                && let Some(name) = reference.strip_prefix("#/components/schemas/")
            {
                let name = name.to_string();
                *reference = format!("#/$defs/{name}");
                found.push(name);
            }
            for child in map.values_mut() {
                local_refs(child, found);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                local_refs(child, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn refs(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_generator_schema_holds_every_definition_it_refers_to() {
        let schema = serde_json::Value::Object(generate_input_schema().unwrap());
        let defs = schema["$defs"].as_object().unwrap();
        let mut found = Vec::new();
        refs(&schema, &mut found);
        assert!(found.len() >= GENERATORS.len());
        for reference in found {
            let name = reference
                .strip_prefix("#/$defs/")
                .expect("a local reference");
            assert!(defs.contains_key(name), "{reference} is not defined");
        }
        for (_, input) in GENERATORS {
            assert_eq!(defs[input]["type"], "object", "{input}");
        }
    }

    #[test]
    fn a_generator_input_that_does_not_fit_is_a_bad_request_naming_the_field() {
        let input = serde_json::json!({"domain": "example.com"});
        let serde_json::Value::Object(input) = input else {
            unreachable!()
        };
        match generate_record("dmarc", input) {
            Err(ApiError::BadRequest(detail)) => assert!(detail.contains("missing field p")),
            other => panic!("{:?}", other.map(|_| ())),
        }
    }
}
