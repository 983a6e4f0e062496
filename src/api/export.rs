//! CSV exports of the aggregates and record lists.
//!
//! - Negotiation ([`negotiate`]): `format=csv` (or `json`) in the query wins; without it, an
//!   `Accept` header that prefers `text/csv` to `application/json` asks for CSV. JSON stays
//!   the default.
//! - Every export is RFC 4180 (`csv` crate), UTF-8, with a header row, `text/csv;
//!   charset=utf-8; header=present` and a `Content-Disposition` file name.
//! - Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//!   a tab or a carriage return) get a leading `'`: report data is written by strangers
//!   (OWASP, "CSV injection"). Numbers are never changed.
//! - Short tables (an aggregate answer) are built whole ([`Table`]); long ones (every record
//!   of a report or a range, every source) are streamed ([`stream`]): a blocking producer
//!   reads page after page and hands chunks of about 64 KiB to the response through a
//!   channel of [`CHUNKS_IN_FLIGHT`], so memory stays flat whatever the row count, and a
//!   client that goes away stops the producer at its next chunk.
//!
//! Errors found before the first byte (a bad query, an unknown domain) are problem+json like
//! everywhere; a storage failure in the middle of a stream can only cut the stream short
//! (the chunked body ends without its last chunk, which clients see as an incomplete
//! download).

use crate::api::error::ApiError;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;

/// Chunks produced ahead of the client, at most.
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// A chunk is handed to the response once it holds this many bytes.
const CHUNK_BYTES: usize = 64 * 1024;

/// The media type of every export.
pub const CSV_MEDIA_TYPE: &str = "text/csv; charset=utf-8; header=present";

/// What a client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The format of an answer: `format` from the query (`json` or `csv`), else the `Accept`
/// header's preference between `application/json` and `text/csv`, else JSON.
pub fn negotiate(req: &HttpRequest, format: Option<&str>) -> Result<Format, ApiError> {
    match format {
        Some("json") => return Ok(Format::Json),
        Some("csv") => return Ok(Format::Csv),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "unknown format '{other}' (json, csv)"
            )));
        }
        None => {}
    }
    let accept = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    Ok(from_accept(&accept))
}

/// The quality of each media range in an `Accept` value, for the two formats.
fn from_accept(accept: &str) -> Format {
    let (mut json, mut csv) = (None::<f32>, None::<f32>);
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let slot = match media.as_str() {
            "application/json" | "application/*" | "*/*" => &mut json,
            "text/csv" => &mut csv,
            _ => continue,
        };
        // The most specific range wins for a type; here, the highest quality.
        *slot = Some(slot.map_or(q, |old| old.max(q)));
    }
    match (json, csv) {
        (_, Some(c)) if c > 0.0 && json.is_none_or(|j| c > j) => Format::Csv,
        _ => Format::Json,
    }
}

/// The format parameter as the spec shows it.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ExportFormat {
    /// `application/json` (the default).
    Json,
    /// `text/csv`, with a header row.
    Csv,
}

/// `value` as JSON, or as the CSV table `csv` makes of it, named `name.csv`.
pub fn respond<T: serde::Serialize>(
    format: Format,
    value: T,
    csv: impl FnOnce(&T) -> Table,
    name: &str,
) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Json => Ok(HttpResponse::Ok().json(value)),
        Format::Csv => csv(&value).respond(name),
    }
}

/// The snake_case name serde gives a unit variant (a category, a match kind) as a cell.
pub fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `name=count` pairs joined by `;`, as one cell.
pub fn pairs<'a>(items: impl IntoIterator<Item = (&'a str, u64)>) -> String {
    items
        .into_iter()
        .map(|(name, n)| format!("{name}={n}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// A cell as written: formula-like text is defused.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// A whole CSV table (an aggregate's answer): a header row and rows of cells.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: Vec<S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; text cells are defused ([`cell`]) here.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|c| cell(c).into_owned()).collect());
    }

    /// A by-result answer as one row per figure: `domain`, `from`, `to`, `dimension`,
    /// `value` and the count, named `unit` (`messages`, `sessions`).
    pub fn figures<'a>(
        (domain, from, to): (&str, &str, &str),
        unit: &'static str,
        figures: impl IntoIterator<Item = (&'a str, &'a str, u64)>,
    ) -> Table {
        let mut t = Table::new(vec!["domain", "from", "to", "dimension", "value", unit]);
        for (dimension, value, n) in figures {
            t.row(vec![
                domain.to_string(),
                from.to_string(),
                to.to_string(),
                dimension.to_string(),
                value.to_string(),
                n.to_string(),
            ]);
        }
        t
    }

    fn bytes(&self) -> Result<Vec<u8>, ApiError> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&self.header).map_err(internal)?;
        for row in &self.rows {
            out.write_record(row).map_err(internal)?;
        }
        out.into_inner()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing CSV: {e}")))
    }

    /// The table as a `text/csv` answer named `name.csv`.
    pub fn respond(&self, name: &str) -> Result<HttpResponse, ApiError> {
        Ok(csv_response(name).body(self.bytes()?))
    }
}

