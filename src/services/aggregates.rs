//! Aggregates of one domain over a range of UTC days: DMARC and SMTP TLS totals, sending
//! sources (named through the services catalogue), sources grouped by sending service, and
//! timeseries in day or week buckets. Every front door (the HTTP API, documents and digests,
//! an agent protocol) computes these answers here, so they cannot drift apart.
//!
//! Invariants:
//! - The domain is looked up in the caller's [`TenantScope`] (by name or id); one outside it
//!   is `StorageError::NotFound`, as if it did not exist.
//! - Totals come from the per-day rollups; superseded report versions are left out
//!   (`storage::aggregates`). Counts saturate, never overflow.
//! - A source is named from its forward-confirmed PTR name first, then from its passing DKIM
//!   domains, then from its passing SPF domains (`analysis::services`); an unconfirmed PTR
//!   name or a failing result never names one.
//! - A timeseries covers every bucket of its range, zero where no report covers it, and is
//!   at most [`Interval::max_points`] long ([`Series::new`] refuses longer ones).
//!
//! Synchronous (run it through `services::blocking`); reads only. Must not depend on `api`
//! or on HTTP: range parsing, cursors and DTOs belong to the front doors.

use crate::analysis::services::{ConfirmedName, Evidence, ServiceMatch, classify};
use crate::domain::days::{month_start, next_month_start};
use crate::storage::aggregates::{self, DmarcByResult, TlsByResult};
use crate::storage::source_names::{self, SourceName};
use crate::storage::{Db, StorageResult, TenantScope, domains};
use std::collections::{BTreeMap, HashMap};

pub use crate::storage::aggregates::{DayRange, TlsByOrganization, TlsFailurePath};

/// Dispositions every DMARC answer lists, zero when none was reported.
const DISPOSITIONS: &[&str] = &["none", "quarantine", "reject"];
/// DKIM and SPF results every DMARC answer lists, zero when none was reported.
const RESULTS: &[&str] = &["pass", "fail"];

/// An aggregate of one domain.
#[derive(Debug, Clone, PartialEq)]
pub struct ForDomain<T> {
    /// The domain's name as registered.
    pub domain: String,
    pub value: T,
}

fn with_keys(mut map: BTreeMap<String, u64>, keys: &[&str]) -> BTreeMap<String, u64> {
    for k in keys {
        map.entry((*k).to_string()).or_default();
    }
    map
}

/// DMARC message totals by result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DmarcResults {
    pub total_messages: u64,
    /// Messages where DMARC-aligned DKIM or SPF passed.
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// By disposition; `none`, `quarantine` and `reject` always present.
    pub disposition: BTreeMap<String, u64>,
    /// By DMARC-aligned DKIM result; `pass` and `fail` always present.
    pub dkim_aligned: BTreeMap<String, u64>,
    /// By DMARC-aligned SPF result; `pass` and `fail` always present.
    pub spf_aligned: BTreeMap<String, u64>,
}

impl From<DmarcByResult> for DmarcResults {
    fn from(t: DmarcByResult) -> Self {
        DmarcResults {
            dmarc_fail_messages: t.total_messages.saturating_sub(t.dmarc_pass_messages),
            total_messages: t.total_messages,
            dmarc_pass_messages: t.dmarc_pass_messages,
            disposition: with_keys(t.disposition, DISPOSITIONS),
            dkim_aligned: with_keys(t.dkim_aligned, RESULTS),
            spf_aligned: with_keys(t.spf_aligned, RESULTS),
        }
    }
}

/// SMTP TLS session totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsResults {
    pub total_sessions: u64,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Failed sessions reported in failure details, by result type.
    pub failed_sessions_by_result_type: BTreeMap<String, u64>,
}

