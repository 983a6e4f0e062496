//! What a reader of a document or digest sees of its sender: the tenant's brand (name, logo,
//! colours, footer, support contact) and the language the text is written in.
//!
//! Invariants:
//! - A [`Branding`] is always complete: it is the tenant's own settings merged over its
//!   nearest ancestor's, down from the built-in [`Branding::ruad`]; documents never look
//!   further.
//! - A [`Color`] is always `#rrggbb` (lower case), so renderers may write it into CSS or a
//!   PDF without escaping.
//! - A [`Language`] is one the message catalogs cover completely.
//!
//! Must not depend on actix-web or diesel.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language documents and digests are written in; each has a complete message catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl Language {
    /// Every supported language, in the order they are listed to users.
    pub const ALL: &'static [Language] = &[Language::En, Language::Nl];

    /// The BCP 47 tag (`en`, `nl`), as written in HTML `lang` and the catalogs' folders.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language tag no catalog covers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}: supported are en, nl")]
pub struct UnsupportedLanguage(pub String);

impl FromStr for Language {
    type Err = UnsupportedLanguage;

    /// Accepts a BCP 47 tag case-insensitively; a region (`nl-BE`, `en_GB`) is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        Language::ALL
            .iter()
            .copied()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
            .ok_or_else(|| UnsupportedLanguage(s.to_string()))
    }
}

/// An sRGB colour written `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Color(String);

/// A colour that is not `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid colour {0:?}: expected #rrggbb")]
pub struct InvalidColor(pub String);

impl Color {
    /// `#rrggbb`, lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The red, green and blue components.
    pub fn rgb(&self) -> (u8, u8, u8) {
        let c = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0);
        (c(1), c(3), c(5))
    }
}

impl FromStr for Color {
    type Err = InvalidColor;

    /// Accepts `#rrggbb` and `#rgb`, in either case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidColor(s.to_string());
        let hex = s.strip_prefix('#').ok_or_else(invalid)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let long = match hex.len() {
            6 => hex.to_ascii_lowercase(),
            3 => hex
                .chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase(),
            _ => return Err(invalid()),
        };
        Ok(Color(format!("#{long}")))
    }
}

impl TryFrom<String> for Color {
    type Error = InvalidColor;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Color> for String {
    fn from(c: Color) -> String {
        c.0
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kinds of logo image a brand may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogoFormat {
    Png,
    Svg,
}

impl LogoFormat {
    /// The media type, as served and as written in a `data:` URI.
    pub fn media_type(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Svg => "image/svg+xml",
        }
    }
}

/// A logo already checked at the boundary: a PNG that decodes, or an SVG with no script,
/// event handler or external reference. Renderers embed the bytes as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub format: LogoFormat,
    pub bytes: Vec<u8>,
}

/// A tenant's effective brand: what documents and digests show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branding {
    /// The name a reader sees as the sender of the document.
    pub display_name: String,
    pub logo: Option<Logo>,
    /// Headings, chart lines and the title bar.
    pub primary_color: Color,
    /// Highlights and the second chart series.
    pub accent_color: Color,
    /// A line at the foot of every page (a legal line, an address).
    pub footer_text: Option<String>,
    /// Where a reader asks for help: an email address or a URL.
    pub support_contact: Option<String>,
    /// The language the document is written in, unless a request names another.
    pub language: Language,
}

impl Branding {
    /// The brand of a tenant tree nobody has branded: ruad's own.
    pub fn ruad() -> Branding {
        Branding {
            display_name: "ruad".to_string(),
            logo: None,
            primary_color: Color("#1f4e79".to_string()),
            accent_color: Color("#e07a1f".to_string()),
            footer_text: None,
            support_contact: None,
            language: Language::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_tag_is_matched_on_its_primary_subtag_in_any_case() {
        assert_eq!("nl-BE".parse::<Language>(), Ok(Language::Nl));
        assert_eq!("EN_gb".parse::<Language>(), Ok(Language::En));
        assert!("fr".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
    }

    #[test]
    fn a_colour_is_normalized_to_lower_case_six_digits() {
        assert_eq!(
            "#ABC".parse::<Color>().map(String::from),
            Ok("#aabbcc".into())
        );
        assert_eq!(
            "#1F4e79".parse::<Color>().map(|c| c.rgb()),
            Ok((0x1f, 0x4e, 0x79))
        );
        for bad in ["1f4e79", "#1f4e7", "#ggghhh", "#1f4e79;", "red"] {
            assert!(bad.parse::<Color>().is_err(), "{bad}");
        }
    }
}
