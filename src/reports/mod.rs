//! Report ingestion core: turns untrusted bytes into normalized DMARC aggregate and SMTP
//! TLS reports.
//!
//! Flow: [`envelope`] sniffs the bytes (never trusting names or content types) and unwraps
//! gzip / zlib / zip / email / mbox layers into report payloads; [`dmarc`] parses aggregate
//! XML record by record; [`tlsrpt`] parses RFC 8460 JSON; [`failure`] reads DMARC failure
//! reports (RFC 6591 ARF emails). One input may hold many reports.
//!
//! Invariants:
//! - Nothing here panics on any input, and memory stays bounded by [`Limits`]: input size,
//!   decompressed size (checked while decompressing), zip members, container nesting,
//!   XML depth, the size of any single XML token or JSON string, elements per record,
//!   record count, and failure details per TLS report.
//! - Message and session counts are bounded: one count above [`MAX_COUNT`] or one report
//!   adding up to more than [`MAX_REPORT_TOTAL`] never reaches a consumer, so sums over
//!   stored reports cannot overflow.
//! - No DTD processing and no entity expansion beyond the five predefined XML entities and
//!   character references.
//! - Every tolerance applied to a report is recorded as a [`Warning`] on that report.
//!
//! Must not depend on actix-web or diesel.

pub mod dmarc;
pub mod envelope;
pub mod failure;
mod io;
pub mod mbox;
pub mod summary;
pub mod tlsrpt;
mod xml;

use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

pub use crate::domain::failure::FailureReport;
pub use crate::domain::report::{AggregateReport, TlsReport};
pub use dmarc::AggregateReader;
pub use envelope::Input;

/// Largest message count of one DMARC record, and largest session count of one TLS policy
/// or failure detail, that is accepted: no real report carries more for one row.
pub const MAX_COUNT: u64 = 1_000_000_000_000;
/// Largest sum of the counts of one report (messages of a DMARC report, sessions of a TLS
/// report).
pub const MAX_REPORT_TOTAL: u64 = 1_000_000_000_000_000;

/// Hard limits applied while unpacking and parsing one input. Exceeding any of them is a
/// [`ParseError::Limit`] naming the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Size of the input as received (compressed), in bytes.
    pub max_input_bytes: u64,
    /// Total bytes produced by all decompression layers of one input.
    pub max_decompressed_bytes: u64,
    /// Entries in one zip archive.
    pub max_zip_entries: usize,
    /// Nesting of containers (gzip in zip in email ...).
    pub max_container_depth: usize,
    /// Element nesting depth in XML.
    pub max_xml_depth: usize,
    /// Size of any single XML token (a tag with its attributes, a text run, a comment), and
    /// of any single JSON string.
    pub max_token_bytes: usize,
    /// Elements inside one `<record>` (or one metadata block).
    pub max_record_elements: usize,
    /// `<record>` elements in one aggregate report.
    pub max_records: u64,
    /// Messages in one mbox file, and MIME parts looked at in one email.
    pub max_messages: usize,
    /// Failure details kept from one SMTP TLS report (all policies together).
    pub max_tls_failure_details: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_decompressed_bytes: 512 << 20,
            max_zip_entries: 256,
            max_container_depth: 6,
            max_xml_depth: 32,
            max_token_bytes: 1 << 20,
            max_record_elements: 4096,
            max_records: 2_000_000,
            max_messages: 100_000,
            max_tls_failure_details: 100_000,
        }
    }
}

/// Which limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    InputBytes,
    DecompressedBytes,
    ZipEntries,
    ContainerDepth,
    XmlDepth,
    TokenBytes,
    RecordElements,
    Records,
    Messages,
    TlsFailureDetails,
}

impl LimitKind {
    /// Name of the setting that controls this limit.
    pub fn setting(self) -> &'static str {
        match self {
            LimitKind::InputBytes => "max_input_bytes",
            LimitKind::DecompressedBytes => "max_decompressed_bytes",
            LimitKind::ZipEntries => "max_zip_entries",
            LimitKind::ContainerDepth => "max_container_depth",
            LimitKind::XmlDepth => "max_xml_depth",
            LimitKind::TokenBytes => "max_token_bytes",
            LimitKind::RecordElements => "max_record_elements",
            LimitKind::Records => "max_records",
            LimitKind::Messages => "max_messages",
            LimitKind::TlsFailureDetails => "max_tls_failure_details",
        }
    }
}