fn internal(e: csv::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("writing CSV: {e}"))
}

fn csv_response(name: &str) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Ok();
    builder.content_type(CSV_MEDIA_TYPE).insert_header((
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{}.csv\"", file_name(name)),
    ));
    builder
}

/// A file name made only of safe characters.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where a streamed export writes: rows go through the CSV writer into [`Chunks`], which
/// hands them to the response about [`CHUNK_BYTES`] at a time.
pub struct Sink {
    out: csv::Writer<Chunks>,
}

/// The bytes of a streamed export on their way to the response.
struct Chunks {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Chunks {
    /// Hands what is buffered to the response; blocks while the client is
    /// [`CHUNKS_IN_FLIGHT`] chunks behind, and fails once it has gone away.
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK_BYTES + 8192),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    /// Writes one row; text cells are defused.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), ApiError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| cell(c.as_ref()).into_owned())
            .collect();
        self.out.write_record(&cells).map_err(internal)
    }

    /// Writes what is left and hands it to the response.
    fn finish(self) -> Result<(), ApiError> {
        let mut chunks = self
            .out
            .into_inner()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing CSV: {}", e.error())))?;
        chunks
            .send()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing CSV: {e}")))
    }
}

/// A streamed `text/csv` answer named `name.csv`: `header`, then whatever `produce` writes,
/// produced on a blocking thread while the client reads. Check everything that can fail
/// with a 4xx before calling this: once streaming, a failure can only cut the body short.
pub fn stream(
    name: &str,
    header: &'static [&'static str],
    produce: impl FnOnce(&mut Sink) -> Result<(), ApiError> + Send + 'static,
) -> HttpResponse {
    let (tx, rx) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| {
            let mut sink = Sink {
                out: csv::Writer::from_writer(Chunks {
                    buf: Vec::with_capacity(CHUNK_BYTES + 8192),
                    tx: tx.clone(),
                }),
            };
            // A panic in the producer must not end the body as if it were complete.
            let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                sink.out
                    .write_record(header)
                    .map_err(internal)
                    .and_then(|()| produce(&mut sink))
                    .and_then(|()| sink.finish())
            }))
            .unwrap_or_else(|_| Err(ApiError::Internal(anyhow::anyhow!("the export panicked"))));
            if let Err(e) = written {
                tracing::warn!(error = %e, "a CSV export ended early");
                let _ = tx.blocking_send(Err(std::io::Error::other("the export failed")));
            }
        });
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    csv_response(name).streaming(body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accept_picks_csv_only_when_preferred() {
        assert_eq!(from_accept(""), Format::Json);
        assert_eq!(from_accept("text/csv"), Format::Csv);
        assert_eq!(from_accept("text/csv, application/json;q=0.5"), Format::Csv);
        assert_eq!(from_accept("application/json, text/csv"), Format::Json);
        assert_eq!(from_accept("*/*"), Format::Json);
        assert_eq!(from_accept("text/csv;q=0.9, */*;q=0.1"), Format::Csv);
        assert_eq!(from_accept("text/csv;q=0"), Format::Json);
        assert_eq!(from_accept("TEXT/CSV"), Format::Csv);
        assert_eq!(from_accept("text/html"), Format::Json);
    }

    #[test]
    fn formulas_are_defused_and_other_text_is_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("example.com"), "example.com");
        assert_eq!(cell("2001:db8::1"), "2001:db8::1");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn tables_quote_what_needs_quoting() {
        let mut t = Table::new(vec!["a", "b"]);
        t.row(vec!["x,y".into(), "say \"hi\"\nthere".into()]);
        let text = String::from_utf8(t.bytes().unwrap()).unwrap();
        assert_eq!(text, "a,b\n\"x,y\",\"say \"\"hi\"\"\nthere\"\n");
    }

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name("example.com-dmarc_by-source"),
            "example.com-dmarc_by-source"
        );
        assert_eq!(file_name("a\"b/c\\d e"), "a_b_c_d_e");
    }
}
