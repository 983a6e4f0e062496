//! The flexible query (`POST /query/dmarc`, `/query/tls`, the MCP `query_*` tools): group a
//! range of one or more domains by any of a fixed set of fields, filter, pick metrics, order
//! and page, answered from the rollups whenever one holds every field the query names.
//!
//! Routing (DMARC): the fields named by `group_by` and `filters` decide the source.
//! - day, week, month, domain, header_from, source_ip, source_network, service,
//!   service_category: the per-source rollups (grouped in SQL by domain, bucket, address and
//!   header From; networks and services are derived here from the address, bounded by the
//!   distinct sources).
//! - the same with one of dkim_domain / spf_domain, metric `messages` only: the per-source
//!   passing-domain rollups.
//! - day, week, month, domain, reporter, disposition, dkim_result, spf_result, alignment: the
//!   per-report daily results.
//! - anything else (policy; result fields with source fields; dkim_domain with other
//!   metrics): the raw records, bounded ([`MAX_RECORDS`] records, [`TIME_LIMIT`]), and the
//!   answer says `answered_from: records`.
//!
//! TLS: summary rows (day, week, month, domain, reporter: every metric), failure-detail rows
//! (with result_type, sending_mta_ip, receiving_mx_hostname: failed sessions only, as
//! reporters give no successful sessions per failure), raw policy rows (policy_type,
//! policy_domain).
//!
//! Bounds: at most [`MAX_ROWS`] grouped rows are read from a rollup, [`MAX_RECORDS`] raw
//! rows scanned within [`TIME_LIMIT`] (PostgreSQL also cancels a statement after it), day
//! and week buckets over at most [`MAX_BUCKET_DAYS`] days, at most [`MAX_DOMAINS`] domains;
//! beyond a bound the query is refused ([`QueryError::TooLarge`]), never answered in part.
//!
//! Every group has every grouped field (an absent value is `""`); groups are ordered by
//! `order_by`, then by their fields in `group_by` order, ascending, so the order is total and
//! a cursor (the last group's order values and fields) pages without repeats or skips.
//!
//! Synchronous; reads only. Must not depend on `api` or on HTTP.

use crate::analysis::services::ServiceMatch;
use crate::services::aggregates::{DayRange, service_of};
use crate::storage::aggregates::dmarc_source_auth;
use crate::storage::domains::{self, Domain};
use crate::storage::query::{
    self as stored, Bounded, Bucket, Column, DmarcFact, FactQuery, TextCondition, TlsFact, TooLarge,
};
use crate::storage::{Db, DbConnection, StorageError, TenantScope, source_names};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};
use utoipa::ToSchema;

/// Most fields in `group_by`.
pub const MAX_GROUP_BY: usize = 4;
/// Most `order_by` terms, and most filters.
pub const MAX_ORDER_BY: usize = 4;
pub const MAX_FILTERS: usize = 20;
/// Most values of an `in` / `not_in` filter.
pub const MAX_VALUES: usize = 1_000;
/// Most domains one query covers (named, or all of the caller's scope).
pub const MAX_DOMAINS: usize = 100;
/// Page size bounds.
pub const MIN_LIMIT: i64 = 1;
pub const MAX_LIMIT: i64 = 1_000;
pub const DEFAULT_LIMIT: i64 = 100;
/// Most grouped rows read from a rollup.
pub const MAX_ROWS: usize = 200_000;
/// Most raw records (or TLS policy rows) a query scans.
pub const MAX_RECORDS: u64 = 200_000;
/// How long a scan of raw records (or, on PostgreSQL, any statement) may take.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Longest range grouped by day or week.
pub const MAX_BUCKET_DAYS: i64 = 366;

/// A DMARC field to group or filter by.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DmarcField {
    /// The UTC day, `YYYY-MM-DD`.
    Day,
    /// The ISO week, as its Monday `YYYY-MM-DD` (which may precede `from`).
    Week,
    /// The calendar month, `YYYY-MM`.
    Month,
    /// The registered domain (its name).
    Domain,
    /// The RFC5322.From domain as reported.
    HeaderFrom,
    /// The sending address.
    SourceIp,
    /// The sending network: the /24 of an IPv4 address, the /48 of an IPv6 one.
    SourceNetwork,
    /// The sending service's id (as in `dmarc/by-source`), absent when none is named.
    Service,
    /// The sending service's category.
    ServiceCategory,
    /// The reporting organization.
    Reporter,
    /// What the receiver did: `none`, `quarantine`, `reject`.
    Disposition,
    /// The DMARC-aligned DKIM result: `pass`, `fail`.
    DkimResult,
    /// The DMARC-aligned SPF result: `pass`, `fail`.
    SpfResult,
    /// A DKIM signing domain whose signature passed (a message counts once under each; one
    /// without any is left out).
    DkimDomain,
    /// An SPF domain that passed (a message counts once under each; one without any is left
    /// out).
    SpfDomain,
    /// Which aligned results passed: `dkim_and_spf`, `dkim_only`, `spf_only`, `neither`.
    Alignment,
    /// The published policy (`p`) the reporter found: `none`, `quarantine`, `reject`.
    Policy,
}

/// A DMARC metric: messages, summed over a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DmarcMetric {
    Messages,
    /// Messages with aligned DKIM or SPF passing.
    DmarcPass,
    DmarcFail,
    /// Messages whose DKIM passed aligned.
    DkimAligned,
    /// Messages whose SPF passed aligned.
    SpfAligned,
    /// Messages neither quarantined nor rejected.
    DispositionNone,
    DispositionQuarantine,
    DispositionReject,
}

/// A TLS field to group or filter by.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TlsField {
    /// The UTC day, `YYYY-MM-DD`.
    Day,
    /// The ISO week, as its Monday `YYYY-MM-DD`.
    Week,
    /// The calendar month, `YYYY-MM`.
    Month,
    /// The registered domain (its name).
    Domain,
    /// The reporting organization.
    Reporter,
    /// The failure's result type (`certificate-expired`, `sts-policy-fetch-error`, …).
    ResultType,
    /// The sending MTA's address of a failure.
    SendingMtaIp,
    /// The receiving MX host of a failure.
    ReceivingMxHostname,
    /// The policy type: `sts`, `tlsa`, `no-policy-found`.
    PolicyType,
    /// The policy domain.
    PolicyDomain,
}

