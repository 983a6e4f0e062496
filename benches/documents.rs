//! Render time of a domain document, HTML and PDF: one domain's DMARC reports stored through
//! the ingest service (the shared corpus's largest report, or a synthetic domain of
//! `DOCS_SOURCES` sources over `DOCS_DAYS` days), then `services::documents::render` timed,
//! median of `DOCS_RUNS` runs (first run, which builds the fonts and typst's library, reported
//! apart).
//!
//!     RUAD_CORPUS_DIR=../shared/corpus cargo bench --bench documents
//!     DOCS_SOURCES=20000 DOCS_DAYS=90 cargo bench --bench documents
//!
//! Prints one JSON line per format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use ruad::domain::branding::{Branding, Language};
use ruad::domain::domain_name::DomainName;
use ruad::reports::Limits;
use ruad::services::documents::{self, DayRange, Format, Subject};
use ruad::services::ingest::{self, Target, Upload};
use ruad::services::metrics::Metrics;
use ruad::storage::{Db, domains, tenants};
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn synthetic(domain: &str, sources: usize, days: usize, first_day: i64) -> Vec<Vec<u8>> {
    (0..days)
        .map(|d| {
            let mut records = String::new();
            for i in 0..sources {
                let ip = format!("198.{}.{}.{}", 18 + (i >> 16) % 2, (i >> 8) & 0xff, i & 0xff);
                let (dkim, count) = if i % 7 == 0 { ("fail", 1) } else { ("pass", 1 + i % 50) };
                records.push_str(&format!(
                    "<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>none</disposition>\
                     <dkim>{dkim}</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>{domain}</header_from></identifiers>\
                     <auth_results><spf><domain>{domain}</domain><result>pass</result></spf></auth_results></record>"
                ));
            }
            let begin = (first_day + d as i64) * 86_400;
            format!(
                "<feedback><report_metadata><org_name>bench</org_name><email>r@r.test</email><report_id>{d}</report_id>\
                 <date_range><begin>{begin}</begin><end>{}</end></date_range></report_metadata>\
                 <policy_published><domain>{domain}</domain><p>none</p></policy_published>{records}</feedback>",
                begin + 86_399
            )
            .into_bytes()
        })
        .collect()
}

fn main() {
    let runs = env("DOCS_RUNS", 5);
    let sources = env("DOCS_SOURCES", 0);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, 4).unwrap();
    let (domain, days, uploads) = if sources > 0 {
        let n = env("DOCS_DAYS", 90);
        let first = 20_000;
        let days = DayRange {
            first,
            last: first + n as i64 - 1,
        };
        (
            "bench.test".to_string(),
            days,
            synthetic("bench.test", sources, n, first),
        )
    } else {
        let corpus = std::env::var("RUAD_CORPUS_DIR").unwrap_or_else(|_| "../shared/corpus".into());
        let file = std::path::Path::new(&corpus)
            .join("aggregate/parsedmarc__!large-example.com!1711897200!1711983600.xml");
        // 2024-03-31 and 2024-04-01.
        let days = DayRange {
            first: 19_813,
            last: 19_814,
        };
        (
            "example.com".to_string(),
            days,
            vec![std::fs::read(file).unwrap()],
        )
    };
    let scope = db
        .write(|conn| {
            let tenant = tenants::insert_root_tenant(conn, "bench")?;
            let scope = tenant.scope();
            domains::insert_domain(
                conn,
                &scope,
                &tenant.id,
                &DomainName::parse(&domain).unwrap(),
            )?;
            Ok(scope)
        })
        .unwrap();
    for bytes in &uploads {
        let upload = Upload {
            bytes,
            content_type: None,
            file_name: None,
        };
        ingest::ingest(
            &db,
            &Metrics::default(),
            Target::Scope(&scope),
            &upload,
            &Limits::default(),
        )
        .unwrap();
    }
    let subject = Subject::Domain {
        domain: domain.clone(),
        days,
    };
    let branding = Branding::ruad();
    for format in [Format::Html, Format::Pdf] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..=runs {
            let started = Instant::now();
            let doc = documents::render(
                &db,
                &scope,
                &subject,
                format,
                &branding,
                Language::En,
                1_780_000_000,
            )
            .unwrap();
            times.push(started.elapsed().as_secs_f64());
            size = doc.bytes.len();
        }
        let first = times.remove(0);
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{{\"format\":\"{format}\",\"domain\":\"{domain}\",\"days\":{},\"sources\":{},\"first_s\":{first:.3},\"median_s\":{:.3},\"bytes\":{size}}}",
            days.last - days.first + 1,
            sources,
            times[times.len() / 2]
        );
    }
}
