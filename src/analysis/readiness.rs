//! Enforcement readiness: from a domain's own aggregate data over a period, what `p=quarantine`
//! and `p=reject` (and `sp` for subdomains) would have done to its mail, whose mail it is, and
//! the next policy step with the record to publish. Pure: the figures come in, grouped by
//! sending service (`services::readiness` reads them from the rollups); no I/O, no clock.
//!
//! The messages a stricter policy affects are the ones failing DMARC; a policy only changes
//! what happens to those not already treated that way by the receiver (a receiver may already
//! quarantine failing mail under `p=none`). They are split three ways:
//! - **named services** of the domain (any category but forwarders): legitimate mail that
//!   enforcement would lose, the ones to fix first, each with the fix;
//! - **forwarders and mailing lists**: mail the domain's users sent that reached its recipient
//!   through a forwarder; receivers that trust the forwarder (ARC, local policy) already
//!   override the policy, the rest is saved by DKIM signatures that survive forwarding;
//! - **unknown sources**: what enforcement is for, mostly spoofing.

use crate::analysis::issues::percent;
use crate::analysis::services::{Category, MatchedBy, ServiceMatch};
use crate::domain::issue::SuggestedRecord;
use serde::Serialize;

/// A named service whose failing share is above this blocks the next step: fix it first.
pub const SERVICE_FAILING_SHARE_BLOCKS: f64 = 0.02;

/// Who sent a group of messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Sender {
    /// A sending service named from its sources' evidence.
    Service(ServiceMatch),
    /// Anything else: an organization ruad has no entry for, sources without confirmed
    /// reverse DNS, or sources not looked up yet.
    Unknown,
}

/// The figures of one group of sources over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub sender: Sender,
    pub sources: u64,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    /// Messages receivers reported as forwarded (override reason forwarded,
    /// trusted_forwarder, mailing_list).
    pub forwarded_messages: u64,
    /// Messages receivers already quarantined or rejected.
    pub quarantine_messages: u64,
    pub reject_messages: u64,
}

impl GroupFigures {
    fn failing(&self) -> u64 {
        self.messages.saturating_sub(self.dmarc_pass_messages)
    }
}

/// The policy the domain published, as the newest report of the period says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedPolicy {
    /// `p`: none, quarantine or reject (as sent, lower-case).
    pub p: Option<String>,
    /// `sp`, when published.
    pub sp: Option<String>,
    /// `np` (RFC 9990), when published.
    pub np: Option<String>,
}

/// Everything the assessment reads.
#[derive(Debug, Clone)]
pub struct ReadinessInput<'a> {
    /// The domain (A-label, lower-case).
    pub domain: &'a str,
    pub policy: Option<PublishedPolicy>,
    /// The DMARC record found by the newest DNS check, if any.
    pub dmarc_record: Option<&'a str>,
    pub groups: &'a [GroupFigures],
    /// Messages and DMARC passes per header From domain.
    pub header_from: &'a [(String, u64, u64)],
    /// The least share of messages passing DMARC for `p=none` or `p=quarantine` to be
    /// tightened ([`crate::analysis::issues::Thresholds::policy_none_min_pass_share`]): unknown
    /// sources may be servers of the domain nobody named yet.
    pub min_pass_share: f64,
}

/// What one policy would have done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PolicyEffect {
    /// Messages failing DMARC: what the policy applies to.
    pub failing_messages: u64,
    /// Of those, the messages receivers did not already treat this way or stricter: what
    /// publishing the policy changes.
    pub newly_affected_messages: u64,
    /// Of the newly affected, legitimate mail of the domain's named services (would be lost).
    pub from_services: u64,
    /// Of the newly affected, mail through forwarders and mailing lists.
    pub from_forwarders: u64,
    /// Of the newly affected, mail from unknown sources (what enforcement stops).
    pub from_unknown: u64,
}

/// A named service of the domain with mail failing DMARC.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ServiceToFix {
    pub service: ServiceMatch,
    pub sources: u64,
    pub messages: u64,
    pub failing_messages: u64,
    /// Failing share of the service's messages (0 to 1).
    pub failing_share: f64,
    /// Whether it blocks the next step (failing share above 2 %).
    pub blocks_next_step: bool,
    /// What to change, in plain words.
    pub fix: String,
}

