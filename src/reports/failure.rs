//! DMARC failure reports: RFC 5965 ARF messages of feedback type `auth-failure` (RFC 6591,
//! RFC 7489 §7.3, RFC 9991), read from a MIME message the envelope layer already parsed.
//!
//! What is read:
//! - the `message/feedback-report` part's fields (any transfer encoding, folded lines,
//!   comments, comma lists in `Auth-Failure` and `Identity-Alignment`);
//! - the failing message from the third part: `message/rfc822` (or `message/global`) whole,
//!   or a header block (`text/rfc822-headers` and the other spellings reporters use);
//! - the report email's own From, Date, Message-ID and Subject.
//!
//! Tolerated (each with a [`super::Warning`]): reports whose fields sit in a text part
//! (Exim/cPanel style, no `message/feedback-report` part), `Received-Date` for
//! `Arrival-Date`, no arrival date at all (the report's Date is used), no `Auth-Failure`
//! (`dmarc` assumed: these are DMARC failure reports), comments after `Source-IP`, and
//! `Delivery-Result` values outside RFC 6591 (mapped when the meaning is clear).
//!
//! ARF reports of other feedback types (`abuse`, `fraud`, …) are not failure reports and are
//! refused as [`ParseError::Unsupported`].
//!
//! Bounded: fields per block and header fields of the original message by
//! `max_record_elements`, any one value and the original body by `max_token_bytes`.
//! Written on mail-parser 0.11 rather than `mail-auth`'s `arf` module: that module needs the
//! `message/feedback-report` part (no text-only reports) and its crate brings a second
//! generation of quick-xml, zip, sha2 and hickory into the build.
//!
//! Must not depend on actix-web or diesel.

use super::{LimitExceeded, LimitKind, Limits, ParseError, WarningCode, Warnings};
use crate::domain::failure::{
    AUTH_FAILURE_TYPES, DELIVERY_RESULTS, FailureReport, HeaderField, OriginalMessage, ReporterInfo,
};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};

/// Whether the message is an ARF report (RFC 5965 §2): a `multipart/report` with
/// `report-type=feedback-report`, or any message holding a `message/feedback-report` part.
pub fn is_arf(message: &Message<'_>) -> bool {
    message.parts.iter().any(|part| {
        part.content_type().is_some_and(|ct| {
            let subtype = ct.subtype().unwrap_or("");
            (ct.ctype().eq_ignore_ascii_case("message")
                && subtype.eq_ignore_ascii_case("feedback-report"))
                || (ct.ctype().eq_ignore_ascii_case("multipart")
                    && subtype.eq_ignore_ascii_case("report")
                    && ct
                        .attribute("report-type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("feedback-report")))
        })
    })
}

/// Where the feedback fields of a message are, if it has any.
enum FieldSource<'m> {
    /// The `message/feedback-report` part (RFC 5965).
    Part(&'m [u8]),
    /// A text part holding a `Feedback-Type: auth-failure` block (no ARF structure).
    Text(String),
}

/// Whether a message that is not ARF still carries failure-report fields in a text part
/// (Exim/cPanel and other text-only reporters).
pub fn has_text_report(message: &Message<'_>) -> bool {
    text_block(message).is_some()
}

fn feedback_part<'m>(message: &'m Message<'_>) -> Option<&'m [u8]> {
    message.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        (ct.ctype().eq_ignore_ascii_case("message")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("feedback-report")))
        .then(|| part.contents())
    })
}

/// The `Feedback-Type: auth-failure` block of a text part: from that line to the next blank
/// line.
fn text_block(message: &Message<'_>) -> Option<String> {
    message.parts.iter().find_map(|part| {
        let PartType::Text(text) = &part.body else {
            return None;
        };
        let mut lines = text.lines().skip_while(|line| {
            !(line.len() >= 14
                && line.is_char_boundary(14)
                && line[..14].eq_ignore_ascii_case("feedback-type:")
                && line[14..].trim().eq_ignore_ascii_case("auth-failure"))
        });
        let first = lines.next()?;
        let mut block = String::from(first);
        for line in lines.take_while(|l| !l.trim().is_empty()) {
            block.push('\n');
            block.push_str(line);
        }
        Some(block)
    })
}