/// A TLS metric: sessions, summed over a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMetric {
    SuccessfulSessions,
    FailedSessions,
    TotalSessions,
}

/// A filter's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    /// The field equals `value`.
    Equals,
    /// The field differs from `value`.
    Not,
    /// The field is one of `values`.
    In,
    /// The field is none of `values`.
    NotIn,
    /// The field starts with `value`.
    Prefix,
    /// An address field lies in the network `value` (`192.0.2.0/24`, `2001:db8::/32`).
    Cidr,
    /// A metric of the group lies within `min` and `max` (inclusive; either may be absent):
    /// applied to the groups, like SQL `HAVING`.
    Range,
}

/// Sort direction.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    #[default]
    Desc,
}

/// A DMARC field or metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, JsonSchema)]
#[serde(untagged)]
pub enum DmarcTerm {
    Field(DmarcField),
    Metric(DmarcMetric),
}

/// A TLS field or metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, JsonSchema)]
#[serde(untagged)]
pub enum TlsTerm {
    Field(TlsField),
    Metric(TlsMetric),
}

macro_rules! filter_and_order {
    ($filter:ident, $order:ident, $term:ident, $example:tt) => {
        /// One condition. `equals`, `not`, `prefix`, `cidr` take `value`; `in`, `not_in` take
        /// `values`; `range` (metrics only) takes `min` and/or `max`.
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema, JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[schema(example = json!($example))]
        pub struct $filter {
            /// The field (or, for `range`, the metric) the condition is about.
            pub field: $term,
            pub op: FilterOp,
            pub value: Option<String>,
            pub values: Option<Vec<String>>,
            pub min: Option<u64>,
            pub max: Option<u64>,
        }

        /// One sort key: a grouped field or a metric.
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $order {
            pub field: $term,
            /// Default `desc`.
            #[serde(default)]
            pub direction: Direction,
        }
    };
}

filter_and_order!(
    DmarcFilter,
    DmarcOrder,
    DmarcTerm,
    {"field": "source_ip", "op": "cidr", "value": "192.0.2.0/24"}
);
filter_and_order!(
    TlsFilter,
    TlsOrder,
    TlsTerm,
    {"field": "result_type", "op": "equals", "value": "certificate-expired"}
);

/// What to query, once the front door has parsed it.
#[derive(Debug, Clone)]
pub struct Query<Filter, Order, Field, Metric> {
    /// Domain names or ids in the caller's scope; empty: all of them (at most
    /// [`MAX_DOMAINS`]).
    pub domains: Vec<String>,
    pub days: DayRange,
    pub group_by: Vec<Field>,
    pub filters: Vec<Filter>,
    /// Empty: the default (`messages`; TLS: `failed_sessions`).
    pub metrics: Vec<Metric>,
    pub order_by: Vec<Order>,
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page, decoded.
    pub after: Option<String>,
    /// Every group in one answer (an export), instead of a page: `limit` and `after` must be
    /// absent. The groups are already bounded by what a query may read ([`MAX_ROWS`] rollup
    /// rows, [`MAX_RECORDS`] records).
    pub whole: bool,
}

pub type DmarcQuery = Query<DmarcFilter, DmarcOrder, DmarcField, DmarcMetric>;
pub type TlsQuery = Query<TlsFilter, TlsOrder, TlsField, TlsMetric>;

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredFrom {
    /// The rollups kept at ingest: cost O(distinct groups of the range).
    Rollups,
    /// The raw records, scanned within the bounds.
    Records,
}

/// One group of an answer: its fields (in `group_by` order; `""` when absent) and metrics
/// (in `metrics` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: Vec<(&'static str, String)>,
    pub metrics: Vec<(&'static str, u64)>,
}

/// One page of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The domains covered, by name.
    pub domains: Vec<String>,
    pub answered_from: AnsweredFrom,
    /// Stored rows read (rollup groups or raw records).
    pub scanned_rows: u64,
    /// Groups in all pages.
    pub total_groups: u64,
    pub groups: Vec<Group>,
    /// The key of the next page (to encode as a cursor), if there is one.
    pub next: Option<String>,
    /// The grouped fields, then the metrics, by name, in the order each group gives them
    /// (the columns of a table of the answer, also when it has no group).
    pub columns: Vec<&'static str>,
}

/// Why a query was not answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query does not fit the schema's rules; the text says how.
    #[error("{0}")]
    Invalid(String),
    /// The query exceeds a bound; the text says which.
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<TooLarge> for QueryError {
    fn from(e: TooLarge) -> Self {
        QueryError::TooLarge(e.0)
    }
}

fn invalid(text: impl Into<String>) -> QueryError {
    QueryError::Invalid(text.into())
}

fn name_of<T: Serialize>(value: &T) -> &'static str {
    // Every field and metric is a unit variant named in snake_case.
    let text = serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    NAMES
        .iter()
        .find(|n| **n == text)
        .copied()
        .unwrap_or("unknown")
}

/// Every field and metric name, so answers hold `&'static str`s.
const NAMES: &[&str] = &[
    "day",
    "week",
    "month",
    "domain",
    "header_from",
    "source_ip",
    "source_network",
    "service",
    "service_category",
    "reporter",
    "disposition",
    "dkim_result",
    "spf_result",
    "dkim_domain",
    "spf_domain",
    "alignment",
    "policy",
    "messages",
    "dmarc_pass",
    "dmarc_fail",
    "dkim_aligned",
    "spf_aligned",
    "disposition_none",
    "disposition_quarantine",
    "disposition_reject",
    "result_type",
    "sending_mta_ip",
    "receiving_mx_hostname",
    "policy_type",
    "policy_domain",
    "successful_sessions",
    "failed_sessions",
    "total_sessions",
];

/// What kind of values a field holds, which decides the operators that fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Time,
    Text,
    Address,
    Network,
}

/// A row condition, checked on every fact.
#[derive(Debug, Clone)]
enum Condition {
    Equals(String),
    Not(String),
    In(HashSet<String>),
    NotIn(HashSet<String>),
    Prefix(String),
    Cidr(IpAddr, u8),
}

