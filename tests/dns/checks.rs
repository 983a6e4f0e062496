//! Every check against zones served by a real DNS server on loopback: each misconfiguration is
//! found, and correct records stay silent.

use crate::dns_server;
use crate::{resolver_for, zone};
use ruad::dns::checks::{self, CheckKind, CheckReport, Checker};
use ruad::dns::{Severity, has_errors};
use ruad::outbound::https::FetchSettings;

const RSA_2048: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0ui3jp/SxPFir+66hmlhmcjTaV3y3kgJyGXa9GWXfA2a9s695tX8hmN7pBfmD16RApaAuXR79LYw+VcAqTUt3hDmnnxUE68u7g3lIAuzB00EDZ9sYgYcIGVev7eso7193NpYsMAz/5HHXL3PjsrxIirp3SIjh1v/zZGqzrWTQnxtAauqfWW97tUY7UI8WOZvQBuvrJae0zXGe/sytY69dCBgaVeSJ1PNI2T4jFgh6rCdruHi3t1p0wXj76cIfOykaWBtI5+7Tv9+rz8Xgj5mgW7+Afj7D2Z1bQ9zNEaERvfiK+xh0868J0P5rmePOsU7ho5HASMioa+lkp6MVq52JwIDAQAB";
const RSA_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC9DP9temOCw0qxplKXsvfA+9RB3YOsMhSfZKk5nhqEvw5wKW5yaWuV6VFXNFftrsKpbbZuZ7otGnTPIgxIC06q4ybIhcS2+rdDAqsgdZLqn+Lh8HhSvfRldURZp88pAhaZFffugoZqK2nq5SFbEOOEVYAatrW2Vb5paI3gx+VcQQIDAQAB";