/// Reads the failure report of a parsed message. `message` must be ARF ([`is_arf`]) or carry
/// a text report ([`has_text_report`]); anything else is [`ParseError::NotAReport`].
pub fn from_message(
    message: &Message<'_>,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<FailureReport, ParseError> {
    let source = match feedback_part(message) {
        Some(bytes) => FieldSource::Part(bytes),
        None => match text_block(message) {
            Some(text) => {
                warnings.add(WarningCode::FieldAlias, "feedback-report", || {
                    "no message/feedback-report part: the fields were read from a text part".into()
                });
                FieldSource::Text(text)
            }
            None if is_arf(message) => {
                return Err(ParseError::NotAReport(
                    "ARF report without a message/feedback-report part".into(),
                ));
            }
            None => {
                return Err(ParseError::NotAReport(
                    "email holds no failure report fields".into(),
                ));
            }
        },
    };
    let block: &[u8] = match &source {
        FieldSource::Part(bytes) => bytes,
        FieldSource::Text(text) => text.as_bytes(),
    };
    let fields = parse_fields(block, limits)?;
    let mut report = read_fields(&fields, warnings)?;
    report.reporter = reporter(message);
    report.original = original(message, limits, warnings)?;
    if report.arrival_date.is_none() {
        if let Some(date) = report.reporter.date {
            report.arrival_date = Some(date);
            warnings.add(WarningCode::MissingField, "Arrival-Date", || {
                "no Arrival-Date: the report's own Date was used".into()
            });
        } else {
            warnings.add(WarningCode::MissingField, "Arrival-Date", || {
                "no Arrival-Date and no report Date".into()
            });
        }
    }
    if report.policy_domain().is_none() {
        return Err(ParseError::NotAReport(
            "failure report names no domain (no Reported-Domain, no From in the original message)"
                .into(),
        ));
    }
    Ok(report)
}

/// Parses one email that must be a failure report (for tests, fuzzing and direct callers).
pub fn parse_email(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(FailureReport, Vec<super::Warning>), ParseError> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(LimitExceeded {
            kind: LimitKind::InputBytes,
            max: limits.max_input_bytes,
        }
        .into());
    }
    let parsed = std::panic::catch_unwind(|| MessageParser::default().parse(bytes));
    let message = parsed
        .map_err(|_| ParseError::Corrupt {
            container: "email",
            message: "inconsistent MIME structure".into(),
        })?
        .ok_or_else(|| ParseError::Corrupt {
            container: "email",
            message: "not an RFC 5322 message".into(),
        })?;
    if message.parts.len() > limits.max_messages {
        return Err(LimitExceeded {
            kind: LimitKind::Messages,
            max: limits.max_messages as u64,
        }
        .into());
    }
    let mut warnings = Warnings::default();
    let report = from_message(&message, limits, &mut warnings)?;
    Ok((report, warnings.to_vec()))
}

/// Splits a header-field block into (name, unfolded value) pairs: continuation lines are
/// joined with one space, runs of whitespace collapse, lines without a colon are skipped,
/// the block ends at the first blank line after a field.
fn parse_fields(block: &[u8], limits: &Limits) -> Result<Vec<(String, String)>, ParseError> {
    let text = String::from_utf8_lossy(block);
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut started = false;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if started && !line.starts_with([' ', '\t']) {
                break;
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                if value.len() + line.len() > limits.max_token_bytes {
                    return Err(token_limit(limits));
                }
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            continue;
        }
        if fields.len() >= limits.max_record_elements {
            return Err(LimitExceeded {
                kind: LimitKind::RecordElements,
                max: limits.max_record_elements as u64,
            }
            .into());
        }
        if value.len() > limits.max_token_bytes {
            return Err(token_limit(limits));
        }
        started = true;
        fields.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    for (_, value) in &mut fields {
        *value = collapse_whitespace(value);
    }
    Ok(fields)
}