impl Condition {
    fn matches(&self, value: &str) -> bool {
        match self {
            Condition::Equals(v) => value == v,
            Condition::Not(v) => value != v,
            Condition::In(vs) => vs.contains(value),
            Condition::NotIn(vs) => !vs.contains(value),
            Condition::Prefix(v) => value.starts_with(v.as_str()),
            Condition::Cidr(net, bits) => {
                // A network value (`a.b.c.0/24`) is matched by its address.
                let address = value.split('/').next().unwrap_or(value);
                address
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| in_network(ip, *net, *bits))
            }
        }
    }

    /// The same condition for SQL, when it has one.
    fn pushed(&self, column: Column) -> Option<TextCondition> {
        Some(match self {
            Condition::Equals(v) => TextCondition::Equals(column, v.clone()),
            Condition::Not(v) => TextCondition::Not(column, v.clone()),
            Condition::In(vs) => TextCondition::In(column, sorted(vs)),
            Condition::NotIn(vs) => TextCondition::NotIn(column, sorted(vs)),
            Condition::Prefix(v) => TextCondition::Prefix(column, v.clone()),
            Condition::Cidr(..) => return None,
        })
    }
}

fn sorted(values: &HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = values.iter().cloned().collect();
    out.sort();
    out
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// `a.b.c.0/24` of an IPv4 address, the /48 of an IPv6 one; the value itself otherwise.
pub fn network_of(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            let [x, y, z, _] = a.octets();
            format!("{x}.{y}.{z}.0/24")
        }
        Ok(IpAddr::V6(a)) => {
            let net = std::net::Ipv6Addr::from(u128::from(a) & (u128::MAX << 80));
            format!("{net}/48")
        }
        Err(_) => address.to_string(),
    }
}

fn parse_cidr(value: &str) -> Result<Condition, QueryError> {
    let bad = || {
        invalid(format!(
            "'{value}' is not a network in CIDR notation (e.g. 192.0.2.0/24 or 2001:db8::/32)"
        ))
    };
    let (address, bits) = value.split_once('/').ok_or_else(bad)?;
    let ip: IpAddr = address.trim().parse().map_err(|_| bad())?;
    let bits: u8 = bits.trim().parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return Err(bad());
    }
    Ok(Condition::Cidr(ip, bits))
}

/// The checked parts of a filter: a row condition on a field, or a range on a metric.
enum Checked<F, M> {
    Row(F, Condition),
    Range(M, Option<u64>, Option<u64>),
}

/// A filter checked against its kind's fields and metrics.
type CheckedFilter<K> = Result<Checked<<K as Kind>::Field, <K as Kind>::Metric>, QueryError>;

/// What the engine needs to know of a query kind.
trait Kind {
    type Field: Copy + Eq + std::hash::Hash + Serialize + std::fmt::Debug;
    type Metric: Copy + Eq + Serialize + std::fmt::Debug;
    /// What kind of values a field holds (which operators fit it).
    fn shape(field: Self::Field) -> Shape;
    /// The metric of a query that names none.
    fn default_metric() -> Self::Metric;
}

struct Dmarc;
struct Tls;

impl Kind for Dmarc {
    type Field = DmarcField;
    type Metric = DmarcMetric;
    fn shape(field: DmarcField) -> Shape {
        match field {
            DmarcField::Day | DmarcField::Week | DmarcField::Month => Shape::Time,
            DmarcField::SourceIp => Shape::Address,
            DmarcField::SourceNetwork => Shape::Network,
            _ => Shape::Text,
        }
    }
    fn default_metric() -> DmarcMetric {
        DmarcMetric::Messages
    }
}

impl Kind for Tls {
    type Field = TlsField;
    type Metric = TlsMetric;
    fn shape(field: TlsField) -> Shape {
        match field {
            TlsField::Day | TlsField::Week | TlsField::Month => Shape::Time,
            TlsField::SendingMtaIp => Shape::Address,
            _ => Shape::Text,
        }
    }
    fn default_metric() -> TlsMetric {
        TlsMetric::FailedSessions
    }
}

/// Checks one filter's operator and operands against its field or metric.
fn check_filter<K: Kind>(
    term: Result<K::Field, K::Metric>,
    op: FilterOp,
    value: &Option<String>,
    values: &Option<Vec<String>>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<Checked<K::Field, K::Metric>, QueryError> {
    let name = match &term {
        Ok(f) => name_of(f),
        Err(m) => name_of(m),
    };
    let op_name = name_of_op(op);
    let needs = |want_value: bool, want_values: bool, want_range: bool| {
        let given = [
            value.is_some(),
            values.is_some(),
            min.is_some() || max.is_some(),
        ];
        let wanted = [want_value, want_values, want_range];
        for (i, what) in ["value", "values", "min/max"].iter().enumerate() {
            if given[i] && !wanted[i] {
                return Err(invalid(format!(
                    "filter on {name}: op {op_name} takes no {what}"
                )));
            }
        }
        Ok(())
    };
    let one = || {
        value
            .clone()
            .ok_or_else(|| invalid(format!("filter on {name}: op {op_name} needs a value")))
    };
    match term {
        Err(metric) => {
            if op != FilterOp::Range {
                return Err(invalid(format!(
                    "filter on {name}: a metric takes op range only (with min and/or max)"
                )));
            }
            needs(false, false, true)?;
            if min.is_none() && max.is_none() {
                return Err(invalid(format!("filter on {name}: range needs min or max")));
            }
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                return Err(invalid(format!(
                    "filter on {name}: min must not be above max"
                )));
            }
            Ok(Checked::Range(metric, min, max))
        }
        Ok(field) => {
            let shape = K::shape(field);
            if shape == Shape::Time {
                return Err(invalid(format!(
                    "filter on {name}: time fields are not filtered; use from and to"
                )));
            }
            let condition = match op {
                FilterOp::Equals => {
                    needs(true, false, false)?;
                    Condition::Equals(one()?)
                }
                FilterOp::Not => {
                    needs(true, false, false)?;
                    Condition::Not(one()?)
                }
                FilterOp::Prefix => {
                    needs(true, false, false)?;
                    Condition::Prefix(one()?)
                }
                FilterOp::In | FilterOp::NotIn => {
                    needs(false, true, false)?;
                    let list = values.clone().ok_or_else(|| {
                        invalid(format!("filter on {name}: op {op_name} needs values"))
                    })?;
                    if list.is_empty() || list.len() > MAX_VALUES {
                        return Err(invalid(format!(
                            "filter on {name}: values must hold 1 to {MAX_VALUES} values"
                        )));
                    }
                    let set = list.into_iter().collect();
                    if op == FilterOp::In {
                        Condition::In(set)
                    } else {
                        Condition::NotIn(set)
                    }
                }
                FilterOp::Cidr => {
                    if !matches!(shape, Shape::Address | Shape::Network) {
                        return Err(invalid(format!(
                            "filter on {name}: op cidr fits address fields only"
                        )));
                    }
                    needs(true, false, false)?;
                    parse_cidr(&one()?)?
                }
                FilterOp::Range => {
                    return Err(invalid(format!(
                        "filter on {name}: op range fits metrics only"
                    )));
                }
            };
            Ok(Checked::Row(field, condition))
        }
    }
}