/// Splits a long TXT value into quoted 255-byte strings for a zone file.
fn quoted(value: &str) -> String {
    value
        .as_bytes()
        .chunks(255)
        .map(|c| format!("\"{}\"", String::from_utf8_lossy(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn good_zone() -> String {
    zone(&format!(
        r#"
@                 IN MX   10 mx1.good.test.
mx1               IN A    192.0.2.10
mta-sts           IN A    127.0.0.1
@                 IN TXT  "v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all"
_spf              IN TXT  "v=spf1 ip4:198.51.100.0/24 ~all"
_dmarc            IN TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@reports.test"
sel1._domainkey   IN TXT  {dkim}
old._domainkey    IN TXT  "v=DKIM1; k=rsa; p="
weak._domainkey   IN TXT  "v=DKIM1; k=rsa; p={weak}"
default._bimi     IN TXT  "v=BIMI1; l=https://good.test/logo.svg; a="
_smtp._tls        IN TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@good.test"
_mta-sts          IN TXT  "v=STSv1; id=20261127T000000"
"#,
        dkim = quoted(&format!("v=DKIM1; k=rsa; p={RSA_2048}")),
        weak = RSA_1024,
    ))
}

fn bad_zone() -> String {
    zone(
        r#"
@                 IN MX   10 mx1.bad.test.
@                 IN MX   20 backup.elsewhere.test.
mx1               IN A    192.0.2.20
mta-sts           IN A    127.0.0.1
@                 IN TXT  "v=spf1 include:nospf.bad.test include:a.bad.test +all"
@                 IN TXT  "v=spf1 -all"
nospf             IN TXT  "just text"
a                 IN TXT  "v=spf1 include:b.bad.test"
b                 IN TXT  "v=spf1 include:a.bad.test"
_dmarc            IN TXT  "v=DMARC1; p=none; ruf=mailto:forensic@collector.test"
default._bimi     IN TXT  "v=BIMI1; l=http://bad.test/logo.svg"
_smtp._tls        IN TXT  "v=TLSRPTv1; rua=ftp://bad.test/x"
_mta-sts          IN TXT  "v=STSv1; id=this-id-is-not-alphanumeric"
two               IN TXT  "v=DMARC1; p=reject"
_dmarc.two        IN TXT  "v=DMARC1; p=reject"
_dmarc.two        IN TXT  "v=DMARC1; p=none"
"#,
    )
}

pub fn servers() -> dns_server::TestDns {
    dns_server::start(&[
        // The RFC 9989 tree walk asks the top-level domain too.
        ("test.", &zone("")),
        ("good.test.", &good_zone()),
        ("bad.test.", &bad_zone()),
        (
            "reports.test.",
            &zone("good.test._report._dmarc IN TXT \"v=DMARC1\"\n"),
        ),
        ("collector.test.", &zone("ns IN A 127.0.0.1\n")),
        ("none.test.", &zone("@ IN A 192.0.2.99\n")),
        (
            "2.0.192.in-addr.arpa.",
            &zone("10 IN PTR mx1.good.test.\n20 IN PTR mx1.good.test.\n"),
        ),
    ])
}

fn checker(server: &dns_server::TestDns, fetch: FetchSettings) -> Checker {
    ruad::outbound::https::checker(resolver_for(server), fetch).unwrap()
}

async fn check(c: &Checker, kind: CheckKind, target: &str, selector: Option<&str>) -> CheckReport {
    let selectors: Vec<String> = selector.iter().map(|s| s.to_string()).collect();
    checks::run(c, kind, target, &selectors)
        .await
        .unwrap()
        .pop()
        .unwrap()
}

fn codes(r: &CheckReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn errors(r: &CheckReport) -> Vec<&str> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code.as_str())
        .collect()
}

#[tokio::test]
async fn a_correct_dmarc_record_with_an_authorized_external_destination_is_clean() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Dmarc, "good.test", None).await;
    assert!(!has_errors(&r.findings), "{:#?}", r.findings);
    assert!(codes(&r).contains(&"dmarc_external_destination_authorized"));
    assert_eq!(r.details["rfc7489"]["rule"], "exact");
    assert_eq!(r.details["rfc9989"]["policy_domain"], "good.test");
    assert!(r.parsed.is_some());
}

#[tokio::test]
async fn a_subdomain_inherits_the_organizational_policy_by_both_rules() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Dmarc, "mail.eu.good.test", None).await;
    assert!(
        codes(&r).contains(&"dmarc_inherited_policy"),
        "{:?}",
        codes(&r)
    );
    assert_eq!(r.details["rfc7489"]["policy_domain"], "good.test");
    assert_eq!(r.details["rfc7489"]["rule"], "organizational_domain");
    assert_eq!(r.details["rfc9989"]["policy_domain"], "good.test");
    assert_eq!(r.name, "_dmarc.good.test");
}

#[tokio::test]
async fn dmarc_misconfigurations_are_each_found() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Dmarc, "bad.test", None).await;
    let found = codes(&r);
    assert!(found.contains(&"dmarc_policy_none"), "{found:?}");
    assert!(found.contains(&"dmarc_no_rua"), "{found:?}");
    assert!(
        found.contains(&"dmarc_external_destination_unauthorized"),
        "{found:?}"
    );
    let r = check(&c, CheckKind::Dmarc, "two.bad.test", None).await;
    assert_eq!(errors(&r), vec!["dmarc_multiple_records"]);
    assert_eq!(r.records.len(), 2);
    let r = check(&c, CheckKind::Dmarc, "none.test", None).await;
    assert_eq!(errors(&r), vec!["dmarc_no_record"]);
}

#[tokio::test]
async fn a_failed_lookup_is_reported_as_such_not_as_a_missing_record() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Dmarc, "x.servfail.test", None).await;
    let found = codes(&r);
    assert!(found.contains(&"dmarc_lookup_failed"), "{found:?}");
    assert!(!found.contains(&"dmarc_no_record"), "{found:?}");
    assert!(r.queries.iter().any(|q| q.outcome == "failed"));
}

