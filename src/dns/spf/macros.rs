//! SPF macros (RFC 7208 §7): a macro-string as tokens, and their expansion against the
//! values of one evaluation. Pure: the caller looks up the validated name `%{p}` needs.

use std::net::{IpAddr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum MacroToken {
    Literal(String),
    Expand {
        letter: u8,
        upper: bool,
        digits: Option<usize>,
        reverse: bool,
        delimiters: Vec<u8>,
    },
    /// `%%`, `%_`, `%-`: literal text produced by an escape.
    Escape(&'static str),
}

/// Why a macro-string (§7.1) does not parse: what is wrong, at which byte of which string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MacroError {
    #[error("byte {at} of '{text}' is not allowed in a macro-string")]
    ForbiddenByte { at: usize, text: String },
    #[error("stray '%' at byte {at} of '{text}' (write '%%' for a percent sign)")]
    StrayPercent { at: usize, text: String },
    #[error("unterminated macro at byte {at} of '{text}'")]
    Unterminated { at: usize, text: String },
    #[error("unknown macro letter '{letter}' at byte {at} of '{text}'")]
    UnknownLetter {
        letter: char,
        at: usize,
        text: String,
    },
    /// `c`, `r` and `t` outside an `exp=` explanation.
    #[error("macro letter '{letter}' is only allowed in explanation text")]
    ExplanationOnly { letter: char },
    #[error("macro at byte {at} of '{text}' keeps zero labels")]
    ZeroLabels { at: usize, text: String },
    #[error("malformed macro at byte {at} of '{text}'")]
    Malformed { at: usize, text: String },
}

pub(super) fn macro_tokens(
    s: &str,
    allow_space: bool,
    allow_crt: bool,
) -> Result<Vec<MacroToken>, MacroError> {
    let text = || s.to_string();
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            let ok = (0x21..=0x7e).contains(&b) || (allow_space && b == b' ');
            if !ok {
                return Err(MacroError::ForbiddenByte {
                    at: i,
                    text: text(),
                });
            }
            literal.push(char::from(b));
            i += 1;
            continue;
        }
        let escape = match bytes.get(i + 1) {
            Some(b'%') => Some("%"),
            Some(b'_') => Some(" "),
            Some(b'-') => Some("%20"),
            Some(b'{') => None,
            _ => {
                return Err(MacroError::StrayPercent {
                    at: i,
                    text: text(),
                });
            }
        };
        if !literal.is_empty() {
            out.push(MacroToken::Literal(std::mem::take(&mut literal)));
        }
        if let Some(escaped) = escape {
            out.push(MacroToken::Escape(escaped));
            i += 2;
            continue;
        }
        let start = i;
        i += 2;
        let letter = *bytes.get(i).ok_or_else(|| MacroError::Unterminated {
            at: start,
            text: text(),
        })?;
        let lower = letter.to_ascii_lowercase();
        if !b"slodiphcrtv".contains(&lower) {
            return Err(MacroError::UnknownLetter {
                letter: char::from(letter),
                at: i,
                text: text(),
            });
        }
        if !allow_crt && b"crt".contains(&lower) {
            return Err(MacroError::ExplanationOnly {
                letter: char::from(letter),
            });
        }
        i += 1;
        let mut digits: Option<usize> = None;
        while let Some(d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
            let value = digits
                .unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            digits = Some(value);
            i += 1;
        }
        if digits == Some(0) {
            return Err(MacroError::ZeroLabels {
                at: start,
                text: text(),
            });
        }
        let reverse = matches!(bytes.get(i), Some(b'r' | b'R'));
        if reverse {
            i += 1;
        }
        let mut delimiters = Vec::new();
        while let Some(&d) = bytes.get(i).filter(|d| b".-+,/_=".contains(d)) {
            delimiters.push(d);
            i += 1;
        }
        if bytes.get(i) != Some(&b'}') {
            return Err(MacroError::Malformed {
                at: start,
                text: text(),
            });
        }
        i += 1;
        out.push(MacroToken::Expand {
            letter: lower,
            upper: letter.is_ascii_uppercase(),
            digits,
            reverse,
            delimiters,
        });
    }
    if !literal.is_empty() {
        out.push(MacroToken::Literal(literal));
    }
    Ok(out)
}

/// The values macros expand to (§7.2).
#[derive(Debug, Clone)]
pub(super) struct MacroVars {
    pub(super) sender: String,
    pub(super) local: String,
    pub(super) sender_domain: String,
    pub(super) domain: String,
    pub(super) ip: IpAddr,
    pub(super) helo: String,
    /// The validated PTR name, looked up only when a macro needs it.
    pub(super) validated: Option<String>,
    pub(super) receiver: String,
    pub(super) now: i64,
}