fn token_limit(limits: &Limits) -> ParseError {
    LimitExceeded {
        kind: LimitKind::TokenBytes,
        max: limits.max_token_bytes as u64,
    }
    .into()
}

fn collapse_whitespace(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes RFC 5322 comments (`(...)`, nested) from a value.
fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    collapse_whitespace(&out)
}

/// An address as sent in an `Original-*` field: without angle brackets, `None` when empty
/// (the null reverse-path `<>` included).
fn address(value: &str) -> Option<String> {
    let v = strip_comments(value);
    let v = v.trim();
    let v = match (v.find('<'), v.rfind('>')) {
        (Some(open), Some(close)) if open < close => &v[open + 1..close],
        _ => v,
    };
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A comma- or whitespace-separated list of tokens (RFC 9991 allows CFWS and commas),
/// lower-cased.
fn token_list(value: &str) -> Vec<String> {
    strip_comments(value)
        .split([',', ' ', '\t', ';'])
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn date(value: &str) -> Option<i64> {
    match mail_parser::parsers::MessageStream::new(value.as_bytes()).parse_date() {
        HeaderValue::DateTime(dt) if dt.is_valid() => Some(dt.to_timestamp()),
        _ => None,
    }
}

fn read_fields(
    fields: &[(String, String)],
    warnings: &mut Warnings,
) -> Result<FailureReport, ParseError> {
    let first = |name: &str| -> Option<&str> {
        fields
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let all = |name: &'static str| {
        fields
            .iter()
            .filter(move |(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let text = |name: &str| first(name).map(str::to_string);

    let auth_failure: Vec<String> = all("auth-failure").flat_map(token_list).collect();
    let feedback_type = match first("feedback-type").map(|t| strip_comments(t).to_ascii_lowercase())
    {
        Some(t) if t == "auth-failure" => t,
        Some(other) => {
            return Err(ParseError::Unsupported(format!(
                "ARF feedback report of type '{other}'; ruad ingests auth-failure (DMARC failure) reports"
            )));
        }
        None if !auth_failure.is_empty() || first("reported-domain").is_some() => {
            warnings.add(WarningCode::MissingField, "Feedback-Type", || {
                "no Feedback-Type: read as auth-failure from its Auth-Failure or Reported-Domain"
                    .into()
            });
            "auth-failure".to_string()
        }
        None => {
            return Err(ParseError::Unsupported(
                "ARF feedback report without a Feedback-Type".into(),
            ));
        }
    };

    let auth_failure = if auth_failure.is_empty() {
        warnings.add(WarningCode::MissingField, "Auth-Failure", || {
            "no Auth-Failure: 'dmarc' assumed for a DMARC failure report".into()
        });
        vec!["dmarc".to_string()]
    } else {
        for value in &auth_failure {
            if !AUTH_FAILURE_TYPES.contains(&value.as_str()) {
                let shown = value.clone();
                warnings.add(WarningCode::UnknownValue, "Auth-Failure", || {
                    format!("Auth-Failure value '{shown}' is not defined by RFC 6591 or 9991")
                });
            }
        }
        auth_failure
    };

    let source_ip = first("source-ip").and_then(|raw| {
        let bare = strip_comments(raw);
        let bare = bare.trim().trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<std::net::IpAddr>() {
            Ok(ip) => Some(ip.to_string()),
            Err(_) => {
                let shown = raw.to_string();
                warnings.add(WarningCode::InvalidValue, "Source-IP", || {
                    format!("Source-IP '{shown}' is not an IP address; left out")
                });
                None
            }
        }
    });

    let arrival_date = match first("arrival-date") {
        Some(raw) => date(raw).or_else(|| {
            let shown = raw.to_string();
            warnings.add(WarningCode::InvalidValue, "Arrival-Date", || {
                format!("Arrival-Date '{shown}' is not an RFC 5322 date")
            });
            None
        }),
        None => first("received-date").and_then(|raw| {
            warnings.add(WarningCode::FieldAlias, "Received-Date", || {
                "Received-Date (an ARF draft name) read as Arrival-Date".into()
            });
            date(raw)
        }),
    };

    let delivery_result = first("delivery-result").map(|raw| {
        let value = strip_comments(raw).to_ascii_lowercase();
        if DELIVERY_RESULTS.contains(&value.as_str()) {
            return value;
        }
        let mapped = ["reject", "policy", "spam", "delivered"]
            .into_iter()
            .find(|known| value.contains(known))
            .unwrap_or("other");
        let shown = value.clone();
        warnings.add(WarningCode::SynonymMapped, "Delivery-Result", || {
            format!("Delivery-Result '{shown}' read as '{mapped}'")
        });
        mapped.to_string()
    });

    let incidents = first("incidents").and_then(|raw| match strip_comments(raw).parse::<u64>() {
        Ok(n) if n <= super::MAX_COUNT => Some(n),
        _ => {
            let shown = raw.to_string();
            warnings.add(WarningCode::InvalidValue, "Incidents", || {
                format!("Incidents '{shown}' is not a count; left out")
            });
            None
        }
    });

    let reported_domain = first("reported-domain").map(|d| {
        strip_comments(d)
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase()
    });
    if reported_domain.is_none() {
        warnings.add(WarningCode::MissingField, "Reported-Domain", || {
            "no Reported-Domain: the From domain of the original message is used".into()
        });
    }

    Ok(FailureReport {
        feedback_type,
        version: text("version"),
        user_agent: text("user-agent"),
        auth_failure,
        reported_domain,
        source_ip,
        arrival_date,
        original_mail_from: first("original-mail-from").and_then(address),
        original_rcpt_to: all("original-rcpt-to").filter_map(address).collect(),
        original_envelope_id: text("original-envelope-id"),
        authentication_results: all("authentication-results").map(str::to_string).collect(),
        dkim_domain: first("dkim-domain").map(|d| strip_comments(d).to_ascii_lowercase()),
        dkim_identity: first("dkim-identity").map(strip_comments),
        dkim_selector: first("dkim-selector").map(strip_comments),
        dkim_canonicalized_header: text("dkim-canonicalized-header"),
        dkim_canonicalized_body: text("dkim-canonicalized-body"),
        spf_dns: all("spf-dns").map(str::to_string).collect(),
        delivery_result,
        identity_alignment: all("identity-alignment").flat_map(token_list).collect(),
        reporting_mta: text("reporting-mta"),
        incidents,
        reporter: ReporterInfo::default(),
        original: None,
    })
}

fn message_id(value: Option<&str>) -> Option<String> {
    value
        .map(|id| id.trim().trim_start_matches('<').trim_end_matches('>'))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

fn reporter(message: &Message<'_>) -> ReporterInfo {
    ReporterInfo {
        from: message
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .map(str::to_string),
        date: message
            .date()
            .filter(|d| d.is_valid())
            .map(|d| d.to_timestamp()),
        message_id: message_id(message.message_id()),
        subject: message.subject().map(str::to_string),
    }
}

/// Whether a part's content type names an included message or header block (the spellings
/// seen: `message/rfc822`, `message/global`, `text/rfc822-headers`, `message/rfc822-headers`,
/// `message/global-headers`, `text/rfc822`, …).
fn is_sample_type(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        let ctype = ct.ctype();
        let subtype = ct.subtype().unwrap_or("").to_ascii_lowercase();
        (ctype.eq_ignore_ascii_case("message") || ctype.eq_ignore_ascii_case("text"))
            && (subtype.contains("rfc822") || subtype.starts_with("global"))
    })
}

fn original(
    message: &Message<'_>,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<Option<OriginalMessage>, ParseError> {
    for part in message.parts.iter().skip(1) {
        if let PartType::Message(inner) = &part.body {
            return read_original(inner, false, limits, warnings).map(Some);
        }
        if is_sample_type(part) {
            let headers_only = part.content_type().is_some_and(|ct| {
                ct.subtype()
                    .is_some_and(|s| s.to_ascii_lowercase().ends_with("headers"))
            });
            let contents = part.contents();
            let Some(inner) = MessageParser::default().parse(contents) else {
                continue;
            };
            return read_original(&inner, headers_only, limits, warnings).map(Some);
        }
    }
    Ok(None)
}

/// The bytes after the header block of a raw message (empty when there is no blank line).
fn body_of(raw: &[u8]) -> &[u8] {
    let mut at = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        at += line.len();
        if line == b"\n" || line == b"\r\n" {
            return raw.get(at..).unwrap_or_default();
        }
    }
    &[]
}

fn read_original(
    inner: &Message<'_>,
    headers_only: bool,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<OriginalMessage, ParseError> {
    let mut headers = Vec::new();
    for (name, raw) in inner.headers_raw() {
        if headers.len() >= limits.max_record_elements {
            return Err(LimitExceeded {
                kind: LimitKind::RecordElements,
                max: limits.max_record_elements as u64,
            }
            .into());
        }
        if raw.len() > limits.max_token_bytes {
            return Err(token_limit(limits));
        }
        headers.push(HeaderField {
            name: name.to_string(),
            value: collapse_whitespace(raw),
        });
    }
    let body_bytes = body_of(inner.raw_message());
    let body = if headers_only || body_bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let mut text = String::from_utf8_lossy(body_bytes).into_owned();
        if text.len() > limits.max_token_bytes {
            let mut cut = limits.max_token_bytes;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            warnings.add(WarningCode::InvalidValue, "original body", || {
                format!(
                    "the original message body was cut at {} bytes",
                    limits.max_token_bytes
                )
            });
        }
        Some(text)
    };
    let addresses = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        a.map(|a| {
            a.iter()
                .filter_map(|a| a.address())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
    };
    Ok(OriginalMessage {
        headers_only: headers_only || body.is_none(),
        from: addresses(inner.from()).into_iter().next(),
        to: addresses(inner.to()),
        subject: inner.subject().map(str::to_string),
        date: inner
            .date()
            .filter(|d| d.is_valid())
            .map(|d| d.to_timestamp()),
        message_id: message_id(inner.message_id()),
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn arf(fields: &str, sample: &str) -> Vec<u8> {
        format!(
            "From: dmarc@receiver.example\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\
             Subject: failure\r\nContent-Type: multipart/report; report-type=feedback-report; \
             boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n\
             --b\r\nContent-Type: message/feedback-report\r\n\r\n{fields}\r\n\
             --b\r\n{sample}\r\n--b--\r\n"
        )
        .into_bytes()
    }

    const SAMPLE: &str =
        "Content-Type: message/rfc822\r\n\r\nFrom: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";

    #[test]
    fn fields_are_unfolded_uncommented_and_split_into_lists() {
        let fields = "Feedback-Type: auth-failure\r\nAuth-Failure: dkim,\r\n spf (softfail)\r\n\
                      Source-IP: 192.0.2.1 (mail.example.net)\r\nReported-Domain: Example.COM\r\n\
                      Authentication-Results: mx.example; dkim=fail\r\n\theader.d=example.com\r\n\
                      Identity-Alignment: dkim, spf\r\nIncidents: 4\r\n";
        let (report, warnings) = parse_email(&arf(fields, SAMPLE), &Limits::default()).unwrap();
        assert_eq!(report.auth_failure, ["dkim", "spf"]);
        assert_eq!(report.source_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(report.reported_domain.as_deref(), Some("example.com"));
        assert_eq!(
            report.authentication_results,
            ["mx.example; dkim=fail header.d=example.com"]
        );
        assert_eq!(report.identity_alignment, ["dkim", "spf"]);
        assert_eq!(report.message_count(), 4);
        // No Arrival-Date: the report's own Date, with a warning.
        assert_eq!(report.arrival_date, Some(1_793_613_600));
        assert!(
            warnings
                .iter()
                .any(|w| w.code == WarningCode::MissingField && w.path == "Arrival-Date")
        );
        let original = report.original.unwrap();
        assert_eq!(original.subject.as_deref(), Some("hi"));
        assert_eq!(original.body.as_deref(), Some("body\r\n"));
        assert!(!original.headers_only);
    }

    #[test]
    fn a_base64_feedback_part_is_decoded() {
        use base64::Engine;
        let fields = base64::engine::general_purpose::STANDARD
            .encode("Feedback-Type: auth-failure\r\nSource-IP: 2001:db8::1\r\nReported-Domain: example.com\r\n");
        let message = format!(
            "From: r@receiver.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: message/feedback-report\r\nContent-Transfer-Encoding: base64\r\n\r\n\
             {fields}\r\n--b--\r\n"
        );
        let (report, warnings) = parse_email(message.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(report.source_ip.as_deref(), Some("2001:db8::1"));
        assert_eq!(report.auth_failure, ["dmarc"]);
        assert!(warnings.iter().any(|w| w.path == "Auth-Failure"));
        assert!(report.original.is_none());
    }

    #[test]
    fn other_feedback_types_are_unsupported_and_a_report_without_a_domain_is_not_a_report() {
        let abuse = arf("Feedback-Type: abuse\r\nSource-IP: 192.0.2.1\r\n", SAMPLE);
        assert!(matches!(
            parse_email(&abuse, &Limits::default()),
            Err(ParseError::Unsupported(_))
        ));
        let nowhere = arf(
            "Feedback-Type: auth-failure\r\nSource-IP: 192.0.2.1\r\n",
            "Content-Type: text/plain\r\n\r\nnot a sample",
        );
        assert!(matches!(
            parse_email(&nowhere, &Limits::default()),
            Err(ParseError::NotAReport(_))
        ));
    }

    #[test]
    fn odd_values_are_kept_with_warnings() {
        let fields = "Feedback-Type: auth-failure\r\nAuth-Failure: Whatever\r\n\
                      Source-IP: not-an-ip\r\nDelivery-Result: smg-policy-action\r\n\
                      Received-Date: Mon, 2 Nov 2026 09:00:00 +0000\r\nIncidents: many\r\n\
                      Original-Mail-From: <>\r\n";
        let (report, warnings) = parse_email(&arf(fields, SAMPLE), &Limits::default()).unwrap();
        assert_eq!(report.auth_failure, ["whatever"]);
        assert_eq!(report.source_ip, None);
        assert_eq!(report.delivery_result.as_deref(), Some("policy"));
        assert_eq!(report.arrival_date, Some(1_793_610_000));
        assert_eq!(report.incidents, None);
        assert_eq!(report.original_mail_from, None);
        // Reported-Domain missing: the From domain of the sample.
        assert_eq!(report.policy_domain().as_deref(), Some("example.com"));
        let codes: Vec<_> = warnings.iter().map(|w| (w.code, w.path.as_str())).collect();
        for expected in [
            (WarningCode::UnknownValue, "Auth-Failure"),
            (WarningCode::InvalidValue, "Source-IP"),
            (WarningCode::SynonymMapped, "Delivery-Result"),
            (WarningCode::FieldAlias, "Received-Date"),
            (WarningCode::InvalidValue, "Incidents"),
            (WarningCode::MissingField, "Reported-Domain"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} not in {codes:?}");
        }
    }

    #[test]
    fn a_long_body_is_cut_at_the_token_limit() {
        let body = "é".repeat(3000);
        let sample =
            format!("Content-Type: message/rfc822\r\n\r\nFrom: a@example.com\r\n\r\n{body}");
        let limits = Limits {
            max_token_bytes: 1001,
            ..Limits::default()
        };
        let fields = "Feedback-Type: auth-failure\r\nReported-Domain: example.com\r\n";
        let (report, warnings) = parse_email(&arf(fields, &sample), &limits).unwrap();
        let kept = report.original.unwrap().body.unwrap();
        assert!(kept.len() <= 1001 && kept.len() >= 999, "{}", kept.len());
        assert!(warnings.iter().any(|w| w.path == "original body"));
    }

    #[test]
    fn arbitrary_prefixes_of_a_report_never_panic() {
        let full = arf(
            "Feedback-Type: auth-failure\r\nReported-Domain: example.com\r\n",
            SAMPLE,
        );
        for cut in 0..full.len() {
            let _ = parse_email(&full[..cut], &Limits::default());
        }
    }
}
