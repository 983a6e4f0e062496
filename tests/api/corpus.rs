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
    Tls(String, TlsTotals),
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
                Entry::Tls(domain, t) => {
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
        self.offer(key, content, Entry::Tls(domain, TlsTotals::from(&report)));
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

#[actix_web::test]
async fn aggregates_of_the_uploaded_corpus_equal_the_parser_totals() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping");
        return;
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
    let expected = Sums {
        dmarc: expected
            .dmarc
            .into_iter()
            .filter(|(d, _)| ruad::domain::domain_name::DomainName::parse(d).is_ok())
            .collect(),
        tls: expected
            .tls
            .into_iter()
            .filter(|(d, _)| ruad::domain::domain_name::DomainName::parse(d).is_ok())
            .collect(),
    };
    let upload_all = || async {
        let mut stored = 0;
        for f in &files {
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
    };
    let first = upload_all().await;
    assert!(first > 80, "only {first} reports stored");
    assert_eq!(server_sums(&app, &expected).await, expected);
    let second = upload_all().await;
    assert_eq!(second, 0, "re-uploading stored something new");
    assert_eq!(server_sums(&app, &expected).await, expected);
}