impl From<TlsByResult> for TlsResults {
    fn from(t: TlsByResult) -> Self {
        TlsResults {
            total_sessions: t.successful_sessions.saturating_add(t.failed_sessions),
            successful_sessions: t.successful_sessions,
            failed_sessions: t.failed_sessions,
            failed_sessions_by_result_type: t.failed_sessions_by_result_type,
        }
    }
}

/// DMARC results of `domain` (a name or an id in `scope`) over `days`.
pub fn dmarc_by_result(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
) -> StorageResult<ForDomain<DmarcResults>> {
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let id = domain.id.clone();
        let totals = aggregates::dmarc_by_result(conn, scope, &id, days)?;
        Ok(ForDomain {
            domain: domain.name,
            value: totals.into(),
        })
    })
}

/// Which sources of the range to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePage {
    /// At most this many.
    pub limit: i64,
    /// Those after this `(messages, address)`: the last source of the previous page.
    pub after: Option<(i64, String)>,
}

/// One sending source (IP address) of a domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub source_ip: String,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    pub dkim_aligned_messages: u64,
    pub spf_aligned_messages: u64,
    pub forwarded_messages: u64,
    /// The From domains it sent, with message counts (`(none)` for an empty one).
    pub header_from: BTreeMap<String, u64>,
    /// Its reverse DNS, once the background enrichment has looked it up.
    pub reverse_dns: Option<SourceName>,
    /// DKIM domains that passed on its mail, most messages first.
    pub dkim_domains: Vec<(String, u64)>,
    /// SPF domains that passed for it, most messages first.
    pub spf_domains: Vec<(String, u64)>,
    /// The sending service, when one could be named.
    pub service: Option<ServiceMatch>,
}

/// One page of a domain's sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    /// Distinct sources in the range.
    pub total: u64,
    /// By message volume, largest first (then by address).
    pub sources: Vec<Source>,
    /// Whether sources follow the last one of this page.
    pub more: bool,
}

/// The sources of `domain` (a name or an id in `scope`) over `days`, one page.
pub fn dmarc_by_source(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    page: SourcePage,
) -> StorageResult<ForDomain<Sources>> {
    let limit = page.limit;
    let (domain, mut found, total, mut names, mut auth) = db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let id = domain.id.clone();
        // One more than the page, to know whether there is a next one.
        let (found, total) = aggregates::dmarc_by_source(
            conn,
            scope,
            &id,
            days,
            limit.saturating_add(1),
            page.after,
        )?;
        let ips: Vec<String> = found
            .iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|s| s.source_ip.clone())
            .collect();
        let names: HashMap<String, SourceName> = source_names::find_many(conn, &ips)?
            .into_iter()
            .map(|n| (n.ip.clone(), n))
            .collect();
        let auth = aggregates::dmarc_source_auth(conn, scope, &id, days, &ips)?;
        Ok((domain.name, found, total, names, auth))
    })?;
    let more = found.len() as i64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(0));
    let sources = found
        .into_iter()
        .map(|s| {
            let reverse_dns = names.remove(&s.source_ip);
            let aggregates::SourceAuth {
                dkim: dkim_domains,
                spf: spf_domains,
            } = auth.remove(&s.source_ip).unwrap_or_default();
            let service = service_of(
                reverse_dns
                    .as_ref()
                    .and_then(|r| r.confirmed_name.as_deref()),
                &domain_names(&dkim_domains),
                &domain_names(&spf_domains),
            );
            Source {
                source_ip: s.source_ip,
                messages: s.messages,
                dmarc_pass_messages: s.dmarc_pass_messages,
                dmarc_fail_messages: s.dmarc_fail_messages,
                dkim_aligned_messages: s.dkim_aligned_messages,
                spf_aligned_messages: s.spf_aligned_messages,
                forwarded_messages: s.forwarded_messages,
                header_from: s.header_from,
                reverse_dns,
                dkim_domains,
                spf_domains,
                service,
            }
        })
        .collect();
    Ok(ForDomain {
        domain,
        value: Sources {
            total,
            sources,
            more,
        },
    })
}

