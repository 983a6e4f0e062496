//! DMARC rules: known services failing alignment (and why), mail of known services blocked,
//! likely spoofing from unknown sources, forwarding, the next enforcement step when the
//! domain is ready for it (`p=none` → quarantine → reject → `sp=reject`, judged by
//! `analysis::readiness`), and reports that stopped arriving.
//!
//! Sources are named only from a forward-confirmed PTR name or from passing DKIM / SPF
//! domains (see `services`); unconfirmed PTR names are shown in evidence, never trusted.
//! A source whose reverse DNS lookups keep failing is not looked up yet for the first
//! `source_lookup_grace_hours`, then unidentified: spoofing counts it, and its evidence says
//! that and why (a resolver outage must neither silence the alert for good nor raise it at
//! once).
//! Alignment is judged relaxed (organizational domains, RFC 7489 §3.1), which is what the
//! "why" explanations need; the pass/fail counts themselves are the receivers' verdicts.

use super::input::{DomainInput, SourceData, SourceNames};
use super::issues::{DAY, Evaluation, Thresholds, date, first, list, percent};
use super::readiness::{
    self, GroupFigures, PolicyEffect, PublishedPolicy, ReadinessInput, Sender, Step,
};
use super::services::{self, Category, ConfirmedName, Evidence, ServiceMatch};
use crate::domain::issue::{DetectedIssue, IssueCode, IssueSeverity, SuggestedRecord};
use serde_json::json;
use std::collections::BTreeMap;

/// Receivers whose reports matter most (the largest mailbox providers).
const MAJOR_REPORTERS: &[&str] = &[
    "google.com",
    "microsoft",
    "outlook.com",
    "yahoo",
    "aol",
    "mail.ru",
    "comcast",
    "apple",
    "icloud",
    "gmx",
    "web.de",
    "orange",
    "zoho",
];

pub fn detect(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    let ctx = Context::new(input, t);
    let service_failing = services_rules(&ctx, t, out);
    forwarding(&ctx, t, out);
    spoofing(&ctx, t, out);
    enforcement(&ctx, t, service_failing, out);
    reports(input, t, out);
}

/// What the rules need about every source, computed once.
struct Context<'a> {
    input: &'a DomainInput,
    org: String,
    sources: Vec<(&'a SourceData, Role)>,
    total_messages: u64,
    total_pass: u64,
    /// The newest published policy enforces on all mail.
    enforcing: bool,
    policy: String,
}

enum Role {
    /// A named service sending on the domain's behalf.
    Service(ServiceMatch),
    /// A forwarder or mailing list.
    Forwarder(ServiceMatch),
    /// Anything else (hosting providers included); the match, if any, is for evidence.
    Unknown(Option<ServiceMatch>),
    /// Not looked up yet, or its lookups have failed for less than the grace period: no
    /// conclusion either way.
    Pending,
}

/// The organizational domain of `d` (relaxed alignment).
fn org(d: &str) -> String {
    let d = d.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&d).unwrap_or(&d).to_string()
}

/// Domains of `map` by messages, largest first.
fn by_volume(map: &BTreeMap<String, u64>) -> Vec<String> {
    let mut v: Vec<(&String, &u64)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(d, _)| d.clone()).collect()
}

/// Whether `s` could not be looked up in reverse DNS for longer than the grace period: when
/// so, the hours it has failed.
fn lookup_failed_hours(s: &SourceData, now: i64, t: &Thresholds) -> Option<i64> {
    match &s.names {
        SourceNames::LookupFailed { since, .. } => {
            let hours = (now - since).max(0) / 3600;
            (now - since >= t.source_lookup_grace_hours * 3600).then_some(hours)
        }
        _ => None,
    }
}

fn classify(s: &SourceData, now: i64, t: &Thresholds) -> Role {
    let confirmed = match &s.names {
        SourceNames::Pending => return Role::Pending,
        SourceNames::Confirmed { name, .. } => ConfirmedName::from_stored_confirmation(name),
        SourceNames::Unconfirmed { .. } | SourceNames::LookupFailed { .. } => None,
    };
    // Unnamed by its auth results and not looked up yet: no conclusion until the grace ends.
    let pending = matches!(s.names, SourceNames::LookupFailed { .. })
        && lookup_failed_hours(s, now, t).is_none();
    let dkim = by_volume(&s.dkim_pass_domains);
    let spf = by_volume(&s.spf_pass_domains);
    let dkim: Vec<&str> = dkim.iter().map(String::as_str).collect();
    let spf: Vec<&str> = spf.iter().map(String::as_str).collect();
    let found = services::classify(&Evidence {
        confirmed_ptr_name: confirmed.as_ref(),
        dkim_domains: &dkim,
        spf_domains: &spf,
    });
    match found {
        Some(m) if m.category == Category::ForwarderMailingList => Role::Forwarder(m),
        // Named by its auth results: the failed lookup does not matter.
        Some(m) if m.category != Category::Hosting => Role::Service(m),
        _ if pending => Role::Pending,
        Some(m) => Role::Unknown(Some(m)),
        None => Role::Unknown(None),
    }
}