/// Mail through forwarders and mailing lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ForwarderFigures {
    pub sources: u64,
    pub messages: u64,
    pub failing_messages: u64,
    /// Failing messages receivers already accepted as forwarded (ARC or a trusted forwarder
    /// list: override reason forwarded, trusted_forwarder or mailing_list).
    pub saved_by_receivers: u64,
    /// The rest: saved only when the original DKIM signature, aligned with the domain,
    /// survives the forwarding (sign everything with DKIM; SPF never survives forwarding).
    pub needing_dkim: u64,
}

/// Mail from sources no service could be named for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnknownFigures {
    pub sources: u64,
    pub messages: u64,
    pub failing_messages: u64,
}

/// Mail with a From domain below the domain (`sp` applies, or `np` for names that do not
/// exist).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SubdomainFigures {
    pub messages: u64,
    pub failing_messages: u64,
    /// The policy that applies to them now: `sp`, else `p`.
    pub policy: Option<String>,
}

/// The next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// No DMARC report in the period: nothing to judge from.
    NoData,
    /// Named services fail DMARC: fix them before any stricter policy.
    FixServicesFirst,
    /// Too much mail fails DMARC from senders not recognised as any service (or through
    /// forwarders) for enforcing to be safe: find out whose it is first.
    ReviewUnknownSources,
    /// Publish `p=quarantine`.
    Quarantine,
    /// Publish `p=reject`.
    Reject,
    /// `p=reject`, but subdomains are not enforced: publish `sp=reject`.
    RejectSubdomains,
    /// `p=reject` and `sp` (if any) reject: fully enforced.
    Enforced,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    pub step: Step,
    /// Why, in plain words.
    pub explanation: String,
    /// The DMARC record to publish for this step (the current one with the policy changed,
    /// or a minimal one); absent when nothing is to be published.
    pub record: Option<SuggestedRecord>,
}

/// The assessment.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub policy: PublishedPolicy,
    pub messages: u64,
    pub dmarc_pass_messages: u64,
    pub failing_messages: u64,
    pub quarantine: PolicyEffect,
    pub reject: PolicyEffect,
    /// Named services failing DMARC, most failing messages first.
    pub services_to_fix: Vec<ServiceToFix>,
    pub forwarders: ForwarderFigures,
    pub unknown: UnknownFigures,
    pub subdomains: SubdomainFigures,
    pub recommendation: Recommendation,
}

fn is_forwarder(sender: &Sender) -> bool {
    matches!(sender, Sender::Service(m) if m.category == Category::ForwarderMailingList)
}

/// The fix for a named service failing DMARC: the service table's advice (DKIM first: it
/// survives forwarding), else a generic one from what named it.
fn fix_for(service: &ServiceMatch, domain: &str) -> String {
    if let Some(known) = crate::analysis::services::service(&service.id)
        && !known.dkim_advice.is_empty()
    {
        return format!("{} {}", known.dkim_advice, known.spf_advice)
            .trim()
            .to_string();
    }
    let name = &service.name;
    match service.matched_by {
        MatchedBy::DkimDomain => format!(
            "{name} signs with DKIM as {} but not as {domain}: set up DKIM signing with your own domain in {name} (publish the selector records it gives you), so its signatures align.",
            service.matched_value
        ),
        MatchedBy::SpfDomain => format!(
            "{name} passes SPF for {} only, its own bounce domain: set up DKIM signing with {domain} in {name}, or a custom return-path (MAIL FROM) under {domain}, so one of them aligns.",
            service.matched_value
        ),
        MatchedBy::PtrName => format!(
            "Mail from {name} fails DMARC: set up DKIM signing with {domain} in {name}, and include it in the SPF record of the domain it uses as return-path."
        ),
    }
}

/// The DMARC record with the given tags set (replaced, or appended), or a minimal one.
fn record_with(input: &ReadinessInput<'_>, set: &[(&str, &str)]) -> SuggestedRecord {
    suggested_record(input.domain, input.dmarc_record, set)
}