/// The service behind a source: its confirmed PTR name first, then its passing DKIM
/// domains, then its passing SPF domains, each in order (see `analysis::services`).
pub(crate) fn service_of(
    confirmed_name: Option<&str>,
    dkim_domains: &[&str],
    spf_domains: &[&str],
) -> Option<ServiceMatch> {
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
) -> Option<ServiceMatch> {
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

/// How a group of sources was formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// A named service.
    Service,
    /// Confirmed PTR names of one organizational domain the service table does not know.
    Organization,
    /// No PTR name resolves back to the address.
    Unconfirmed,
    /// Not looked up yet.
    Pending,
}

impl GroupKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupKind::Service => "service",
            GroupKind::Organization => "organization",
            GroupKind::Unconfirmed => "unconfirmed",
            GroupKind::Pending => "pending",
        }
    }
}

/// Sources of a domain grouped by sending service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceGroup {
    /// The named service (`Service` groups only).
    pub service: Option<ServiceMatch>,
    pub group: GroupKind,
    /// Organizational domain of the confirmed PTR names (`Organization` groups only).
    pub org_domain: Option<String>,
    /// Distinct source addresses.
    pub sources: u64,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub dmarc_fail_messages: u64,
    /// Messages receivers reported as forwarded or from a mailing list.
    pub forwarded_messages: u64,
    /// Messages receivers quarantined or rejected.
    pub quarantine_messages: u64,
    pub reject_messages: u64,
}

/// The sources of `domain` (a name or an id in `scope`) over `days` grouped by sending
/// service, by message volume (largest first). Every source is in exactly one group.
pub fn dmarc_by_service(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
) -> StorageResult<ForDomain<Vec<ServiceGroup>>> {
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        Ok(ForDomain {
            value: service_groups_of(conn, scope, &domain.id, days)?,
            domain: domain.name,
        })
    })
}

/// [`dmarc_by_service`] of a domain by id, on a connection the caller holds.
pub(crate) fn service_groups_of(
    conn: &mut crate::storage::DbConnection,
    scope: &TenantScope,
    id: &crate::domain::ids::DomainId,
    days: DayRange,
) -> StorageResult<Vec<ServiceGroup>> {
    // Only the auth domains that name a service can change a source's group.
    let naming: Vec<(String, String)> = aggregates::dmarc_auth_domains(conn, scope, id, days)?
        .into_iter()
        .filter(|(method, d)| service_of_auth(method, d, None).is_some())
        .collect();
    let groups = aggregates::dmarc_evidence_groups(conn, scope, id, days, &naming)?;
    Ok(service_groups(groups))
}

/// Merges evidence groups into service groups, largest first.
fn service_groups(groups: Vec<aggregates::EvidenceGroup>) -> Vec<ServiceGroup> {
    let mut merged: Vec<ServiceGroup> = Vec::new();
    let mut index: HashMap<(GroupKind, Option<String>), usize> = HashMap::new();
    for g in groups {
        let service = match &g.auth {
            Some((method, d)) => service_of_auth(method, d, g.confirmed_name.as_deref()),
            None => service_of(g.confirmed_name.as_deref(), &[], &[]),
        };
        let (group, key) = match (&service, &g.org_domain, g.enriched) {
            (Some(m), _, _) => (GroupKind::Service, Some(m.id.clone())),
            (None, Some(org), _) => (GroupKind::Organization, Some(org.clone())),
            (None, None, true) => (GroupKind::Unconfirmed, None),
            (None, None, false) => (GroupKind::Pending, None),
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
                x.forwarded_messages = x.forwarded_messages.saturating_add(g.forwarded_messages);
                x.quarantine_messages = x.quarantine_messages.saturating_add(g.quarantine_messages);
                x.reject_messages = x.reject_messages.saturating_add(g.reject_messages);
            }
            None => {
                index.insert((group, key), merged.len());
                merged.push(ServiceGroup {
                    org_domain: if group == GroupKind::Organization {
                        g.org_domain.clone()
                    } else {
                        None
                    },
                    group,
                    service,
                    sources: g.sources,
                    messages: g.messages,
                    dmarc_pass_messages: g.dmarc_pass_messages,
                    dmarc_fail_messages: fail,
                    forwarded_messages: g.forwarded_messages,
                    quarantine_messages: g.quarantine_messages,
                    reject_messages: g.reject_messages,
                });
            }
        }
    }
    merged.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.group.as_str().cmp(b.group.as_str()))
            .then_with(|| {
                let id = |g: &ServiceGroup| g.service.as_ref().map(|s| s.id.clone());
                id(a).cmp(&id(b))
            })
            .then_with(|| a.org_domain.cmp(&b.org_domain))
    });
    merged
}