impl<'a> Context<'a> {
    fn new(input: &'a DomainInput, t: &Thresholds) -> Self {
        let sources: Vec<(&SourceData, Role)> = input
            .dmarc
            .sources
            .iter()
            .map(|s| (s, classify(s, input.now, t)))
            .collect();
        let newest = input.dmarc.policies.first();
        let policy = newest.map(|p| p.p.clone()).unwrap_or_default();
        let enforcing = newest.is_some_and(|p| {
            (p.p == "quarantine" || p.p == "reject") && p.pct.unwrap_or(100) >= 100 && !p.testing
        });
        Context {
            input,
            org: org(&input.domain),
            total_messages: input
                .dmarc
                .sources
                .iter()
                .fold(0u64, |t, s| t.saturating_add(s.messages)),
            total_pass: input
                .dmarc
                .sources
                .iter()
                .fold(0u64, |t, s| t.saturating_add(s.dmarc_pass)),
            sources,
            enforcing,
            policy,
        }
    }

    fn aligned(&self, d: &str) -> bool {
        org(d) == self.org
    }

    /// The current DMARC record from the newest DNS check, if one was found.
    fn dmarc_record(&self) -> Option<String> {
        self.input
            .dns
            .iter()
            .find(|c| c.kind == "dmarc")
            .and_then(|c| c.records().first().map(|r| r.to_string()))
    }
}

/// A source as shown in evidence: address, names (confirmed or not), messages.
fn source_evidence(s: &SourceData, failing: u64) -> serde_json::Value {
    let (confirmed, ptr) = match &s.names {
        SourceNames::Confirmed { name, ptr_names } => (Some(name.clone()), ptr_names.clone()),
        SourceNames::Unconfirmed { ptr_names, .. } => (None, ptr_names.clone()),
        SourceNames::Pending | SourceNames::LookupFailed { .. } => (None, Vec::new()),
    };
    json!({
        "ip": s.ip,
        "confirmed_name": confirmed,
        "unconfirmed_ptr_names": if confirmed.is_some() { Vec::new() } else { ptr },
        "messages": s.messages,
        "failing_messages": failing,
        "header_from": s.header_from.keys().collect::<Vec<_>>(),
        "reporters": s.reporters,
    })
}

/// How a source is named in an explanation.
fn source_label(s: &SourceData) -> String {
    match &s.names {
        SourceNames::Confirmed { name, .. } => format!("{} ({name})", s.ip),
        SourceNames::Unconfirmed { ptr_names, .. } if !ptr_names.is_empty() => format!(
            "{} (PTR {}, not forward-confirmed)",
            s.ip,
            ptr_names.join(", ")
        ),
        SourceNames::LookupFailed { .. } => format!("{} (reverse DNS lookup failing)", s.ip),
        _ => format!("{} (no confirmed name)", s.ip),
    }
}

#[derive(Default)]
struct ServiceTotals<'a> {
    service: Option<ServiceMatch>,
    sources: Vec<&'a SourceData>,
    messages: u64,
    pass: u64,
    dkim_aligned: u64,
    spf_aligned: u64,
    quarantined: u64,
    rejected: u64,
    dkim_pass: BTreeMap<String, u64>,
    dkim_fail: BTreeMap<String, u64>,
    spf_pass: BTreeMap<String, u64>,
    spf_fail: BTreeMap<String, u64>,
    reporters: std::collections::BTreeSet<String>,
    report_ids: std::collections::BTreeSet<String>,
}

fn add_all(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (k, v) in from {
        let slot = into.entry(k.clone()).or_default();
        *slot = slot.saturating_add(*v);
    }
}

impl<'a> ServiceTotals<'a> {
    fn add(&mut self, s: &'a SourceData) {
        self.sources.push(s);
        self.messages = self.messages.saturating_add(s.messages);
        self.pass = self.pass.saturating_add(s.dmarc_pass);
        self.dkim_aligned = self.dkim_aligned.saturating_add(s.dkim_aligned);
        self.spf_aligned = self.spf_aligned.saturating_add(s.spf_aligned);
        self.quarantined = self.quarantined.saturating_add(s.quarantined);
        self.rejected = self.rejected.saturating_add(s.rejected);
        add_all(&mut self.dkim_pass, &s.dkim_pass_domains);
        add_all(&mut self.dkim_fail, &s.dkim_fail_domains);
        add_all(&mut self.spf_pass, &s.spf_pass_domains);
        add_all(&mut self.spf_fail, &s.spf_fail_domains);
        self.reporters.extend(s.reporters.iter().cloned());
        self.report_ids.extend(s.report_ids.iter().cloned());
    }