/// A limit was exceeded; carried through `std::io::Error` by the metering readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("limit {} = {max} exceeded", kind.setting())]
pub struct LimitExceeded {
    pub kind: LimitKind,
    pub max: u64,
}

/// Why an input (or one payload inside it) yielded no report.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The input was empty.
    #[error("input is empty")]
    Empty,
    /// The bytes are not a report ruad understands; says what was found instead.
    #[error("not a report: {0}")]
    NotAReport(String),
    /// A report kind ruad does not ingest (e.g. ARF abuse reports).
    #[error("unsupported report type: {0}")]
    Unsupported(String),
    /// A hard limit was exceeded.
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// A container (gzip, zlib, zip, email) is corrupt.
    #[error("corrupt {container} data: {message}")]
    Corrupt {
        container: &'static str,
        message: String,
    },
    /// The XML is broken beyond recovery.
    #[error("malformed XML at byte {offset} (in {path}): {message}")]
    Xml {
        offset: u64,
        path: String,
        message: String,
    },
    /// The JSON is broken.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// Well-formed XML that is not a usable DMARC aggregate report.
    #[error("invalid DMARC aggregate report at {path}: {message}")]
    InvalidAggregate { path: String, message: String },
    /// A message or session count, or the sum of a report's counts, is out of range
    /// (see [`MAX_COUNT`], [`MAX_REPORT_TOTAL`]); `path` names the element or JSON field.
    #[error("count out of range at {path}: {message}")]
    CountOutOfRange { path: String, message: String },
    /// Well-formed JSON that is not a usable SMTP TLS report.
    #[error("invalid SMTP TLS report at {path}: {message}")]
    InvalidTls { path: String, message: String },
    /// Reading the input failed.
    #[error("failed to read input: {0}")]
    Io(std::io::Error),
    /// The consumer of the parsed reports failed; ends the whole input.
    #[error("report handler failed: {0}")]
    Handler(Box<dyn std::error::Error + Send + Sync>),
}

impl ParseError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty_input",
            ParseError::NotAReport(_) => "not_a_report",
            ParseError::Unsupported(_) => "unsupported_report_type",
            ParseError::Limit(_) => "limit_exceeded",
            ParseError::Corrupt { .. } => "corrupt_container",
            ParseError::Xml { .. } => "malformed_xml",
            ParseError::Json { .. } => "malformed_json",
            ParseError::InvalidAggregate { .. } => "invalid_aggregate_report",
            ParseError::InvalidTls { .. } => "invalid_tls_report",
            ParseError::CountOutOfRange { .. } => "count_out_of_range",
            ParseError::Io(_) => "read_failed",
            ParseError::Handler(_) => "handler_failed",
        }
    }

    /// Errors after which no further payload of the same input is looked at.
    pub fn is_fatal(&self) -> bool {
        match self {
            ParseError::Handler(_) | ParseError::Io(_) => true,
            ParseError::Limit(l) => matches!(
                l.kind,
                LimitKind::InputBytes | LimitKind::DecompressedBytes | LimitKind::Messages
            ),
            _ => false,
        }
    }

    /// Maps an I/O error from a reader chain: limit violations raised by the metering
    /// readers come back as [`ParseError::Limit`].
    pub(crate) fn from_io(err: std::io::Error, container: &'static str) -> ParseError {
        if let Some(limit) = err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<LimitExceeded>())
        {
            return ParseError::Limit(*limit);
        }
        match err.kind() {
            std::io::ErrorKind::InvalidData
            | std::io::ErrorKind::InvalidInput
            | std::io::ErrorKind::UnexpectedEof => ParseError::Corrupt {
                container,
                message: err.to_string(),
            },
            _ => ParseError::Io(err),
        }
    }
}

