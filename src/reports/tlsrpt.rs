//! SMTP TLS reports (RFC 8460 §4), read tolerantly from JSON.
//!
//! Accepted variants, each with a warning: `mx-host` as a string, `mx-host-pattern` for
//! `mx-host`, `additional-info-uri` for `additional-information`, numbers sent as strings,
//! `contact-info: null`, missing summary counts (read as 0), unknown policy and result
//! types (kept raw), unknown fields (kept as extensions at the top level). A policy without
//! `policy-domain` or a failure detail without `result-type` is skipped with a warning; a
//! report left without any usable policy is rejected.

use super::{ParseError, WarningCode, Warnings};
use crate::domain::report::{
    Match, TlsDateRange, TlsFailureDetail, TlsPolicy, TlsPolicyResult, TlsPolicyType, TlsReport,
    TlsResultType,
};
use serde_json::{Map, Value};

/// Parses one TLS report from JSON bytes (UTF-8, optional BOM).
pub fn parse(bytes: &[u8], warnings: &mut Warnings) -> Result<TlsReport, ParseError> {
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = String::from_utf8_lossy(text);
    if matches!(text, std::borrow::Cow::Owned(_)) {
        warnings.add(WarningCode::InvalidCharacters, "document", || {
            "bytes invalid in UTF-8 were replaced with U+FFFD".into()
        });
    }
    let value: Value = serde_json::from_str(&text).map_err(|e| ParseError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Value::Object(mut top) = value else {
        return Err(ParseError::NotAReport(
            "JSON document is not an object".into(),
        ));
    };
    if !top.contains_key("policies") && !top.contains_key("organization-name") {
        return Err(ParseError::NotAReport(
            "JSON object has neither 'policies' nor 'organization-name': not an SMTP TLS report"
                .into(),
        ));
    }
    let mut w = Fields { warnings };
    let contact_info = w.opt_string(&mut top, "", "contact-info");
    let organization_name = match w.opt_string(&mut top, "", "organization-name") {
        Some(o) => o,
        None => {
            let fallback = contact_info
                .as_deref()
                .and_then(|c| c.rsplit('@').next())
                .filter(|d| {
                    !d.is_empty() && contact_info.as_deref().is_some_and(|c| c.contains('@'))
                })
                .map(str::to_string)
                .ok_or_else(|| invalid("organization-name", "missing"))?;
            let shown = fallback.clone();
            w.warnings
                .add(WarningCode::OrgNameFallback, "organization-name", || {
                    format!("organization-name missing; using '{shown}' from contact-info")
                });
            fallback
        }
    };
    let report_id = w
        .opt_string(&mut top, "", "report-id")
        .ok_or_else(|| invalid("report-id", "missing"))?;
    let date_range = match top.remove("date-range") {
        Some(Value::Object(mut range)) => {
            let start = w
                .opt_string(&mut range, "date-range", "start-datetime")
                .ok_or_else(|| invalid("date-range/start-datetime", "missing"))?;
            let end = w
                .opt_string(&mut range, "date-range", "end-datetime")
                .ok_or_else(|| invalid("date-range/end-datetime", "missing"))?;
            let begin = rfc3339(&start).ok_or_else(|| {
                invalid(
                    "date-range/start-datetime",
                    &format!("'{start}' is not an RFC 3339 date-time"),
                )
            })?;
            let end_epoch = rfc3339(&end).ok_or_else(|| {
                invalid(
                    "date-range/end-datetime",
                    &format!("'{end}' is not an RFC 3339 date-time"),
                )
            })?;
            TlsDateRange {
                start_datetime: start,
                end_datetime: end,
                begin,
                end: end_epoch,
            }
        }
        _ => return Err(invalid("date-range", "missing or not an object")),
    };
    let policies_value = match top.remove("policies") {
        Some(Value::Array(p)) => p,
        Some(Value::Object(o)) => {
            w.alias("policies", "a single policy object instead of an array");
            vec![Value::Object(o)]
        }
        _ => return Err(invalid("policies", "missing or not an array")),
    };
    let total = policies_value.len();
    let mut policies = Vec::with_capacity(total);
    let mut first_problem = None;
    for (i, p) in policies_value.into_iter().enumerate() {
        match policy_result(p, &mut w) {
            Ok(p) => policies.push(p),
            Err(why) => {
                let path = format!("policies[{i}]");
                let shown = why.clone();
                w.warnings.add(WarningCode::RecordSkipped, "policies", || {
                    format!("policy {path} skipped: {shown}")
                });
                first_problem.get_or_insert(format!("policies[{i}]: {why}"));
            }
        }
    }
    if policies.is_empty() && total > 0 {
        return Err(invalid(
            "policies",
            &format!("no usable policy ({})", first_problem.unwrap_or_default()),
        ));
    }
    if !top.is_empty() {
        for key in top.keys() {
            let path = key.clone();
            w.warnings.add(WarningCode::UnknownElement, &path, || {
                format!("unknown field '{path}' kept as an extension")
            });
        }
    }
    Ok(TlsReport {
        organization_name,
        date_range,
        contact_info,
        report_id,
        policies,
        extensions: top,
    })
}

fn invalid(path: &str, message: &str) -> ParseError {
    ParseError::InvalidTls {
        path: path.to_string(),
        message: message.to_string(),
    }
}

struct Fields<'w> {
    warnings: &'w mut Warnings,
}