    fn evidence(&self) -> serde_json::Value {
        let mut sources = self.sources.clone();
        sources.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.ip.cmp(&b.ip)));
        json!({
            "service": self.service,
            "messages": self.messages,
            "dmarc_pass_messages": self.pass,
            "dmarc_fail_messages": self.messages.saturating_sub(self.pass),
            "dkim_aligned_messages": self.dkim_aligned,
            "spf_aligned_messages": self.spf_aligned,
            "quarantined_messages": self.quarantined,
            "rejected_messages": self.rejected,
            "dkim_pass_domains": self.dkim_pass,
            "dkim_fail_domains": self.dkim_fail,
            "spf_pass_domains": self.spf_pass,
            "spf_fail_domains": self.spf_fail,
            "source_count": self.sources.len(),
            "sources": first(sources.iter().map(|s| source_evidence(s, s.messages.saturating_sub(s.dmarc_pass))), 10),
            "reporters": self.reporters,
            "report_ids": first(self.report_ids.iter(), 10),
        })
    }
}

/// Why DKIM is not aligned for a group, in one sentence.
fn why_dkim(ctx: &Context, g: &ServiceTotals) -> String {
    let unaligned: Vec<String> = by_volume(&g.dkim_pass)
        .into_iter()
        .filter(|d| !ctx.aligned(d))
        .collect();
    let failed_own: Vec<String> = by_volume(&g.dkim_fail)
        .into_iter()
        .filter(|d| ctx.aligned(d))
        .collect();
    if !unaligned.is_empty() {
        format!(
            "DKIM: the mail is signed with d={}, a valid signature but of the service's own domain, not aligned with {}.",
            list(&unaligned, 3),
            ctx.input.domain
        )
    } else if !failed_own.is_empty() {
        format!(
            "DKIM: signatures with d={} fail verification (the key published in DNS does not match the service's signing key, or is missing).",
            list(&failed_own, 3)
        )
    } else {
        "DKIM: the mail carries no valid DKIM signature.".to_string()
    }
}

/// Why SPF is not aligned for a group, in one sentence.
fn why_spf(ctx: &Context, g: &ServiceTotals) -> String {
    let unaligned: Vec<String> = by_volume(&g.spf_pass)
        .into_iter()
        .filter(|d| !ctx.aligned(d))
        .collect();
    let failed_own: Vec<String> = by_volume(&g.spf_fail)
        .into_iter()
        .filter(|d| ctx.aligned(d))
        .collect();
    if !unaligned.is_empty() {
        format!(
            "SPF: passes for {}, the service's bounce (envelope sender) domain, which is not aligned with {}.",
            list(&unaligned, 3),
            ctx.input.domain
        )
    } else if !failed_own.is_empty() {
        format!(
            "SPF: fails for {}: the service's servers are not authorized by that SPF record.",
            list(&failed_own, 3)
        )
    } else {
        "SPF: no aligned SPF pass.".to_string()
    }
}

fn issue(
    code: IssueCode,
    severity: IssueSeverity,
    subject: &str,
    title: String,
    explanation: String,
    remediation: String,
    evidence: serde_json::Value,
) -> DetectedIssue {
    DetectedIssue {
        code,
        severity,
        subject: subject.to_string(),
        title,
        explanation,
        remediation,
        record: None,
        evidence,
    }
}

