//! What the RFC 8460 §3 HTTPS receiver accepts: exactly one TLS report per request, as JSON
//! (`application/tlsrpt+json`) or as one gzip member holding that JSON
//! (`application/tlsrpt+gzip`), and nothing else: no DMARC report, archive, email or second
//! report. The bytes must be what the declared media type says.
//!
//! The JSON is parsed as it is decompressed (never held whole), under the parser's limits.
//! Must not touch the database.

use crate::domain::report::TlsReport;
use crate::reports::envelope::{Sniffed, sniff};
use crate::reports::{LimitExceeded, LimitKind, Limits, ParseError, Warning, Warnings, tlsrpt};
use std::io::Read;

/// The two media types of RFC 8460 §5.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsrptMedia {
    Json,
    Gzip,
}

impl TlsrptMedia {
    /// The media type of a `Content-Type` value (parameters and case ignored), if it is one
    /// of the two.
    pub fn parse(content_type: &str) -> Option<TlsrptMedia> {
        match content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "application/tlsrpt+json" => Some(TlsrptMedia::Json),
            "application/tlsrpt+gzip" => Some(TlsrptMedia::Gzip),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TlsrptMedia::Json => "application/tlsrpt+json",
            TlsrptMedia::Gzip => "application/tlsrpt+gzip",
        }
    }
}

/// Decodes a receiver body: JSON, or one gzip member of JSON, and nothing else.
pub(super) fn decode(
    body: &[u8],
    media: TlsrptMedia,
    limits: &Limits,
) -> Result<(TlsReport, Vec<Warning>), ParseError> {
    use std::io::BufRead;
    let not_tls = |what: &str| {
        ParseError::NotAReport(format!(
            "{what}; RFC 8460 §5.3 allows one TLS report as JSON, or that JSON in gzip"
        ))
    };
    let mut warnings = Warnings::default();
    let report = match (media, sniff(body)) {
        (TlsrptMedia::Json, Sniffed::Json) => tlsrpt::parse_reader(body, limits, &mut warnings)?,
        (TlsrptMedia::Gzip, Sniffed::Gzip) => {
            // One gzip member (a second layer or member is not followed), bounded like any
            // decompression.
            let cap = limits.max_decompressed_bytes;
            let mut reader = std::io::BufReader::with_capacity(
                64 << 10,
                flate2::read::GzDecoder::new(body).take(cap.saturating_add(1)),
            );
            let head = reader
                .fill_buf()
                .map_err(|e| ParseError::NotAReport(format!("the gzip body is corrupt: {e}")))?;
            if sniff(head) != Sniffed::Json {
                return Err(not_tls(&format!(
                    "the gzip body holds {:?}, not JSON",
                    sniff(head)
                )));
            }
            let parsed = tlsrpt::parse_reader(&mut reader, limits, &mut warnings);
            if reader.get_ref().limit() == 0 {
                return Err(ParseError::Limit(LimitExceeded {
                    kind: LimitKind::DecompressedBytes,
                    max: cap,
                }));
            }
            parsed?
        }
        (TlsrptMedia::Json, other) => {
            return Err(not_tls(&format!("the body is {other:?}, not JSON")));
        }
        (TlsrptMedia::Gzip, other) => {
            return Err(not_tls(&format!("the body is {other:?}, not gzip")));
        }
    };
    Ok((report, warnings.to_vec()))
}