/// Stable codes of the tolerances applied while parsing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// Bytes after the end of a gzip stream were ignored.
    GzipTrailingData,
    /// A compressed stream was itself compressed (e.g. gzip in gzip).
    NestedCompression,
    /// Bytes invalid in the document's encoding were replaced with U+FFFD.
    InvalidCharacters,
    /// The declared character encoding is unknown; UTF-8 was assumed.
    UnknownEncoding,
    /// `<feedback>` was wrapped in another element (e.g. a stray `<xs:schema>`).
    WrapperElement,
    /// A DOCTYPE was ignored (no DTD processing).
    DoctypeIgnored,
    /// An entity reference other than the predefined ones was kept literally.
    UnknownEntity,
    /// Unclosed elements were closed by an ancestor's end tag, or a stray end tag ignored.
    MismatchedTag,
    /// An enumerated value was matched ignoring case (e.g. `Pass`).
    CaseNormalized,
    /// A non-standard synonym was read as its standard value (e.g. SPF `hardfail`).
    SynonymMapped,
    /// A value outside the RFC vocabulary was kept as sent.
    UnknownValue,
    /// An element or field was present but empty; treated as absent.
    EmptyValue,
    /// A required element or field was missing.
    MissingField,
    /// An element that may appear once appeared again; the first was used.
    DuplicateElement,
    /// An element or field the schema does not define was kept as an extension.
    UnknownElement,
    /// An element of the pre-RFC draft schema was read as its RFC 7489 equivalent.
    DraftSchemaElement,
    /// A fractional epoch timestamp was truncated to whole seconds.
    FractionalTimestamp,
    /// `org_name` was missing and taken from the domain of `email` (or contact info).
    OrgNameFallback,
    /// A broken record (or TLS policy / failure detail) was skipped.
    RecordSkipped,
    /// A field had an alternative name or shape (e.g. `mx-host` as a string).
    FieldAlias,
    /// A value was out of range or badly formatted and was left out or adjusted.
    InvalidValue,
    /// A MIME part's transfer encoding had to be decoded by ruad.
    TransferEncodingRepaired,
    /// A record whose message count is above the maximum was dropped.
    CountOutOfRange,
    /// Lines of an email holding only whitespace were read as blank lines (the end of the
    /// header block, MIME part separators).
    BlankLinesRepaired,
}

/// One kind of tolerance applied to a report, with how often it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Warning {
    pub code: WarningCode,
    /// Where it happened: element path (XML), field path (JSON) or container layer.
    pub path: String,
    /// What happened, for the first occurrence.
    pub message: String,
    /// How many times it happened at this path.
    pub count: u64,
}

/// Distinct (code, path) pairs kept per report; further ones are only counted.
const MAX_DISTINCT_WARNINGS: usize = 256;

/// Collects warnings, folding repeats of the same code at the same path into a count so
/// memory stays bounded on huge reports.
#[derive(Debug, Default)]
pub struct Warnings {
    items: Vec<Warning>,
    index: HashMap<(WarningCode, String), usize>,
    overflow: u64,
}

impl Warnings {
    /// Records one occurrence; `message` is only built for the first one.
    pub fn add(&mut self, code: WarningCode, path: &str, message: impl FnOnce() -> String) {
        self.add_many(code, path, 1, message);
    }

    /// Records `n` occurrences at once.
    pub fn add_many(
        &mut self,
        code: WarningCode,
        path: &str,
        n: u64,
        message: impl FnOnce() -> String,
    ) {
        if let Some(&i) = self.index.get(&(code, path.to_string())) {
            if let Some(w) = self.items.get_mut(i) {
                w.count = w.count.saturating_add(n);
            }
            return;
        }
        if self.items.len() >= MAX_DISTINCT_WARNINGS {
            self.overflow = self.overflow.saturating_add(n);
            return;
        }
        self.index
            .insert((code, path.to_string()), self.items.len());
        self.items.push(Warning {
            code,
            path: path.to_string(),
            message: message(),
            count: n,
        });
    }