/// Known services failing alignment or being blocked. Returns whether any service fails DMARC.
fn services_rules(ctx: &Context, t: &Thresholds, out: &mut Evaluation) -> bool {
    let mut groups: BTreeMap<String, ServiceTotals> = BTreeMap::new();
    for (s, role) in &ctx.sources {
        if let Role::Service(m) = role {
            let g = groups.entry(m.id.clone()).or_default();
            if g.service.is_none() {
                g.service = Some(m.clone());
            }
            g.add(s);
        }
    }
    let domain = &ctx.input.domain;
    let mut any_failing = false;
    for (id, g) in &groups {
        let Some(service) = services::service(id) else {
            continue;
        };
        let name = &service.name;
        let failing = g.messages.saturating_sub(g.pass);
        if failing >= t.service_min_failing
            && failing as f64 >= t.service_min_failing_share * g.messages as f64
        {
            any_failing = true;
            let consequence = if ctx.enforcing {
                format!(
                    "Your policy (p={}) tells receivers to refuse or quarantine this mail: it is being lost now.",
                    ctx.policy
                )
            } else {
                "Receivers deliver it for now, because the policy does not enforce; it will be quarantined or rejected once you enforce DMARC.".to_string()
            };
            out.issues.push(issue(
                IssueCode::ServiceFailingDmarc,
                if ctx.enforcing {
                    IssueSeverity::Critical
                } else {
                    IssueSeverity::High
                },
                id,
                format!("{name} sends as {domain} but fails DMARC"),
                format!(
                    "{name} sent {} messages as {domain} from {} address(es); {failing} ({}) failed DMARC because neither DKIM nor SPF was aligned. {} {} {consequence} If you do not use {name}, someone else's account there is sending in your name: report it to the service.",
                    g.messages,
                    g.sources.len(),
                    percent(failing, g.messages),
                    why_dkim(ctx, g),
                    why_spf(ctx, g),
                ),
                format!("{} {}", service.dkim_advice, service.spf_advice),
                g.evidence(),
            ));
        } else if g.messages >= t.service_min_messages && g.pass > 0 {
            let spf_only = g.pass.saturating_sub(g.dkim_aligned);
            let dkim_only = g.pass.saturating_sub(g.spf_aligned);
            if g.dkim_aligned * 2 < g.pass {
                out.issues.push(issue(
                    IssueCode::ServiceDkimUnaligned,
                    IssueSeverity::Medium,
                    id,
                    format!("{name} passes DMARC through SPF only"),
                    format!(
                        "{spf_only} of the {} passing messages {name} sent as {domain} passed DMARC through SPF alone. {} Forwarded copies lose SPF, so they fail DMARC; with an aligned DKIM signature they would pass.",
                        g.pass,
                        why_dkim(ctx, g)
                    ),
                    service.dkim_advice.clone(),
                    g.evidence(),
                ));
            } else if g.spf_aligned * 2 < g.pass {
                out.issues.push(issue(
                    IssueCode::ServiceSpfUnaligned,
                    IssueSeverity::Low,
                    id,
                    format!("{name} passes DMARC through DKIM only"),
                    format!(
                        "{dkim_only} of the {} passing messages {name} sent as {domain} passed DMARC through DKIM alone. {} DMARC passes as long as the signature survives; an aligned envelope sender adds a second path.",
                        g.pass,
                        why_spf(ctx, g)
                    ),
                    service.spf_advice.clone(),
                    g.evidence(),
                ));
            }
        }
        let blocked = g.quarantined + g.rejected;
        if blocked >= t.service_min_failing {
            out.issues.push(issue(
                IssueCode::ServiceMailBlocked,
                IssueSeverity::High,
                id,
                format!("Receivers blocked mail of {name}"),
                format!(
                    "Receivers ({}) quarantined {} and rejected {} messages {name} sent as {domain}, applying your DMARC policy to mail that failed it. {} {}",
                    list(&g.reporters.iter().cloned().collect::<Vec<_>>(), 5),
                    g.quarantined,
                    g.rejected,
                    why_dkim(ctx, g),
                    why_spf(ctx, g)
                ),
                format!(
                    "Align {name} before tightening the policy any further (and consider relaxing it until it is aligned): {}",
                    service.dkim_advice
                ),
                g.evidence(),
            ));
        }
    }
    any_failing
}

/// Forwarders and mailing lists: SPF fails, DKIM survives (or not).
fn forwarding(ctx: &Context, t: &Thresholds, out: &mut Evaluation) {
    let mut forwarded = 0u64;
    let mut forwarded_failing = 0u64;
    let mut shown: Vec<(u64, serde_json::Value)> = Vec::new();
    let mut forwarders: Vec<String> = Vec::new();
    for (s, role) in &ctx.sources {
        let failing = s.messages.saturating_sub(s.dmarc_pass);
        let (n, f) = match role {
            Role::Forwarder(m) => {
                if !forwarders.contains(&m.name) {
                    forwarders.push(m.name.clone());
                }
                (s.messages, failing)
            }
            Role::Unknown(_) => {
                // DKIM aligned and passing while SPF is not: the signature travelled with the
                // message through a server the domain never authorized.
                let dkim_only = s.dmarc_pass.saturating_sub(s.spf_aligned);
                let by_reason = s.forwarded_reason.min(failing);
                (dkim_only + by_reason, by_reason)
            }
            _ => (0, 0),
        };
        if n > 0 {
            forwarded = forwarded.saturating_add(n);
            forwarded_failing = forwarded_failing.saturating_add(f);
            shown.push((n, source_evidence(s, f)));
        }
    }
    if forwarded < t.forwarding_min_messages {
        return;
    }
    shown.sort_by_key(|s| std::cmp::Reverse(s.0));
    let domain = &ctx.input.domain;
    out.issues.push(issue(
        IssueCode::ForwardingDetected,
        IssueSeverity::Info,
        "",
        format!("Mail of {domain} is being forwarded"),
        format!(
            "{forwarded} messages came through servers that forward or redistribute mail{}: SPF fails there because the forwarder is not in your SPF record, as expected. {} of them still passed DMARC because the DKIM signature survived; {forwarded_failing} failed because the forwarder changed the message. This is benign. (A server of your own that signs with DKIM but is missing from SPF looks the same: check the addresses.)",
            if forwarders.is_empty() {
                String::new()
            } else {
                format!(" ({})", list(&forwarders, 5))
            },
            forwarded.saturating_sub(forwarded_failing),
        ),
        "Nothing to change for forwarding: do not add forwarders to your SPF record. Sign all your mail with DKIM (it is what survives forwarding); mailing lists that rewrite the From address or seal with ARC handle the rest.".to_string(),
        json!({
            "forwarded_messages": forwarded,
            "failing_messages": forwarded_failing,
            "forwarders": forwarders,
            "sources": first(shown.into_iter().map(|(_, v)| v), 10),
        }),
    ));
}

