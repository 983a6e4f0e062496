//! The shared corpus end to end: upload every file, then the per-domain aggregates must equal
//! the sums of `ruad parse --summary` over the same files; uploading again changes nothing.

use crate::helpers::{TestApp, corpus_dir, spawn_app};
use reqwest::StatusCode;
use ruad::reports::summary::{AggregateTotals, TlsTotals};
use ruad::reports::{
    AggregateReader, Input, Limits, Origin, ParseError, ReportHandler, TlsReport, Warning,
    parse_input,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default, Debug, PartialEq)]
struct Sums {
    dmarc: BTreeMap<String, (u64, u64, BTreeMap<String, u64>)>,
    tls: BTreeMap<String, (u64, u64)>,
}

/// Sums per policy domain, from the parser, deduplicated the way the server deduplicates:
/// per natural key, the latest new content counts; re-sending any known content is a
/// duplicate (the corpus holds the same report in several envelopes, and different reports
/// under one key).
#[derive(Default)]
struct Summer {
    versions: BTreeMap<String, (BTreeSet<String>, Entry)>,
}

#[derive(Clone)]
enum Entry {
    Dmarc(String, AggregateTotals),
    Tls(String, TlsTotals, Box<TlsReport>),
}

impl Summer {
    fn offer(&mut self, key: String, content: String, entry: Entry) {
        let slot = self
            .versions
            .entry(key)
            .or_insert_with(|| (BTreeSet::new(), entry.clone()));
        if slot.0.insert(content) {
            slot.1 = entry;
        }
    }

    fn sums(&self) -> Sums {
        let mut sums = Sums::default();
        for (_, entry) in self.versions.values() {
            match entry {
                Entry::Dmarc(domain, t) => {
                    let e = sums.dmarc.entry(domain.clone()).or_default();
                    e.0 += t.messages;
                    e.1 += t.dmarc_pass_messages;
                    for (k, v) in &t.disposition {
                        *e.2.entry(k.clone()).or_default() += v;
                    }
                }
                Entry::Tls(domain, t, _) => {
                    let e = sums.tls.entry(domain.clone()).or_default();
                    e.0 += t.successful_sessions;
                    e.1 += t.failed_sessions;
                }
            }
        }
        sums
    }
}

impl ReportHandler for Summer {
    fn aggregate(&mut self, _: &Origin, r: &mut AggregateReader<'_>) -> Result<(), ParseError> {
        let mut t = AggregateTotals::default();
        let mut records = Vec::new();
        while let Some(record) = r.next_record()? {
            t.add(&record);
            records.push(record);
        }
        let (h, _) = r.finish()?;
        let m = &h.report_metadata;
        let key = format!(
            "dmarc|{}|{}|{}|{}|{}",
            m.org_name,
            m.report_id,
            h.policy_published.domain,
            m.date_range.begin,
            m.date_range.end
        );
        let content = serde_json::to_string(&(&h, &records)).unwrap();
        self.offer(
            key,
            content,
            Entry::Dmarc(h.policy_published.domain.to_ascii_lowercase(), t),
        );
        Ok(())
    }

    fn tls(&mut self, _: &Origin, report: TlsReport, _: Vec<Warning>) -> Result<(), ParseError> {
        let domain = report.policies[0].policy.policy_domain.to_ascii_lowercase();
        let key = format!(
            "tls|{}|{}|{}|{}|{}",
            report.organization_name,
            report.report_id,
            domain,
            report.date_range.begin,
            report.date_range.end
        );
        let content = serde_json::to_string(&report).unwrap();
        let totals = TlsTotals::from(&report);
        self.offer(key, content, Entry::Tls(domain, totals, Box::new(report)));
        Ok(())
    }

    fn failed(&mut self, _: &Origin, _: ParseError) {}
}

fn corpus_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for sub in ["aggregate", "smtp_tls", "email"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    files.sort();
    files
}