fn name_of_op(op: FilterOp) -> &'static str {
    match op {
        FilterOp::Equals => "equals",
        FilterOp::Not => "not",
        FilterOp::In => "in",
        FilterOp::NotIn => "not_in",
        FilterOp::Prefix => "prefix",
        FilterOp::Cidr => "cidr",
        FilterOp::Range => "range",
    }
}

/// A sort key, checked: a grouped field (its position in the key) or a metric.
#[derive(Debug, Clone, Copy)]
enum SortKey<M> {
    Field(usize),
    Metric(M),
}

/// A query checked against the rules, independent of its source.
struct Plan<K: Kind> {
    group_by: Vec<K::Field>,
    rows: Vec<(K::Field, Condition)>,
    ranges: Vec<(K::Metric, Option<u64>, Option<u64>)>,
    metrics: Vec<K::Metric>,
    order: Vec<(SortKey<K::Metric>, Direction)>,
    limit: i64,
    /// The decoded cursor: order values and key of the last group of the previous page.
    after: Option<(Vec<SortValue>, Vec<String>)>,
    /// Fields the facts must give (grouped or filtered).
    needed: Vec<K::Field>,
}

/// A value groups are ordered by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
enum SortValue {
    Number(u64),
    Text(String),
}

fn plan<K: Kind, T>(
    group_by: &[K::Field],
    filters: Vec<CheckedFilter<K>>,
    metrics: &[K::Metric],
    order_by: &[(T, Direction)],
    term: impl Fn(&T) -> Result<K::Field, K::Metric>,
    (limit, after, whole): (Option<i64>, Option<&str>, bool),
) -> Result<Plan<K>, QueryError> {
    if group_by.len() > MAX_GROUP_BY {
        return Err(invalid(format!(
            "group_by may name at most {MAX_GROUP_BY} fields"
        )));
    }
    for (i, f) in group_by.iter().enumerate() {
        if group_by[..i].contains(f) {
            return Err(invalid(format!("group_by names {} twice", name_of(f))));
        }
    }
    if filters.len() > MAX_FILTERS {
        return Err(invalid(format!(
            "at most {MAX_FILTERS} filters are allowed"
        )));
    }
    let (mut rows, mut ranges) = (Vec::new(), Vec::new());
    for f in filters {
        match f? {
            Checked::Row(field, c) => rows.push((field, c)),
            Checked::Range(m, a, b) => ranges.push((m, a, b)),
        }
    }
    let mut metrics = metrics.to_vec();
    if metrics.is_empty() {
        metrics.push(K::default_metric());
    }
    for (i, m) in metrics.iter().enumerate() {
        if metrics[..i].contains(m) {
            return Err(invalid(format!("metrics names {} twice", name_of(m))));
        }
    }
    if order_by.len() > MAX_ORDER_BY {
        return Err(invalid(format!(
            "order_by may name at most {MAX_ORDER_BY} terms"
        )));
    }
    let mut order = Vec::new();
    for (t, direction) in order_by {
        let key = match term(t) {
            Ok(field) => {
                SortKey::Field(group_by.iter().position(|g| *g == field).ok_or_else(|| {
                    invalid(format!(
                        "order_by names {}, which is not in group_by",
                        name_of(&field)
                    ))
                })?)
            }
            Err(metric) => {
                if !metrics.contains(&metric) {
                    return Err(invalid(format!(
                        "order_by names {}, which is not in metrics",
                        name_of(&metric)
                    )));
                }
                SortKey::Metric(metric)
            }
        };
        order.push((key, *direction));
    }
    if order.is_empty() {
        // Largest first by the first metric; the key breaks ties.
        if let Some(first) = metrics.first() {
            order.push((SortKey::Metric(*first), Direction::Desc));
        }
    }
    if whole && (limit.is_some() || after.is_some()) {
        return Err(invalid("a whole answer takes neither limit nor cursor"));
    }
    let limit = if whole {
        i64::try_from(MAX_ROWS.max(usize::try_from(MAX_RECORDS).unwrap_or(MAX_ROWS)))
            .unwrap_or(i64::MAX)
    } else {
        limit.unwrap_or(DEFAULT_LIMIT)
    };
    if !whole && !(MIN_LIMIT..=MAX_LIMIT).contains(&limit) {
        return Err(invalid(format!(
            "limit must be between {MIN_LIMIT} and {MAX_LIMIT}"
        )));
    }
    let after = after
        .map(|raw| {
            serde_json::from_str::<(Vec<SortValue>, Vec<String>)>(raw)
                .ok()
                .filter(|(values, key)| values.len() == order.len() && key.len() == group_by.len())
                .ok_or_else(|| invalid("cursor is not a cursor returned by this query"))
        })
        .transpose()?;
    let mut needed = group_by.to_vec();
    for (f, _) in &rows {
        if !needed.contains(f) {
            needed.push(*f);
        }
    }
    Ok(Plan {
        group_by: group_by.to_vec(),
        rows,
        ranges,
        metrics,
        order,
        limit,
        after,
        needed,
    })
}