/// Unknown sources sending failing mail in the domain's name.
fn spoofing(ctx: &Context, t: &Thresholds, out: &mut Evaluation) {
    let mut failing_total = 0u64;
    let mut pending = 0usize;
    let mut lookup_failing = 0usize;
    let mut shown: Vec<(u64, &SourceData)> = Vec::new();
    let mut hosting: Vec<String> = Vec::new();
    for (s, role) in &ctx.sources {
        match role {
            Role::Unknown(m) => {
                if let Some(m) = m
                    && !hosting.contains(&m.name)
                {
                    hosting.push(m.name.clone());
                }
                let failing = s
                    .messages
                    .saturating_sub(s.dmarc_pass)
                    .saturating_sub(s.forwarded_reason);
                if failing > 0 {
                    failing_total = failing_total.saturating_add(failing);
                    shown.push((failing, s));
                }
            }
            Role::Pending if matches!(s.names, SourceNames::LookupFailed { .. }) => {
                lookup_failing += 1
            }
            Role::Pending => pending += 1,
            _ => {}
        }
    }
    if failing_total < t.spoofing_min_messages {
        return;
    }
    let now = ctx.input.now;
    let unresolvable = shown
        .iter()
        .filter(|(_, s)| lookup_failed_hours(s, now, t).is_some())
        .count();
    let unresolvable_note = if unresolvable == 0 {
        String::new()
    } else {
        format!(
            " {unresolvable} of these sources could not be looked up in reverse DNS for more than {} h, so nothing identifies them: they are treated as unidentified.",
            t.source_lookup_grace_hours
        )
    };
    shown.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.ip.cmp(&b.1.ip)));
    let domain = &ctx.input.domain;
    let largest: Vec<String> = shown
        .iter()
        .take(3)
        .map(|(n, s)| format!("{} ({n})", source_label(s)))
        .collect();
    let (severity, consequence, remediation) = if ctx.enforcing {
        (
            IssueSeverity::Low,
            format!(
                "Your policy (p={}) tells receivers to refuse or quarantine it, so it is kept out of inboxes.",
                ctx.policy
            ),
            "No change needed: the policy protects the domain. If you recognize one of these sources as your own or a vendor's, authorize it (SPF and an aligned DKIM signature), or its mail stays blocked.".to_string(),
        )
    } else {
        (
            IssueSeverity::High,
            "The policy does not enforce, so receivers deliver it as if it were yours.".to_string(),
            "If you recognize a source (a server of yours, a vendor), authorize it: add it to your SPF record and sign its mail with DKIM for your domain. Everything else is spoofing: once your own mail passes, move the DMARC policy to p=quarantine, then p=reject, so receivers refuse it.".to_string(),
        )
    };
    let mut found = issue(
        IssueCode::SpoofingSuspected,
        severity,
        "",
        format!("Unknown sources send failing mail as {domain}"),
        format!(
            "{failing_total} messages ({} of all mail seen for {domain}) from {} source(s) that are not a known sending service failed DMARC. Largest: {}.{unresolvable_note} {consequence}",
            percent(failing_total, ctx.total_messages),
            shown.len(),
            largest.join(", "),
        ),
        remediation,
        json!({
            "failing_messages": failing_total,
            "total_messages": ctx.total_messages,
            "source_count": shown.len(),
            "sources": first(shown.iter().map(|(n, s)| spoofing_source_evidence(s, *n, now, t)), 10),
            "sources_not_looked_up_yet": pending,
            "sources_lookup_failing_within_grace": lookup_failing,
            "sources_unidentified_after_lookup_failures": unresolvable,
            "hosting_providers": hosting,
            "policy": ctx.policy,
        }),
    );
    if !ctx.enforcing {
        found.record = Some(readiness::suggested_record(
            &ctx.input.domain,
            ctx.dmarc_record().as_deref(),
            &[("p", "quarantine")],
        ));
    }
    out.issues.push(found);
}

