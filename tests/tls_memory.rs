//! Memory used while parsing a large SMTP TLS report, measured as the process's peak resident
//! set (Linux `VmHWM`, reset through `/proc/self/clear_refs`). This binary holds this one test
//! so that nothing else runs meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ruad::reports::{Limits, Report, parse_bytes};

/// A `/proc/self/status` field in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_large_tls_report_is_parsed_in_memory_bounded_by_what_it_keeps() {
    // 30,000 failure details (about 7 MB of JSON) that each also carry unknown fields the
    // parser must not keep.
    let detail = r#"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.d.example","receiving-ip":"198.51.100.7","failed-session-count":1,"vendor-trace":{"hops":[1,2,3,4,5,6,7,8],"note":"not part of RFC 8460"}}"#;
    let n = 30_000;
    let json = format!(
        r#"{{"organization-name":"X","date-range":{{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"}},"report-id":"r1","policies":[{{"policy":{{"policy-type":"sts","policy-domain":"d.example"}},"summary":{{"total-successful-session-count":5,"total-failure-session-count":{n}}},"failure-details":[{}]}}]}}"#,
        vec![detail; n].join(",")
    );
    // Clearing the peak needs Linux; elsewhere there is nothing to measure.
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        return;
    }
    let before = status_bytes("VmRSS:").unwrap();
    let parsed = parse_bytes(json.as_bytes(), &Limits::default());
    let peak = status_bytes("VmHWM:").unwrap();
    assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
    let Report::TlsReport(report) = &parsed.reports[0].report else {
        panic!("expected a TLS report")
    };
    assert_eq!(report.policies[0].failure_details.len(), n);
    let grown = peak.saturating_sub(before);
    eprintln!("peak RSS grew by {} KiB", grown >> 10);
    // The typed details take about 300 bytes each (9 MB); a generic JSON tree of the
    // document takes several times the document (69 MiB here before streaming).
    assert!(
        grown < 20 << 20,
        "peak RSS grew by {} MiB parsing {} MiB of JSON",
        grown >> 20,
        json.len() >> 20
    );
}
