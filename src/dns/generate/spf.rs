//! The SPF generator: what a domain's record should authorize in, a validated `v=spf1` TXT
//! record out, round-tripped through [`crate::dns::spf::parse`] so ruad's own check finds no
//! error in it.

use super::{GenerateError, Generated, PublishRecord};
use crate::dns::spf::{MAX_DNS_LOOKUPS, cidr_len, is_toplabel, normalize, parse, parse_ip4};
use crate::dns::{Finding, Severity, has_errors};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv6Addr};

/// What an SPF record should authorize.
// `domain` is required like every generator's, so an empty input is the same 400 for every
// kind; unknown fields are refused like everywhere in the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpfInput {
    #[schema(example = "example.com")]
    pub domain: String,
    /// IPv4 addresses or networks, e.g. `192.0.2.0/24`.
    #[serde(default)]
    pub ip4: Vec<String>,
    /// IPv6 addresses or networks, e.g. `2001:db8::/32`.
    #[serde(default)]
    pub ip6: Vec<String>,
    /// Domains whose SPF records are included (e.g. an email provider's `_spf` domain).
    #[serde(default)]
    pub includes: Vec<String>,
    /// Authorize the domain's own A/AAAA addresses.
    #[serde(default)]
    pub a: bool,
    /// Authorize the domain's MX hosts.
    #[serde(default)]
    pub mx: bool,
    /// Result for everything else: `fail`, `softfail` or `neutral` (never `pass`).
    #[schema(example = "softfail")]
    #[serde(default = "default_all")]
    pub all: String,
    /// Use another domain's record instead of an `all` (the `all` field is then unused).
    #[serde(default)]
    pub redirect: Option<String>,
}

fn default_all() -> String {
    "softfail".to_string()
}

impl Default for SpfInput {
    fn default() -> Self {
        SpfInput {
            domain: String::new(),
            ip4: Vec::new(),
            ip6: Vec::new(),
            includes: Vec::new(),
            a: false,
            mx: false,
            all: "softfail".to_string(),
            redirect: None,
        }
    }
}

/// A domain name usable as an include/redirect target or owner: LDH labels (underscore
/// allowed, as in `_spf`), at least two, a top label that is not numeric.
fn generator_domain(field: &str, name: &str) -> Result<String, GenerateError> {
    let name = normalize(name.trim());
    let labels: Vec<&str> = name.split('.').collect();
    let ok = name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels.last().is_some_and(|t| is_toplabel(t));
    if ok {
        Ok(name)
    } else {
        Err(GenerateError::new(
            field,
            format!("'{name}' is not a valid domain name"),
        ))
    }
}