    /// Appends the warnings of `other`, as if they had been recorded here after these.
    pub fn absorb(&mut self, other: Warnings) {
        for w in other.items {
            let message = w.message;
            self.add_many(w.code, &w.path, w.count, || message);
        }
        self.overflow = self.overflow.saturating_add(other.overflow);
    }

    /// The warnings so far, with a final entry counting those not kept individually.
    pub fn to_vec(&self) -> Vec<Warning> {
        let mut out = self.items.clone();
        if self.overflow > 0 {
            out.push(Warning {
                code: WarningCode::InvalidValue,
                path: String::new(),
                message: format!(
                    "{} more warnings of other kinds were not itemized",
                    self.overflow
                ),
                count: self.overflow,
            });
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.overflow == 0
    }
}

/// Warnings shared by the layers that produce one payload (container and parser).
pub(crate) type WarningSink = Rc<RefCell<Warnings>>;

/// Where inside an input a payload was found, e.g. `["message 3", "attachment 'r.zip'", "r.xml"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Origin(pub Vec<String>);

impl Origin {
    pub(crate) fn child(&self, part: impl Into<String>) -> Origin {
        let mut parts = self.0.clone();
        parts.push(part.into());
        Origin(parts)
    }

    /// True for the input itself (no container layer named).
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" > "))
    }
}

/// Receives what [`parse_input`] finds, in input order.
pub trait ReportHandler {
    /// A DMARC aggregate report. The handler pulls records with
    /// [`AggregateReader::next_record`] and must call [`AggregateReader::finish`] to get the
    /// final header and warnings; records it does not pull are skipped.
    fn aggregate(
        &mut self,
        origin: &Origin,
        report: &mut AggregateReader<'_>,
    ) -> Result<(), ParseError>;
    /// An SMTP TLS report with its warnings.
    fn tls(
        &mut self,
        origin: &Origin,
        report: TlsReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError>;
    /// A DMARC failure report (RFC 6591 ARF) with its warnings. Handlers that do not take
    /// failure reports get it as an unsupported report.
    fn failure(
        &mut self,
        origin: &Origin,
        report: FailureReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        let _ = (report, warnings);
        self.failed(
            origin,
            ParseError::Unsupported("DMARC failure report".into()),
        );
        Ok(())
    }
    /// A payload (or the whole input) that yielded no report.
    fn failed(&mut self, origin: &Origin, error: ParseError);
    /// Whether the handler wants the bytes of the report payload (XML or JSON) found at
    /// `origin`, unpacked but not parsed, instead of its parse (raw downloads).
    fn wants_raw(&self, _origin: &Origin) -> bool {
        false
    }
    /// The unpacked bytes of a payload the handler asked for with [`Self::wants_raw`].
    fn raw(
        &mut self,
        _origin: &Origin,
        _kind: envelope::Sniffed,
        _bytes: &[u8],
    ) -> Result<(), ParseError> {
        Ok(())
    }
}

/// The unpacked bytes of the report payload at `origin` inside `input` (XML or JSON), found by
/// unpacking the input again exactly as ingestion did, within `limits`.
pub fn extract_payload(
    input: &[u8],
    origin: &Origin,
    limits: &Limits,
) -> Option<(envelope::Sniffed, Vec<u8>)> {
    struct Extract<'o> {
        origin: &'o Origin,
        found: Option<(envelope::Sniffed, Vec<u8>)>,
    }
    impl ReportHandler for Extract<'_> {
        fn aggregate(&mut self, _: &Origin, _: &mut AggregateReader<'_>) -> Result<(), ParseError> {
            Ok(())
        }
        fn tls(&mut self, _: &Origin, _: TlsReport, _: Vec<Warning>) -> Result<(), ParseError> {
            Ok(())
        }
        fn failed(&mut self, _: &Origin, _: ParseError) {}
        fn wants_raw(&self, origin: &Origin) -> bool {
            self.found.is_none() && origin == self.origin
        }
        fn raw(
            &mut self,
            _: &Origin,
            kind: envelope::Sniffed,
            bytes: &[u8],
        ) -> Result<(), ParseError> {
            self.found = Some((kind, bytes.to_vec()));
            Ok(())
        }
    }
    let mut extract = Extract {
        origin,
        found: None,
    };
    parse_input(Input::Bytes(input), limits, &mut extract).ok()?;
    extract.found
}