/// The domains a query covers: those named (each in scope: else not found), or all of the
/// scope, at most [`MAX_DOMAINS`].
fn resolve_domains(
    conn: &mut DbConnection,
    scope: &TenantScope,
    names: &[String],
) -> Result<Vec<Domain>, QueryError> {
    if names.len() > MAX_DOMAINS {
        return Err(invalid(format!(
            "domains may name at most {MAX_DOMAINS} domains"
        )));
    }
    let mut out: Vec<Domain> = Vec::new();
    if names.is_empty() {
        let all = domains::list_domains(conn, scope, None, MAX_DOMAINS as i64 + 1)?;
        if all.len() > MAX_DOMAINS {
            return Err(QueryError::TooLarge(format!(
                "the scope holds more than {MAX_DOMAINS} domains; name at most {MAX_DOMAINS} in domains"
            )));
        }
        return Ok(all);
    }
    for name in names {
        let d = domains::get_domain_by_name(conn, scope, name)?;
        if !out.iter().any(|o| o.id == d.id) {
            out.push(d);
        }
    }
    Ok(out)
}

fn fact_query(domains: &[Domain], days: DayRange, bucket: Bucket) -> FactQuery {
    FactQuery {
        domains: domains.iter().map(|d| d.id.clone()).collect(),
        days,
        bucket,
        by_domain: false,
        by: Vec::new(),
        conditions: Vec::new(),
        max_rows: MAX_ROWS,
        max_records: MAX_RECORDS,
        deadline: Instant::now() + TIME_LIMIT,
        statement_timeout_ms: u64::try_from(TIME_LIMIT.as_millis()).unwrap_or(u64::MAX),
    }
}

fn day_label(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn month_label(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default()
}

/// The time bucket a query's fields need (the finest one named), and a check of its length.
fn bucket_of(day: bool, week: bool, month: bool, days: DayRange) -> Result<Bucket, QueryError> {
    let bucket = if day {
        Bucket::Day
    } else if week {
        Bucket::Week
    } else if month {
        Bucket::Month
    } else {
        Bucket::None
    };
    if matches!(bucket, Bucket::Day | Bucket::Week)
        && days.last.saturating_sub(days.first) >= MAX_BUCKET_DAYS
    {
        return Err(QueryError::TooLarge(format!(
            "grouping by day or week covers at most {MAX_BUCKET_DAYS} days; narrow the range or \
             group by month"
        )));
    }
    Ok(bucket)
}

/// Groups facts: each fact's values of the needed fields (several for a multi-valued field,
/// none to leave the fact out), the row conditions, the sums added to its group.
struct Grouper<'p, K: Kind> {
    plan: &'p Plan<K>,
    groups: HashMap<Vec<String>, Vec<u64>>,
}

impl<'p, K: Kind> Grouper<'p, K> {
    fn new(plan: &'p Plan<K>) -> Self {
        Grouper {
            plan,
            groups: HashMap::new(),
        }
    }

    /// Adds one fact, given the values of each needed field (in `plan.needed` order).
    fn add(&mut self, values: &[Vec<String>], sums: &[u64]) {
        if values.iter().any(Vec::is_empty) {
            return;
        }
        // The combinations of the values (one, unless a field is multi-valued).
        let mut pick = vec![0usize; values.len()];
        loop {
            let value = |field: K::Field| -> &str {
                let i = self
                    .plan
                    .needed
                    .iter()
                    .position(|f| *f == field)
                    .unwrap_or(0);
                values
                    .get(i)
                    .and_then(|v| v.get(pick.get(i).copied().unwrap_or(0)))
                    .map(String::as_str)
                    .unwrap_or("")
            };
            if self.plan.rows.iter().all(|(f, c)| c.matches(value(*f))) {
                let key: Vec<String> = self
                    .plan
                    .group_by
                    .iter()
                    .map(|f| value(*f).to_string())
                    .collect();
                let slot = self
                    .groups
                    .entry(key)
                    .or_insert_with(|| vec![0; sums.len()]);
                for (s, n) in slot.iter_mut().zip(sums) {
                    *s = s.saturating_add(*n);
                }
            }
            // Next combination.
            let mut i = 0;
            loop {
                if i == values.len() {
                    return;
                }
                pick[i] += 1;
                if pick[i] < values[i].len() {
                    break;
                }
                pick[i] = 0;
                i += 1;
            }
        }
    }