/// SMTP TLS results of `domain` (a name or an id in `scope`) over `days`.
pub fn tls_by_result(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
) -> StorageResult<ForDomain<TlsResults>> {
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let id = domain.id.clone();
        let totals = aggregates::tls_by_result(conn, scope, &id, days)?;
        Ok(ForDomain {
            domain: domain.name,
            value: totals.into(),
        })
    })
}

/// SMTP TLS sessions per reporting organization and failure paths of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSources {
    pub organizations: Vec<TlsByOrganization>,
    /// Distinct failure paths in the range.
    pub total_failures: u64,
    /// The page of failure paths, in [`failure_order`].
    pub failures: Vec<TlsFailurePath>,
    /// Whether failure paths follow this page.
    pub more: bool,
}

/// Which failure paths a tls/by-source answer holds: those after `after` in
/// [`failure_order`], at most `limit` (`None`: every one).
#[derive(Debug, Clone, Default)]
pub struct FailurePage {
    pub limit: Option<i64>,
    pub after: Option<TlsFailurePath>,
}

/// The order of failure paths, a total one so pages neither repeat nor skip: most failed
/// sessions first, then by sending address, receiving MX and result type.
pub fn failure_order(a: &TlsFailurePath, b: &TlsFailurePath) -> std::cmp::Ordering {
    b.failed_sessions
        .cmp(&a.failed_sessions)
        .then_with(|| a.sending_mta_ip.cmp(&b.sending_mta_ip))
        .then_with(|| a.receiving_mx_hostname.cmp(&b.receiving_mx_hostname))
        .then_with(|| a.result_type.cmp(&b.result_type))
}

/// SMTP TLS results of `domain` (a name or an id in `scope`) over `days` per reporting
/// organization and per failure path (the page `page` asks for). TLS reports come once a
/// day per reporting organization, so the failure paths of a range are few (their sending
/// addresses are the reporters' own servers); they are summed and ordered whole, then paged.
pub fn tls_by_source(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    days: DayRange,
    page: FailurePage,
) -> StorageResult<ForDomain<TlsSources>> {
    let (domain, (organizations, mut failures)) = db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let id = domain.id.clone();
        Ok((
            domain.name,
            aggregates::tls_by_source(conn, scope, &id, days)?,
        ))
    })?;
    let total_failures = failures.len() as u64;
    failures.sort_by(failure_order);
    if let Some(after) = &page.after {
        failures.retain(|p| failure_order(p, after) == std::cmp::Ordering::Greater);
    }
    let limit = page
        .limit
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(usize::MAX);
    let more = failures.len() > limit;
    failures.truncate(limit);
    Ok(ForDomain {
        domain,
        value: TlsSources {
            organizations,
            total_failures,
            failures,
            more,
        },
    })
}

/// What a timeseries counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// DMARC messages, as in [`dmarc_by_result`].
    Dmarc,
    /// SMTP TLS sessions, as in [`tls_by_result`].
    Tls,
}

/// How long a timeseries bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// One UTC day.
    Day,
    /// One ISO week, Monday to Sunday (UTC).
    Week,
    /// One calendar month (UTC).
    Month,
}