pub(super) fn dotted_nibbles(ip: Ipv6Addr) -> String {
    let mut out = String::with_capacity(63);
    for byte in ip.octets() {
        for nibble in [byte >> 4, byte & 0x0f] {
            if !out.is_empty() {
                out.push('.');
            }
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(super) fn expand_tokens(tokens: &[MacroToken], vars: &MacroVars) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            MacroToken::Literal(text) => out.push_str(text),
            MacroToken::Escape(text) => out.push_str(text),
            MacroToken::Expand {
                letter,
                upper,
                digits,
                reverse,
                delimiters,
            } => {
                let value = match letter {
                    b's' => vars.sender.clone(),
                    b'l' => vars.local.clone(),
                    b'o' => vars.sender_domain.clone(),
                    b'd' => vars.domain.clone(),
                    b'i' => match vars.ip {
                        IpAddr::V4(v4) => v4.to_string(),
                        IpAddr::V6(v6) => dotted_nibbles(v6),
                    },
                    b'p' => vars
                        .validated
                        .clone()
                        .unwrap_or_else(|| "unknown".to_string()),
                    b'v' => match vars.ip {
                        IpAddr::V4(_) => "in-addr".to_string(),
                        IpAddr::V6(_) => "ip6".to_string(),
                    },
                    b'h' => vars.helo.clone(),
                    b'c' => vars.ip.to_string(),
                    b'r' => vars.receiver.clone(),
                    b't' => vars.now.to_string(),
                    _ => String::new(),
                };
                let delims: &[u8] = if delimiters.is_empty() {
                    b"."
                } else {
                    delimiters
                };
                let mut parts: Vec<&str> = value
                    .split(|c: char| c.is_ascii() && delims.contains(&(c as u8)))
                    .collect();
                if *reverse {
                    parts.reverse();
                }
                if let Some(n) = digits {
                    let skip = parts.len().saturating_sub(*n);
                    parts.drain(..skip);
                }
                let joined = parts.join(".");
                if *upper {
                    out.push_str(&url_escape(&joined));
                } else {
                    out.push_str(&joined);
                }
            }
        }
    }
    out
}

pub(super) fn needs_ptr(tokens: &[MacroToken]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, MacroToken::Expand { letter: b'p', .. }))
}

/// §7.3: an expanded name longer than 253 bytes loses labels on the left until it fits.
pub(super) fn truncate_domain(name: &str) -> String {
    let mut name = name.trim_end_matches('.');
    while name.len() > 253 {
        match name.split_once('.') {
            Some((_, rest)) => name = rest,
            None => return String::new(),
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    fn rfc_vars(ip: &str) -> MacroVars {
        MacroVars {
            sender: "strong-bad@email.example.com".into(),
            local: "strong-bad".into(),
            sender_domain: "email.example.com".into(),
            domain: "email.example.com".into(),
            ip: ip.parse().unwrap(),
            helo: "mx.example.org".into(),
            validated: None,
            receiver: "mx.receiver.example".into(),
            now: 1_234_567_890,
        }
    }

    fn expand(spec: &str, vars: &MacroVars) -> String {
        expand_tokens(&macro_tokens(spec, true, true).unwrap(), vars)
    }

    #[test]
    fn macros_expand_as_in_the_rfc_7208_examples() {
        let v = rfc_vars("192.0.2.3");
        for (spec, want) in [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            (
                "%{ir}.%{v}._spf.%{d2}",
                "3.2.0.192.in-addr._spf.example.com",
            ),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            (
                "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
                "bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            ),
            (
                "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
                "3.2.0.192.in-addr.strong.lp._spf.example.com",
            ),
            (
                "%{d2}.trusted-domains.example.net",
                "example.com.trusted-domains.example.net",
            ),
        ] {
            assert_eq!(expand(spec, &v), want, "{spec}");
        }
        let v6 = rfc_vars("2001:db8::cb01");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", &v6),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    #[test]
    fn the_other_macro_letters_and_escapes_expand() {
        let mut v = rfc_vars("192.0.2.3");
        assert_eq!(
            expand("%{h} %{c} %{r} %{t} %{p}", &v),
            "mx.example.org 192.0.2.3 mx.receiver.example 1234567890 unknown"
        );
        v.validated = Some("mail.example.com".into());
        assert_eq!(expand("%{p2}", &v), "example.com");
        assert_eq!(expand("a%%b%_c%-d", &v), "a%b c%20d");
        assert_eq!(expand("%{S}", &v), "strong-bad%40email.example.com");
        assert_eq!(expand("%{L}", &rfc_vars("2001:db8::1")), "strong-bad");
        let v6 = rfc_vars("2001:db8::cb01");
        assert_eq!(expand("%{c}", &v6), "2001:db8::cb01");
        assert_eq!(expand("%{v}", &v6), "ip6");
        // A digit beyond the number of parts keeps them all.
        assert_eq!(expand("%{d99}", &v), "email.example.com");
        assert_eq!(
            expand("%{d99999999999999999999999}", &v),
            "email.example.com"
        );
    }

    #[test]
    fn url_escaping_keeps_only_unreserved_characters() {
        assert_eq!(url_escape("a+b c/d~e_f.g-h"), "a%2Bb%20c%2Fd~e_f.g-h");
    }

    #[test]
    fn a_long_expanded_domain_drops_labels_on_the_left() {
        let label = "a".repeat(63);
        let name = format!("{label}.{label}.{label}.{label}.example.com");
        let cut = truncate_domain(&name);
        assert_eq!(cut, format!("{label}.{label}.{label}.example.com"));
        assert!(cut.len() <= 253);
        assert_eq!(truncate_domain(&"a".repeat(300)), "");
        assert_eq!(truncate_domain("example.com."), "example.com");
    }

    proptest! {
        #[test]
        fn macro_expansion_never_panics(spec in "[%{}a-zA-Z0-9.+,/_=-]{0,40}", local in "\\PC{0,20}") {
            if let Ok(tokens) = macro_tokens(&spec, true, true) {
                let mut vars = rfc_vars("2001:db8::1");
                vars.local = local;
                let _ = expand_tokens(&tokens, &vars);
            }
        }
    }
}
