//! A DNS domain name as registered by a tenant: lower-case, no trailing dot, LDH labels.

use std::fmt;

/// A validated domain name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName(String);

/// Why [`DomainName::parse`] refused its input (after trimming and lower-casing it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainNameError {
    #[error("domain name is empty")]
    Empty,
    #[error("domain name is longer than 253 characters")]
    TooLong,
    #[error("domain name must be ASCII (use the xn-- form of internationalized names)")]
    NotAscii,
    #[error("'{name}' is not a fully qualified domain name")]
    SingleLabel { name: String },
    #[error("label '{label}' must have 1 to 63 characters")]
    LabelLength { label: String },
    #[error("label '{label}' may hold only letters, digits, '-' and '_'")]
    LabelCharacters { label: String },
    #[error("label '{label}' must not start or end with '-'")]
    LabelHyphen { label: String },
}

impl DomainName {
    /// Parses user input: trims, lower-cases, drops one trailing dot; requires at least two
    /// labels of 1..=63 letters, digits, `-` or `_` (not starting or ending with `-`) and at most
    /// 253 characters. Internationalized names must be given in A-label (`xn--`) form.
    pub fn parse(input: &str) -> Result<DomainName, DomainNameError> {
        let name = input.trim().trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return Err(DomainNameError::Empty);
        }
        if name.len() > 253 {
            return Err(DomainNameError::TooLong);
        }
        if !name.is_ascii() {
            return Err(DomainNameError::NotAscii);
        }
        let labels: Vec<&str> = name.split('.').collect();
        if labels.len() < 2 {
            return Err(DomainNameError::SingleLabel { name });
        }
        for label in &labels {
            if label.is_empty() || label.len() > 63 {
                return Err(DomainNameError::LabelLength {
                    label: label.to_string(),
                });
            }
            if !label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(DomainNameError::LabelCharacters {
                    label: label.to_string(),
                });
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(DomainNameError::LabelHyphen {
                    label: label.to_string(),
                });
            }
        }
        Ok(DomainName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This name and every parent with at least two labels, nearest first.
    pub fn self_and_parents(&self) -> Vec<&str> {
        let mut out = vec![self.0.as_str()];
        let mut rest = self.0.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            if !parent.contains('.') {
                break;
            }
            out.push(parent);
            rest = parent;
        }
        out
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized() {
        assert_eq!(
            DomainName::parse(" Example.COM. ").map(|d| d.0),
            Ok("example.com".into())
        );
    }

    #[test]
    fn malformed_names_are_refused() {
        for bad in ["", "com", "a..b", "-a.com", "a_b$.com", "bücher.de"] {
            assert!(DomainName::parse(bad).is_err(), "{bad}");
        }
        assert!(DomainName::parse(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn parents_stop_at_two_labels() {
        let d = DomainName::parse("a.b.example.com").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            d.self_and_parents(),
            vec!["a.b.example.com", "b.example.com", "example.com"]
        );
    }

    #[test]
    fn a_refusal_says_what_is_wrong_with_the_name() {
        let refusal = |input: &str| DomainName::parse(input).err().map(|e| e.to_string());
        let long = format!("{}.com", "a.".repeat(130));
        for (input, why) in [
            (" ", "domain name is empty"),
            (long.as_str(), "domain name is longer than 253 characters"),
            (
                "bücher.de",
                "domain name must be ASCII (use the xn-- form of internationalized names)",
            ),
            ("com", "'com' is not a fully qualified domain name"),
            ("a..com", "label '' must have 1 to 63 characters"),
            (
                "a$.com",
                "label 'a$' may hold only letters, digits, '-' and '_'",
            ),
            ("-a.com", "label '-a' must not start or end with '-'"),
        ] {
            assert_eq!(refusal(input).as_deref(), Some(why), "{input}");
        }
    }
}
