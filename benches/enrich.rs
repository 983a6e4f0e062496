//! Background enrichment throughput: one stored DMARC report with N distinct source
//! addresses (default 10,000), each with a PTR name that resolves back, served by an
//! authoritative DNS server on loopback (hickory-server); the enrichment service's time to
//! confirm and store all of them is measured.
//!
//!     cargo bench --bench enrich                 # 10,000 addresses
//!     ENRICH_IPS=50000 cargo bench --bench enrich
//!
//! Prints one JSON line: addresses, seconds, addresses/s, concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/dns_server.rs"]
mod dns_server;

use ruad::dns::resolver::{Resolver, ResolverSettings};
use ruad::domain::domain_name::DomainName;
use ruad::reports::Limits;
use ruad::services::enrichment::{EnrichSettings, enrich_report};
use ruad::services::ingest::{self, Target, Upload};
use ruad::services::metrics::Metrics;
use ruad::storage::{Db, domains, source_names, tenants};
use std::time::{Duration, Instant};

const SOA: &str = "@ 3600 IN SOA ns.bench.test. admin.bench.test. 1 7200 3600 1209600 3600\n@ 3600 IN NS ns.bench.test.\n";

fn main() {
    let n: usize = std::env::var("ENRICH_IPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let concurrency: usize = std::env::var("ENRICH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    // Addresses 10.x.y.z would be private; use 198.18.0.0/15 (benchmarking range, RFC 2544).
    let ips: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "198.{}.{}.{}",
                18 + (i >> 16) % 2,
                (i >> 8) & 0xff,
                i & 0xff
            )
        })
        .collect();
    let mut reverse = String::from(SOA);
    let mut forward = String::from(SOA);
    for (i, ip) in ips.iter().enumerate() {
        let o: Vec<&str> = ip.split('.').collect();
        reverse.push_str(&format!(
            "{}.{}.{} IN PTR host{i}.bench.test.\n",
            o[3], o[2], o[1]
        ));
        forward.push_str(&format!("host{i} IN A {ip}\n"));
    }
    let dns = dns_server::start(&[("198.in-addr.arpa.", &reverse), ("bench.test.", &forward)]);

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, 4).unwrap();
    let mut records = String::new();
    for ip in &ips {
        records.push_str(&format!(
            "<record><row><source_ip>{ip}</source_ip><count>1</count><policy_evaluated><disposition>none</disposition>\
             <dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>bench.test</header_from></identifiers>\
             <auth_results><spf><domain>bench.test</domain><result>pass</result></spf></auth_results></record>"
        ));
    }
    let xml = format!(
        "<feedback><report_metadata><org_name>r</org_name><email>r@r.test</email><report_id>1</report_id>\
         <date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>\
         <policy_published><domain>bench.test</domain><p>none</p></policy_published>{records}</feedback>"
    );
    db.write(|conn| {
        let tenant = tenants::insert_root_tenant(conn, "bench")?;
        let scope = tenant.scope();
        domains::insert_domain(
            conn,
            &scope,
            &tenant.id,
            &DomainName::parse("bench.test").unwrap(),
        )?;
        Ok(scope)
    })
    .and_then(|scope| {
        let upload = Upload {
            bytes: xml.as_bytes(),
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
    })
    .unwrap();
    let report_id = db
        .read(|c| {
            use diesel::prelude::*;
            use ruad::storage::schema::reports;
            Ok(reports::table.select(reports::id).first::<String>(c)?)
        })
        .unwrap();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let resolver = Resolver::new(&ResolverSettings {
        nameservers: vec![dns.addr],
        timeout: Duration::from_secs(2),
        attempts: 2,
        cache_size: 0,
    })
    .unwrap();
    let settings = EnrichSettings {
        concurrency,
        lookup_timeout: Duration::from_secs(4),
        ..EnrichSettings::default()
    };
    let metrics = Metrics::default();
    let started = Instant::now();
    rt.block_on(enrich_report(
        &db,
        &resolver,
        &settings,
        &metrics,
        &report_id.as_str().into(),
        None,
    ))
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let stored = db.read(|c| source_names::find_many(c, &ips)).unwrap();
    let confirmed = stored.iter().filter(|s| s.confirmed_name.is_some()).count();
    assert_eq!(confirmed, n, "every address should be confirmed");
    println!(
        "{{\"addresses\":{n},\"confirmed\":{confirmed},\"seconds\":{seconds:.2},\"per_second\":{:.0},\"concurrency\":{concurrency}}}",
        n as f64 / seconds
    );
}