/// The DMARC record of `domain` to publish: `current` (as published) with the tags of `set`
/// replaced, or added (`p=` right after `v=`, where RFC 7489 parsers expect it; others at
/// the end), or a minimal record with them when nothing is published.
pub(crate) fn suggested_record(
    domain: &str,
    current: Option<&str>,
    set: &[(&str, &str)],
) -> SuggestedRecord {
    let value = match current {
        Some(current) => {
            let mut tags: Vec<String> = current
                .split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            for (key, value) in set {
                let tag = format!("{key}={value}");
                match tags.iter_mut().find(|t| {
                    t.split_once('=')
                        .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                }) {
                    Some(t) => *t = tag,
                    None if *key == "p" => tags.insert(1.min(tags.len()), tag),
                    None => tags.push(tag),
                }
            }
            tags.join("; ")
        }
        None => {
            let mut v = format!("v=DMARC1; p={}", lookup(set, "p").unwrap_or("none"));
            if let Some(sp) = lookup(set, "sp") {
                v.push_str(&format!("; sp={sp}"));
            }
            v.push_str(&format!("; rua=mailto:dmarc-reports@{domain}"));
            v
        }
    };
    SuggestedRecord {
        name: format!("_dmarc.{domain}"),
        record_type: "TXT".into(),
        value,
    }
}

