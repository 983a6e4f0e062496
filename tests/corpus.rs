//! Checks ruad's parser against the shared corpus of real-world reports and the summaries
//! a peer parser (parsedmarc 11.1) produced for them (`EXPECTED.json`).
//!
//! The corpus is read from `RUAD_CORPUS_DIR` (default `../shared/corpus`); when it is
//! absent the test prints a notice and passes, so a fresh clone's test command works.
//! `.ci/run` sets the variable and fails when the folder is missing.
//!
//! Every way ruad legitimately differs from parsedmarc is listed in this file, in
//! [`normalize_org_name`], [`normalize_report_id`] and [`OWN_VERDICTS`]; nothing else may
//! differ.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ruad::reports::summary::{AggregateTotals, TlsTotals};
use ruad::reports::{
    AggregateReader, FailureReport, Input, Limits, Origin, ParseError, ReportHandler, TlsReport,
    Warning, parse_input,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What ruad must make of files where it deliberately differs from parsedmarc: the files
/// parsedmarc rejected (each was read by hand to decide), the ones where ruad finds more,
/// and the ARF reports that are not DMARC failure reports.
enum Verdict {
    /// ruad parses the file: number of reports, and records / messages summed over them.
    Parsed {
        reports: usize,
        records: u64,
        messages: u64,
    },
    /// ruad rejects the file with this error code.
    Rejected(&'static str),
}

use Verdict::{Parsed, Rejected};

const OWN_VERDICTS: &[(&str, Verdict, &str)] = &[
    // --- parsedmarc rejected; ruad rejects too, with a precise error ---
    (
        "aggregate/andreialecu__report-invalid.xml",
        Rejected("not_a_report"),
        "root element is <invalid>, not <feedback>",
    ),
    (
        "aggregate/kimon1230__non-dmarc.xml",
        Rejected("not_a_report"),
        "XML that is not a DMARC report",
    ),
    (
        "aggregate/communitales__report_invalid_mindate.xml",
        Rejected("invalid_aggregate_report"),
        "date_range has no <begin>",
    ),
    (
        "aggregate/v-dmarc-dashboard__forensic-sample.xml",
        Rejected("invalid_aggregate_report"),
        "no date_range: not an aggregate report",
    ),
    (
        "aggregate/kimon1230__malformed.xml",
        Rejected("invalid_aggregate_report"),
        "report_metadata never closed, so no policy_published",
    ),
    (
        "aggregate/qt-dmarc-parser__invalid-no-policy.xml",
        Rejected("invalid_aggregate_report"),
        "no <policy_published>: the policy domain is unknown",
    ),
    (
        "aggregate/trollbyte__malformed.xml",
        Rejected("malformed_xml"),
        "truncated inside <feedback>",
    ),
    (
        "aggregate/qt-dmarc-parser__invalid-dup-row.xml",
        Rejected("invalid_aggregate_report"),
        "its only record has two <row>s: ambiguous, so no usable record",
    ),
    (
        "aggregate/tierpod-converter__test_empty.xml",
        Rejected("invalid_aggregate_report"),
        "its only record has an empty <source_ip>",
    ),
    (
        "smtp_tls/mail-auth__rpt03.json",
        Rejected("invalid_tls_report"),
        "no policy has a policy-domain",
    ),
    (
        "forensic/mail-auth__001.eml",
        Rejected("unsupported_report_type"),
        "ARF abuse report",
    ),
    // --- parsedmarc rejected; ruad parses them (read by hand: the data is sound) ---
    (
        "forensic/parsedmarc__subject.eml",
        Parsed {
            reports: 1,
            records: 0,
            messages: 0,
        },
        "the domain.de failure report exported with lines holding a space where blank lines \
         belong (header end, part separators): read as blank, with a warning",
    ),
    (
        "aggregate/dmarcgo__aol.com!georgestarcher.com!1342497600!1342584000.zip",
        Parsed {
            reports: 1,
            records: 1,
            messages: 1,
        },
        "auth_results has no <spf>: warned, kept",
    ),
    (
        "aggregate/dmarcgo__aol.com!georgestarcher.com!1342497600!1342584000.zlib",
        Parsed {
            reports: 1,
            records: 1,
            messages: 1,
        },
        "raw zlib stream",
    ),
    (
        "aggregate/oliverpool__test_report.zip",
        Parsed {
            reports: 1,
            records: 2,
            messages: 7,
        },
        "zip member inside a folder",
    ),
    (
        "aggregate/qt-dmarc-parser__invalid-dkim-spf-seq.xml",
        Parsed {
            reports: 1,
            records: 1,
            messages: 1,
        },
        "dkim/spf auth results interleaved; policy_evaluated missing",
    ),
    (
        "aggregate/qt-dmarc-parser__invalid-feedback-seq.xml",
        Parsed {
            reports: 1,
            records: 1,
            messages: 1,
        },
        "policy_published after the records",
    ),
    (
        "aggregate/qt-dmarc-parser__real-hotmail-1.xml",
        Parsed {
            reports: 1,
            records: 2,
            messages: 2,
        },
        "UTF-8 byte-order mark",
    ),
    (
        "aggregate/qt-dmarc-parser__real-hotmail-3.xml",
        Parsed {
            reports: 1,
            records: 22,
            messages: 4922,
        },
        "UTF-8 byte-order mark",
    ),
    (
        "aggregate/tierpod-converter__test.xml.gz.gz",
        Parsed {
            reports: 1,
            records: 2,
            messages: 7,
        },
        "gzip inside gzip",
    ),
    (
        "aggregate/trollbyte__missing_fields.xml",
        Parsed {
            reports: 1,
            records: 1,
            messages: 1,
        },
        "no email, no dkim/spf results: warned, kept",
    ),
    (
        "aggregate/trollbyte__multiple_auth_results.xml",
        Parsed {
            reports: 1,
            records: 1,
            messages: 7,
        },
        "no email: warned, kept",
    ),
    (
        "email/dmarcguard__dmarc-report.eml",
        Parsed {
            reports: 1,
            records: 2,
            messages: 112,
        },
        "plain XML attachment",
    ),
    (
        "email/mail-auth__rpt02.eml",
        Parsed {
            reports: 1,
            records: 0,
            messages: 0,
        },
        "plain JSON TLS attachment",
    ),
    // --- parsedmarc accepted; ruad finds more ---
    (
        "aggregate/kimon1230__multi-report.zip",
        Parsed {
            reports: 3,
            records: 6,
            messages: 49,
        },
        "parsedmarc reads only the first zip member (13 + 28 + 8 messages)",
    ),
    (
        "aggregate/qt-dmarc-parser__real-aol-2.xml",
        Parsed {
            reports: 1,
            records: 5,
            messages: 9,
        },
        "parsedmarc drops every record whose policy_evaluated lacks dkim/spf; ruad keeps them with a warning",
    ),
];

/// parsedmarc reduces an org_name without spaces to its lower-case base domain
/// ("Mail.Ru" → "mail.ru", "Mail2.ESA.AE" → "esa.ae"); ruad keeps the reporter's own value.
fn normalize_org_name(ruad: &str, expected: &str) -> bool {
    if ruad == expected {
        return true;
    }
    let lower = ruad.to_lowercase();
    !ruad.contains(' ') && (lower == expected || lower.ends_with(&format!(".{expected}")))
}

/// parsedmarc removes `<` `>` from report ids and cuts them at the first `@`; ruad keeps
/// the id as sent (it is part of the dedup key, and reporters reuse the part before `@`).
fn normalize_report_id(ruad: &str) -> String {
    let id = ruad.replace(['<', '>'], "");
    id.split('@').next().unwrap_or_default().to_string()
}

#[derive(Debug)]
enum Found {
    Aggregate {
        org_name: String,
        report_id: String,
        policy_domain: String,
        begin: i64,
        end: i64,
        totals: AggregateTotals,
        warnings: Vec<Warning>,
    },
    Tls {
        org_name: String,
        report_id: String,
        totals: TlsTotals,
    },
    Failure(Box<FailureReport>),
}

#[derive(Default)]
struct Collect {
    found: Vec<Found>,
    errors: Vec<(Origin, ParseError)>,
}

impl ReportHandler for Collect {
    fn aggregate(&mut self, _: &Origin, r: &mut AggregateReader<'_>) -> Result<(), ParseError> {
        let mut totals = AggregateTotals::default();
        while let Some(record) = r.next_record()? {
            totals.add(&record);
        }
        let (header, warnings) = r.finish()?;
        self.found.push(Found::Aggregate {
            org_name: header.report_metadata.org_name,
            report_id: header.report_metadata.report_id,
            policy_domain: header.policy_published.domain,
            begin: header.report_metadata.date_range.begin,
            end: header.report_metadata.date_range.end,
            totals,
            warnings,
        });
        Ok(())
    }

    fn tls(&mut self, _: &Origin, report: TlsReport, _: Vec<Warning>) -> Result<(), ParseError> {
        self.found.push(Found::Tls {
            totals: TlsTotals::from(&report),
            org_name: report.organization_name,
            report_id: report.report_id,
        });
        Ok(())
    }

    fn failure(
        &mut self,
        _: &Origin,
        report: FailureReport,
        _: Vec<Warning>,
    ) -> Result<(), ParseError> {
        self.found.push(Found::Failure(Box::new(report)));
        Ok(())
    }

    fn failed(&mut self, origin: &Origin, error: ParseError) {
        self.errors.push((origin.clone(), error));
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RUAD_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    dir.join("EXPECTED.json").is_file().then_some(dir)
}

fn parse_file(path: &std::path::Path) -> Collect {
    let mut collect = Collect::default();
    let file = std::fs::File::open(path).unwrap();
    parse_input(Input::File(file), &Limits::default(), &mut collect).unwrap();
    collect
}

fn counts(map: &BTreeMap<String, u64>) -> Value {
    serde_json::to_value(map).unwrap()
}

fn check_aggregate(name: &str, expected: &Value, found: &Found) -> Vec<String> {
    let Found::Aggregate {
        org_name,
        report_id,
        policy_domain,
        begin,
        end,
        totals,
        ..
    } = found
    else {
        return vec![format!(
            "{name}: expected an aggregate report, found {found:?}"
        )];
    };
    let mut diffs = Vec::new();
    let mut eq = |field: &str, ours: Value| {
        if expected[field] != ours {
            diffs.push(format!(
                "{name}: {field}: ruad {ours} != parsedmarc {}",
                expected[field]
            ));
        }
    };
    eq("policy_domain", Value::from(policy_domain.as_str()));
    eq("begin", Value::from(*begin));
    eq("end", Value::from(*end));
    eq("records", Value::from(totals.records));
    eq("messages", Value::from(totals.messages));
    eq(
        "dmarc_pass_messages",
        Value::from(totals.dmarc_pass_messages),
    );
    eq("disposition", counts(&totals.disposition));
    eq("dkim_aligned", counts(&totals.dkim_aligned));
    eq("spf_aligned", counts(&totals.spf_aligned));
    eq("report_id", Value::from(normalize_report_id(report_id)));
    let want_org = expected["org_name"].as_str().unwrap_or_default();
    if !normalize_org_name(org_name, want_org) {
        diffs.push(format!(
            "{name}: org_name: ruad {org_name:?} != parsedmarc {want_org:?}"
        ));
    }
    diffs
}

fn check_tls(name: &str, expected: &Value, found: &[Found]) -> Vec<String> {
    let mut total = TlsTotals::default();
    let mut ids = Vec::new();
    for f in found {
        let Found::Tls {
            org_name,
            report_id,
            totals,
        } = f
        else {
            return vec![format!("{name}: expected TLS reports, found {f:?}")];
        };
        total.policies += totals.policies;
        total.successful_sessions += totals.successful_sessions;
        total.failed_sessions += totals.failed_sessions;
        for (k, v) in &totals.failed_sessions_by_result_type {
            *total
                .failed_sessions_by_result_type
                .entry(k.clone())
                .or_default() += v;
        }
        ids.push((org_name.clone(), report_id.clone()));
    }
    let mut diffs = Vec::new();
    for (field, ours) in [
        ("policies", Value::from(total.policies)),
        (
            "successful_sessions",
            Value::from(total.successful_sessions),
        ),
        ("failed_sessions", Value::from(total.failed_sessions)),
        (
            "failed_sessions_by_result_type",
            counts(&total.failed_sessions_by_result_type),
        ),
    ] {
        if expected[field] != ours {
            diffs.push(format!(
                "{name}: {field}: ruad {ours} != parsedmarc {}",
                expected[field]
            ));
        }
    }
    let want = (
        expected["organization_name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        expected["report_id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    if ids.first() != Some(&want) {
        diffs.push(format!("{name}: ids {ids:?} != parsedmarc {want:?}"));
    }
    diffs
}

/// parsedmarc keeps angle brackets around `Original-Mail-From` / `Original-Rcpt-To`; ruad
/// stores the bare address.
fn bare_address(value: &Value) -> Value {
    match value.as_str() {
        Some(s) => Value::from(s.trim_start_matches('<').trim_end_matches('>')),
        None => Value::Null,
    }
}

/// Fields of failure reports where ruad reads the file differently from parsedmarc, each read
/// by hand: (file, field, ruad's value, why).
const FAILURE_DIFFERENCES: &[(&str, &str, &str, &str)] = &[(
    "forensic/mail-auth__003.eml",
    "arrival_date_utc",
    "2010-04-14 19:15:31",
    "the report has Received-Date (the ARF draft name of Arrival-Date): 12:15:31 -0700; \
     parsedmarc ignores it and takes the report email's Date",
)];

/// A failure report, field by field. Where ruad differs from parsedmarc on purpose:
/// - `delivery_result`: parsedmarc says `other` when the field is absent; ruad leaves it out.
/// - `authentication_results`: parsedmarc drops the folded continuation lines of the field
///   (mail-auth__003 loses `header.d=example.net`); ruad unfolds them, so its value starts
///   with parsedmarc's.
/// - `original_mail_from` / `original_rcpt_to`: see [`bare_address`].
fn check_failure(name: &str, expected: &Value, found: &[Found]) -> Vec<String> {
    let [Found::Failure(report)] = found else {
        return vec![format!(
            "{name}: expected one failure report, found {found:?}"
        )];
    };
    let mut diffs = Vec::new();
    let mut eq = |field: &str, want: Value, ours: Value| {
        let documented = FAILURE_DIFFERENCES
            .iter()
            .any(|(file, f, value, _)| *file == name && *f == field && ours == *value);
        if want != ours && !documented {
            diffs.push(format!("{name}: {field}: ruad {ours} != parsedmarc {want}"));
        }
    };
    eq(
        "feedback_type",
        expected["feedback_type"].clone(),
        Value::from(report.feedback_type.as_str()),
    );
    eq(
        "auth_failure",
        expected["auth_failure"].clone(),
        serde_json::to_value(&report.auth_failure).unwrap(),
    );
    eq(
        "reported_domain",
        expected["reported_domain"].clone(),
        serde_json::to_value(report.policy_domain()).unwrap(),
    );
    eq(
        "source_ip",
        expected["source_ip"].clone(),
        serde_json::to_value(&report.source_ip).unwrap(),
    );
    let arrival = report
        .arrival_date
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0));
    eq(
        "arrival_date_utc",
        expected["arrival_date_utc"].clone(),
        serde_json::to_value(arrival.map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())).unwrap(),
    );
    eq(
        "delivery_result",
        expected["delivery_result"].clone(),
        Value::from(report.delivery_result.as_deref().unwrap_or("other")),
    );
    eq(
        "original_mail_from",
        bare_address(&expected["original_mail_from"]),
        serde_json::to_value(&report.original_mail_from).unwrap(),
    );
    eq(
        "original_rcpt_to",
        bare_address(&expected["original_rcpt_to"]),
        serde_json::to_value(report.original_rcpt_to.first()).unwrap(),
    );
    eq(
        "dkim_domain",
        expected["dkim_domain"].clone(),
        serde_json::to_value(&report.dkim_domain).unwrap(),
    );
    let original = report.original.clone().unwrap_or_default();
    eq(
        "sample_subject",
        expected["sample_subject"].clone(),
        serde_json::to_value(&original.subject).unwrap(),
    );
    eq(
        "sample_headers_only",
        expected["sample_headers_only"].clone(),
        Value::from(original.headers_only),
    );
    let want = expected["authentication_results"]
        .as_str()
        .unwrap_or_default();
    let ours = report
        .authentication_results
        .first()
        .cloned()
        .unwrap_or_default();
    if !ours.starts_with(want) || want.is_empty() {
        diffs.push(format!(
            "{name}: authentication_results: ruad {ours:?} does not start with parsedmarc {want:?}"
        ));
    }
    diffs
}

fn check_verdict(name: &str, verdict: &Verdict, got: &Collect) -> Vec<String> {
    match verdict {
        Rejected(code) => {
            let codes: Vec<&str> = got.errors.iter().map(|(_, e)| e.code()).collect();
            if got.found.is_empty() && codes == [*code] {
                vec![]
            } else {
                vec![format!(
                    "{name}: expected rejection {code}, got {} reports and errors {:?}",
                    got.found.len(),
                    got.errors
                )]
            }
        }
        Parsed {
            reports,
            records,
            messages,
        } => {
            let (mut rec, mut msg) = (0, 0);
            for f in &got.found {
                if let Found::Aggregate { totals, .. } = f {
                    rec += totals.records;
                    msg += totals.messages;
                }
            }
            if got.found.len() == *reports
                && rec == *records
                && msg == *messages
                && got.errors.is_empty()
            {
                vec![]
            } else {
                vec![format!(
                    "{name}: expected {reports} reports / {records} records / {messages} messages, got {} / {rec} / {msg}, errors {:?}",
                    got.found.len(),
                    got.errors
                )]
            }
        }
    }
}

#[test]
fn ruad_matches_the_peer_parser_on_the_shared_corpus() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping the corpus comparison");
        return;
    };
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("EXPECTED.json")).unwrap()).unwrap();
    let files = expected["files"].as_object().unwrap();
    let mut diffs = Vec::new();
    let mut compared = 0;
    for (name, want) in files {
        let got = parse_file(&dir.join(name));
        if let Some((_, verdict, _)) = OWN_VERDICTS.iter().find(|(n, _, _)| n == name) {
            diffs.extend(check_verdict(name, verdict, &got));
            // Where ruad finds more than parsedmarc, the first report must still agree.
            if want["status"] == "ok"
                && want["report_type"] == "aggregate"
                && matches!(verdict, Parsed { reports, .. } if *reports > 1)
                && let Some(first) = got.found.first()
            {
                diffs.extend(check_aggregate(name, want, first));
            }
            continue;
        }
        if want["status"] != "ok" {
            diffs.push(format!("{name}: parsedmarc rejected it and no verdict is documented here; ruad found {} reports, errors {:?}", got.found.len(), got.errors));
            continue;
        }
        if !got.errors.is_empty() {
            diffs.push(format!("{name}: unexpected errors {:?}", got.errors));
        }
        match want["report_type"].as_str() {
            Some("aggregate") => match got.found.as_slice() {
                [one] => diffs.extend(check_aggregate(name, want, one)),
                other => diffs.push(format!(
                    "{name}: expected one aggregate report, found {}",
                    other.len()
                )),
            },
            Some("smtp_tls") => diffs.extend(check_tls(name, want, &got.found)),
            Some("failure") => diffs.extend(check_failure(name, want, &got.found)),
            other => diffs.push(format!(
                "{name}: report type {other:?} has no documented verdict"
            )),
        }
        compared += 1;
    }
    for (name, _, _) in OWN_VERDICTS {
        if !files.contains_key(*name) {
            diffs.push(format!(
                "{name}: documented verdict for a file not in the corpus"
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert!(compared >= 100, "only {compared} files compared");
}

#[test]
fn warnings_on_corpus_quirks_are_recorded() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not found (set RUAD_CORPUS_DIR); skipping");
        return;
    };
    let codes = |file: &str| -> Vec<String> {
        let got = parse_file(&dir.join(file));
        got.found
            .iter()
            .flat_map(|f| match f {
                Found::Aggregate { warnings, .. } => {
                    warnings.iter().map(|w| format!("{:?}", w.code)).collect()
                }
                Found::Tls { .. } | Found::Failure(_) => Vec::new(),
            })
            .collect()
    };
    assert!(
        codes("aggregate/parsedmarc__ikea.com!example.de!1538690400!1538776800.xml")
            .contains(&"WrapperElement".to_string())
    );
    assert!(
        codes("aggregate/parsedmarc__invalid_utf_8.xml").contains(&"InvalidCharacters".to_string())
    );
    assert!(
        codes("aggregate/parsedmarc__report_with_upper_cased_pass.xml")
            .contains(&"CaseNormalized".to_string())
    );
    assert!(
        codes("aggregate/tierpod-converter__test.xml.gz.gz")
            .contains(&"NestedCompression".to_string())
    );
    assert!(
        codes("email/parsedmarc__mimecast-weird-gzip.eml")
            .contains(&"GzipTrailingData".to_string())
    );
}
