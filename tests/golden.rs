//! Golden files: every input in `tests/fixtures/reports/` (one quirk each, provenance in
//! `PROVENANCE.md`) is parsed and the result compared with `<input>.expected.json`.
//! `EXPECTORATE=overwrite cargo test --test golden` rewrites the expectations; review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ruad::reports::{Limits, Origin, ParsedReport, parse_bytes};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Outcome<'a> {
    reports: &'a [ParsedReport],
    failures: Vec<Failure<'a>>,
}

#[derive(Serialize)]
struct Failure<'a> {
    origin: &'a Origin,
    code: &'static str,
    message: String,
}

#[test]
fn every_fixture_parses_to_its_golden_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.as_bytes()[0].is_ascii_digit() && !name.ends_with(".expected.json")
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 30, "fixtures missing: {}", inputs.len());
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let parsed = parse_bytes(&bytes, &Limits::default());
        let outcome = Outcome {
            reports: &parsed.reports,
            failures: parsed
                .failures
                .iter()
                .map(|(origin, e)| Failure {
                    origin,
                    code: e.code(),
                    message: e.to_string(),
                })
                .collect(),
        };
        let mut json = serde_json::to_string_pretty(&outcome).unwrap();
        json.push('\n');
        let expected = format!("{}.expected.json", input.display());
        expectorate::assert_contents(&expected, &json);
    }
}