    /// The page of the groups the plan asks for; `metric` reads a metric of a group's sums.
    fn finish(
        self,
        metric: impl Fn(K::Metric, &[u64]) -> u64,
    ) -> (u64, Vec<Group>, Option<String>) {
        let plan = self.plan;
        let mut groups: Vec<(Vec<SortValue>, Vec<String>, Vec<u64>)> = self
            .groups
            .into_iter()
            .filter(|(_, sums)| {
                plan.ranges.iter().all(|(m, min, max)| {
                    let v = metric(*m, sums);
                    min.is_none_or(|a| v >= a) && max.is_none_or(|b| v <= b)
                })
            })
            .map(|(key, sums)| {
                let values = plan
                    .order
                    .iter()
                    .map(|(k, _)| match k {
                        SortKey::Field(i) => {
                            SortValue::Text(key.get(*i).cloned().unwrap_or_default())
                        }
                        SortKey::Metric(m) => SortValue::Number(metric(*m, &sums)),
                    })
                    .collect();
                (values, key, sums)
            })
            .collect();
        let compare = |a: (&[SortValue], &[String]), b: (&[SortValue], &[String])| -> Ordering {
            for ((x, y), (_, direction)) in a.0.iter().zip(b.0).zip(&plan.order) {
                let o = x.cmp(y);
                let o = if *direction == Direction::Desc {
                    o.reverse()
                } else {
                    o
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            a.1.cmp(b.1)
        };
        let total = groups.len() as u64;
        if let Some((values, key)) = &plan.after {
            groups.retain(|(v, k, _)| {
                compare(
                    (v.as_slice(), k.as_slice()),
                    (values.as_slice(), key.as_slice()),
                ) == Ordering::Greater
            });
        }
        groups.sort_by(|a, b| compare((&a.0, &a.1), (&b.0, &b.1)));
        let limit = usize::try_from(plan.limit).unwrap_or(0);
        let more = groups.len() > limit;
        groups.truncate(limit);
        let next = if more {
            groups
                .last()
                .and_then(|(v, k, _)| serde_json::to_string(&(v, k)).ok())
        } else {
            None
        };
        let page = groups
            .into_iter()
            .map(|(_, key, sums)| Group {
                key: plan.group_by.iter().map(|f| name_of(f)).zip(key).collect(),
                metrics: plan
                    .metrics
                    .iter()
                    .map(|m| (name_of(m), metric(*m, &sums)))
                    .collect(),
            })
            .collect();
        (total, page, next)
    }
}

/// The sending service of each (domain, source) pair, as `dmarc/by-source` names it.
fn services_of(
    conn: &mut DbConnection,
    scope: &TenantScope,
    days: DayRange,
    facts: &[DmarcFact],
) -> Result<HashMap<(String, String), Option<ServiceMatch>>, QueryError> {
    let mut by_domain: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in facts {
        by_domain
            .entry(f.domain_id.clone())
            .or_default()
            .push(f.source_ip.clone());
    }
    let mut out = HashMap::new();
    for (domain, mut ips) in by_domain {
        ips.sort();
        ips.dedup();
        let names: HashMap<String, source_names::SourceName> = source_names::find_many(conn, &ips)?
            .into_iter()
            .map(|n| (n.ip.clone(), n))
            .collect();
        let id = crate::domain::ids::DomainId::from(domain.as_str());
        let mut auth = dmarc_source_auth(conn, scope, &id, days, &ips)?;
        for ip in ips {
            let a = auth.remove(&ip).unwrap_or_default();
            let dkim: Vec<&str> = a.dkim.iter().map(|(d, _)| d.as_str()).collect();
            let spf: Vec<&str> = a.spf.iter().map(|(d, _)| d.as_str()).collect();
            let confirmed = names.get(&ip).and_then(|n| n.confirmed_name.as_deref());
            out.insert((domain.clone(), ip), service_of(confirmed, &dkim, &spf));
        }
    }
    Ok(out)
}

/// Which DMARC source answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DmarcSource {
    Sources,
    Auth(&'static str),
    Results,
    Records,
}

fn dmarc_source(fields: &[DmarcField], metrics: &[DmarcMetric]) -> DmarcSource {
    use DmarcField as F;
    let common = |f: &F| matches!(f, F::Day | F::Week | F::Month | F::Domain);
    let source = |f: &F| {
        matches!(
            f,
            F::SourceIp | F::SourceNetwork | F::Service | F::ServiceCategory
        )
    };
    if fields
        .iter()
        .all(|f| common(f) || source(f) || *f == F::HeaderFrom)
    {
        return DmarcSource::Sources;
    }
    let messages_only = metrics.iter().all(|m| *m == DmarcMetric::Messages);
    let dkim = fields.contains(&F::DkimDomain);
    let spf = fields.contains(&F::SpfDomain);
    if messages_only
        && dkim != spf
        && fields
            .iter()
            .all(|f| common(f) || source(f) || matches!(f, F::DkimDomain | F::SpfDomain))
    {
        return DmarcSource::Auth(if dkim { "dkim" } else { "spf" });
    }
    if fields.iter().all(|f| {
        common(f)
            || matches!(
                f,
                F::Reporter | F::Disposition | F::DkimResult | F::SpfResult | F::Alignment
            )
    }) {
        return DmarcSource::Results;
    }
    DmarcSource::Records
}

fn dmarc_metric(m: DmarcMetric, sums: &[u64]) -> u64 {
    let i = match m {
        DmarcMetric::Messages => 0,
        DmarcMetric::DmarcPass => 1,
        DmarcMetric::DmarcFail => 2,
        DmarcMetric::DkimAligned => 3,
        DmarcMetric::SpfAligned => 4,
        DmarcMetric::DispositionNone => 5,
        DmarcMetric::DispositionQuarantine => 6,
        DmarcMetric::DispositionReject => 7,
    };
    sums.get(i).copied().unwrap_or(0)
}

fn alignment(dkim: &str, spf: &str) -> &'static str {
    match (dkim == "pass", spf == "pass") {
        (true, true) => "dkim_and_spf",
        (true, false) => "dkim_only",
        (false, true) => "spf_only",
        (false, false) => "neither",
    }
}

/// Answers a DMARC query in the caller's scope.
pub fn query_dmarc(db: &Db, scope: &TenantScope, q: DmarcQuery) -> Result<Answer, QueryError> {
    let filters = q
        .filters
        .iter()
        .map(|f| {
            let term = match f.field {
                DmarcTerm::Field(x) => Ok(x),
                DmarcTerm::Metric(m) => Err(m),
            };
            check_filter::<Dmarc>(term, f.op, &f.value, &f.values, f.min, f.max)
        })
        .collect();
    let order: Vec<(DmarcTerm, Direction)> =
        q.order_by.iter().map(|o| (o.field, o.direction)).collect();
    let plan: Plan<Dmarc> = plan(
        &q.group_by,
        filters,
        &q.metrics,
        &order,
        |t| match t {
            DmarcTerm::Field(x) => Ok(*x),
            DmarcTerm::Metric(m) => Err(*m),
        },
        (q.limit, q.after.as_deref(), q.whole),
    )?;
    let fields = &plan.needed;
    let mut used_metrics = plan.metrics.clone();
    used_metrics.extend(plan.ranges.iter().map(|(m, _, _)| *m));
    let source = dmarc_source(fields, &used_metrics);
    let has = |f: DmarcField| fields.contains(&f);
    let bucket = bucket_of(
        has(DmarcField::Day),
        has(DmarcField::Week),
        has(DmarcField::Month),
        q.days,
    )?;
    db.read(|conn| {
        Ok(resolve_domains(conn, scope, &q.domains)
            .and_then(|domains| answer_dmarc(conn, scope, &plan, source, bucket, q.days, domains)))
    })?
}

/// The domain names by id, and an answer with no group yet, read from the raw records or
/// not.
fn empty_answer<K: Kind>(
    plan: &Plan<K>,
    domains: &[Domain],
    from_records: bool,
) -> (HashMap<String, String>, Answer) {
    let names = domains
        .iter()
        .map(|d| (d.id.as_str().to_string(), d.name.clone()))
        .collect();
    let answer = Answer {
        domains: domains.iter().map(|d| d.name.clone()).collect(),
        answered_from: if from_records {
            AnsweredFrom::Records
        } else {
            AnsweredFrom::Rollups
        },
        scanned_rows: 0,
        total_groups: 0,
        groups: Vec::new(),
        next: None,
        columns: plan
            .group_by
            .iter()
            .map(|f| name_of(f))
            .chain(plan.metrics.iter().map(|m| name_of(m)))
            .collect(),
    };
    (names, answer)
}

fn answer_dmarc(
    conn: &mut DbConnection,
    scope: &TenantScope,
    plan: &Plan<Dmarc>,
    source: DmarcSource,
    bucket: Bucket,
    days: DayRange,
    domains: Vec<Domain>,
) -> Result<Answer, QueryError> {
    let (names, mut answer) = empty_answer(plan, &domains, source == DmarcSource::Records);
    let fields = &plan.needed;
    let has = |f: DmarcField| fields.contains(&f);
    let mut q = fact_query(&domains, days, bucket);
    q.by_domain =
        has(DmarcField::Domain) || has(DmarcField::Service) || has(DmarcField::ServiceCategory);
    let by_ip = has(DmarcField::SourceIp)
        || has(DmarcField::SourceNetwork)
        || has(DmarcField::Service)
        || has(DmarcField::ServiceCategory);
    for (wanted, column) in [
        (by_ip, Column::SourceIp),
        (has(DmarcField::HeaderFrom), Column::HeaderFrom),
        (has(DmarcField::Reporter), Column::Reporter),
        (
            has(DmarcField::DkimDomain) || has(DmarcField::SpfDomain),
            Column::AuthDomain,
        ),
    ] {
        if wanted {
            q.by.push(column);
        }
    }
    for (field, condition) in &plan.rows {
        let column = match field {
            DmarcField::SourceIp => Column::SourceIp,
            DmarcField::HeaderFrom => Column::HeaderFrom,
            DmarcField::Reporter => Column::Reporter,
            DmarcField::DkimDomain | DmarcField::SpfDomain => Column::AuthDomain,
            _ => continue,
        };
        if let Some(c) = condition.pushed(column) {
            q.conditions.push(c);
        }
    }
    if domains.is_empty() {
        return Ok(answer);
    }
    let facts: Bounded<Vec<DmarcFact>> = match source {
        DmarcSource::Sources => stored::dmarc_source_facts(conn, scope, &q)?,
        DmarcSource::Auth(method) => stored::dmarc_auth_facts(conn, scope, &q, method)?,
        DmarcSource::Results => stored::dmarc_result_facts(conn, scope, &q)?,
        DmarcSource::Records => {
            let mut facts = Vec::new();
            stored::dmarc_record_facts(conn, scope, &q, &mut |f| facts.push(f))?
                .map(|((), scanned)| (facts, scanned))
        }
    };
    let (facts, scanned) = facts?;
    answer.scanned_rows = scanned;
    let services = if has(DmarcField::Service) || has(DmarcField::ServiceCategory) {
        services_of(conn, scope, days, &facts)?
    } else {
        HashMap::new()
    };
    let mut grouper = Grouper::new(plan);
    let mut values: Vec<Vec<String>> = Vec::with_capacity(fields.len());
    for fact in &facts {
        values.clear();
        for field in fields {
            let one = |s: &str| vec![s.to_string()];
            values.push(match field {
                DmarcField::Day | DmarcField::Week => one(&day_label(fact.bucket)),
                DmarcField::Month => one(&month_label(fact.bucket)),
                DmarcField::Domain => one(names.get(&fact.domain_id).map_or("", String::as_str)),
                DmarcField::HeaderFrom => one(&fact.header_from),
                DmarcField::SourceIp => one(&fact.source_ip),
                DmarcField::SourceNetwork => one(&network_of(&fact.source_ip)),
                DmarcField::Service | DmarcField::ServiceCategory => {
                    let m = services
                        .get(&(fact.domain_id.clone(), fact.source_ip.clone()))
                        .and_then(Option::as_ref);
                    one(&match (field, m) {
                        (_, None) => String::new(),
                        (DmarcField::Service, Some(m)) => m.id.clone(),
                        (_, Some(m)) => serde_json::to_value(m.category)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                    })
                }
                DmarcField::Reporter => one(&fact.reporter),
                DmarcField::Disposition => one(&fact.disposition),
                DmarcField::DkimResult => one(&fact.dkim_result),
                DmarcField::SpfResult => one(&fact.spf_result),
                DmarcField::DkimDomain => fact.dkim_domains.clone(),
                DmarcField::SpfDomain => fact.spf_domains.clone(),
                DmarcField::Alignment => one(alignment(&fact.dkim_result, &fact.spf_result)),
                DmarcField::Policy => one(&fact.policy),
            });
        }
        grouper.add(&values, &fact.sums);
    }
    let (total, groups, next) = grouper.finish(dmarc_metric);
    answer.total_groups = total;
    answer.groups = groups;
    answer.next = next;
    Ok(answer)
}

/// Which TLS source answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TlsSource {
    Summary,
    Details,
    Policies,
}