#[tokio::test]
async fn spf_include_trees_are_counted_and_broken_includes_found() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Spf, "good.test", None).await;
    assert!(!has_errors(&r.findings), "{:#?}", r.findings);
    assert_eq!(r.details["lookups_total"], 1);
    assert_eq!(r.details["root"]["children"][0]["domain"], "_spf.good.test");
    let r = check(&c, CheckKind::Spf, "bad.test", None).await;
    assert_eq!(
        errors(&r),
        vec!["spf_multiple_records"],
        "{:#?}",
        r.findings
    );
}

#[tokio::test]
async fn dkim_keys_are_checked_per_selector() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Dkim, "good.test", Some("sel1")).await;
    assert!(!has_errors(&r.findings), "{:#?}", r.findings);
    assert_eq!(r.parsed.as_ref().unwrap()["key_bits"], 2048);
    let r = check(&c, CheckKind::Dkim, "good.test", Some("old")).await;
    assert!(codes(&r).contains(&"dkim_key_revoked"), "{:?}", codes(&r));
    let r = check(&c, CheckKind::Dkim, "good.test", Some("weak")).await;
    assert!(codes(&r).contains(&"dkim_key_weak"), "{:?}", codes(&r));
    let r = check(&c, CheckKind::Dkim, "good.test", Some("missing")).await;
    assert_eq!(errors(&r), vec!["dkim_no_record"]);
    assert!(
        checks::run(&c, CheckKind::Dkim, "good.test", &[])
            .await
            .is_err()
    );
}

#[tokio::test]
async fn bimi_needs_https_and_an_enforcing_dmarc_policy() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Bimi, "good.test", None).await;
    assert!(!has_errors(&r.findings), "{:#?}", r.findings);
    let r = check(&c, CheckKind::Bimi, "bad.test", None).await;
    assert!(errors(&r).len() >= 2, "{:#?}", r.findings);
    let r = check(&c, CheckKind::Bimi, "shop.good.test", None).await;
    assert!(
        codes(&r).contains(&"bimi_organizational_fallback"),
        "{:?}",
        codes(&r)
    );
}

#[tokio::test]
async fn tls_rpt_records_are_checked() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Tlsrpt, "good.test", None).await;
    assert!(
        r.findings.iter().all(|f| f.severity == Severity::Info),
        "{:#?}",
        r.findings
    );
    let r = check(&c, CheckKind::Tlsrpt, "bad.test", None).await;
    assert!(has_errors(&r.findings), "{:#?}", r.findings);
    let r = check(&c, CheckKind::Tlsrpt, "none.test", None).await;
    assert_eq!(codes(&r), vec!["tlsrpt_no_record"]);
}

#[tokio::test]
async fn reverse_dns_is_confirmed_through_a_real_server() {
    let s = servers();
    let c = checker(&s, FetchSettings::default());
    let r = check(&c, CheckKind::Fcrdns, "192.0.2.10", None).await;
    assert_eq!(codes(&r), vec!["fcrdns_confirmed"]);
    let r = check(&c, CheckKind::Fcrdns, "192.0.2.20", None).await;
    assert_eq!(codes(&r), vec!["fcrdns_unconfirmed"]);
}

mod mta_sts {
    use super::*;
    use crate::https_server::{self, Answer};
    use std::collections::HashMap;

    const POLICY: &str =
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.test\r\nmax_age: 604800\r\n";

    fn fetch_to(https: &https_server::TestHttps, allow_private: bool) -> FetchSettings {
        FetchSettings {
            allow_private,
            extra_root_pem: Some(https.root_pem.clone()),
            https_port: https.port,
            ..FetchSettings::default()
        }
    }

    #[tokio::test]
    async fn a_policy_covering_every_mx_is_clean() {
        let s = servers();
        let https = https_server::start(
            "mta-sts.good.test",
            HashMap::from([("/.well-known/mta-sts.txt".to_string(), Answer::ok(POLICY))]),
        );
        let c = checker(&s, fetch_to(&https, true));
        let r = check(&c, CheckKind::MtaSts, "good.test", None).await;
        assert!(!has_errors(&r.findings), "{:#?}", r.findings);
        assert_eq!(r.details["policy"]["mode"], "enforce");
    }

