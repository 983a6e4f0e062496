//! MTA-STS generator (RFC 8461): the `_mta-sts.<domain>` TXT record (`v=STSv1; id=…`, §3.1)
//! and the policy file to serve at `https://mta-sts.<domain>/.well-known/mta-sts.txt`
//! (§3.2: CRLF lines, `version: STSv1` first). The default id is the UTC time passed in, so
//! output is deterministic for a given `now`.

use super::{
    DEFAULT_TTL, GenerateError, Generated, PublishFile, PublishRecord, domain, round_trip,
};
use crate::dns::Finding;
use crate::dns::records::mta_sts::{self, MAX_AGE_LIMIT, MtaStsMode, valid_mx_pattern};
use serde::{Deserialize, Serialize};

/// What the MTA-STS policy should say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MtaStsInput {
    /// Domain receiving mail (A-label form).
    #[schema(example = "example.com")]
    pub domain: String,
    /// Policy mode: start with testing, then enforce.
    pub mode: MtaStsMode,
    /// MX patterns: host names, or `*.` plus a host name matching one extra leftmost label.
    /// Required unless mode is none.
    #[serde(default)]
    pub mx: Vec<String>,
    /// Seconds senders may cache the policy, at most 31557600 (default 604800 in enforce
    /// mode, 86400 otherwise).
    #[serde(default)]
    pub max_age: Option<u32>,
    /// Policy id, 1–32 letters and digits; change it whenever the policy changes (default:
    /// the current UTC time, e.g. 20261127T031500).
    #[serde(default)]
    pub id: Option<String>,
}