fn tls_metric(m: TlsMetric, sums: &[u64]) -> u64 {
    let ok = sums.first().copied().unwrap_or(0);
    let failed = sums.get(1).copied().unwrap_or(0);
    match m {
        TlsMetric::SuccessfulSessions => ok,
        TlsMetric::FailedSessions => failed,
        TlsMetric::TotalSessions => ok.saturating_add(failed),
    }
}

/// Answers a TLS query in the caller's scope.
pub fn query_tls(db: &Db, scope: &TenantScope, q: TlsQuery) -> Result<Answer, QueryError> {
    let filters = q
        .filters
        .iter()
        .map(|f| {
            let term = match f.field {
                TlsTerm::Field(x) => Ok(x),
                TlsTerm::Metric(m) => Err(m),
            };
            check_filter::<Tls>(term, f.op, &f.value, &f.values, f.min, f.max)
        })
        .collect();
    let order: Vec<(TlsTerm, Direction)> =
        q.order_by.iter().map(|o| (o.field, o.direction)).collect();
    let plan: Plan<Tls> = plan(
        &q.group_by,
        filters,
        &q.metrics,
        &order,
        |t| match t {
            TlsTerm::Field(x) => Ok(*x),
            TlsTerm::Metric(m) => Err(*m),
        },
        (q.limit, q.after.as_deref(), q.whole),
    )?;
    let fields = plan.needed.clone();
    let has = |f: TlsField| fields.contains(&f);
    let details = has(TlsField::ResultType)
        || has(TlsField::SendingMtaIp)
        || has(TlsField::ReceivingMxHostname);
    let policies = has(TlsField::PolicyType) || has(TlsField::PolicyDomain);
    let source = match (details, policies) {
        (true, true) => {
            return Err(invalid(
                "policy fields (policy_type, policy_domain) do not combine with failure fields \
                 (result_type, sending_mta_ip, receiving_mx_hostname)",
            ));
        }
        (true, false) => TlsSource::Details,
        (false, true) => TlsSource::Policies,
        (false, false) => TlsSource::Summary,
    };
    if source == TlsSource::Details {
        let mut used = plan.metrics.clone();
        used.extend(plan.ranges.iter().map(|(m, _, _)| *m));
        if used.iter().any(|m| *m != TlsMetric::FailedSessions) {
            return Err(invalid(
                "with result_type, sending_mta_ip or receiving_mx_hostname only failed_sessions \
                 is known: reporters give successful sessions per policy, not per failure",
            ));
        }
    }
    let bucket = bucket_of(
        has(TlsField::Day),
        has(TlsField::Week),
        has(TlsField::Month),
        q.days,
    )?;
    db.read(|conn| {
        Ok(resolve_domains(conn, scope, &q.domains)
            .and_then(|domains| answer_tls(conn, scope, &plan, source, bucket, q.days, domains)))
    })?
}