impl Fields<'_> {
    fn alias(&mut self, path: &str, what: &str) {
        let what = what.to_string();
        self.warnings.add(WarningCode::FieldAlias, path, || what);
    }

    /// A string field; numbers are stringified and `null`/empty read as absent, with warnings.
    fn opt_string(
        &mut self,
        obj: &mut Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<String> {
        let path = if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}/{key}")
        };
        match obj.remove(key) {
            None => None,
            Some(Value::Null) => {
                self.warnings.add(WarningCode::EmptyValue, &path, || {
                    format!("'{key}' is null; treated as absent")
                });
                None
            }
            Some(Value::String(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    self.warnings.add(WarningCode::EmptyValue, &path, || {
                        format!("'{key}' is empty; treated as absent")
                    });
                    None
                } else if t.len() == s.len() {
                    Some(s)
                } else {
                    Some(t.to_string())
                }
            }
            Some(Value::Number(n)) => {
                self.warnings.add(WarningCode::FieldAlias, &path, || {
                    format!("'{key}' is a number; read as a string")
                });
                Some(n.to_string())
            }
            Some(other) => {
                self.warnings.add(WarningCode::InvalidValue, &path, || {
                    format!(
                        "'{key}' is {} instead of a string; ignored",
                        kind_of(&other)
                    )
                });
                None
            }
        }
    }

    /// A count; numeric strings accepted with a warning; missing reads as 0 with a warning.
    fn count(
        &mut self,
        obj: &mut Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Result<u64, String> {
        let path = format!("{parent}/{key}");
        match obj.remove(key) {
            None | Some(Value::Null) => {
                self.warnings.add(WarningCode::MissingField, &path, || {
                    format!("'{key}' is missing; read as 0")
                });
                Ok(0)
            }
            Some(Value::Number(n)) => n
                .as_u64()
                .ok_or_else(|| format!("{key} {n} is not a non-negative integer")),
            Some(Value::String(s)) => {
                let v = s
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| format!("{key} '{s}' is not a non-negative integer"))?;
                self.warnings.add(WarningCode::FieldAlias, &path, || {
                    format!("'{key}' is a string; read as a number")
                });
                Ok(v)
            }
            Some(other) => Err(format!("{key} is {}", kind_of(&other))),
        }
    }

    /// A list of strings that may also arrive as one string.
    fn strings(&mut self, obj: &mut Map<String, Value>, parent: &str, key: &str) -> Vec<String> {
        let path = format!("{parent}/{key}");
        match obj.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => {
                self.alias(&path, &format!("'{key}' is a string instead of an array"));
                vec![s]
            }
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    other => {
                        self.warnings.add(WarningCode::InvalidValue, &path, || {
                            format!("non-string item in '{key}' ignored ({})", kind_of(&other))
                        });
                        None
                    }
                })
                .collect(),
            Some(other) => {
                self.warnings.add(WarningCode::InvalidValue, &path, || {
                    format!("'{key}' is {}; ignored", kind_of(&other))
                });
                Vec::new()
            }
        }
    }

    fn enumerated<T>(
        &mut self,
        path: &str,
        raw: &str,
        parse: fn(&str) -> (T, Match),
        known: &[&str],
    ) -> T {
        let (value, how) = parse(raw);
        match how {
            Match::Exact => {}
            Match::CaseFolded => self.warnings.add(WarningCode::CaseNormalized, path, || {
                format!("'{raw}' read as its lower-case form")
            }),
            Match::Synonym => self.warnings.add(WarningCode::SynonymMapped, path, || {
                format!("non-standard '{raw}' read as its standard equivalent")
            }),
            Match::Unknown => self.warnings.add(WarningCode::UnknownValue, path, || {
                format!("'{raw}' is not one of {}; kept as sent", known.join(", "))
            }),
        }
        value
    }

    fn unknown_fields(&mut self, obj: &Map<String, Value>, parent: &str) {
        for key in obj.keys() {
            let path = format!("{parent}/{key}");
            let shown = key.clone();
            self.warnings.add(WarningCode::UnknownElement, &path, || {
                format!("unknown field '{shown}' ignored")
            });
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn policy_result(value: Value, w: &mut Fields<'_>) -> Result<TlsPolicyResult, String> {
    let Value::Object(mut entry) = value else {
        return Err("not an object".into());
    };
    let Some(Value::Object(mut policy)) = entry.remove("policy") else {
        return Err("missing 'policy' object".into());
    };
    let policy_type = w
        .opt_string(&mut policy, "policies/policy", "policy-type")
        .ok_or("missing policy-type")?;
    let policy_type = w.enumerated(
        "policies/policy/policy-type",
        &policy_type,
        TlsPolicyType::parse,
        TlsPolicyType::KNOWN,
    );
    let policy_string = w.strings(&mut policy, "policies/policy", "policy-string");
    let policy_domain = w
        .opt_string(&mut policy, "policies/policy", "policy-domain")
        .ok_or("missing policy-domain")?;
    let mut mx_host = w.strings(&mut policy, "policies/policy", "mx-host");
    if policy.contains_key("mx-host-pattern") {
        w.alias(
            "policies/policy/mx-host-pattern",
            "'mx-host-pattern' read as 'mx-host'",
        );
        mx_host.extend(w.strings(&mut policy, "policies/policy", "mx-host-pattern"));
    }
    w.unknown_fields(&policy, "policies/policy");
    let (successful, failed) = match entry.remove("summary") {
        Some(Value::Object(mut summary)) => {
            let s = w.count(
                &mut summary,
                "policies/summary",
                "total-successful-session-count",
            )?;
            let f = w.count(
                &mut summary,
                "policies/summary",
                "total-failure-session-count",
            )?;
            w.unknown_fields(&summary, "policies/summary");
            (s, f)
        }
        _ => return Err("missing 'summary' object".into()),
    };
    let mut failure_details = Vec::new();
    match entry.remove("failure-details") {
        None | Some(Value::Null) => {}
        Some(Value::Array(details)) => {
            for d in details {
                match failure_detail(d, w) {
                    Ok(d) => failure_details.push(d),
                    Err(why) => w.warnings.add(
                        WarningCode::RecordSkipped,
                        "policies/failure-details",
                        || format!("failure detail skipped: {why}"),
                    ),
                }
            }
        }
        Some(other) => w.warnings.add(
            WarningCode::InvalidValue,
            "policies/failure-details",
            || format!("'failure-details' is {}; ignored", kind_of(&other)),
        ),
    }
    w.unknown_fields(&entry, "policies");
    Ok(TlsPolicyResult {
        policy: TlsPolicy {
            policy_type,
            policy_string,
            policy_domain,
            mx_host,
        },
        total_successful_session_count: successful,
        total_failure_session_count: failed,
        failure_details,
    })
}

fn failure_detail(value: Value, w: &mut Fields<'_>) -> Result<TlsFailureDetail, String> {
    const P: &str = "policies/failure-details";
    let Value::Object(mut d) = value else {
        return Err("not an object".into());
    };
    let result_type = w
        .opt_string(&mut d, P, "result-type")
        .ok_or("missing result-type")?;
    let result_type = w.enumerated(
        "policies/failure-details/result-type",
        &result_type,
        TlsResultType::parse,
        TlsResultType::KNOWN,
    );
    let failed_session_count = w.count(&mut d, P, "failed-session-count")?;
    let mut additional_information = w.opt_string(&mut d, P, "additional-information");
    if d.contains_key("additional-info-uri") {
        w.alias(
            "policies/failure-details/additional-info-uri",
            "'additional-info-uri' read as 'additional-information'",
        );
        let alt = w.opt_string(&mut d, P, "additional-info-uri");
        additional_information = additional_information.or(alt);
    }
    let detail = TlsFailureDetail {
        result_type,
        sending_mta_ip: w.opt_string(&mut d, P, "sending-mta-ip"),
        receiving_mx_hostname: w.opt_string(&mut d, P, "receiving-mx-hostname"),
        receiving_mx_helo: w.opt_string(&mut d, P, "receiving-mx-helo"),
        receiving_ip: w.opt_string(&mut d, P, "receiving-ip"),
        failed_session_count,
        additional_information,
        failure_reason_code: w.opt_string(&mut d, P, "failure-reason-code"),
    };
    w.unknown_fields(&d, P);
    Ok(detail)
}

/// Epoch seconds of an RFC 3339 date-time (`2016-04-01T00:00:00Z`, offsets, fractions).
/// A missing offset is read as UTC.
pub fn rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let hh: i64 = rest.get(1..3)?.parse().ok()?;
            let mm: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn rfc3339_dates_become_epoch_seconds() {
        assert_eq!(rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339("2016-04-01T23:59:59Z"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-04-02T01:59:59+02:00"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-04-01T23:59:59.123Z"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-13-01T00:00:00Z"), None);
        assert_eq!(rfc3339("yesterday"), None);
    }

    #[test]
    fn mx_host_as_string_and_unknown_result_types_are_kept() {
        let json = br#"{"organization-name":"X","date-range":{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"},
            "contact-info":null,"report-id":"r1","policies":[{"policy":{"policy-type":"sts","policy-domain":"d.example","mx-host":"mx.d.example"},
            "summary":{"total-successful-session-count":5,"total-failure-session-count":"2"},
            "failure-details":[{"result-type":"brand-new-failure","failed-session-count":2}]}]}"#;
        let mut w = Warnings::default();
        let r = parse(json, &mut w).unwrap();
        assert_eq!(r.policies[0].policy.mx_host, vec!["mx.d.example"]);
        assert_eq!(r.policies[0].total_failure_session_count, 2);
        assert_eq!(
            r.policies[0].failure_details[0].result_type,
            TlsResultType::Other("brand-new-failure".into())
        );
        assert_eq!(r.contact_info, None);
        let codes: Vec<_> = w.to_vec().iter().map(|w| w.code).collect();
        assert!(codes.contains(&WarningCode::FieldAlias));
        assert!(codes.contains(&WarningCode::UnknownValue));
        assert!(codes.contains(&WarningCode::EmptyValue));
    }

    #[test]
    fn a_report_without_any_usable_policy_is_rejected() {
        let json = br#"{"organization-name":"X","date-range":{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"},
            "report-id":"r1","policies":[{"policy":{"policy-type":"sts"},"summary":{}}]}"#;
        let err = parse(json, &mut Warnings::default()).unwrap_err();
        assert_eq!(err.code(), "invalid_tls_report");
        assert!(err.to_string().contains("policy-domain"));
    }
}
