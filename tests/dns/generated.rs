//! Every generator's output, published in a zone (and the MTA-STS policy on an HTTPS server),
//! passes ruad's own check of that kind with no error finding.

use crate::https_server::{self, Answer};
use crate::{dns_server, resolver_for, zone};
use ruad::dns::checks::{self, CheckKind};
use ruad::dns::generate::{Generated, from_json};
use ruad::outbound::https::FetchSettings;
use serde_json::json;
use std::collections::HashMap;

/// Zone-file lines for the generated records under `origin`, with their 255-byte strings.
fn zone_lines(generated: &[Generated], origin: &str) -> String {
    let mut out = String::new();
    for g in generated {
        for r in &g.records {
            let owner = if r.name == origin {
                "@"
            } else if let Some(owner) = r.name.strip_suffix(&format!(".{origin}")) {
                owner
            } else {
                continue;
            };
            let strings: Vec<String> = r.chunks.iter().map(|c| format!("\"{c}\"")).collect();
            out.push_str(&format!("{owner} IN TXT {}\n", strings.join(" ")));
        }
    }
    out
}

#[tokio::test]
async fn every_generated_record_passes_its_check() {
    let now = 1_795_000_000;
    let make = |kind: &str, input: serde_json::Value| from_json(kind, input, now).unwrap();
    let generated = vec![
        make(
            "dmarc",
            json!({"domain": "gen.test", "p": "reject", "rua": ["mailto:dmarc@gen.test", "mailto:agg@reports.test"]}),
        ),
        make(
            "spf",
            json!({"domain": "gen.test", "ip4": ["192.0.2.0/24"], "mx": true, "all": "fail"}),
        ),
        make("dkim", json!({"domain": "gen.test", "selector": "rsa2026"})),
        make(
            "dkim",
            json!({"domain": "gen.test", "selector": "ed2026", "key_type": "ed25519"}),
        ),
        make(
            "bimi",
            json!({"domain": "gen.test", "logo_url": "https://gen.test/logo.svg"}),
        ),
        make(
            "mta-sts",
            json!({"domain": "gen.test", "mode": "enforce", "mx": ["mx1.gen.test"]}),
        ),
        make(
            "tlsrpt",
            json!({"domain": "gen.test", "rua": ["mailto:tlsrpt@gen.test"]}),
        ),
    ];
    let body = zone_lines(&generated, "gen.test")
        + "@ IN MX 10 mx1.gen.test.\nmx1 IN A 192.0.2.10\nmta-sts IN A 127.0.0.1\n";
    let reports_zone = zone_lines(&generated, "reports.test");
    assert!(
        reports_zone.contains("gen.test._report._dmarc"),
        "{reports_zone}"
    );
    let dns = dns_server::start(&[
        ("test.", &zone("")),
        ("gen.test.", &zone(&body)),
        ("reports.test.", &zone(&reports_zone)),
    ]);
    let policy = generated
        .iter()
        .find_map(|g| g.file.clone())
        .expect("the MTA-STS generator gives a policy file");
    assert_eq!(
        policy.url,
        "https://mta-sts.gen.test/.well-known/mta-sts.txt"
    );
    let https = https_server::start(
        "mta-sts.gen.test",
        HashMap::from([(
            "/.well-known/mta-sts.txt".to_string(),
            Answer::ok(&policy.body),
        )]),
    );
    let checker = ruad::outbound::https::checker(
        resolver_for(&dns),
        FetchSettings {
            allow_private: true,
            extra_root_pem: Some(https.root_pem.clone()),
            https_port: https.port,
            ..FetchSettings::default()
        },
    )
    .unwrap();
    for (kind, selector) in [
        (CheckKind::Dmarc, None),
        (CheckKind::Spf, None),
        (CheckKind::Dkim, Some("rsa2026")),
        (CheckKind::Dkim, Some("ed2026")),
        (CheckKind::Bimi, None),
        (CheckKind::MtaSts, None),
        (CheckKind::Tlsrpt, None),
    ] {
        let selectors: Vec<String> = selector.iter().map(|s| s.to_string()).collect();
        let report = checks::run(&checker, kind, "gen.test", &selectors)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert!(!report.records.is_empty(), "{kind:?}: nothing found");
        assert!(
            !ruad::dns::has_errors(&report.findings),
            "{kind:?} {selector:?}: {:#?}",
            report.findings
        );
    }
}