fn answer_tls(
    conn: &mut DbConnection,
    scope: &TenantScope,
    plan: &Plan<Tls>,
    source: TlsSource,
    bucket: Bucket,
    days: DayRange,
    domains: Vec<Domain>,
) -> Result<Answer, QueryError> {
    let (names, mut answer) = empty_answer(plan, &domains, source == TlsSource::Policies);
    let fields = &plan.needed;
    let has = |f: TlsField| fields.contains(&f);
    let mut q = fact_query(&domains, days, bucket);
    q.by_domain = has(TlsField::Domain);
    for (field, column) in [
        (TlsField::Reporter, Column::Reporter),
        (TlsField::ResultType, Column::ResultType),
        (TlsField::SendingMtaIp, Column::SendingMtaIp),
        (TlsField::ReceivingMxHostname, Column::ReceivingMxHostname),
    ] {
        if has(field) {
            q.by.push(column);
        }
    }
    for (field, condition) in &plan.rows {
        let column = match field {
            TlsField::ResultType => Column::ResultType,
            TlsField::SendingMtaIp => Column::SendingMtaIp,
            TlsField::ReceivingMxHostname => Column::ReceivingMxHostname,
            // The policy rows are read by report; the reporter is filtered here.
            TlsField::Reporter if source != TlsSource::Policies => Column::Reporter,
            _ => continue,
        };
        if let Some(c) = condition.pushed(column) {
            q.conditions.push(c);
        }
    }
    if domains.is_empty() {
        return Ok(answer);
    }
    let facts: Bounded<Vec<TlsFact>> = match source {
        TlsSource::Summary => stored::tls_facts(conn, scope, &q, false)?,
        TlsSource::Details => stored::tls_facts(conn, scope, &q, true)?,
        TlsSource::Policies => stored::tls_policy_facts(conn, scope, &q)?,
    };
    let (facts, scanned) = facts?;
    answer.scanned_rows = scanned;
    let mut grouper = Grouper::new(plan);
    let mut values: Vec<Vec<String>> = Vec::with_capacity(fields.len());
    for fact in &facts {
        values.clear();
        for field in fields {
            values.push(vec![match field {
                TlsField::Day | TlsField::Week => day_label(fact.bucket),
                TlsField::Month => month_label(fact.bucket),
                TlsField::Domain => names.get(&fact.domain_id).cloned().unwrap_or_default(),
                TlsField::Reporter => fact.reporter.clone(),
                TlsField::ResultType => fact.result_type.clone(),
                TlsField::SendingMtaIp => fact.sending_mta_ip.clone(),
                TlsField::ReceivingMxHostname => fact.receiving_mx_hostname.clone(),
                TlsField::PolicyType => fact.policy_type.clone(),
                TlsField::PolicyDomain => fact.policy_domain.clone(),
            }]);
        }
        grouper.add(&values, &fact.sums);
    }
    let (total, groups, next) = grouper.finish(tls_metric);
    answer.total_groups = total;
    answer.groups = groups;
    answer.next = next;
    Ok(answer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_the_24_of_ipv4_and_the_48_of_ipv6() {
        assert_eq!(network_of("192.0.2.77"), "192.0.2.0/24");
        assert_eq!(network_of("2001:db8:1:2::5"), "2001:db8:1::/48");
        assert_eq!(network_of("not an address"), "not an address");
    }

    #[test]
    fn cidr_conditions_match_addresses_and_networks_inside_them() {
        let c = parse_cidr("192.0.2.0/23").unwrap();
        assert!(c.matches("192.0.3.4"));
        assert!(c.matches("192.0.2.0/24"));
        assert!(!c.matches("192.0.4.1"));
        assert!(!c.matches("2001:db8::1"));
        let all = parse_cidr("0.0.0.0/0").unwrap();
        assert!(all.matches("203.0.113.9"));
        let v6 = parse_cidr("2001:db8::/32").unwrap();
        assert!(v6.matches("2001:db8:ffff::1"));
        assert!(parse_cidr("192.0.2.0/33").is_err());
        assert!(parse_cidr("192.0.2.0").is_err());
    }

    #[test]
    fn the_fields_decide_the_source() {
        use DmarcField as F;
        let m = [DmarcMetric::Messages];
        assert_eq!(
            dmarc_source(&[F::SourceIp, F::HeaderFrom, F::Month], &m),
            DmarcSource::Sources
        );
        assert_eq!(
            dmarc_source(&[F::DkimDomain, F::SourceNetwork], &m),
            DmarcSource::Auth("dkim")
        );
        assert_eq!(
            dmarc_source(&[F::DkimDomain], &[DmarcMetric::DmarcPass]),
            DmarcSource::Records
        );
        assert_eq!(
            dmarc_source(&[F::Reporter, F::Alignment, F::Week], &m),
            DmarcSource::Results
        );
        assert_eq!(dmarc_source(&[F::Policy], &m), DmarcSource::Records);
        assert_eq!(
            dmarc_source(&[F::Reporter, F::SourceIp], &m),
            DmarcSource::Records
        );
    }
}