/// A spoofing source in evidence; one that could not be looked up says so, and since when.
fn spoofing_source_evidence(
    s: &SourceData,
    failing: u64,
    now: i64,
    t: &Thresholds,
) -> serde_json::Value {
    let mut v = source_evidence(s, failing);
    if let (SourceNames::LookupFailed { error, since }, Some(hours)) =
        (&s.names, lookup_failed_hours(s, now, t))
    {
        v["reverse_dns"] = json!("lookup_failed");
        v["lookup_error"] = json!(error);
        v["lookup_failing_since"] = json!(since);
        v["why_unidentified"] = json!(format!(
            "reverse DNS could not be looked up for {hours} h (lookup_failed: {error}); treated as unidentified"
        ));
    }
    v
}

/// The groups of senders `analysis::readiness` weighs, from the sources' roles: each named
/// service (forwarders included) is a group; everything else, sources not looked up yet
/// included, is unknown, as `GET /domains/{domain}/enforcement-readiness` counts them.
fn readiness_groups(ctx: &Context) -> Vec<GroupFigures> {
    let mut groups: Vec<GroupFigures> = Vec::new();
    let mut index: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for (s, role) in &ctx.sources {
        let sender = match role {
            Role::Service(m) | Role::Forwarder(m) => Sender::Service(m.clone()),
            Role::Unknown(_) | Role::Pending => Sender::Unknown,
        };
        let key = match &sender {
            Sender::Service(m) => Some(m.id.clone()),
            Sender::Unknown => None,
        };
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(GroupFigures {
                sender,
                sources: 0,
                messages: 0,
                dmarc_pass_messages: 0,
                forwarded_messages: 0,
                quarantine_messages: 0,
                reject_messages: 0,
            });
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.sources += 1;
        g.messages = g.messages.saturating_add(s.messages);
        g.dmarc_pass_messages = g.dmarc_pass_messages.saturating_add(s.dmarc_pass);
        g.forwarded_messages = g.forwarded_messages.saturating_add(s.forwarded_reason);
        g.quarantine_messages = g.quarantine_messages.saturating_add(s.quarantined);
        g.reject_messages = g.reject_messages.saturating_add(s.rejected);
    }
    groups
}

/// Messages and DMARC passes per header From domain over the window.
fn header_from_totals(ctx: &Context) -> Vec<(String, u64, u64)> {
    let mut totals: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (s, _) in &ctx.sources {
        for (h, n) in &s.header_from {
            let slot = totals.entry(h).or_default();
            slot.0 = slot.0.saturating_add(*n);
            slot.1 = slot
                .1
                .saturating_add(s.header_from_pass.get(h).copied().unwrap_or(0));
        }
    }
    totals
        .into_iter()
        .map(|(h, (m, p))| (h.to_string(), m, p))
        .collect()
}