impl Interval {
    /// The most buckets one series may have: a year of days; ten years of weeks or months
    /// (a range of ten years touches at most 523 ISO weeks and 121 months, its first and last
    /// partly).
    pub const fn max_points(self) -> i64 {
        match self {
            Interval::Day => 366,
            Interval::Week => 523,
            Interval::Month => 121,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }
}

/// A series asked for that would have more than [`Interval::max_points`] buckets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the range spans {count} {}s; at most {max} points are allowed per request", interval.as_str())]
pub struct TooManyPoints {
    pub count: i64,
    pub max: i64,
    pub interval: Interval,
}

/// A timeseries to compute: what, how long a bucket, over which days; never longer than
/// [`Interval::max_points`].
#[derive(Debug, Clone, Copy)]
pub struct Series {
    kind: Kind,
    interval: Interval,
    days: DayRange,
}

impl Series {
    pub fn new(kind: Kind, interval: Interval, days: DayRange) -> Result<Series, TooManyPoints> {
        let count = bucket_count(days, interval);
        let max = interval.max_points();
        if count > max {
            return Err(TooManyPoints {
                count,
                max,
                interval,
            });
        }
        Ok(Series {
            kind,
            interval,
            days,
        })
    }
}

/// The totals of one bucket (inclusive epoch days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub start: i64,
    pub end: i64,
    pub totals: PointTotals,
}

/// A bucket's totals, of the series' kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointTotals {
    Dmarc(DmarcResults),
    Tls(TlsResults),
}

/// The series of `domain` (a name or an id in `scope`): one point per bucket of its range,
/// oldest first, zero where no report covers a bucket.
pub fn timeseries(
    db: &Db,
    scope: &TenantScope,
    domain: &str,
    series: Series,
) -> StorageResult<ForDomain<Vec<Point>>> {
    let Series {
        kind,
        interval,
        days,
    } = series;
    let spans = buckets(days, interval);
    db.read(|conn| {
        let domain = domains::get_domain_by_name(conn, scope, domain)?;
        let id = domain.id.clone();
        let points: Vec<Point> = match kind {
            Kind::Dmarc => bucketed(
                &aggregates::dmarc_by_result_per_day(conn, scope, &id, days)?,
                &spans,
                DmarcByResult::merge,
            )
            .into_iter()
            .map(|(start, end, t)| Point {
                start,
                end,
                totals: PointTotals::Dmarc(t.into()),
            })
            .collect(),
            Kind::Tls => bucketed(
                &aggregates::tls_by_result_per_day(conn, scope, &id, days)?,
                &spans,
                TlsByResult::merge,
            )
            .into_iter()
            .map(|(start, end, t)| Point {
                start,
                end,
                totals: PointTotals::Tls(t.into()),
            })
            .collect(),
        };
        Ok(ForDomain {
            domain: domain.name,
            value: points,
        })
    })
}

/// Epoch day 0 (1970-01-01) was a Thursday: the Monday starting the ISO week of `day`.
fn monday(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// The buckets covering a range, in order, as inclusive (first, last) epoch days: single days,
/// ISO weeks (Monday to Sunday) or calendar months, the first and last clipped to the range.
fn buckets(days: DayRange, interval: Interval) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut start = match interval {
        Interval::Day => days.first,
        Interval::Week => monday(days.first),
        Interval::Month => month_start(days.first),
    };
    while start <= days.last {
        let next = match interval {
            Interval::Day => start + 1,
            Interval::Week => start + 7,
            Interval::Month => next_month_start(start),
        };
        out.push((start.max(days.first), (next - 1).min(days.last)));
        start = next;
    }
    out
}