    #[tokio::test]
    async fn an_mx_outside_the_policy_is_found() {
        let s = servers();
        let https = https_server::start(
            "mta-sts.good.test",
            HashMap::from([(
                "/.well-known/mta-sts.txt".to_string(),
                Answer::ok(
                    "version: STSv1\r\nmode: enforce\r\nmx: *.elsewhere.test\r\nmax_age: 604800\r\n",
                ),
            )]),
        );
        let c = checker(&s, fetch_to(&https, true));
        let r = check(&c, CheckKind::MtaSts, "good.test", None).await;
        assert!(has_errors(&r.findings), "{:#?}", r.findings);
        assert!(
            r.findings
                .iter()
                .any(|f| f.message.contains("mx1.good.test")),
            "{:#?}",
            r.findings
        );
    }

    #[tokio::test]
    async fn redirects_are_not_followed() {
        let s = servers();
        let mut redirect = Answer::ok("");
        redirect.status = 301;
        redirect
            .headers
            .push(("Location".into(), "https://mta-sts.good.test/other".into()));
        let https = https_server::start(
            "mta-sts.good.test",
            HashMap::from([
                ("/.well-known/mta-sts.txt".to_string(), redirect),
                ("/other".to_string(), Answer::ok(POLICY)),
            ]),
        );
        let c = checker(&s, fetch_to(&https, true));
        let r = check(&c, CheckKind::MtaSts, "good.test", None).await;
        let failed = r
            .findings
            .iter()
            .find(|f| f.code == "mta_sts_policy_fetch_failed");
        assert!(
            failed.is_some_and(|f| f.message.contains("redirect")),
            "{:#?}",
            r.findings
        );
    }

    #[tokio::test]
    async fn a_certificate_for_another_host_is_refused() {
        let s = servers();
        let https = https_server::start(
            "other.good.test",
            HashMap::from([("/.well-known/mta-sts.txt".to_string(), Answer::ok(POLICY))]),
        );
        let c = checker(&s, fetch_to(&https, true));
        let r = check(&c, CheckKind::MtaSts, "good.test", None).await;
        assert!(
            codes(&r).contains(&"mta_sts_policy_fetch_failed"),
            "{:#?}",
            r.findings
        );
    }

    #[tokio::test]
    async fn private_addresses_are_refused_unless_allowed() {
        let s = servers();
        let https = https_server::start(
            "mta-sts.good.test",
            HashMap::from([("/.well-known/mta-sts.txt".to_string(), Answer::ok(POLICY))]),
        );
        let c = checker(&s, fetch_to(&https, false));
        let r = check(&c, CheckKind::MtaSts, "good.test", None).await;
        let failed = r
            .findings
            .iter()
            .find(|f| f.code == "mta_sts_policy_fetch_failed");
        assert!(
            failed.is_some_and(|f| f.message.contains("non-public")),
            "{:#?}",
            r.findings
        );
    }

    #[tokio::test]
    async fn a_bad_record_and_an_oversized_policy_are_found() {
        let s = servers();
        let https = https_server::start(
            "mta-sts.bad.test",
            HashMap::from([(
                "/.well-known/mta-sts.txt".to_string(),
                Answer::ok(&"x".repeat(70 * 1024)),
            )]),
        );
        let c = checker(&s, fetch_to(&https, true));
        let r = check(&c, CheckKind::MtaSts, "bad.test", None).await;
        assert!(
            codes(&r)
                .iter()
                .any(|c| c.starts_with("mta_sts_") && *c != "mta_sts_policy_fetch_failed"),
            "{:#?}",
            r.findings
        );
        let failed = r
            .findings
            .iter()
            .find(|f| f.code == "mta_sts_policy_fetch_failed");
        assert!(
            failed.is_some_and(|f| f.message.contains("larger than")),
            "{:#?}",
            r.findings
        );
    }
}
