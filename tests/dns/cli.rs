//! `ruad dns` as a user runs it: the real binary, JSON on stdout, exit codes.

use crate::checks_zones;
use serde_json::Value;
use std::process::Command;

fn ruad(args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ruad"));
    cmd.arg("dns").args(args).env_remove("RUAD_DNS_NAMESERVERS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run ruad");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn check_prints_the_records_the_parsed_view_and_findings() {
    let s = checks_zones();
    let ns = s.addr.to_string();
    let (code, report) = ruad(&["check", "dmarc", "good.test", "--nameserver", &ns], &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["kind"], "dmarc");
    assert_eq!(
        report["records"][0],
        "v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@reports.test"
    );
    assert!(report["parsed"].is_object());
    for f in report["findings"].as_array().unwrap() {
        for key in ["code", "severity", "message", "rfc"] {
            assert!(f[key].is_string(), "{f}");
        }
    }
}

#[test]
fn a_check_with_an_error_finding_exits_non_zero() {
    let s = checks_zones();
    let ns = s.addr.to_string();
    let (code, report) = ruad(&["check", "dmarc", "none.test", "--nameserver", &ns], &[]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["code"], "dmarc_no_record");
}

#[test]
fn the_nameserver_can_come_from_the_environment() {
    let s = checks_zones();
    let ns = s.addr.to_string();
    let (code, report) = ruad(
        &["check", "fcrdns", "192.0.2.10"],
        &[("RUAD_DNS_NAMESERVERS", &ns)],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["details"]["confirmed_name"], "mx1.good.test");
}

#[test]
fn spf_eval_gives_the_result_and_the_mechanism() {
    let s = checks_zones();
    let ns = s.addr.to_string();
    let (code, out) = ruad(
        &[
            "spf-eval",
            "--ip",
            "192.0.2.5",
            "--sender",
            "bounce@good.test",
            "--nameserver",
            &ns,
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(out["result"], "pass");
    assert_eq!(out["mechanism"], "ip4:192.0.2.0/24");
    let (_, out) = ruad(
        &[
            "spf-eval",
            "--ip",
            "198.51.100.7",
            "--sender",
            "bounce@good.test",
            "--nameserver",
            &ns,
        ],
        &[],
    );
    // The include's own record passes, so the include matches with its qualifier, "+".
    assert_eq!(out["result"], "pass");
    assert_eq!(out["mechanism"], "include:_spf.good.test");
    let (_, out) = ruad(
        &[
            "spf-eval",
            "--ip",
            "203.0.113.9",
            "--sender",
            "bounce@good.test",
            "--nameserver",
            &ns,
        ],
        &[],
    );
    assert_eq!(out["result"], "fail");
    assert_eq!(out["mechanism"], "-all");
}

#[test]
fn generate_prints_the_records_to_publish() {
    let (code, out) = ruad(
        &[
            "generate",
            "dmarc",
            "--input",
            r#"{"domain":"example.com","p":"reject","rua":["mailto:dmarc@reports.example.net"]}"#,
        ],
        &[],
    );
    assert_eq!(code, 0, "{out:#}");
    let names: Vec<&str> = out["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "_dmarc.example.com",
            "example.com._report._dmarc.reports.example.net"
        ]
    );
}

#[test]
fn check_kinds_are_accepted_as_people_write_them() {
    let s = checks_zones();
    let ns = s.addr.to_string();
    for (written, kind, domain) in [
        ("tlsrpt", "tlsrpt", "good.test"),
        ("tls-rpt", "tlsrpt", "good.test"),
        ("tls_rpt", "tlsrpt", "good.test"),
        ("TLSRPT", "tlsrpt", "good.test"),
        ("TLS-RPT", "tlsrpt", "good.test"),
        ("mta-sts", "mta_sts", "none.test"),
        ("mta_sts", "mta_sts", "none.test"),
        ("MTA-STS", "mta_sts", "none.test"),
        ("mtasts", "mta_sts", "none.test"),
        ("DMARC", "dmarc", "good.test"),
        ("FCrDNS", "fcrdns", "192.0.2.10"),
    ] {
        let (code, report) = ruad(&["check", written, domain, "--nameserver", &ns], &[]);
        assert_ne!(code, 2, "{written}: {report:#}");
        assert_eq!(report["kind"], kind, "{written}");
    }
}