/// How many buckets cover a range (without building them).
fn bucket_count(days: DayRange, interval: Interval) -> i64 {
    match interval {
        Interval::Day => days.last - days.first + 1,
        Interval::Week => (monday(days.last) - monday(days.first)) / 7 + 1,
        Interval::Month => {
            let (y0, m0) = year_month(days.first);
            let (y1, m1) = year_month(days.last);
            (y1 - y0) * 12 + (m1 - m0) + 1
        }
    }
}

/// The (year, month) of an epoch day.
fn year_month(day: i64) -> (i64, i64) {
    use chrono::Datelike;
    let date = chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .unwrap_or_default()
        .date_naive();
    (i64::from(date.year()), i64::from(date.month()))
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
            .div_euclid(86_400)
    }

    fn day_string(day: i64) -> String {
        chrono::DateTime::from_timestamp(day * 86_400, 0)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    }

    fn spans(from: &str, to: &str, interval: Interval) -> Vec<(String, String)> {
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
            spans("2026-11-04", "2026-11-17", Interval::Week),
            vec![
                ("2026-11-04".into(), "2026-11-08".into()),
                ("2026-11-09".into(), "2026-11-15".into()),
                ("2026-11-16".into(), "2026-11-17".into()),
            ]
        );
        // Before the epoch, and a single-day range on a Sunday.
        assert_eq!(
            spans("1969-12-28", "1969-12-29", Interval::Week),
            vec![
                ("1969-12-28".into(), "1969-12-28".into()),
                ("1969-12-29".into(), "1969-12-29".into()),
            ]
        );
        assert_eq!(spans("1970-01-01", "1970-01-04", Interval::Week).len(), 1);
    }

    #[test]
    fn months_are_calendar_months_clipped_to_the_range() {
        assert_eq!(
            spans("2023-12-15", "2024-03-01", Interval::Month),
            vec![
                ("2023-12-15".into(), "2023-12-31".into()),
                ("2024-01-01".into(), "2024-01-31".into()),
                ("2024-02-01".into(), "2024-02-29".into()),
                ("2024-03-01".into(), "2024-03-01".into()),
            ]
        );
        assert_eq!(
            spans("1969-11-30", "1970-01-01", Interval::Month),
            vec![
                ("1969-11-30".into(), "1969-11-30".into()),
                ("1969-12-01".into(), "1969-12-31".into()),
                ("1970-01-01".into(), "1970-01-01".into()),
            ]
        );
    }

    #[test]
    fn ten_years_of_weeks_or_months_are_allowed_and_no_more() {
        // Ten years, starting and ending in the middle of a week and of a month.
        let days = DayRange {
            first: day("2016-01-13"),
            last: day("2026-01-14"),
        };
        assert_eq!(bucket_count(days, Interval::Month), 121);
        assert_eq!(bucket_count(days, Interval::Week), 523);
        assert!(Series::new(Kind::Dmarc, Interval::Week, days).is_ok());
        assert!(Series::new(Kind::Tls, Interval::Month, days).is_ok());
        let longer = DayRange {
            first: day("2016-01-13"),
            last: day("2026-02-02"),
        };
        assert!(Series::new(Kind::Dmarc, Interval::Week, longer).is_err());
        assert!(Series::new(Kind::Dmarc, Interval::Month, longer).is_err());
    }

    #[test]
    fn days_are_one_point_each() {
        assert_eq!(
            spans("2024-02-28", "2024-03-01", Interval::Day),
            vec![
                ("2024-02-28".into(), "2024-02-28".into()),
                ("2024-02-29".into(), "2024-02-29".into()),
                ("2024-03-01".into(), "2024-03-01".into()),
            ]
        );
    }

    #[test]
    fn a_series_longer_than_its_interval_allows_is_refused() {
        let days = DayRange {
            first: day("2025-01-01"),
            last: day("2026-01-02"),
        };
        let refused = Series::new(Kind::Dmarc, Interval::Day, days).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the range spans 367 days; at most 366 points are allowed per request"
        );
        assert!(Series::new(Kind::Dmarc, Interval::Week, days).is_ok());
    }
}
