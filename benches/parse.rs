#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Criterion bench of the in-memory entry point `ruad::reports::parse_bytes` on a synthetic
//! DMARC aggregate report of 10k records, as plain XML and as gzip.
//!
//! The reports are generated once at start by `../shared/tools/gen_reports.py` (relative to
//! the crate root; fixed seed, so the bytes are the same every run). Without that tool or
//! python3 the bench prints why and measures nothing.
//!
//!     cargo bench --bench parse
//!
//! Throughput is in elements (records), so criterion reports records/s.
//! The side-by-side comparison with parsedmarc is `benches/compare_parsedmarc.sh`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ruad::reports::{Limits, Report, parse_bytes};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

const RECORDS: u64 = 10_000;
const SEED: &str = "7";

fn tool() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_reports.py")
}

/// Runs the generator for `name` (its extension picks the container) and returns the bytes.
fn generate(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let out = dir.join(name);
    let status = Command::new("python3")
        .arg(tool())
        .args(["dmarc", "--records", &RECORDS.to_string(), "--seed", SEED])
        .arg("--out")
        .arg(&out)
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("gen_reports.py exited with {status}"));
    }
    std::fs::read(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))
}

fn inputs() -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    if !tool().is_file() {
        return Err(format!("{} not found", tool().display()));
    }
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    Ok(vec![
        ("xml", generate(dir.path(), "report.xml")?),
        ("xml.gz", generate(dir.path(), "report.xml.gz")?),
    ])
}

/// Makes sure the bench measures a successful parse of every record.
fn check(bytes: &[u8], limits: &Limits) {
    let parsed = parse_bytes(bytes, limits);
    assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
    assert_eq!(parsed.reports.len(), 1);
    match &parsed.reports[0].report {
        Report::DmarcAggregate(r) => assert_eq!(r.records.len() as u64, RECORDS),
        Report::TlsReport(_) | Report::FailureReport(_) => {
            panic!("expected a DMARC aggregate report")
        }
    }
}

fn bench_parse(c: &mut Criterion) {
    let inputs = match inputs() {
        Ok(inputs) => inputs,
        Err(why) => {
            eprintln!("skipping the parse bench: {why}");
            return;
        }
    };
    let limits = Limits::default();
    let mut group = c.benchmark_group("parse_bytes_10k_records");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RECORDS));
    for (container, bytes) in &inputs {
        check(bytes, &limits);
        group.bench_function(*container, |b| {
            b.iter(|| parse_bytes(black_box(bytes), black_box(&limits)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
