//! Every word of a document comes from a Project Fluent message catalog
//! (`locales/<language>/*.ftl`, embedded in the binary), and every number and date is
//! written the way the reader's language writes it: the separators, the percent format and
//! the month names are messages of the catalog too, so a language is one folder.
//!
//! Invariants:
//! - Every [`Language`] has a catalog with exactly the keys of English (a test walks them).
//! - A message that is missing or fails to format is never silent: [`Tr`] writes its key
//!   in its place and collects the error, and [`Tr::finish`] returns every one of them;
//!   rendering refuses a document with a missing message.
//! - Unicode isolation marks are off: the text ends up in PDF and HTML where they would
//!   only get in the way of search and copy.
//!
//! Adding a language: add its variant to `domain::branding::Language`, a folder
//! `locales/<code>/` with the same files and keys as `locales/en/`, and its arm in
//! [`catalog`].

use crate::domain::branding::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

type Bundle = FluentBundle<FluentResource>;

/// The catalog files of a language, as embedded.
pub fn catalog(language: Language) -> &'static [(&'static str, &'static str)] {
    match language {
        Language::En => &[
            ("documents.ftl", include_str!("locales/en/documents.ftl")),
            ("warnings.ftl", include_str!("locales/en/warnings.ftl")),
        ],
        Language::Nl => &[
            ("documents.ftl", include_str!("locales/nl/documents.ftl")),
            ("warnings.ftl", include_str!("locales/nl/warnings.ftl")),
        ],
    }
}

fn bundles() -> &'static HashMap<Language, Result<Bundle, String>> {
    static BUNDLES: OnceLock<HashMap<Language, Result<Bundle, String>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|&l| (l, build_bundle(l)))
            .collect()
    })
}

fn build_bundle(language: Language) -> Result<Bundle, String> {
    let id: unic_langid::LanguageIdentifier = language
        .code()
        .parse()
        .map_err(|e| format!("language tag {}: {e}", language.code()))?;
    let mut bundle = Bundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for (name, text) in catalog(language) {
        let resource = FluentResource::try_new((*text).to_string()).map_err(|(_, errors)| {
            format!(
                "catalog {}/{name} does not parse: {errors:?}",
                language.code()
            )
        })?;
        bundle
            .add_resource(resource)
            .map_err(|errors| format!("catalog {}/{name}: {errors:?}", language.code()))?;
    }
    Ok(bundle)
}

