//! Hostile input: bombs, endless or deeply nested XML, arbitrary bytes. Every case must end
//! in a clear error naming the limit, with memory bounded by the limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use ruad::reports::{Input, LimitExceeded, LimitKind, Limits, ParseError, parse_bytes};
use std::io::{Read, Write};

fn limit_of(bytes: &[u8], limits: &Limits) -> LimitKind {
    let parsed = parse_bytes(bytes, limits);
    assert!(parsed.reports.is_empty(), "a bomb yielded a report");
    match &parsed.failures[..] {
        [(_, ParseError::Limit(LimitExceeded { kind, .. }))] => *kind,
        other => panic!("expected one limit error, got {other:?}"),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A reader producing `n` bytes of `<record>` padding without holding them in memory.
struct Endless {
    left: u64,
    pattern: &'static [u8],
    pos: usize,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        for b in buf.iter_mut().take(n) {
            *b = self.pattern[self.pos % self.pattern.len()];
            self.pos += 1;
        }
        self.left -= n as u64;
        Ok(n)
    }
}

const HEAD: &[u8] = b"<feedback><report_metadata><org_name>x</org_name><email>a@x.example</email>\
<report_id>1</report_id><date_range><begin>0</begin><end>1</end></date_range></report_metadata>\
<policy_published><domain>d.example</domain></policy_published>";

#[test]
fn a_gzip_bomb_is_stopped_at_the_decompression_limit() {
    // 32 MiB of comments after the header compress to well under 1 MiB.
    let mut data = HEAD.to_vec();
    data.extend(b"<!-- padding -->".repeat(2 << 20));
    let bomb = gzip(&data);
    assert!(bomb.len() < 1 << 20);
    let limits = Limits {
        max_decompressed_bytes: 8 << 20,
        ..Limits::default()
    };
    assert_eq!(limit_of(&bomb, &limits), LimitKind::DecompressedBytes);
}

#[test]
fn a_zip_bomb_is_stopped_at_the_decompression_limit() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..4 {
        zip.start_file(format!("r{i}.xml"), options).unwrap();
        zip.write_all(HEAD).unwrap();
        zip.write_all(&b"<!-- padding -->".repeat(1 << 20)).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let limits = Limits {
        max_decompressed_bytes: 40 << 20,
        ..Limits::default()
    };
    // Members are tried in turn (each alone is only truncated XML) until the shared budget
    // runs out; then the archive stops.
    let parsed = parse_bytes(&bytes, &limits);
    assert!(parsed.reports.is_empty());
    assert!(matches!(
        parsed.failures.last(),
        Some((
            _,
            ParseError::Limit(LimitExceeded {
                kind: LimitKind::DecompressedBytes,
                ..
            })
        ))
    ));
    assert!(
        parsed.failures.len() < 4,
        "the budget is shared by all members"
    );
}

#[test]
fn a_zip_with_too_many_members_is_refused() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..20 {
        zip.start_file(
            format!("r{i}.xml"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let limits = Limits {
        max_zip_entries: 10,
        ..Limits::default()
    };
    assert_eq!(limit_of(&bytes, &limits), LimitKind::ZipEntries);
}

#[test]
fn nested_gzip_layers_are_bounded() {
    let mut data = gzip(HEAD);
    for _ in 0..10 {
        data = gzip(&data);
    }
    assert_eq!(
        limit_of(&data, &Limits::default()),
        LimitKind::ContainerDepth
    );
}

#[test]
fn endless_empty_records_hit_the_record_limit_in_a_stream() {
    let body = Endless {
        left: u64::MAX,
        pattern: b"<record></record>",
        pos: 0,
    };
    let input = Input::Reader(Box::new(HEAD.chain(body)));
    let mut parsed = ruad::reports::Parsed::default();
    let limits = Limits {
        max_records: 100_000,
        max_input_bytes: u64::MAX,
        ..Limits::default()
    };
    ruad::reports::parse_input(input, &limits, &mut parsed).unwrap();
    assert!(matches!(
        parsed.failures[..],
        [(
            _,
            ParseError::Limit(LimitExceeded {
                kind: LimitKind::Records,
                ..
            })
        )]
    ));
}

#[test]
fn an_endless_stream_hits_the_input_limit() {
    let body = Endless {
        left: u64::MAX,
        pattern: b"<record><row></row></record>",
        pos: 0,
    };
    let input = Input::Reader(Box::new(HEAD.chain(body)));
    let mut parsed = ruad::reports::Parsed::default();
    let limits = Limits {
        max_input_bytes: 4 << 20,
        ..Limits::default()
    };
    ruad::reports::parse_input(input, &limits, &mut parsed).unwrap();
    assert!(matches!(
        parsed.failures[..],
        [(
            _,
            ParseError::Limit(LimitExceeded {
                kind: LimitKind::InputBytes,
                ..
            })
        )]
    ));
}

#[test]
fn endless_unknown_elements_do_not_accumulate() {
    let mut data = HEAD.to_vec();
    data.extend(b"<x>1</x>".repeat(1 << 20));
    data.extend(
        b"<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record></feedback>",
    );
    let parsed = parse_bytes(&data, &Limits::default());
    let report = &parsed.reports[0];
    let ruad::reports::Report::DmarcAggregate(a) = &report.report else {
        panic!("not aggregate")
    };
    assert!(a.header.extensions.len() <= 256);
    assert!(report.warnings.iter().any(|w| w.count >= 1 << 20));
}

#[test]
fn deep_nesting_and_huge_tokens_are_refused() {
    let mut deep = HEAD.to_vec();
    deep.extend(b"<a>".repeat(10_000));
    assert_eq!(limit_of(&deep, &Limits::default()), LimitKind::XmlDepth);

    let mut wide = HEAD.to_vec();
    wide.extend(b"<record>");
    wide.extend(b"<a/>".repeat(10_000));
    assert_eq!(
        limit_of(&wide, &Limits::default()),
        LimitKind::RecordElements
    );

    let mut long_tag = HEAD.to_vec();
    long_tag.extend(b"<record attr=\"");
    long_tag.extend(std::iter::repeat_n(b'x', 2 << 20));
    assert_eq!(
        limit_of(&long_tag, &Limits::default()),
        LimitKind::TokenBytes
    );

    let mut comment = HEAD.to_vec();
    comment.extend(b"<!--");
    comment.extend(b"<<<<".repeat(1 << 19));
    assert_eq!(
        limit_of(&comment, &Limits::default()),
        LimitKind::TokenBytes
    );
}

fn small_limits() -> Limits {
    Limits {
        max_decompressed_bytes: 4 << 20,
        max_token_bytes: 64 << 10,
        max_records: 1000,
        ..Limits::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let parsed = parse_bytes(&bytes, &small_limits());
        prop_assert!(parsed.reports.len() + parsed.failures.len() >= 1);
    }

    #[test]
    fn arbitrary_bytes_inside_a_report_never_panic(
        prefix in proptest::sample::select(vec![&b"<feedback>"[..], HEAD, &b"{\"policies\":"[..], &b"\x1f\x8b\x08\x00"[..], &b"PK\x03\x04"[..], &b"From: a@b\r\n\r\n"[..]]),
        tail in proptest::collection::vec(any::<u8>(), 0..1024),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(tail);
        let parsed = parse_bytes(&bytes, &small_limits());
        prop_assert!(parsed.reports.len() + parsed.failures.len() >= 1);
    }

    #[test]
    fn arbitrary_xml_mutations_of_a_report_never_panic(cut in 0usize..600, byte in any::<u8>(), at in 0usize..600) {
        let mut bytes = HEAD.to_vec();
        bytes.extend(b"<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record></feedback>");
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let _ = ruad::reports::parse_aggregate_xml(&bytes, &small_limits());
        let _ = ruad::reports::parse_tls_json(&bytes);
    }

    #[test]
    fn arbitrary_mutations_of_a_failure_report_never_panic(cut in 0usize..900, byte in any::<u8>(), at in 0usize..900) {
        let mut bytes = ARF.to_vec();
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let _ = ruad::reports::failure::parse_email(&bytes, &small_limits());
        let parsed = parse_bytes(&bytes, &small_limits());
        prop_assert!(parsed.reports.len() + parsed.failures.len() >= 1);
    }
}

/// A small ARF failure report.
const ARF: &[u8] = b"From: r@receiver.example\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nreport\r\n\
--b\r\nContent-Type: message/feedback-report\r\n\r\n\
Feedback-Type: auth-failure\r\nAuth-Failure: dmarc\r\nSource-IP: 192.0.2.1\r\n\
Reported-Domain: example.com\r\nOriginal-Mail-From: <a@example.com>\r\n\r\n\
--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@example.com\r\nSubject: s\r\n\r\nbody\r\n--b--\r\n";

#[test]
fn a_failure_report_with_too_many_fields_or_too_long_a_value_hits_a_limit() {
    let limits = Limits {
        max_record_elements: 50,
        max_token_bytes: 4096,
        ..Limits::default()
    };
    let mut many = ARF.to_vec();
    let at = many
        .windows(14)
        .position(|w| w == b"Feedback-Type:")
        .unwrap();
    let extra: Vec<u8> = (0..100)
        .flat_map(|i| format!("X-Field-{i}: v\r\n").into_bytes())
        .collect();
    many.splice(at..at, extra);
    assert_eq!(limit_of(&many, &limits), LimitKind::RecordElements);

    let mut long = ARF.to_vec();
    let at = long.windows(9).position(|w| w == b"Source-IP").unwrap();
    let mut field = b"X-Long: ".to_vec();
    field.extend(std::iter::repeat_n(b'a', 10_000));
    field.extend(b"\r\n");
    long.splice(at..at, field);
    assert_eq!(limit_of(&long, &limits), LimitKind::TokenBytes);
}

/// An SMTP TLS report with `details` failure details spread over two policies, padded with
/// trailing spaces to at least `pad_to` bytes.
fn tls_report(details: usize, pad_to: usize) -> Vec<u8> {
    let detail = r#"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.d.example","receiving-ip":"198.51.100.7","failed-session-count":1}"#;
    let policy = |n: usize| {
        format!(
            r#"{{"policy":{{"policy-type":"sts","policy-domain":"d.example","mx-host":["mx.d.example"]}},"summary":{{"total-successful-session-count":5,"total-failure-session-count":{n}}},"failure-details":[{}]}}"#,
            vec![detail; n].join(",")
        )
    };
    let first = details / 2;
    let mut json = format!(
        r#"{{"organization-name":"X","date-range":{{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"}},"report-id":"r1","policies":[{},{}]}}"#,
        policy(first),
        policy(details - first)
    )
    .into_bytes();
    if json.len() < pad_to {
        json.resize(pad_to, b' ');
    }
    json
}

fn tls_details(parsed: &ruad::reports::Parsed) -> Vec<usize> {
    parsed
        .reports
        .iter()
        .map(|r| match &r.report {
            ruad::reports::Report::TlsReport(t) => {
                t.policies.iter().map(|p| p.failure_details.len()).sum()
            }
            ruad::reports::Report::DmarcAggregate(_) | ruad::reports::Report::FailureReport(_) => 0,
        })
        .collect()
}

#[test]
fn more_tls_failure_details_than_the_limit_reject_the_report() {
    let limits = Limits {
        max_tls_failure_details: 10,
        ..Limits::default()
    };
    let at_limit = gzip(&tls_report(10, 0));
    let parsed = parse_bytes(&at_limit, &limits);
    assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
    assert_eq!(tls_details(&parsed), vec![10]);

    let over = gzip(&tls_report(11, 0));
    let parsed = parse_bytes(&over, &limits);
    assert!(parsed.reports.is_empty());
    match &parsed.failures[..] {
        [(_, e @ ParseError::Limit(LimitExceeded { kind, max: 10 }))] => {
            assert_eq!(*kind, LimitKind::TlsFailureDetails);
            assert_eq!(e.code(), "limit_exceeded");
            assert!(e.to_string().contains("max_tls_failure_details"), "{e}");
        }
        other => panic!("expected the failure-detail limit, got {other:?}"),
    }
}

#[test]
fn the_decompressed_limit_counts_each_decompressed_byte_once() {
    // A gzip TLS report and a gzip email (holding an aggregate report) of exactly `size`
    // decompressed bytes: accepted with the limit at `size`, refused one byte below.
    let size = 64 * 1024;
    let json = tls_report(4, size);
    let mut email =
        b"From: reports@x.example\r\nSubject: report\r\nContent-Type: text/xml\r\n\r\n".to_vec();
    email.extend_from_slice(HEAD);
    email.extend_from_slice(
        b"<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record></feedback>",
    );
    email.resize(size, b' ');
    for payload in [json, email] {
        assert_eq!(payload.len(), size);
        let bytes = gzip(&payload);
        let at = Limits {
            max_decompressed_bytes: size as u64,
            ..Limits::default()
        };
        let parsed = parse_bytes(&bytes, &at);
        assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
        assert_eq!(parsed.reports.len(), 1);
        let below = Limits {
            max_decompressed_bytes: size as u64 - 1,
            ..Limits::default()
        };
        assert_eq!(limit_of(&bytes, &below), LimitKind::DecompressedBytes);
    }
}