/// Builds the TXT record and the policy file. `now`: Unix seconds, for the default id.
pub fn generate_mta_sts(input: &MtaStsInput, now: i64) -> Result<Generated, GenerateError> {
    let domain = domain("domain", &input.domain)?;
    let id = match &input.id {
        Some(id) => {
            let id = id.trim();
            if !(1..=32).contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(GenerateError::new(
                    "id",
                    "must be 1 to 32 letters and digits",
                ));
            }
            id.to_string()
        }
        None => chrono::DateTime::from_timestamp(now, 0)
            .ok_or_else(|| GenerateError::new("id", "the current time is out of range"))?
            .format("%Y%m%dT%H%M%S")
            .to_string()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect(),
    };
    let max_age = input.max_age.unwrap_or(match input.mode {
        MtaStsMode::Enforce => 604_800,
        MtaStsMode::Testing | MtaStsMode::None => 86_400,
    });
    if max_age > MAX_AGE_LIMIT {
        return Err(GenerateError::new(
            "max_age",
            format!("at most {MAX_AGE_LIMIT} seconds"),
        ));
    }
    let mut mx: Vec<String> = Vec::new();
    for m in &input.mx {
        let m = m.trim().trim_end_matches('.').to_ascii_lowercase();
        if !valid_mx_pattern(&m) {
            return Err(GenerateError::new(
                "mx",
                format!(
                    "`{m}` is not a host name or `*.` followed by one (the wildcard must be the whole leftmost label)"
                ),
            ));
        }
        if !mx.contains(&m) {
            mx.push(m);
        }
    }
    if mx.is_empty() && input.mode != MtaStsMode::None {
        return Err(GenerateError::new(
            "mx",
            "at least one MX pattern is required unless mode is none",
        ));
    }

    let mut body = format!("version: STSv1\r\nmode: {}\r\n", input.mode.as_str());
    for m in &mx {
        body.push_str(&format!("mx: {m}\r\n"));
    }
    body.push_str(&format!("max_age: {max_age}\r\n"));
    let txt = format!("v=STSv1; id={id}");

    let mut findings = round_trip("id", mta_sts::parse_txt(&txt).findings)?;
    findings.extend(round_trip("mx", mta_sts::parse_policy(&body).findings)?);
    let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    findings.push(Finding::info(
        "mta_sts_hosting",
        "RFC 8461 §3.3",
        format!(
            "serve the policy at {url} as text/plain over HTTPS with a valid certificate for mta-sts.{domain}, answering 200 without redirects; publish a new id whenever the policy changes"
        ),
    ));
    Ok(Generated {
        records: vec![PublishRecord::txt(
            &format!("_mta-sts.{domain}"),
            txt,
            DEFAULT_TTL,
        )],
        file: Some(PublishFile {
            url,
            content_type: "text/plain".into(),
            body,
        }),
        private_key_pem: None,
        findings,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::has_errors;

    // 2026-11-27T03:15:00Z
    const NOW: i64 = 1_795_749_300;

    fn input(mode: MtaStsMode) -> MtaStsInput {
        MtaStsInput {
            domain: "example.com".into(),
            mode,
            mx: vec!["MX1.example.com.".into(), "*.mail.example.com".into()],
            max_age: None,
            id: None,
        }
    }

    #[test]
    fn enforce_mode_round_trips_with_a_timestamp_id() {
        let g = generate_mta_sts(&input(MtaStsMode::Enforce), NOW).unwrap();
        let r = &g.records[0];
        assert_eq!(r.name, "_mta-sts.example.com");
        assert_eq!(r.value, "v=STSv1; id=20261127T031500");
        let f = g.file.as_ref().unwrap();
        assert_eq!(f.url, "https://mta-sts.example.com/.well-known/mta-sts.txt");
        assert_eq!(f.content_type, "text/plain");
        assert_eq!(
            f.body,
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 604800\r\n"
        );
        let txt = mta_sts::parse_txt(&r.value);
        assert!(txt.findings.is_empty(), "{:?}", txt.findings);
        let policy = mta_sts::parse_policy(&f.body);
        assert!(policy.findings.is_empty(), "{:?}", policy.findings);
        assert_eq!(policy.record.unwrap().max_age, 604_800);
        assert_eq!(
            g.findings
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>(),
            vec!["mta_sts_hosting"]
        );
    }

    #[test]
    fn testing_mode_defaults_to_a_day_and_none_needs_no_mx() {
        let g = generate_mta_sts(&input(MtaStsMode::Testing), NOW).unwrap();
        let body = &g.file.as_ref().unwrap().body;
        assert!(body.ends_with("max_age: 86400\r\n"));
        assert!(!has_errors(&mta_sts::parse_policy(body).findings));
        assert!(g.findings.iter().any(|f| f.code == "mta_sts_testing"));
        let g = generate_mta_sts(
            &MtaStsInput {
                mx: vec![],
                ..input(MtaStsMode::None)
            },
            NOW,
        )
        .unwrap();
        let p = mta_sts::parse_policy(&g.file.unwrap().body);
        assert!(!has_errors(&p.findings));
        assert_eq!(p.record.unwrap().mode, MtaStsMode::None);
    }

    #[test]
    fn a_given_id_and_max_age_are_used() {
        let g = generate_mta_sts(
            &MtaStsInput {
                id: Some("v2".into()),
                max_age: Some(31_557_600),
                ..input(MtaStsMode::Enforce)
            },
            NOW,
        )
        .unwrap();
        assert_eq!(g.records[0].value, "v=STSv1; id=v2");
        assert!(g.file.unwrap().body.contains("max_age: 31557600\r\n"));
    }

    #[test]
    fn bad_input_is_refused_naming_the_field() {
        let cases = [
            (
                MtaStsInput {
                    id: Some("2026-11-27".into()),
                    ..input(MtaStsMode::Enforce)
                },
                "id",
            ),
            (
                MtaStsInput {
                    max_age: Some(31_557_601),
                    ..input(MtaStsMode::Enforce)
                },
                "max_age",
            ),
            (
                MtaStsInput {
                    mx: vec!["mx*.example.com".into()],
                    ..input(MtaStsMode::Enforce)
                },
                "mx",
            ),
            (
                MtaStsInput {
                    mx: vec![],
                    ..input(MtaStsMode::Testing)
                },
                "mx",
            ),
            (
                MtaStsInput {
                    domain: "example..com".into(),
                    ..input(MtaStsMode::Enforce)
                },
                "domain",
            ),
        ];
        for (bad, field) in cases {
            assert_eq!(generate_mta_sts(&bad, NOW).unwrap_err().field, field);
        }
        assert_eq!(
            generate_mta_sts(&input(MtaStsMode::Enforce), i64::MAX)
                .unwrap_err()
                .field,
            "id"
        );
    }
}