/// `part` of `whole` as a percentage rounded down to a tenth ("97.9%", "40%"), so a share
/// under a threshold never reads as the threshold itself.
fn percent_below(part: u64, whole: u64) -> String {
    let tenths = if whole == 0 {
        0
    } else {
        u128::from(part) * 1000 / u128::from(whole)
    };
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// A share (0.98) as a percentage ("98%").
fn percent_share(share: f64) -> String {
    let p = share * 100.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn lookup<'a>(set: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    set.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What each class of sender contributes to a policy's newly affected messages: failing
/// messages not already treated so (`already`: quarantined or rejected for quarantine,
/// rejected for reject).
fn effect(groups: &[GroupFigures], already: impl Fn(&GroupFigures) -> u64) -> PolicyEffect {
    let mut e = PolicyEffect::default();
    for g in groups {
        let failing = g.failing();
        let newly = failing.saturating_sub(already(g).min(failing));
        e.failing_messages = e.failing_messages.saturating_add(failing);
        e.newly_affected_messages = e.newly_affected_messages.saturating_add(newly);
        let slot = match &g.sender {
            s if is_forwarder(s) => &mut e.from_forwarders,
            Sender::Service(_) => &mut e.from_services,
            Sender::Unknown => &mut e.from_unknown,
        };
        *slot = slot.saturating_add(newly);
    }
    e
}

/// Whether `from` is a name below `domain` (not the domain itself).
fn is_subdomain(from: &str, domain: &str) -> bool {
    let from = from.trim().trim_end_matches('.').to_ascii_lowercase();
    from.len() > domain.len() + 1
        && from.ends_with(domain)
        && from.as_bytes()[from.len() - domain.len() - 1] == b'.'
}

pub fn assess(input: &ReadinessInput<'_>) -> Readiness {
    let groups = input.groups;
    let messages: u64 = groups.iter().map(|g| g.messages).sum();
    let pass: u64 = groups.iter().map(|g| g.dmarc_pass_messages).sum();
    let failing = messages.saturating_sub(pass);
    let policy = input.policy.clone().unwrap_or_default();

    let mut services_to_fix: Vec<ServiceToFix> = groups
        .iter()
        .filter(|g| !is_forwarder(&g.sender) && g.failing() > 0)
        .filter_map(|g| match &g.sender {
            Sender::Service(m) => {
                let failing_share = share(g.failing(), g.messages);
                Some(ServiceToFix {
                    fix: fix_for(m, input.domain),
                    service: m.clone(),
                    sources: g.sources,
                    messages: g.messages,
                    failing_messages: g.failing(),
                    failing_share,
                    blocks_next_step: failing_share > SERVICE_FAILING_SHARE_BLOCKS,
                })
            }
            Sender::Unknown => None,
        })
        .collect();
    services_to_fix.sort_by(|a, b| {
        b.failing_messages
            .cmp(&a.failing_messages)
            .then_with(|| a.service.name.cmp(&b.service.name))
    });

    let mut forwarders = ForwarderFigures::default();
    let mut unknown = UnknownFigures::default();
    for g in groups {
        if is_forwarder(&g.sender) {
            let saved = g.forwarded_messages.min(g.failing());
            forwarders.sources += g.sources;
            forwarders.messages += g.messages;
            forwarders.failing_messages += g.failing();
            forwarders.saved_by_receivers += saved;
            forwarders.needing_dkim += g.failing() - saved;
        } else if g.sender == Sender::Unknown {
            unknown.sources += g.sources;
            unknown.messages += g.messages;
            unknown.failing_messages += g.failing();
        }
    }

    let mut subdomains = SubdomainFigures {
        policy: policy.sp.clone().or_else(|| policy.p.clone()),
        ..SubdomainFigures::default()
    };
    for (from, m, p) in input.header_from {
        if is_subdomain(from, input.domain) {
            subdomains.messages += m;
            subdomains.failing_messages += m.saturating_sub(*p);
        }
    }

    let quarantine = effect(groups, |g| {
        g.quarantine_messages.saturating_add(g.reject_messages)
    });
    let reject = effect(groups, |g| g.reject_messages);
    let recommendation = recommend(
        input,
        &policy,
        (messages, pass),
        &services_to_fix,
        (&unknown, &forwarders),
        &subdomains,
    );
    Readiness {
        policy,
        messages,
        dmarc_pass_messages: pass,
        failing_messages: failing,
        quarantine,
        reject,
        services_to_fix,
        forwarders,
        unknown,
        subdomains,
        recommendation,
    }
}

fn recommend(
    input: &ReadinessInput<'_>,
    policy: &PublishedPolicy,
    (messages, pass): (u64, u64),
    services: &[ServiceToFix],
    (unknown, forwarders): (&UnknownFigures, &ForwarderFigures),
    subdomains: &SubdomainFigures,
) -> Recommendation {
    if messages == 0 {
        return Recommendation {
            step: Step::NoData,
            explanation: "No DMARC report covers the period, so there is nothing to judge enforcement from. Check that the DMARC record's rua= sends reports here.".into(),
            record: None,
        };
    }
    let blocking: Vec<&ServiceToFix> = services.iter().filter(|s| s.blocks_next_step).collect();
    if !blocking.is_empty() {
        let names: Vec<String> = blocking
            .iter()
            .map(|s| {
                format!(
                    "{} ({} of its messages failing)",
                    s.service.name,
                    percent(s.failing_messages, s.messages)
                )
            })
            .collect();
        return Recommendation {
            step: Step::FixServicesFirst,
            explanation: format!(
                "Keep the current policy: {} of your own services fail DMARC, so a stricter policy would lose their mail: {}. Fix them (see each service's fix), then check again.",
                blocking.len(),
                names.join(", ")
            ),
            record: None,
        };
    }
    let p = policy.p.as_deref().unwrap_or("none");
    if p != "reject" && (pass as f64) < input.min_pass_share * messages as f64 {
        return Recommendation {
            step: Step::ReviewUnknownSources,
            explanation: format!(
                "Keep the current policy for now: only {} of messages pass DMARC, less than the {} a stricter policy needs to be safe. {} failing messages come from senders not recognised as any service, {} through forwarders and mailing lists. Look at the biggest unknown sources (by-source): a server of yours must be added to SPF or sign with DKIM; whatever is not yours is what enforcement would stop.",
                percent_below(pass, messages),
                percent_share(input.min_pass_share),
                unknown.failing_messages,
                forwarders.failing_messages
            ),
            record: None,
        };
    }
    match p {
        "reject" => {
            let sp = policy.sp.as_deref().unwrap_or("reject");
            if sp != "reject" {
                Recommendation {
                    step: Step::RejectSubdomains,
                    explanation: format!(
                        "The domain is at p=reject but its subdomains at sp={sp}: anyone can still send as a subdomain. {} messages from subdomains were seen, {} failing.",
                        subdomains.messages, subdomains.failing_messages
                    ),
                    record: Some(record_with(input, &[("sp", "reject")])),
                }
            } else {
                Recommendation {
                    step: Step::Enforced,
                    explanation: "The domain and its subdomains are at p=reject: mail failing DMARC is refused. Keep watching the reports for new services.".into(),
                    record: None,
                }
            }
        }
        "quarantine" => Recommendation {
            step: Step::Reject,
            explanation: "Your named services pass DMARC under p=quarantine: publish p=reject so failing mail is refused instead of delivered to spam.".into(),
            record: Some(record_with(input, &[("p", "reject")])),
        },
        _ => Recommendation {
            step: Step::Quarantine,
            explanation: "Your named services pass DMARC: publish p=quarantine, watch the reports for a few weeks for legitimate mail that fails, then move to p=reject.".into(),
            record: Some(record_with(input, &[("p", "quarantine")])),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn service(name: &str, category: Category, by: MatchedBy, value: &str) -> Sender {
        Sender::Service(ServiceMatch {
            id: name.to_ascii_lowercase(),
            name: name.into(),
            category,
            matched_by: by,
            matched_value: value.into(),
        })
    }

    fn group(sender: Sender, messages: u64, pass: u64) -> GroupFigures {
        GroupFigures {
            sender,
            sources: 2,
            messages,
            dmarc_pass_messages: pass,
            forwarded_messages: 0,
            quarantine_messages: 0,
            reject_messages: 0,
        }
    }

    fn input<'a>(
        groups: &'a [GroupFigures],
        p: &str,
        record: Option<&'a str>,
        header_from: &'a [(String, u64, u64)],
    ) -> ReadinessInput<'a> {
        ReadinessInput {
            domain: "example.com",
            policy: Some(PublishedPolicy {
                p: Some(p.into()),
                sp: None,
                np: None,
            }),
            dmarc_record: record,
            groups,
            header_from,
            min_pass_share: 0.98,
        }
    }

    #[test]
    fn a_failing_service_blocks_the_next_step_and_gets_its_fix() {
        let groups = vec![
            group(
                service(
                    "ExampleMailer",
                    Category::Transactional,
                    MatchedBy::DkimDomain,
                    "mailer.example",
                ),
                1_000,
                900,
            ),
            group(Sender::Unknown, 50, 0),
            group(
                service(
                    "SendGrid",
                    Category::Transactional,
                    MatchedBy::DkimDomain,
                    "sendgrid.net",
                ),
                100,
                99,
            ),
        ];
        let r = assess(&input(&groups, "none", None, &[]));
        assert_eq!(r.recommendation.step, Step::FixServicesFirst);
        assert!(r.recommendation.record.is_none());
        assert_eq!(r.services_to_fix.len(), 2);
        // A service the table does not know gets the generic fix naming what matched.
        assert!(r.services_to_fix[0].fix.contains("mailer.example"));
        assert!(r.services_to_fix[0].blocks_next_step);
        // One it knows gets its advice; 1 % failing does not block.
        assert!(
            r.services_to_fix[1]
                .fix
                .contains("domain authentication in SendGrid")
        );
        assert!(!r.services_to_fix[1].blocks_next_step);
        assert_eq!(r.quarantine.from_services, 101);
        assert_eq!(r.quarantine.from_unknown, 50);
        assert_eq!(r.failing_messages, 151);
    }

    #[test]
    fn passing_services_move_none_to_quarantine_and_quarantine_to_reject_with_the_record() {
        let groups = vec![
            group(
                service(
                    "Google Workspace",
                    Category::EmailProvider,
                    MatchedBy::PtrName,
                    "google.com",
                ),
                10_000,
                9_999,
            ),
            group(Sender::Unknown, 150, 10),
        ];
        let current = "v=DMARC1; p=none; rua=mailto:d@example.net; adkim=s";
        let r = assess(&input(&groups, "none", Some(current), &[]));
        assert_eq!(r.recommendation.step, Step::Quarantine);
        assert_eq!(
            r.recommendation.record.unwrap().value,
            "v=DMARC1; p=quarantine; rua=mailto:d@example.net; adkim=s"
        );
        let r = assess(&input(&groups, "quarantine", None, &[]));
        assert_eq!(r.recommendation.step, Step::Reject);
        assert_eq!(
            r.recommendation.record.unwrap().value,
            "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com"
        );
    }

    #[test]
    fn reject_without_sp_reject_asks_for_subdomains_and_counts_them() {
        let groups = vec![group(Sender::Unknown, 100, 100)];
        let from = vec![
            ("example.com".to_string(), 60, 60),
            ("news.Example.com".to_string(), 30, 25),
            ("notexample.com".to_string(), 10, 0),
        ];
        let mut i = input(
            &groups,
            "reject",
            Some("v=DMARC1; p=reject; sp=none"),
            &from,
        );
        i.policy.as_mut().unwrap().sp = Some("none".into());
        let r = assess(&i);
        assert_eq!(r.recommendation.step, Step::RejectSubdomains);
        assert_eq!(
            r.recommendation.record.unwrap().value,
            "v=DMARC1; p=reject; sp=reject"
        );
        assert_eq!(r.subdomains.messages, 30);
        assert_eq!(r.subdomains.failing_messages, 5);
        assert_eq!(r.subdomains.policy.as_deref(), Some("none"));
        i.policy.as_mut().unwrap().sp = None;
        assert_eq!(assess(&i).recommendation.step, Step::Enforced);
    }

    #[test]
    fn forwarders_split_into_saved_by_receivers_and_needing_dkim_and_policies_count_only_new_treatment()
     {
        let mut fwd = group(
            service(
                "Mailing list",
                Category::ForwarderMailingList,
                MatchedBy::PtrName,
                "lists.example.org",
            ),
            200,
            50,
        );
        fwd.forwarded_messages = 100;
        let mut spoof = group(Sender::Unknown, 400, 0);
        spoof.quarantine_messages = 100;
        spoof.reject_messages = 50;
        let groups = vec![fwd, spoof];
        let r = assess(&input(&groups, "none", None, &[]));
        assert_eq!(r.forwarders.failing_messages, 150);
        assert_eq!(r.forwarders.saved_by_receivers, 100);
        assert_eq!(r.forwarders.needing_dkim, 50);
        assert_eq!(r.quarantine.failing_messages, 550);
        assert_eq!(r.quarantine.from_unknown, 250);
        assert_eq!(r.reject.from_unknown, 350);
        assert_eq!(r.quarantine.from_forwarders, 150);
        // 92% of the mail fails: find out whose before enforcing.
        assert_eq!(r.recommendation.step, Step::ReviewUnknownSources);
        assert!(r.services_to_fix.is_empty());
    }

    #[test]
    fn no_messages_is_no_data() {
        let r = assess(&input(&[], "none", None, &[]));
        assert_eq!(r.recommendation.step, Step::NoData);
        assert_eq!(r.messages, 0);
    }

    #[test]
    fn mostly_failing_mail_from_unknown_sources_is_reviewed_before_enforcing() {
        // Failing mail from unknown sources beside a named service whose mail all passes.
        let mix = |failing: u64, passing: u64| {
            vec![
                group(Sender::Unknown, failing, 0),
                group(
                    service(
                        "Google Workspace",
                        Category::EmailProvider,
                        MatchedBy::DkimDomain,
                        "google.com",
                    ),
                    passing,
                    passing,
                ),
            ]
        };
        // 60 of 100 messages fail, all from unknown sources: they may be the domain's own
        // unnamed servers, so no stricter policy yet.
        let groups = mix(60, 40);
        for p in ["none", "quarantine"] {
            let r = assess(&input(&groups, p, None, &[]));
            assert_eq!(r.recommendation.step, Step::ReviewUnknownSources, "{p}");
            assert!(r.recommendation.record.is_none());
            assert!(
                r.recommendation
                    .explanation
                    .contains("only 40% of messages pass"),
                "{}",
                r.recommendation.explanation
            );
            assert_eq!(r.unknown.failing_messages, 60);
        }
        // Just under the gate the share is not rounded up to it.
        let r = assess(&input(&mix(2_041, 97_959), "none", None, &[]));
        assert_eq!(r.recommendation.step, Step::ReviewUnknownSources);
        assert!(
            r.recommendation
                .explanation
                .contains("only 97.9% of messages pass DMARC, less than the 98%"),
            "{}",
            r.recommendation.explanation
        );
        // At 98% passing the step is taken.
        let r = assess(&input(&mix(2, 98), "none", None, &[]));
        assert_eq!(r.recommendation.step, Step::Quarantine);
        // At p=reject only the subdomains are left to judge.
        let r = assess(&input(
            &[group(Sender::Unknown, 10, 0)],
            "reject",
            None,
            &[],
        ));
        assert_eq!(r.recommendation.step, Step::Enforced);
    }

    #[test]
    fn a_suggested_record_keeps_the_published_tags_and_puts_a_missing_p_after_v() {
        let r = suggested_record(
            "example.com",
            Some("v=DMARC1; rua=mailto:a@example.com; P=none; pct=50"),
            &[("p", "quarantine")],
        );
        assert_eq!(
            r.value,
            "v=DMARC1; rua=mailto:a@example.com; p=quarantine; pct=50"
        );
        let r = suggested_record(
            "example.com",
            Some("v=DMARC1; rua=mailto:a@example.com"),
            &[("p", "reject"), ("sp", "reject")],
        );
        assert_eq!(
            r.value,
            "v=DMARC1; p=reject; rua=mailto:a@example.com; sp=reject"
        );
        let r = suggested_record("example.com", None, &[("p", "quarantine")]);
        assert_eq!(
            r.value,
            "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com"
        );
        assert_eq!(r.name, "_dmarc.example.com");
    }
}