/// The next enforcement step, once the current policy has held for long enough over enough
/// mail: `analysis::readiness` judges it from the window's own data (the domain's named
/// services must pass; what the step would do to forwarded and unknown mail is the
/// evidence), as the enforcement-readiness endpoint does.
/// - `p=none` → `p=quarantine` (`policy_none_ready_to_enforce`), with nearly all mail passing;
/// - `p=quarantine` (all mail: `pct` 100, not testing) → `p=reject`
///   (`policy_quarantine_ready_to_reject`), with nearly all mail passing;
/// - `p=reject` with a weaker `sp=` → `sp=reject` (`subdomain_policy_not_enforced`).
///
/// A service the service rules found failing (`service_failing`) holds back the first two,
/// as it holds back the readiness step.
fn enforcement(ctx: &Context, t: &Thresholds, service_failing: bool, out: &mut Evaluation) {
    let policies = &ctx.input.dmarc.policies;
    let Some(newest) = policies.first() else {
        return;
    };
    let (code, step, severity) = match newest.p.as_str() {
        "none" => (
            IssueCode::PolicyNoneReadyToEnforce,
            Step::Quarantine,
            IssueSeverity::Medium,
        ),
        "quarantine" if ctx.enforcing => (
            IssueCode::PolicyQuarantineReadyToReject,
            Step::Reject,
            IssueSeverity::Low,
        ),
        "reject" if ctx.enforcing => (
            IssueCode::SubdomainPolicyNotEnforced,
            Step::RejectSubdomains,
            IssueSeverity::Low,
        ),
        _ => return,
    };
    let since = policies
        .iter()
        .take_while(|p| p.p == newest.p)
        .map(|p| p.begin)
        .min()
        .unwrap_or(ctx.input.dmarc.to);
    let days = (ctx.input.dmarc.to - since) / DAY;
    let mostly_passing =
        (ctx.total_pass as f64) >= t.policy_none_min_pass_share * ctx.total_messages as f64;
    if days < t.policy_none_min_days
        || ctx.total_messages < t.policy_none_min_messages
        || (step != Step::RejectSubdomains && (service_failing || !mostly_passing))
    {
        return;
    }
    let groups = readiness_groups(ctx);
    let header_from = header_from_totals(ctx);
    let record = ctx.dmarc_record();
    let r = readiness::assess(&ReadinessInput {
        domain: &ctx.input.domain,
        policy: Some(PublishedPolicy {
            p: Some(newest.p.clone()),
            sp: newest.sp.clone(),
            np: newest.np.clone(),
        }),
        dmarc_record: record.as_deref(),
        groups: &groups,
        header_from: &header_from,
        min_pass_share: t.policy_none_min_pass_share,
    });
    if r.recommendation.step != step {
        return;
    }
    let domain = &ctx.input.domain;
    let held = format!(
        "The policy has been p={} since at least {} ({days} days), and {} of {} messages in the last {} days passed DMARC.",
        newest.p,
        date(since),
        percent(ctx.total_pass, ctx.total_messages),
        ctx.total_messages,
        t.dmarc_window_days
    );
    let effect = |e: &PolicyEffect, verb: &str| {
        format!(
            "Under it, {} failing messages would have been {verb}: {} from unknown sources (what enforcement is for), {} through forwarders and mailing lists ({} of those only if their DKIM signature survives the forwarding), {} from your own named services.",
            e.newly_affected_messages,
            e.from_unknown,
            e.from_forwarders,
            r.forwarders.needing_dkim.min(e.from_forwarders),
            e.from_services
        )
    };
    let (title, explanation) = match step {
        Step::Quarantine => (
            format!("{domain} is ready for an enforcing DMARC policy"),
            format!(
                "{held} p=none only monitors: mail failing DMARC, spoofing included, is still delivered. {}",
                effect(&r.quarantine, "sent to spam")
            ),
        ),
        Step::Reject => (
            format!("{domain} is ready for p=reject"),
            format!(
                "{held} p=quarantine still delivers failing mail, to the spam folder. {}",
                effect(&r.reject, "refused")
            ),
        ),
        _ => (
            format!("Subdomains of {domain} are not protected by p=reject"),
            format!(
                "The policy has been p=reject since at least {} ({days} days), but subdomains are at sp={}: mail failing DMARC in the name of any name under {domain} is still delivered. {} messages from subdomains were seen in the last {} days, {} of them failing.",
                date(since),
                newest.sp.as_deref().unwrap_or(""),
                r.subdomains.messages,
                t.dmarc_window_days,
                r.subdomains.failing_messages
            ),
        ),
    };
    let mut found = issue(
        code,
        severity,
        "",
        title,
        explanation,
        r.recommendation.explanation.clone(),
        json!({
            "policy": newest.p,
            "subdomain_policy": newest.sp,
            "policy_since": date(since),
            "days": days,
            "messages": ctx.total_messages,
            "dmarc_pass_messages": ctx.total_pass,
            "quarantine": r.quarantine,
            "reject": r.reject,
            "forwarders": r.forwarders,
            "unknown": r.unknown,
            "subdomains": r.subdomains,
            "services_to_fix": r.services_to_fix,
        }),
    );
    if code == IssueCode::PolicyNoneReadyToEnforce {
        // Kept for clients of the first version of this issue.
        found.evidence["policy_none_since"] = json!(date(since));
    }
    found.record = r.recommendation.record;
    out.issues.push(found);
}

fn is_major(org: &str) -> bool {
    let o = org.to_ascii_lowercase();
    MAJOR_REPORTERS.iter().any(|m| o.contains(m))
}

