//! The rules against a crafted scenario whose expected issues were written down first (what a
//! DMARC expert would conclude), then one firing and one non-firing test per rule on minimal
//! data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::input::*;
use super::issues::{DAY, Thresholds, detect};
use crate::domain::issue::{IssueCode, IssueSeverity};
use serde_json::json;
use std::collections::BTreeMap;

/// 2026-06-30T00:00:00Z.
const NOW: i64 = 1_782_777_600;

fn input() -> DomainInput {
    DomainInput {
        domain: "example.com".into(),
        now: NOW,
        registered_at: None,
        dmarc: DmarcData {
            from: NOW - 31 * DAY,
            to: NOW - DAY,
            ..Default::default()
        },
        tls: TlsData {
            from: NOW - 8 * DAY,
            to: NOW - DAY,
            ..Default::default()
        },
        dns: Vec::new(),
        failures: FailureData::default(),
    }
}

fn confirmed(name: &str) -> SourceNames {
    SourceNames::Confirmed {
        name: name.into(),
        ptr_names: vec![name.into()],
    }
}

fn unconfirmed(ptr: &str) -> SourceNames {
    SourceNames::Unconfirmed {
        ptr_names: vec![ptr.into()],
        lookup_error: None,
    }
}

fn map(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A source sending `messages` as example.com; `dkim`/`spf` are the aligned passing counts.
fn source(ip: &str, names: SourceNames, messages: u64, dkim: u64, spf: u64) -> SourceData {
    SourceData {
        ip: ip.into(),
        names,
        messages,
        dmarc_pass: dkim.max(spf),
        dkim_aligned: dkim,
        spf_aligned: spf,
        header_from: map(&[("example.com", messages)]),
        header_from_pass: map(&[("example.com", dkim.max(spf))]),
        reporters: ["google.com".to_string()].into(),
        report_ids: ["r1".to_string()].into(),
        ..Default::default()
    }
}

fn policy(p: &str, days: i64) -> Vec<PolicyObservation> {
    (1..=days)
        .map(|d| PolicyObservation {
            begin: NOW - (d + 1) * DAY,
            end: NOW - d * DAY,
            p: p.into(),
            sp: None,
            np: None,
            pct: None,
            testing: false,
        })
        .collect()
}

fn reporter(org: &str, last_days_ago: i64, reports: i64) -> ReporterData {
    ReporterData {
        org: org.into(),
        report_ends: (0..reports)
            .map(|i| NOW - (last_days_ago + i) * DAY)
            .collect(),
    }
}

fn dns(
    kind: &str,
    records: &[&str],
    findings: &[(&str, &str)],
    details: serde_json::Value,
) -> DnsCheck {
    DnsCheck {
        kind: kind.into(),
        selector: String::new(),
        checked_at: NOW - 3600,
        report: json!({
            "kind": kind,
            "records": records,
            "details": details,
            "findings": findings.iter().map(|(c, s)| json!({"code": c, "severity": s, "message": c})).collect::<Vec<_>>(),
        }),
    }
}

fn tls_days(baseline_failed: u64, recent_failed: u64) -> Vec<TlsDay> {
    (1..=30)
        .map(|d| TlsDay {
            day: NOW - (d + 1) * DAY,
            successful: 1000,
            failed: if d <= 2 {
                recent_failed
            } else {
                baseline_failed
            },
        })
        .collect()
}

/// (code, subject, severity) of every issue.
fn found(input: &DomainInput) -> Vec<(IssueCode, String, IssueSeverity)> {
    detect(input, &Thresholds::default())
        .issues
        .into_iter()
        .map(|i| (i.code, i.subject, i.severity))
        .collect()
}

fn codes(input: &DomainInput) -> Vec<IssueCode> {
    found(input).into_iter().map(|f| f.0).collect()
}

/// The scenario: a domain at p=none for two months using Google Workspace (aligned),
/// SendGrid (not set up: signs and bounces with its own domain), Mailchimp (bounce domain
/// aligned by a CNAME, DKIM not set up), with spoofing from a hosting address, forwarding
/// through a university forwarder, one source not looked up yet, Mail.Ru gone quiet, an
/// expired certificate on one MX, and DNS with no rua, too many SPF lookups and MTA-STS
/// enforced without TLS-RPT.
fn scenario() -> DomainInput {
    let mut i = input();
    let mut sendgrid = source(
        "167.89.0.1",
        confirmed("o1.ptr1234.sendgrid.net"),
        200,
        0,
        0,
    );
    sendgrid.dkim_pass_domains = map(&[("sendgrid.net", 200)]);
    sendgrid.spf_pass_domains = map(&[("em123.sendgrid.net", 200)]);
    let mut mailchimp = source(
        "198.2.128.1",
        confirmed("mail128-1.atl41.mcsv.net"),
        300,
        0,
        300,
    );
    mailchimp.dkim_pass_domains = map(&[("mcsv.net", 300)]);
    mailchimp.spf_pass_domains = map(&[("bounce.example.com", 300)]);
    let mut spoof = source("203.0.113.9", unconfirmed("mail.example.com"), 50, 0, 0);
    spoof.spf_fail_domains = map(&[("example.com", 50)]);
    let mut forwarder = source(
        "198.51.100.7",
        confirmed("mx.forward.example.edu"),
        40,
        40,
        0,
    );
    forwarder.dkim_pass_domains = map(&[("example.com", 40)]);
    forwarder.spf_pass_domains = map(&[("example.edu", 40)]);
    let pending = source("192.0.2.50", SourceNames::Pending, 20, 0, 0);
    let mut google = source(
        "209.85.220.41",
        confirmed("mail-sor-f41.google.com"),
        1000,
        1000,
        1000,
    );
    google.dkim_pass_domains = map(&[("example.com", 1000)]);
    google.spf_pass_domains = map(&[("example.com", 1000)]);
    i.dmarc.sources = vec![google, sendgrid, mailchimp, spoof, forwarder, pending];
    i.dmarc.policies = policy("none", 60);
    i.dmarc.reporters = vec![reporter("google.com", 1, 30), reporter("Mail.Ru", 10, 5)];
    i.tls.failures = vec![TlsFailureData {
        result_type: "certificate-expired".into(),
        mx_host: "mx1.example.com".into(),
        sessions: 12,
        reporters: ["google.com".to_string()].into(),
        ..Default::default()
    }];
    i.tls.daily = tls_days(1, 100);
    i.dns = vec![
        dns(
            "dmarc",
            &["v=DMARC1; p=none"],
            &[
                ("dmarc_no_rua", "warning"),
                ("dmarc_policy_none", "warning"),
            ],
            json!({}),
        ),
        dns(
            "spf",
            &["v=spf1 include:a include:b ~all"],
            &[("spf_too_many_lookups", "error")],
            json!({}),
        ),
        dns(
            "mta_sts",
            &["v=STSv1; id=1"],
            &[],
            json!({"policy": {"mode": "enforce", "mx": ["*.example.com"]}}),
        ),
        dns("tlsrpt", &[], &[("tlsrpt_no_record", "warning")], json!({})),
    ];
    i
}

#[test]
fn the_scenario_yields_what_an_expert_expects() {
    use IssueCode::*;
    use IssueSeverity::*;
    let expected: Vec<(IssueCode, String, IssueSeverity)> = vec![
        // SendGrid signs with sendgrid.net and bounces to em123.sendgrid.net: fails DMARC.
        (ServiceFailingDmarc, "sendgrid".into(), High),
        // Mailchimp passes through its aligned bounce domain only; DKIM is mcsv.net.
        (ServiceDkimUnaligned, "mailchimp".into(), Medium),
        // 50 failing messages from an address whose PTR claims example.com but is not
        // confirmed; the policy does not enforce. The pending source is not counted.
        (SpoofingSuspected, String::new(), High),
        // 40 messages with aligned DKIM and SPF for the forwarder's own domain.
        (ForwardingDetected, String::new(), Info),
        // Mail.Ru reported daily, then stopped 10 days ago while Google still reports.
        (ReportsStopped, "Mail.Ru".into(), Medium),
        (TlsCertificateExpired, "mx1.example.com".into(), Critical),
        // 100 of 1100 sessions failing in the last two days against 0.1% before.
        (TlsFailureRateJump, String::new(), High),
        (DmarcNoRua, String::new(), Medium),
        (SpfLookupLimitExceeded, String::new(), High),
        (TlsrptMissing, String::new(), Medium),
    ];
    let mut expected = expected;
    expected.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    assert_eq!(found(&scenario()), expected);
}

#[test]
fn the_scenario_explains_why_sendgrid_fails_and_how_to_fix_it() {
    let e = detect(&scenario(), &Thresholds::default());
    let sg = e
        .issues
        .iter()
        .find(|i| i.code == IssueCode::ServiceFailingDmarc)
        .unwrap();
    assert!(
        sg.explanation.contains("d=sendgrid.net"),
        "{}",
        sg.explanation
    );
    assert!(
        sg.explanation.contains("em123.sendgrid.net"),
        "{}",
        sg.explanation
    );
    assert!(
        sg.remediation.contains("domain authentication"),
        "{}",
        sg.remediation
    );
    assert_eq!(sg.evidence["dmarc_fail_messages"], 200);
    let spoof = e
        .issues
        .iter()
        .find(|i| i.code == IssueCode::SpoofingSuspected)
        .unwrap();
    assert!(
        spoof.explanation.contains("not forward-confirmed"),
        "{}",
        spoof.explanation
    );
    assert_eq!(spoof.evidence["sources_not_looked_up_yet"], 1);
    assert_eq!(
        spoof.evidence["sources"][0]["confirmed_name"],
        serde_json::Value::Null
    );
    assert_eq!(
        spoof.record.as_ref().unwrap().value,
        "v=DMARC1; p=quarantine",
        "the current record edited to enforce"
    );
}

#[test]
fn the_same_input_gives_the_same_output() {
    let a = detect(&scenario(), &Thresholds::default());
    let b = detect(&scenario(), &Thresholds::default());
    assert_eq!(a, b);
}

// --- one firing and one non-firing test per rule -------------------------------------

fn with_sources(sources: Vec<SourceData>, p: &str) -> DomainInput {
    let mut i = input();
    i.dmarc.sources = sources;
    i.dmarc.policies = policy(p, 5);
    i
}

fn sendgrid(messages: u64, aligned_dkim: u64) -> SourceData {
    let mut s = source(
        "167.89.0.1",
        confirmed("o1.ptr1.sendgrid.net"),
        messages,
        aligned_dkim,
        0,
    );
    s.dkim_pass_domains = map(&[("sendgrid.net", messages)]);
    s
}

#[test]
fn a_service_failing_dmarc_fires_and_is_critical_under_enforcement() {
    assert_eq!(
        found(&with_sources(vec![sendgrid(100, 0)], "reject")),
        vec![(
            IssueCode::ServiceFailingDmarc,
            "sendgrid".into(),
            IssueSeverity::Critical
        )]
    );
}

#[test]
fn a_service_with_aligned_dkim_raises_nothing() {
    let mut s = sendgrid(100, 100);
    s.spf_aligned = 100;
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

#[test]
fn a_few_failing_forwarded_copies_of_a_service_are_not_an_issue() {
    // 3 of 1000 fail (forwarded copies): under both thresholds.
    let mut s = sendgrid(1000, 997);
    s.spf_aligned = 997;
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

#[test]
fn a_service_passing_by_spf_only_fires() {
    let mut s = sendgrid(100, 0);
    s.spf_aligned = 100;
    s.dmarc_pass = 100;
    assert_eq!(
        codes(&with_sources(vec![s], "none")),
        vec![IssueCode::ServiceDkimUnaligned]
    );
}

#[test]
fn a_service_passing_by_dkim_only_fires_low() {
    let s = sendgrid(100, 100);
    assert_eq!(
        found(&with_sources(vec![s], "none")),
        vec![(
            IssueCode::ServiceSpfUnaligned,
            "sendgrid".into(),
            IssueSeverity::Low
        )]
    );
}

#[test]
fn blocked_mail_of_a_service_fires() {
    let mut s = sendgrid(100, 0);
    s.rejected = 60;
    s.quarantined = 40;
    assert_eq!(
        codes(&with_sources(vec![s], "reject")),
        vec![
            IssueCode::ServiceFailingDmarc,
            IssueCode::ServiceMailBlocked
        ]
    );
}

#[test]
fn unblocked_mail_of_a_service_does_not_fire_blocked() {
    let s = sendgrid(100, 0);
    assert!(!codes(&with_sources(vec![s], "none")).contains(&IssueCode::ServiceMailBlocked));
}

#[test]
fn failing_unknown_sources_fire_spoofing_high_without_enforcement_and_low_with_it() {
    let s = source("203.0.113.9", unconfirmed("x.example.net"), 30, 0, 0);
    assert_eq!(
        found(&with_sources(vec![s.clone()], "none")),
        vec![(
            IssueCode::SpoofingSuspected,
            String::new(),
            IssueSeverity::High
        )]
    );
    assert_eq!(
        found(&with_sources(vec![s], "reject")),
        vec![(
            IssueCode::SpoofingSuspected,
            String::new(),
            IssueSeverity::Low
        )]
    );
}

#[test]
fn an_unconfirmed_ptr_name_never_names_a_service() {
    // The PTR says SendGrid but does not resolve back: it is not SendGrid.
    let s = source("203.0.113.9", unconfirmed("o1.ptr1.sendgrid.net"), 30, 0, 0);
    assert_eq!(
        codes(&with_sources(vec![s], "none")),
        vec![IssueCode::SpoofingSuspected]
    );
}

#[test]
fn sources_not_looked_up_yet_are_not_called_spoofing() {
    let s = source("203.0.113.9", SourceNames::Pending, 30, 0, 0);
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

fn lookup_failed(hours_ago: i64) -> SourceNames {
    SourceNames::LookupFailed {
        error: "4.3.2.1.in-addr.arpa.: PTR lookup failed: SERVFAIL".into(),
        since: NOW - hours_ago * 3600,
    }
}

#[test]
fn a_source_whose_lookups_fail_is_not_spoofing_within_the_grace_period() {
    let s = source("198.51.100.9", lookup_failed(2), 35_000, 0, 0);
    let e = detect(&with_sources(vec![s], "none"), &Thresholds::default());
    assert!(e.issues.is_empty(), "{:?}", e.issues);
    // One hour short of the grace: still nothing.
    let s = source("198.51.100.9", lookup_failed(23), 35_000, 0, 0);
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

#[test]
fn a_source_whose_lookups_failed_past_the_grace_period_counts_as_unidentified() {
    let s = source("198.51.100.9", lookup_failed(26), 35_000, 0, 0);
    let e = detect(&with_sources(vec![s], "none"), &Thresholds::default());
    let got: Vec<(IssueCode, IssueSeverity)> =
        e.issues.iter().map(|i| (i.code, i.severity)).collect();
    assert_eq!(
        got,
        vec![(IssueCode::SpoofingSuspected, IssueSeverity::High)]
    );
    let issue = &e.issues[0];
    let shown = &issue.evidence["sources"][0];
    assert_eq!(shown["ip"], "198.51.100.9");
    assert_eq!(shown["failing_messages"], 35_000);
    assert_eq!(shown["reverse_dns"], "lookup_failed");
    assert_eq!(shown["lookup_failing_since"], NOW - 26 * 3600);
    assert_eq!(
        shown["why_unidentified"],
        "reverse DNS could not be looked up for 26 h (lookup_failed: 4.3.2.1.in-addr.arpa.: PTR lookup failed: SERVFAIL); treated as unidentified"
    );
    assert_eq!(
        issue.evidence["sources_unidentified_after_lookup_failures"],
        1
    );
    assert!(
        issue
            .explanation
            .contains("could not be looked up in reverse DNS for more than 24 h"),
        "{}",
        issue.explanation
    );
    // The grace is a threshold: shorter, and the same source counts sooner.
    let t = Thresholds {
        source_lookup_grace_hours: 1,
        ..Thresholds::default()
    };
    let s = source("198.51.100.9", lookup_failed(2), 35_000, 0, 0);
    let e = detect(&with_sources(vec![s], "none"), &t);
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].code, IssueCode::SpoofingSuspected);
}

#[test]
fn a_source_named_by_its_auth_results_is_that_service_while_its_lookups_fail() {
    let mut s = source("167.89.0.1", lookup_failed(2), 100, 0, 0);
    s.dkim_pass_domains = map(&[("sendgrid.net", 100)]);
    assert_eq!(
        codes(&with_sources(vec![s], "none")),
        vec![IssueCode::ServiceFailingDmarc]
    );
}

#[test]
fn a_few_failing_messages_are_not_spoofing() {
    let s = source("203.0.113.9", unconfirmed("x.example.net"), 9, 0, 0);
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

#[test]
fn dkim_surviving_through_an_unknown_server_is_forwarding() {
    let s = source("198.51.100.7", confirmed("mx.example.edu"), 20, 20, 0);
    assert_eq!(
        found(&with_sources(vec![s], "none")),
        vec![(
            IssueCode::ForwardingDetected,
            String::new(),
            IssueSeverity::Info
        )]
    );
}

#[test]
fn a_mailing_list_service_is_forwarding_not_a_failing_service() {
    let mut s = source("209.85.220.1", unconfirmed("x"), 20, 0, 0);
    s.dkim_pass_domains = map(&[("googlegroups.com", 20)]);
    assert_eq!(
        codes(&with_sources(vec![s], "none")),
        vec![IssueCode::ForwardingDetected]
    );
}

#[test]
fn receiver_reported_forwarding_is_not_spoofing() {
    let mut s = source("198.51.100.7", unconfirmed("x"), 20, 0, 0);
    s.forwarded_reason = 20;
    assert_eq!(
        codes(&with_sources(vec![s], "none")),
        vec![IssueCode::ForwardingDetected]
    );
}

#[test]
fn aligned_mail_from_own_servers_is_not_forwarding() {
    let s = source("198.51.100.7", confirmed("mx.example.com"), 20, 20, 20);
    assert!(codes(&with_sources(vec![s], "none")).is_empty());
}

fn passing(messages: u64) -> SourceData {
    source(
        "209.85.220.41",
        confirmed("mail-sor-f41.google.com"),
        messages,
        messages,
        messages,
    )
}

#[test]
fn a_long_p_none_with_nearly_everything_passing_is_ready_to_enforce() {
    let mut i = with_sources(vec![passing(1000)], "none");
    i.dmarc.policies = policy("none", 45);
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=none; rua=mailto:d@example.com"],
        &[],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].code, IssueCode::PolicyNoneReadyToEnforce);
    let record = e.issues[0].record.as_ref().unwrap();
    assert_eq!(record.name, "_dmarc.example.com");
    assert_eq!(
        record.value,
        "v=DMARC1; p=quarantine; rua=mailto:d@example.com"
    );
}

#[test]
fn a_young_or_failing_p_none_is_not_ready() {
    let mut young = with_sources(vec![passing(1000)], "none");
    young.dmarc.policies = policy("none", 10);
    assert!(codes(&young).is_empty());
    let mut failing = with_sources(
        vec![
            passing(900),
            source("203.0.113.9", confirmed("a.example.net"), 100, 0, 0),
        ],
        "none",
    );
    failing.dmarc.policies = policy("none", 45);
    assert!(!codes(&failing).contains(&IssueCode::PolicyNoneReadyToEnforce));
    let mut enforced = with_sources(vec![passing(1000)], "reject");
    enforced.dmarc.policies = policy("reject", 45);
    assert!(codes(&enforced).is_empty());
}

/// A policy history of `days` daily reports with `p`, `sp` and `pct` as given.
fn policy_with(p: &str, sp: Option<&str>, pct: Option<u32>, days: i64) -> Vec<PolicyObservation> {
    policy(p, days)
        .into_iter()
        .map(|o| PolicyObservation {
            sp: sp.map(str::to_string),
            pct,
            ..o
        })
        .collect()
}

#[test]
fn the_p_none_step_says_what_quarantine_would_do_to_each_kind_of_sender() {
    // 3,000 passing messages of the domain's own service, 20 forwarded through a mailing list
    // (5 of them accepted as forwarded by the receiver), 25 from an unknown source.
    let mut list = source("209.85.220.1", unconfirmed("x"), 20, 0, 0);
    list.dkim_pass_domains = map(&[("googlegroups.com", 20)]);
    list.forwarded_reason = 5;
    let spoofer = source("203.0.113.9", unconfirmed("host.example.net"), 25, 0, 0);
    let mut i = with_sources(vec![passing(3000), list, spoofer], "none");
    i.dmarc.policies = policy("none", 45);
    let e = detect(&i, &Thresholds::default());
    let issue = e
        .issues
        .iter()
        .find(|x| x.code == IssueCode::PolicyNoneReadyToEnforce)
        .expect("ready to enforce");
    assert_eq!(issue.evidence["quarantine"]["newly_affected_messages"], 45);
    assert_eq!(issue.evidence["quarantine"]["from_unknown"], 25);
    assert_eq!(issue.evidence["quarantine"]["from_forwarders"], 20);
    assert_eq!(issue.evidence["quarantine"]["from_services"], 0);
    assert_eq!(issue.evidence["forwarders"]["saved_by_receivers"], 5);
    assert_eq!(issue.evidence["forwarders"]["needing_dkim"], 15);
    assert_eq!(
        issue.evidence["policy_none_since"],
        issue.evidence["policy_since"]
    );
    assert!(
        issue.explanation.contains("25 from unknown sources"),
        "{}",
        issue.explanation
    );
    assert_eq!(
        issue.record.as_ref().unwrap().value,
        "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com"
    );
}

#[test]
fn a_long_full_quarantine_with_services_passing_is_ready_for_reject() {
    let mut i = with_sources(
        vec![
            passing(1000),
            source("203.0.113.9", unconfirmed("x"), 10, 0, 0),
        ],
        "quarantine",
    );
    i.dmarc.policies = policy_with("quarantine", None, Some(100), 40);
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=quarantine; rua=mailto:d@example.com"],
        &[],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    let issue = e
        .issues
        .iter()
        .find(|x| x.code == IssueCode::PolicyQuarantineReadyToReject)
        .expect("ready for reject");
    assert_eq!(issue.severity, IssueSeverity::Low);
    assert_eq!(issue.evidence["reject"]["newly_affected_messages"], 10);
    assert_eq!(
        issue.record.as_ref().unwrap().value,
        "v=DMARC1; p=reject; rua=mailto:d@example.com"
    );
    // Not while it applies to part of the mail, nor while it is young.
    for policies in [
        policy_with("quarantine", None, Some(50), 40),
        policy_with("quarantine", None, None, 10),
    ] {
        let mut partial = i.clone();
        partial.dmarc.policies = policies;
        assert!(!codes(&partial).contains(&IssueCode::PolicyQuarantineReadyToReject));
    }
    // Nor while one of the domain's services fails.
    let mut failing = i.clone();
    failing.dmarc.sources.push(source(
        "198.51.100.20",
        confirmed("o1.ptr1234.sendgrid.net"),
        10,
        0,
        0,
    ));
    assert!(!codes(&failing).contains(&IssueCode::PolicyQuarantineReadyToReject));
}

#[test]
fn p_reject_with_a_weaker_sp_leaves_subdomains_unprotected() {
    let mut sub = source("203.0.113.9", unconfirmed("x"), 30, 0, 0);
    sub.header_from = map(&[("news.example.com", 30)]);
    sub.header_from_pass = BTreeMap::new();
    let mut i = with_sources(vec![passing(1000), sub], "reject");
    i.dmarc.policies = policy_with("reject", Some("none"), None, 60);
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com"],
        &[],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    let issue = e
        .issues
        .iter()
        .find(|x| x.code == IssueCode::SubdomainPolicyNotEnforced)
        .expect("subdomains not enforced");
    assert_eq!(issue.evidence["subdomains"]["messages"], 30);
    assert_eq!(issue.evidence["subdomains"]["failing_messages"], 30);
    assert_eq!(
        issue.record.as_ref().unwrap().value,
        "v=DMARC1; p=reject; sp=reject; rua=mailto:d@example.com"
    );
    // sp=reject, or no sp (subdomains take p): nothing to say.
    for sp in [Some("reject"), None] {
        let mut enforced = i.clone();
        enforced.dmarc.policies = policy_with("reject", sp, None, 60);
        assert!(!codes(&enforced).contains(&IssueCode::SubdomainPolicyNotEnforced));
    }
}

#[test]
fn reports_stopping_from_everyone_fires_once_for_the_domain() {
    let mut i = input();
    i.dmarc.reporters = vec![reporter("google.com", 20, 10), reporter("Yahoo", 21, 10)];
    assert_eq!(
        found(&i),
        vec![(
            IssueCode::NoRecentReports,
            String::new(),
            IssueSeverity::High
        )]
    );
}

#[test]
fn a_minor_irregular_or_current_reporter_raises_nothing_or_low() {
    let mut i = input();
    i.dmarc.reporters = vec![
        reporter("google.com", 1, 30),
        // Two reports, long ago: not a regular reporter.
        reporter("Small ISP", 15, 2),
    ];
    assert!(codes(&i).is_empty());
    i.dmarc.reporters.push(reporter("Regional ISP", 8, 10));
    assert_eq!(
        found(&i),
        vec![(
            IssueCode::ReportsStopped,
            "Regional ISP".into(),
            IssueSeverity::Low
        )]
    );
}

fn tls_failure(result_type: &str, mx: &str, sessions: u64) -> TlsFailureData {
    TlsFailureData {
        result_type: result_type.into(),
        mx_host: mx.into(),
        sessions,
        reporters: ["google.com".to_string()].into(),
        ..Default::default()
    }
}

#[test]
fn every_rfc_8460_result_type_maps_to_its_own_code() {
    let types = [
        ("certificate-expired", IssueCode::TlsCertificateExpired),
        (
            "certificate-host-mismatch",
            IssueCode::TlsCertificateHostMismatch,
        ),
        ("starttls-not-supported", IssueCode::TlsStarttlsNotSupported),
        ("sts-policy-fetch-error", IssueCode::TlsStsPolicyFetchError),
        ("sts-policy-invalid", IssueCode::TlsStsPolicyInvalid),
        ("sts-webpki-invalid", IssueCode::TlsStsWebpkiInvalid),
        ("validation-failure", IssueCode::TlsValidationFailure),
        ("tlsa-invalid", IssueCode::TlsTlsaInvalid),
        ("dnssec-invalid", IssueCode::TlsDnssecInvalid),
        ("dane-required", IssueCode::TlsDaneRequired),
        ("something-new", IssueCode::TlsOtherFailure),
    ];
    for (t, code) in types {
        let mut i = input();
        i.tls.failures = vec![tls_failure(t, "mx.example.com", 3)];
        let e = detect(&i, &Thresholds::default());
        assert_eq!(e.issues.len(), 1, "{t}");
        assert_eq!(e.issues[0].code, code, "{t}");
        assert!(e.issues[0].explanation.contains("mx.example.com"), "{t}");
        assert!(!e.issues[0].remediation.contains("<domain>"), "{t}");
    }
}

#[test]
fn tls_failures_per_mx_host_are_separate_issues_and_zero_sessions_none() {
    let mut i = input();
    i.tls.failures = vec![
        tls_failure("certificate-expired", "mx1.example.com", 3),
        tls_failure("certificate-expired", "mx2.example.com", 1),
        tls_failure("starttls-not-supported", "mx3.example.com", 0),
    ];
    let subjects: Vec<String> = found(&i).into_iter().map(|f| f.1).collect();
    assert_eq!(subjects, vec!["mx1.example.com", "mx2.example.com"]);
}

#[test]
fn a_failure_rate_jump_fires_against_the_baseline_only() {
    let mut jump = input();
    jump.tls.daily = tls_days(1, 100);
    assert_eq!(codes(&jump), vec![IssueCode::TlsFailureRateJump]);
    // Always 10% failing: no jump.
    let mut steady = input();
    steady.tls.daily = tls_days(100, 100);
    assert!(codes(&steady).is_empty());
    // No baseline at all: nothing to compare with.
    let mut new = input();
    new.tls.daily = tls_days(0, 100)
        .into_iter()
        .filter(|d| d.day >= NOW - 3 * DAY)
        .collect();
    assert!(codes(&new).is_empty());
}

#[test]
fn dns_findings_become_issues_with_records() {
    let mut i = input();
    i.dns = vec![
        dns("dmarc", &[], &[("dmarc_no_record", "error")], json!({})),
        dns(
            "spf",
            &["v=spf1 +all"],
            &[("spf_pass_all", "error")],
            json!({}),
        ),
    ];
    let e = detect(&i, &Thresholds::default());
    let got: Vec<IssueCode> = e.issues.iter().map(|i| i.code).collect();
    assert_eq!(
        got,
        vec![IssueCode::DmarcRecordMissing, IssueCode::SpfPassAll]
    );
    assert_eq!(
        e.issues[0].record.as_ref().unwrap().value,
        "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    );
}

#[test]
fn clean_dns_checks_raise_nothing() {
    let mut i = input();
    i.dns = vec![
        dns(
            "dmarc",
            &["v=DMARC1; p=reject; rua=mailto:a@example.com"],
            &[],
            json!({}),
        ),
        dns("spf", &["v=spf1 -all"], &[], json!({})),
        dns(
            "mta_sts",
            &["v=STSv1; id=1"],
            &[],
            json!({"policy": {"mode": "enforce"}}),
        ),
        dns(
            "tlsrpt",
            &["v=TLSRPTv1; rua=mailto:t@example.com"],
            &[],
            json!({}),
        ),
    ];
    assert!(codes(&i).is_empty());
}

#[test]
fn mx_not_covered_is_high_when_enforced() {
    let mut i = input();
    i.dns = vec![dns(
        "mta_sts",
        &["v=STSv1; id=1"],
        &[("mta_sts_mx_not_covered", "error")],
        json!({}),
    )];
    assert_eq!(
        found(&i),
        vec![(
            IssueCode::MtaStsMxNotCovered,
            String::new(),
            IssueSeverity::High
        )]
    );
}

fn tlsrpt_absent() -> DnsCheck {
    dns("tlsrpt", &[], &[("tlsrpt_no_record", "warning")], json!({}))
}

fn sts(mode: Option<&str>, findings: &[(&str, &str)]) -> DnsCheck {
    dns(
        "mta_sts",
        &["v=STSv1; id=1"],
        findings,
        match mode {
            Some(m) => {
                json!({"policy": {"mode": m}, "policy_url": "https://mta-sts.example.com/.well-known/mta-sts.txt"})
            }
            None => json!({"policy_url": "https://mta-sts.example.com/.well-known/mta-sts.txt"}),
        },
    )
}

#[test]
fn missing_tlsrpt_fires_without_mta_sts_low_and_with_it_medium() {
    // What the TLS-RPT check stores for a domain without a record, and no MTA-STS record.
    let mut i = input();
    i.dns = vec![
        dns(
            "mta_sts",
            &[],
            &[("mta_sts_no_record", "warning")],
            json!(null),
        ),
        tlsrpt_absent(),
    ];
    assert_eq!(
        found(&i),
        vec![(IssueCode::TlsrptMissing, String::new(), IssueSeverity::Low)]
    );
    let e = detect(&i, &Thresholds::default());
    assert_eq!(
        e.issues[0].record.as_ref().unwrap().name,
        "_smtp._tls.example.com"
    );
    assert_eq!(
        e.issues[0].evidence["findings"][0]["code"],
        "tlsrpt_no_record"
    );
    // No MTA-STS check stored at all: the same.
    i.dns = vec![tlsrpt_absent()];
    assert_eq!(codes(&i), vec![IssueCode::TlsrptMissing]);
    // MTA-STS in testing mode: the reports are what testing is for.
    i.dns = vec![sts(Some("testing"), &[]), tlsrpt_absent()];
    assert_eq!(
        found(&i),
        vec![(
            IssueCode::TlsrptMissing,
            String::new(),
            IssueSeverity::Medium
        )]
    );
    // Two TLS-RPT records are none to senders.
    i.dns = vec![dns(
        "tlsrpt",
        &[
            "v=TLSRPTv1; rua=mailto:a@example.com",
            "v=TLSRPTv1; rua=mailto:b@example.com",
        ],
        &[("tlsrpt_multiple_records", "error")],
        json!({}),
    )];
    assert_eq!(codes(&i), vec![IssueCode::TlsrptMissing]);
}

#[test]
fn missing_tlsrpt_does_not_fire_with_a_record_a_null_mx_or_a_failed_lookup() {
    let mut i = input();
    i.dns = vec![
        sts(Some("enforce"), &[]),
        dns(
            "tlsrpt",
            &["v=TLSRPTv1; rua=mailto:t@example.com"],
            &[],
            json!({}),
        ),
    ];
    assert!(codes(&i).is_empty());
    i.dns = vec![
        sts(None, &[("mta_sts_null_mx", "warning")]),
        tlsrpt_absent(),
    ];
    assert!(codes(&i).is_empty());
    i.dns = vec![dns(
        "tlsrpt",
        &[],
        &[("tlsrpt_lookup_failed", "error")],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    assert!(e.issues.is_empty());
    assert_eq!(e.undetermined, vec![IssueCode::TlsrptMissing]);
}

#[test]
fn an_mta_sts_policy_that_cannot_be_fetched_fires_with_the_url_and_the_error() {
    let mut i = input();
    i.dns = vec![sts(None, &[("mta_sts_policy_fetch_failed", "error")])];
    i.dns[0].report["findings"][0]["message"] = json!(
        "the policy at https://mta-sts.example.com/.well-known/mta-sts.txt could not be fetched: invalid peer certificate: Expired. Senders treat the domain as having no MTA-STS policy"
    );
    let e = detect(&i, &Thresholds::default());
    assert_eq!(e.issues.len(), 1, "{:?}", e.issues);
    let issue = &e.issues[0];
    assert_eq!(issue.code, IssueCode::MtaStsPolicyUnavailable);
    assert_eq!(issue.severity, IssueSeverity::Medium);
    assert!(
        issue
            .explanation
            .contains("https://mta-sts.example.com/.well-known/mta-sts.txt"),
        "{}",
        issue.explanation
    );
    assert!(
        issue.explanation.contains("Expired"),
        "{}",
        issue.explanation
    );
    assert!(
        issue
            .remediation
            .contains("https://mta-sts.example.com/.well-known/mta-sts.txt"),
        "{}",
        issue.remediation
    );
    assert_eq!(
        issue.evidence["policy_url"],
        "https://mta-sts.example.com/.well-known/mta-sts.txt"
    );
    assert_eq!(
        issue.evidence["findings"][0]["code"],
        "mta_sts_policy_fetch_failed"
    );
    assert_eq!(issue.evidence["error"], "invalid peer certificate: Expired");
    assert!(
        !issue.explanation.contains("Senders treat"),
        "the error only: {}",
        issue.explanation
    );
    // Without the policy, its MX coverage is unknown: kept as it was.
    assert_eq!(e.undetermined, vec![IssueCode::MtaStsMxNotCovered]);
}

#[test]
fn a_fetched_mta_sts_policy_raises_no_unavailable_issue() {
    let mut i = input();
    i.dns = vec![sts(
        Some("enforce"),
        &[("mta_sts_max_age_short", "warning")],
    )];
    let e = detect(&i, &Thresholds::default());
    assert!(e.issues.is_empty(), "{:?}", e.issues);
    assert!(e.undetermined.is_empty());
}

fn dkim_check(selector: &str, records: &[&str], findings: &[(&str, &str)]) -> DnsCheck {
    let mut c = dns("dkim", records, findings, json!({"selector": selector}));
    c.selector = selector.into();
    c
}

#[test]
fn an_invalid_dkim_key_fires_per_selector_with_the_finding() {
    let mut i = input();
    i.dns = vec![
        dkim_check(
            "s1",
            &["v=DKIM1; k=rsa; p=AAAA"],
            &[("dkim_invalid_key", "error")],
        ),
        dkim_check("s2", &[], &[("dkim_no_record", "error")]),
        dkim_check("good", &["v=DKIM1; k=rsa; p=MIIB"], &[]),
    ];
    let e = detect(&i, &Thresholds::default());
    let got: Vec<(IssueCode, String, IssueSeverity)> = e
        .issues
        .iter()
        .map(|i| (i.code, i.subject.clone(), i.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            (IssueCode::DkimKeyInvalid, "s1".into(), IssueSeverity::High),
            (IssueCode::DkimKeyInvalid, "s2".into(), IssueSeverity::High),
        ]
    );
    let s1 = &e.issues[0];
    assert_eq!(s1.evidence["selector"], "s1");
    assert_eq!(s1.evidence["findings"][0]["code"], "dkim_invalid_key");
    assert_eq!(s1.evidence["records"][0], "v=DKIM1; k=rsa; p=AAAA");
    assert!(
        s1.explanation.contains("s1._domainkey.example.com"),
        "{}",
        s1.explanation
    );
}

#[test]
fn a_weak_but_usable_dkim_key_or_a_failed_lookup_is_not_invalid() {
    let mut i = input();
    i.dns = vec![dkim_check(
        "s1",
        &["v=DKIM1; k=rsa; p=MIGf"],
        &[("dkim_key_weak", "warning")],
    )];
    assert!(codes(&i).is_empty());
    i.dns = vec![dkim_check("s1", &[], &[("dkim_lookup_failed", "error")])];
    let e = detect(&i, &Thresholds::default());
    assert!(e.issues.is_empty());
    assert_eq!(e.undetermined, vec![IssueCode::DkimKeyInvalid]);
}

#[test]
fn a_domain_registered_days_ago_without_any_dmarc_report_fires() {
    let mut i = input();
    i.registered_at = Some(NOW - 5 * DAY);
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=none"],
        &[("dmarc_no_rua", "warning")],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    let issue = e
        .issues
        .iter()
        .find(|i| i.code == IssueCode::DmarcReportsNotReceived)
        .unwrap();
    assert_eq!(issue.severity, IssueSeverity::High);
    assert!(
        issue.explanation.contains("5 days ago"),
        "{}",
        issue.explanation
    );
    assert!(
        issue.explanation.contains("no rua= tag"),
        "{}",
        issue.explanation
    );
    assert!(
        issue.remediation.contains("rua=mailto:"),
        "{}",
        issue.remediation
    );
    assert!(
        issue.remediation.contains("_dmarc.example.com"),
        "{}",
        issue.remediation
    );
    assert_eq!(
        issue.record.as_ref().unwrap().value,
        "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    );
    assert_eq!(issue.evidence["tls_reports_received"], false);
    // TLS reports arrive but no DMARC report: said so; a rua= that leads elsewhere is named.
    i.tls.any_report = true;
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=none; rua=mailto:old@example.net"],
        &[],
        json!({}),
    )];
    let e = detect(&i, &Thresholds::default());
    assert_eq!(codes(&i), vec![IssueCode::DmarcReportsNotReceived]);
    let issue = &e.issues[0];
    assert!(
        issue.explanation.contains("TLS reports"),
        "{}",
        issue.explanation
    );
    assert!(
        issue.explanation.contains("rua=mailto:old@example.net"),
        "{}",
        issue.explanation
    );
    assert_eq!(issue.record, None);
    assert_eq!(issue.evidence["rua"], "mailto:old@example.net");
}

#[test]
fn a_new_domain_or_one_with_dmarc_reports_does_not_fire_not_received() {
    let mut young = input();
    young.registered_at = Some(NOW - 2 * DAY);
    assert!(codes(&young).is_empty());
    let mut reporting = with_sources(vec![passing(10)], "reject");
    reporting.registered_at = Some(NOW - 60 * DAY);
    reporting.dmarc.reporters = vec![reporter("google.com", 1, 30)];
    assert!(codes(&reporting).is_empty());
}

#[test]
fn a_failed_side_lookup_does_not_hide_the_record() {
    let mut i = input();
    i.dns = vec![dns(
        "dmarc",
        &["v=DMARC1; p=none"],
        &[
            ("dmarc_lookup_failed", "warning"),
            ("dmarc_no_rua", "warning"),
        ],
        json!({}),
    )];
    assert_eq!(codes(&i), vec![IssueCode::DmarcNoRua]);
}

#[test]
fn a_failed_lookup_decides_nothing() {
    let mut i = input();
    i.dns = vec![
        dns(
            "dmarc",
            &[],
            &[
                ("dmarc_lookup_failed", "error"),
                ("dmarc_no_record", "error"),
            ],
            json!({}),
        ),
        dns("spf", &[], &[("spf_lookup_failed", "error")], json!({})),
    ];
    let e = detect(&i, &Thresholds::default());
    assert!(e.issues.is_empty());
    assert!(e.undetermined.contains(&IssueCode::DmarcRecordMissing));
    assert!(e.undetermined.contains(&IssueCode::SpfLookupLimitExceeded));
}

fn failures(sources: &[(&str, u64, u64)]) -> FailureData {
    FailureData {
        from: NOW - DAY,
        to: NOW + 1,
        sources: sources
            .iter()
            .map(|(ip, reports, incidents)| FailureSource {
                ip: (*ip).into(),
                reports: *reports,
                incidents: *incidents,
            })
            .collect(),
    }
}

#[test]
fn ten_failure_reports_from_one_source_in_a_day_fire_a_burst_for_that_source_only() {
    let mut i = input();
    i.failures = failures(&[("203.0.113.9", 12, 40), ("198.51.100.7", 3, 3)]);
    let e = detect(&i, &Thresholds::default());
    assert_eq!(e.issues.len(), 1, "{:?}", e.issues);
    let issue = &e.issues[0];
    assert_eq!(issue.code, IssueCode::FailureReportBurst);
    assert_eq!(issue.subject, "203.0.113.9");
    assert_eq!(issue.severity, IssueSeverity::High);
    assert_eq!(issue.evidence["failure_reports"], 12);
    assert_eq!(issue.evidence["messages"], 40);
    assert!(issue.remediation.contains("source_ip=203.0.113.9"));
    assert!(issue.remediation.contains("p=reject"));
}

#[test]
fn a_burst_names_the_confirmed_sender_from_the_aggregate_data() {
    let mut i = input();
    i.dmarc.sources = vec![source(
        "203.0.113.9",
        confirmed("mail.example.net"),
        10,
        0,
        0,
    )];
    i.failures = failures(&[("203.0.113.9", 10, 10)]);
    let burst: Vec<_> = detect(&i, &Thresholds::default())
        .issues
        .into_iter()
        .filter(|x| x.code == IssueCode::FailureReportBurst)
        .collect();
    assert_eq!(burst.len(), 1);
    assert!(
        burst[0].title.contains("mail.example.net"),
        "{}",
        burst[0].title
    );
}

#[test]
fn fewer_failure_reports_than_the_threshold_fire_nothing() {
    let mut i = input();
    i.failures = failures(&[("203.0.113.9", 9, 500)]);
    assert!(codes(&i).is_empty());
}