/// The keys of a language's catalogs (messages only, not terms), sorted.
pub fn keys(language: Language) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for (name, text) in catalog(language) {
        let resource = FluentResource::try_new((*text).to_string()).map_err(|(_, errors)| {
            format!(
                "catalog {}/{name} does not parse: {errors:?}",
                language.code()
            )
        })?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.push(m.id.name.to_string());
            }
        }
    }
    keys.sort();
    Ok(keys)
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, inserted as it is.
    Text(String),
    /// A number, for plural selection (insert its formatted form as a separate `Text`).
    Number(u64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

/// The messages of one language, for one document; collects what went wrong.
pub struct Tr {
    language: Language,
    bundle: Option<&'static Bundle>,
    errors: RefCell<Vec<String>>,
}

impl Tr {
    pub fn new(language: Language) -> Tr {
        let (bundle, errors) = match bundles().get(&language) {
            Some(Ok(b)) => (Some(b), Vec::new()),
            Some(Err(e)) => (None, vec![e.clone()]),
            None => (None, vec![format!("no catalog for {}", language.code())]),
        };
        Tr {
            language,
            bundle,
            errors: RefCell::new(errors),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.t_with(key, &[])
    }

    /// The message `key` with arguments.
    pub fn t_with(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let Some(bundle) = self.bundle else {
            return key.to_string();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            self.errors
                .borrow_mut()
                .push(format!("{}: missing message {key}", self.language.code()));
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.clone())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        if !errors.is_empty() {
            self.errors
                .borrow_mut()
                .push(format!("{}: {key}: {errors:?}", self.language.code()));
        }
        text
    }

    /// Whether the catalog has the message `key` (for optional, per-code texts).
    pub fn has(&self, key: &str) -> bool {
        self.bundle.is_some_and(|b| b.has_message(key))
    }

    /// `n` with the language's thousands separator: `1,234,567` (en), `1.234.567` (nl).
    pub fn count(&self, n: u64) -> String {
        group(&n.to_string(), &self.t("format-thousands-separator"))
    }

    /// `part` of `whole` as a percentage with one decimal: `97.5 %` (en), `97,5 %` (nl);
    /// a dash when `whole` is zero.
    pub fn percent(&self, part: u64, whole: u64) -> String {
        match tenths(part, whole) {
            Some(t) => self.percent_tenths(t as i64),
            None => self.t("value-none"),
        }
    }

    /// A percentage given in tenths (`975` → `97.5 %`), signed when negative.
    pub fn percent_tenths(&self, tenths: i64) -> String {
        self.t_with(
            "format-percent",
            &[("value", Arg::Text(self.decimal_tenths(tenths)))],
        )
    }

    /// A number given in tenths with one decimal: `97.5` (en), `97,5` (nl).
    pub fn decimal_tenths(&self, tenths: i64) -> String {
        let sign = if tenths < 0 { "-" } else { "" };
        let t = tenths.unsigned_abs();
        format!(
            "{sign}{}{}{}",
            group(&(t / 10).to_string(), &self.t("format-thousands-separator")),
            self.t("format-decimal-separator"),
            t % 10
        )
    }

    /// An epoch day as a date with the month's name: `6 December 2026`, `6 december 2026`.
    pub fn date(&self, epoch_day: i64) -> String {
        use chrono::Datelike;
        let Some(d) = chrono::DateTime::from_timestamp(epoch_day.saturating_mul(86_400), 0) else {
            return self.t("value-none");
        };
        self.t_with(
            "format-date",
            &[
                ("day", Arg::Text(d.day().to_string())),
                ("month", Arg::Text(self.t(&format!("month-{}", d.month())))),
                ("year", Arg::Text(d.year().to_string())),
            ],
        )
    }

    /// An epoch time as a date and UTC time: `6 December 2026, 05:10 UTC`.
    pub fn date_time(&self, epoch: i64) -> String {
        let Some(d) = chrono::DateTime::from_timestamp(epoch, 0) else {
            return self.t("value-none");
        };
        self.t_with(
            "format-date-time",
            &[
                ("date", Arg::Text(self.date(epoch.div_euclid(86_400)))),
                ("time", Arg::Text(d.format("%H:%M").to_string())),
            ],
        )
    }

    /// An epoch day as a short label for a chart axis: `6 Dec`.
    pub fn short_date(&self, epoch_day: i64) -> String {
        use chrono::Datelike;
        let Some(d) = chrono::DateTime::from_timestamp(epoch_day.saturating_mul(86_400), 0) else {
            return self.t("value-none");
        };
        self.t_with(
            "format-short-date",
            &[
                ("day", Arg::Text(d.day().to_string())),
                (
                    "month",
                    Arg::Text(self.t(&format!("month-short-{}", d.month()))),
                ),
            ],
        )
    }

    /// The errors collected so far: missing messages, failed formatting.
    pub fn finish(self) -> Result<(), Vec<String>> {
        let errors = self.errors.into_inner();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// `part / whole` in tenths of a percent, rounded half up; `None` when `whole` is zero.
pub fn tenths(part: u64, whole: u64) -> Option<u64> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    u64::try_from((part * 1000 + whole / 2) / whole).ok()
}

/// Inserts `separator` between groups of three digits.
fn group(digits: &str, separator: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// `n` formatted for `language`, as documents write counts (for tests and other front doors
/// that must match a document's text).
pub fn format_count(language: Language, n: u64) -> String {
    Tr::new(language).count(n)
}

/// `part` of `whole` as documents write a percentage in `language`.
pub fn format_percent(language: Language, part: u64, whole: u64) -> String {
    Tr::new(language).percent(part, whole)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_percentages_are_written_as_the_language_writes_them() {
        assert_eq!(format_count(Language::En, 1_234_567), "1,234,567");
        assert_eq!(format_count(Language::Nl, 1_234_567), "1.234.567");
        assert_eq!(format_count(Language::En, 999), "999");
        assert_eq!(format_count(Language::En, 0), "0");
        assert_eq!(format_percent(Language::En, 975, 1000), "97.5 %");
        assert_eq!(format_percent(Language::Nl, 975, 1000), "97,5 %");
        assert_eq!(format_percent(Language::En, 2, 3), "66.7 %");
        assert_eq!(format_percent(Language::En, u64::MAX, u64::MAX), "100.0 %");
    }

    #[test]
    fn dates_take_their_month_names_from_the_catalog() {
        // 2026-12-06 is epoch day 20793.
        assert_eq!(Tr::new(Language::En).date(20_793), "6 December 2026");
        assert_eq!(Tr::new(Language::Nl).date(20_793), "6 december 2026");
        assert_eq!(Tr::new(Language::Nl).short_date(20_793), "6 dec");
    }

    #[test]
    fn every_language_has_exactly_the_keys_of_english() {
        let english = keys(Language::En).unwrap();
        assert!(english.len() > 50);
        for &language in Language::ALL {
            assert_eq!(keys(language).unwrap(), english, "{language}");
            Tr::new(language).finish().unwrap();
        }
    }

    #[test]
    fn the_embedded_catalogs_are_every_file_of_the_locales_folders() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/services/documents/locales");
        let mut folders: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        let mut codes: Vec<String> = Language::ALL.iter().map(|l| l.code().into()).collect();
        codes.sort();
        assert_eq!(folders, codes);
        for &language in Language::ALL {
            let mut files: Vec<String> = std::fs::read_dir(root.join(language.code()))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let mut embedded: Vec<String> = catalog(language)
                .iter()
                .map(|(n, _)| n.to_string())
                .collect();
            embedded.sort();
            assert_eq!(files, embedded, "{language}");
        }
    }

    #[test]
    fn every_key_the_code_names_is_in_every_catalog() {
        // Literal keys in `t("…")` and `t_with("…"` calls of the documents module.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/services/documents");
        let mut used = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in [".t(", ".t_with("] {
                    for piece in text.split(marker).skip(1) {
                        let Some(rest) = piece.trim_start().strip_prefix('"') else {
                            continue;
                        };
                        // Only message ids (this test's own marker strings are not).
                        if let Some(key) = rest.split('"').next().filter(|k| {
                            !k.is_empty()
                                && k.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
                                })
                        }) {
                            used.push(key.to_string());
                        }
                    }
                }
            }
        }
        assert!(used.len() > 30, "found only {} keys in code", used.len());
        for &language in Language::ALL {
            let keys = keys(language).unwrap();
            for key in &used {
                assert!(
                    keys.contains(key),
                    "{language}: {key} used in code, not in the catalog"
                );
            }
        }
    }
}