/// Unpacks and parses one input, handing every report and every failure to `handler`.
/// Returns an error only when the handler itself failed.
pub fn parse_input(
    input: Input<'_>,
    limits: &Limits,
    handler: &mut dyn ReportHandler,
) -> Result<(), ParseError> {
    envelope::unpack_input(input, limits, handler)
}

/// A report held whole in memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Report {
    DmarcAggregate(Box<AggregateReport>),
    TlsReport(TlsReport),
    FailureReport(Box<FailureReport>),
}

/// A report found in an input, with where it was found and the tolerances applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedReport {
    pub origin: Origin,
    #[serde(flatten)]
    pub report: Report,
    pub warnings: Vec<Warning>,
}

/// What one input yielded, held in memory: for small inputs, tests and fuzzing.
#[derive(Debug, Default)]
pub struct Parsed {
    pub reports: Vec<ParsedReport>,
    pub failures: Vec<(Origin, ParseError)>,
}

impl ReportHandler for Parsed {
    fn aggregate(
        &mut self,
        origin: &Origin,
        report: &mut AggregateReader<'_>,
    ) -> Result<(), ParseError> {
        let records = collect_records(report)?;
        let (header, warnings) = report.finish()?;
        self.reports.push(ParsedReport {
            origin: origin.clone(),
            report: Report::DmarcAggregate(Box::new(AggregateReport { header, records })),
            warnings,
        });
        Ok(())
    }

    fn tls(
        &mut self,
        origin: &Origin,
        report: TlsReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        self.reports.push(ParsedReport {
            origin: origin.clone(),
            report: Report::TlsReport(report),
            warnings,
        });
        Ok(())
    }

    fn failure(
        &mut self,
        origin: &Origin,
        report: FailureReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        self.reports.push(ParsedReport {
            origin: origin.clone(),
            report: Report::FailureReport(Box::new(report)),
            warnings,
        });
        Ok(())
    }

    fn failed(&mut self, origin: &Origin, error: ParseError) {
        self.failures.push((origin.clone(), error));
    }
}

/// Parses an in-memory input completely.
pub fn parse_bytes(bytes: &[u8], limits: &Limits) -> Parsed {
    let mut parsed = Parsed::default();
    // `Parsed` never fails as a handler, so the only error is impossible here.
    if let Err(e) = parse_input(Input::Bytes(bytes), limits, &mut parsed) {
        parsed.failures.push((Origin::default(), e));
    }
    parsed
}

/// Parses bytes that must be one DMARC aggregate XML document (no container unwrapping).
pub fn parse_aggregate_xml(
    xml: &[u8],
    limits: &Limits,
) -> Result<(AggregateReport, Vec<Warning>), ParseError> {
    let warnings: WarningSink = Rc::new(RefCell::new(Warnings::default()));
    let mut reader = AggregateReader::new(Box::new(xml), limits, warnings)?;
    let records = collect_records(&mut reader)?;
    let (header, warnings) = reader.finish()?;
    Ok((AggregateReport { header, records }, warnings))
}

/// Parses bytes that must be one SMTP TLS report in JSON (no container unwrapping).
pub fn parse_tls_json(json: &[u8]) -> Result<(TlsReport, Vec<Warning>), ParseError> {
    parse_tls_json_with(json, &Limits::default())
}

/// [`parse_tls_json`] with the given limits.
pub fn parse_tls_json_with(
    json: &[u8],
    limits: &Limits,
) -> Result<(TlsReport, Vec<Warning>), ParseError> {
    let mut warnings = Warnings::default();
    let report = tlsrpt::parse_reader(json, limits, &mut warnings)?;
    Ok((report, warnings.to_vec()))
}

fn collect_records(
    reader: &mut AggregateReader<'_>,
) -> Result<Vec<crate::domain::report::Record>, ParseError> {
    let mut records = Vec::new();
    while let Some(record) = reader.next_record()? {
        records.push(record);
    }
    Ok(records)
}