async fn server_sums(app: &TestApp, sums: &Sums) -> Sums {
    let mut out = Sums::default();
    for domain in sums.dmarc.keys() {
        let r = app
            .get(
                &format!("/api/v1/domains/{domain}/dmarc/by-result?from=1970-01-01&to=2099-12-31"),
                &app.admin_key,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{domain}: {:?}", r.body);
        let disposition: BTreeMap<String, u64> = r.body["disposition"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v.as_u64() != Some(0))
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        out.dmarc.insert(
            domain.clone(),
            (
                r.body["total_messages"].as_u64().unwrap(),
                r.body["dmarc_pass_messages"].as_u64().unwrap(),
                disposition,
            ),
        );
    }
    for domain in sums.tls.keys() {
        let r = app
            .get(
                &format!("/api/v1/domains/{domain}/tls/by-result?from=1970-01-01&to=2099-12-31"),
                &app.admin_key,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{domain}: {:?}", r.body);
        out.tls.insert(
            domain.clone(),
            (
                r.body["successful_sessions"].as_u64().unwrap(),
                r.body["failed_sessions"].as_u64().unwrap(),
            ),
        );
    }
    out
}

/// The corpus parsed (deduplicated like the server) and a server holding all of it.
async fn corpus_server() -> Option<(TestApp, Summer, Vec<std::path::PathBuf>)> {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping");
        return None;
    };
    let files = corpus_files(&dir);
    let mut summer = Summer::default();
    for f in &files {
        parse_input(
            Input::File(std::fs::File::open(f).unwrap()),
            &Limits::default(),
            &mut summer,
        )
        .unwrap();
    }
    let expected = summer.sums();
    let app = spawn_app().await;
    let domains: BTreeSet<&String> = expected.dmarc.keys().chain(expected.tls.keys()).collect();
    for d in &domains {
        let r = app
            .post(
                "/api/v1/domains",
                &app.admin_key,
                serde_json::json!({"name": d}),
            )
            .await;
        assert!(
            r.status == StatusCode::CREATED || r.body["code"] == "validation_failed",
            "{d}: {:?}",
            r.body
        );
    }
    Some((app, summer, files))
}

async fn upload_all(app: &TestApp, files: &[std::path::PathBuf]) -> usize {
    let mut stored = 0;
    for f in files {
        let reply = app
            .upload(
                &app.admin_key,
                std::fs::read(f).unwrap(),
                "application/octet-stream",
            )
            .await;
        if reply.status == StatusCode::CREATED {
            stored += reply.body["reports"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["duplicate"] == Value::Bool(false))
                .count();
        }
    }
    stored
}

fn registrable(sums: Sums) -> Sums {
    Sums {
        dmarc: sums
            .dmarc
            .into_iter()
            .filter(|(d, _)| ruad::domain::domain_name::DomainName::parse(d).is_ok())
            .collect(),
        tls: sums
            .tls
            .into_iter()
            .filter(|(d, _)| ruad::domain::domain_name::DomainName::parse(d).is_ok())
            .collect(),
    }
}

#[actix_web::test]
async fn aggregates_of_the_uploaded_corpus_equal_the_parser_totals() {
    let Some((app, summer, files)) = corpus_server().await else {
        return;
    };
    let expected = registrable(summer.sums());
    let first = upload_all(&app, &files).await;
    assert!(first > 80, "only {first} reports stored");
    assert_eq!(server_sums(&app, &expected).await, expected);
    let second = upload_all(&app, &files).await;
    assert_eq!(second, 0, "re-uploading stored something new");
    assert_eq!(server_sums(&app, &expected).await, expected);
}

/// The issue code of an RFC 8460 result type.
fn tls_code(result_type: &str) -> String {
    const KNOWN: &[&str] = &[
        "certificate-expired",
        "certificate-host-mismatch",
        "starttls-not-supported",
        "sts-policy-fetch-error",
        "sts-policy-invalid",
        "sts-webpki-invalid",
        "validation-failure",
        "tlsa-invalid",
        "dnssec-invalid",
        "dane-required",
    ];
    if KNOWN.contains(&result_type) {
        format!("tls_{}", result_type.replace('-', "_"))
    } else {
        "tls_other_failure".into()
    }
}

#[actix_web::test]
async fn every_corpus_domain_gets_issues_an_expert_would_agree_with() {
    let Some((app, summer, files)) = corpus_server().await else {
        return;
    };
    upload_all(&app, &files).await;
    let sums = registrable(summer.sums());
    // Independently of the rules: per TLS domain, the result types with failed sessions in
    // reports ending within 7 days of its newest report.
    let mut tls_newest: BTreeMap<String, i64> = BTreeMap::new();
    for (_, entry) in summer.versions.values() {
        if let Entry::Tls(d, _, r) = entry {
            let e = tls_newest.entry(d.clone()).or_insert(i64::MIN);
            *e = (*e).max(r.date_range.end);
        }
    }
    let mut tls_expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, entry) in summer.versions.values() {
        if let Entry::Tls(d, _, r) = entry {
            let set = tls_expected.entry(d.clone()).or_default();
            if r.date_range.end <= tls_newest[d] - 7 * 86_400 {
                continue;
            }
            for p in &r.policies {
                for f in &p.failure_details {
                    if f.failed_session_count > 0 {
                        set.insert(tls_code(f.result_type.as_str()));
                    }
                }
            }
        }
    }
    let domains: BTreeSet<&String> = sums.dmarc.keys().chain(sums.tls.keys()).collect();
    let mut total_issues = 0;
    for d in domains {
        let r = app
            .post(
                &format!("/api/v1/domains/{d}/issues/evaluate"),
                &app.admin_key,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{d}: {:?}", r.body);
        let issues = r.body["issues"].as_array().unwrap();
        total_issues += issues.len();
        for i in issues {
            for field in ["title", "explanation", "remediation"] {
                assert!(
                    !i[field].as_str().unwrap().is_empty(),
                    "{d}: empty {field} in {i}"
                );
            }
            assert!(i["evidence"].is_object(), "{d}: {i}");
        }
        let codes: BTreeSet<String> = issues
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect();
        if sums.dmarc.contains_key(d) {
            // Every corpus report is years old: the domain is not being monitored any more.
            assert!(codes.contains("no_recent_reports"), "{d}: {codes:?}");
            // By service: every message is in exactly one group.
            let by_service = app
                .get(
                    &format!("/api/v1/domains/{d}/dmarc/by-service?from=1970-01-01&to=2099-12-31"),
                    &app.admin_key,
                )
                .await;
            assert_eq!(
                by_service.status,
                StatusCode::OK,
                "{d}: {:?}",
                by_service.body
            );
            let grouped: u64 = by_service.body["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["messages"].as_u64().unwrap())
                .sum();
            assert_eq!(grouped, sums.dmarc[d].0, "{d}: by-service total");
        }
        if let Some(want) = tls_expected.get(d.as_str()) {
            let got: BTreeSet<String> = codes
                .iter()
                .filter(|c| c.starts_with("tls_") && *c != "tls_failure_rate_jump")
                .cloned()
                .collect();
            assert_eq!(&got, want, "{d}: TLS issues");
        }
    }
    assert!(
        total_issues > 20,
        "only {total_issues} issues over the corpus"
    );
}

/// The corpus's emails as one mbox (mboxrd: body lines `From `, `>From `, … gain a `>`), in
/// the order `corpus_files` gives them.
fn corpus_mbox(dir: &std::path::Path, to: &std::path::Path) {
    let mut emails: Vec<_> = std::fs::read_dir(dir.join("email"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    emails.sort();
    let mut mbox = Vec::new();
    for path in emails {
        mbox.extend_from_slice(b"From corpus@ruad.example Mon Jan  1 00:00:00 2024\n");
        let bytes = std::fs::read(&path).unwrap();
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            let quotes = line.iter().take_while(|&&b| b == b'>').count();
            if line[quotes..].starts_with(b"From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
        }
        if !mbox.ends_with(b"\n") {
            mbox.push(b'\n');
        }
        mbox.push(b'\n');
    }
    std::fs::write(to, mbox).unwrap();
}

/// `ruad ingest` against the running server, with the corpus as directories and its emails
/// as one mbox, in upload order: the same aggregates as uploading each file.
#[actix_web::test]
async fn ruad_ingest_of_the_corpus_files_and_an_mbox_of_its_emails_gives_the_upload_aggregates() {
    let Some((app, summer, _)) = corpus_server().await else {
        return;
    };
    let dir = corpus_dir().unwrap();
    let expected = registrable(summer.sums());
    let tmp = tempfile::tempdir().unwrap();
    let mbox = tmp.path().join("email.mbox");
    corpus_mbox(&dir, &mbox);
    let (address, key) = (app.address.clone(), app.admin_key.clone());
    let out = actix_web::rt::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ruad"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("RUAD_") {
                cmd.env_remove(k);
            }
        }
        cmd.args(["ingest", "--url", &address, "--key", &key, "--jobs", "1"])
            .arg(dir.join("aggregate"))
            .arg(&mbox)
            .arg(dir.join("smtp_tls"))
            .env("RUAD_MAX_UPLOAD_BYTES", (8 << 20).to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let stored = summary["reports_stored"].as_u64().unwrap();
    assert!(stored > 80, "only {stored} reports stored: {summary}");
    assert_eq!(server_sums(&app, &expected).await, expected);
}