/// Parses `addr[/len]` and refuses host bits set beyond the prefix.
fn generator_network(field: &str, value: &str, v6: bool) -> Result<String, GenerateError> {
    let value = value.trim();
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (value, None),
    };
    let max = if v6 { 128 } else { 32 };
    let ip: IpAddr = if v6 {
        addr.parse::<Ipv6Addr>().map(IpAddr::V6).map_err(|_| {
            GenerateError::new(
                field,
                format!("'{value}' is not an IPv6 address or network"),
            )
        })?
    } else {
        parse_ip4(addr).map(IpAddr::V4).ok_or_else(|| {
            GenerateError::new(
                field,
                format!("'{value}' is not an IPv4 address or network"),
            )
        })?
    };
    let len = match len {
        Some(l) => {
            cidr_len(l, max).map_err(|e| GenerateError::new(field, format!("'{value}': {e}")))?
        }
        None => max,
    };
    let clean = match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(v4) & !mask == 0
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(v6) & !mask == 0
        }
    };
    if !clean {
        return Err(GenerateError::new(
            field,
            format!(
                "'{value}' has host bits set beyond the /{len} prefix; write the network address"
            ),
        ));
    }
    Ok(if len == max {
        ip.to_string()
    } else {
        format!("{ip}/{len}")
    })
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Builds the SPF record for `input`, validated and round-tripped through [`parse`].
pub fn generate(input: &SpfInput) -> Result<Generated, GenerateError> {
    let domain = generator_domain("domain", &input.domain)?;
    let all = match input.all.trim().to_ascii_lowercase().as_str() {
        "fail" | "-" | "-all" => "-all",
        "softfail" | "~" | "~all" | "" => "~all",
        "neutral" | "?" | "?all" => "?all",
        "pass" | "+" | "+all" | "all" => {
            return Err(GenerateError::new(
                "all",
                "'pass' would authorize every host on the internet; use fail, softfail or neutral",
            ));
        }
        other => {
            return Err(GenerateError::new(
                "all",
                format!("'{other}' is not one of fail, softfail, neutral"),
            ));
        }
    };
    let mut terms: Vec<String> = Vec::new();
    let mut ip4 = Vec::new();
    for value in &input.ip4 {
        push_unique(&mut ip4, generator_network("ip4", value, false)?);
    }
    let mut ip6 = Vec::new();
    for value in &input.ip6 {
        push_unique(&mut ip6, generator_network("ip6", value, true)?);
    }
    let mut includes = Vec::new();
    for value in &input.includes {
        let target = generator_domain("includes", value)?;
        if target == domain {
            return Err(GenerateError::new(
                "includes",
                format!("including {target} from itself is a loop"),
            ));
        }
        push_unique(&mut includes, target);
    }
    let redirect = match &input.redirect {
        Some(r) if !r.trim().is_empty() => Some(generator_domain("redirect", r)?),
        _ => None,
    };
    terms.extend(ip4.into_iter().map(|n| format!("ip4:{n}")));
    terms.extend(ip6.into_iter().map(|n| format!("ip6:{n}")));
    if input.a {
        terms.push("a".into());
    }
    if input.mx {
        terms.push("mx".into());
    }
    terms.extend(includes.iter().map(|i| format!("include:{i}")));
    let lookups = usize::from(input.a)
        + usize::from(input.mx)
        + includes.len()
        + usize::from(redirect.is_some());
    if lookups > MAX_DNS_LOOKUPS as usize {
        return Err(GenerateError::new(
            "includes",
            format!(
                "the record would need {lookups} DNS-querying terms (a, mx, include, redirect); receivers allow {MAX_DNS_LOOKUPS} (RFC 7208 §4.6.4)"
            ),
        ));
    }
    let mut findings = Vec::new();
    match &redirect {
        Some(target) => {
            terms.push(format!("redirect={target}"));
            findings.push(Finding::info(
                "spf_redirect_used",
                "RFC 7208 §6.1",
                format!("hosts not listed get the result of {target}'s record; the 'all' setting is not used"),
            ));
        }
        None => terms.push(all.to_string()),
    }
    let value = std::iter::once("v=spf1".to_string())
        .chain(terms)
        .collect::<Vec<_>>()
        .join(" ");
    findings.push(Finding::info(
        "spf_lookup_count",
        "RFC 7208 §4.6.4",
        format!("the record has {lookups} DNS-querying terms of the {MAX_DNS_LOOKUPS} allowed; includes count with their own nested terms, so check the published record"),
    ));
    let parsed = parse(&value);
    if parsed.record.is_none() || has_errors(&parsed.findings) {
        let why = parsed
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .map_or_else(|| "does not parse".to_string(), |f| f.message.clone());
        return Err(GenerateError::new(
            "domain",
            format!("the generated record is invalid: {why}"),
        ));
    }
    // Keep the linter's advice (record length, no all...) but not its info about defaults
    // the generator chose on purpose.
    findings.extend(
        parsed
            .findings
            .into_iter()
            .filter(|f| f.severity != Severity::Info),
    );
    Ok(Generated {
        records: vec![PublishRecord::txt(&domain, value, 3600)],
        file: None,
        private_key_pem: None,
        findings,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::dns::has_errors as has_errors_in;

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn input(domain: &str) -> SpfInput {
        SpfInput {
            domain: domain.into(),
            ..SpfInput::default()
        }
    }

    #[test]
    fn the_generator_builds_a_record_that_parses_without_errors() {
        let g = generate(&SpfInput {
            ip4: vec![
                "192.0.2.0/24".into(),
                "198.51.100.7".into(),
                "192.0.2.0/24".into(),
            ],
            ip6: vec!["2001:DB8::/32".into()],
            includes: vec!["_spf.example.net".into(), "_SPF.example.net.".into()],
            a: true,
            mx: true,
            all: "fail".into(),
            ..input("Example.COM.")
        })
        .unwrap();
        let record = &g.records[0];
        assert_eq!(record.name, "example.com");
        assert_eq!(record.rtype, "TXT");
        assert_eq!(record.ttl, 3600);
        assert_eq!(
            record.value,
            "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.7 ip6:2001:db8::/32 a mx include:_spf.example.net -all"
        );
        let parsed = parse(&record.value);
        assert!(parsed.record.is_some());
        assert!(!has_errors_in(&parsed.findings), "{:?}", parsed.findings);
        assert!(!has_errors_in(&g.findings));
    }

    #[test]
    fn the_generator_defaults_to_softfail_from_json() {
        let input: SpfInput =
            serde_json::from_str(r#"{"domain":"example.com","ip4":["192.0.2.1"]}"#).unwrap();
        let g = generate(&input).unwrap();
        assert_eq!(g.records[0].value, "v=spf1 ip4:192.0.2.1 ~all");
        let neutral = generate(&SpfInput {
            all: "neutral".into(),
            ..input.clone()
        })
        .unwrap();
        assert!(neutral.records[0].value.ends_with(" ?all"));
    }

    #[test]
    fn the_generator_refuses_pass_and_unknown_all_values() {
        for all in ["pass", "+all", "maybe"] {
            let err = generate(&SpfInput {
                all: all.into(),
                ..input("example.com")
            })
            .unwrap_err();
            assert_eq!(err.field, "all", "{all}");
        }
    }

    #[test]
    fn host_bits_and_bad_networks_are_refused_naming_the_field() {
        let cases = [
            (
                SpfInput {
                    ip4: vec!["192.0.2.1/24".into()],
                    ..input("example.com")
                },
                "ip4",
            ),
            (
                SpfInput {
                    ip4: vec!["192.0.2.0/33".into()],
                    ..input("example.com")
                },
                "ip4",
            ),
            (
                SpfInput {
                    ip4: vec!["2001:db8::/32".into()],
                    ..input("example.com")
                },
                "ip4",
            ),
            (
                SpfInput {
                    ip6: vec!["2001:db8::1/32".into()],
                    ..input("example.com")
                },
                "ip6",
            ),
            (
                SpfInput {
                    ip6: vec!["192.0.2.1".into()],
                    ..input("example.com")
                },
                "ip6",
            ),
            (
                SpfInput {
                    includes: vec!["not a domain".into()],
                    ..input("example.com")
                },
                "includes",
            ),
            (
                SpfInput {
                    includes: vec!["example.com".into()],
                    ..input("example.com")
                },
                "includes",
            ),
            (
                SpfInput {
                    redirect: Some("localhost".into()),
                    ..input("example.com")
                },
                "redirect",
            ),
            (input("-bad-.example.com"), "domain"),
            (input("192.0.2.1"), "domain"),
        ];
        for (i, field) in cases {
            let err = generate(&i).unwrap_err();
            assert_eq!(err.field, field, "{i:?}: {err}");
        }
    }

    #[test]
    fn more_than_ten_dns_terms_are_refused() {
        let includes: Vec<String> = (1..=9).map(|i| format!("i{i}.example.net")).collect();
        let ok = SpfInput {
            includes: includes.clone(),
            a: true,
            ..input("example.com")
        };
        assert!(generate(&ok).is_ok());
        let err = generate(&SpfInput { mx: true, ..ok }).unwrap_err();
        assert_eq!(err.field, "includes");
        assert!(err.message.contains("11"));
    }

    #[test]
    fn a_redirect_replaces_all() {
        let g = generate(&SpfInput {
            ip4: vec!["192.0.2.0/24".into()],
            redirect: Some("_spf.example.net".into()),
            ..input("example.com")
        })
        .unwrap();
        assert_eq!(
            g.records[0].value,
            "v=spf1 ip4:192.0.2.0/24 redirect=_spf.example.net"
        );
        assert!(codes(&g.findings).contains(&"spf_redirect_used"));
    }

    #[test]
    fn a_long_generated_record_warns_and_is_chunked() {
        let ip6: Vec<String> = (0..30).map(|i| format!("2001:db8:{i:x}::/48")).collect();
        let g = generate(&SpfInput {
            ip6,
            ..input("example.com")
        })
        .unwrap();
        let value = &g.records[0].value;
        assert!(value.len() > 450);
        assert!(codes(&g.findings).contains(&"spf_record_too_long"));
        assert!(g.records[0].chunks.len() >= 2);
        assert_eq!(g.records[0].chunks.concat(), *value);
        assert!(!has_errors_in(&parse(value).findings));
    }
}