/// The `rua=` URIs of a DMARC record as published (`""` when it has none).
fn rua_of(record: &str) -> String {
    record
        .split(';')
        .filter_map(|t| t.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("rua"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// A domain registered days ago for which no DMARC report ever arrived: its DMARC record does
/// not send reports to ruad.
fn never_received(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    let Some(registered) = input.registered_at else {
        return;
    };
    let days = (input.now - registered) / DAY;
    if input.now - registered <= t.first_report_days * DAY {
        return;
    }
    let domain = &input.domain;
    let dmarc = input.dns.iter().find(|c| c.kind == "dmarc");
    let record = dmarc.filter(|c| !c.lookup_failed()).and_then(|c| {
        c.records()
            .first()
            .map(|r| r.trim_end_matches(';').trim().to_string())
    });
    let rua = record.as_deref().map(rua_of).unwrap_or_default();
    let example = format!("rua=mailto:dmarc-reports@{domain}");
    let (dns_said, suggested) = match (dmarc, &record) {
        (None, _) => ("ruad has not checked its DNS yet.".to_string(), None),
        (Some(c), _) if c.lookup_failed() => (
            "Its DMARC record could not be looked up at the last check.".to_string(),
            None,
        ),
        (Some(_), None) => (
            format!(
                "No DMARC record is published at _dmarc.{domain}, so receivers send no reports."
            ),
            Some(format!("v=DMARC1; p=none; {example}")),
        ),
        (Some(_), Some(r)) if rua.is_empty() => (
            format!(
                "The DMARC record at _dmarc.{domain} has no rua= tag, so receivers send no aggregate reports."
            ),
            Some(format!("{r}; {example}")),
        ),
        (Some(_), Some(_)) => (
            format!(
                "The DMARC record asks for reports at rua={rua}: that address does not deliver to the mailbox ruad reads (or, if it is in another domain, that domain does not authorize it, RFC 7489 §7.1)."
            ),
            None,
        ),
    };
    let tls = if input.tls.any_report {
        format!(
            " TLS reports for {domain} do arrive, so reports reach ruad for this domain: only the DMARC reporting address is missing or wrong."
        )
    } else {
        String::new()
    };
    let mut found = issue(
        IssueCode::DmarcReportsNotReceived,
        IssueSeverity::High,
        "",
        format!("No DMARC report has arrived for {domain}"),
        format!(
            "{domain} was registered on {} ({days} days ago) and no DMARC aggregate report has arrived for it since. Receivers send one a day to the addresses in the rua= tag of the DMARC record, so the domain is not being monitored. {dns_said}{tls}",
            date(registered)
        ),
        format!(
            "Publish or fix rua=mailto:<an address whose mailbox feeds ruad> in the DMARC record at _dmarc.{domain} (replace the example address); reports start arriving within a day or two."
        ),
        json!({
            "registered_at": date(registered),
            "days_since_registration": days,
            "dmarc_record": record,
            "rua": rua,
            "tls_reports_received": input.tls.any_report,
        }),
    );
    found.record = suggested.map(|value| SuggestedRecord {
        name: format!("_dmarc.{domain}"),
        record_type: "TXT".into(),
        value,
    });
    out.issues.push(found);
}

/// Reports that stopped arriving: from everyone, or from a regular reporter.
fn reports(input: &DomainInput, t: &Thresholds, out: &mut Evaluation) {
    let reporters = &input.dmarc.reporters;
    let Some(newest) = reporters
        .iter()
        .flat_map(|r| r.report_ends.iter().copied())
        .max()
    else {
        never_received(input, t, out);
        return;
    };
    let stale = t.reports_stopped_days * DAY;
    let domain = &input.domain;
    if input.now - newest > stale {
        out.issues.push(issue(
            IssueCode::NoRecentReports,
            IssueSeverity::High,
            "",
            format!("No DMARC reports for {domain} recently"),
            format!(
                "The newest DMARC aggregate report for {domain} covers up to {} ({} days ago). Receivers send one a day, so reports have stopped reaching ruad: the domain is no longer being monitored.",
                date(newest),
                (input.now - newest) / DAY
            ),
            "Check that the DMARC record still has a rua= address that reaches ruad (run the domain's DNS checks), that the mailbox or forwarding that feeds ruad works, and, if the address is in another domain, that it authorizes external reports (RFC 7489 §7.1).".to_string(),
            json!({
                "newest_report_end": date(newest),
                "days_since": (input.now - newest) / DAY,
                "reporters": reporters.iter().map(|r| &r.org).collect::<Vec<_>>(),
            }),
        ));
        return;
    }
    for r in reporters {
        let Some(last) = r.report_ends.iter().copied().max() else {
            continue;
        };
        let window = t.dmarc_window_days * DAY;
        let regular = r.report_ends.iter().filter(|e| **e > last - window).count() as u64;
        if regular < t.reporter_min_reports || input.now - last <= stale {
            continue;
        }
        let major = is_major(&r.org);
        out.issues.push(issue(
            IssueCode::ReportsStopped,
            if major {
                IssueSeverity::Medium
            } else {
                IssueSeverity::Low
            },
            &r.org,
            format!("{} stopped sending DMARC reports", r.org),
            format!(
                "{} sent {regular} reports for {domain} in the {} days up to {}, and none since ({} days), while other receivers still report. Either its users stopped receiving mail from {domain}, or its reports no longer reach ruad (they may be refused as too large or as spam).",
                r.org,
                t.dmarc_window_days,
                date(last),
                (input.now - last) / DAY
            ),
            "Look for the reporter's messages in the mailbox that feeds ruad (spam folder, size limits) and for delivery problems to that receiver; nothing to change if mail to its users simply stopped.".to_string(),
            json!({
                "reporter": r.org,
                "major_receiver": major,
                "last_report_end": date(last),
                "reports_before": regular,
            }),
        ));
    }
}
