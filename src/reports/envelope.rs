//! Envelope unwrapping: finds report payloads inside an input by sniffing bytes.
//!
//! Recognized layers: gzip (single or concatenated members, trailing garbage tolerated),
//! zlib, zip (every member), RFC 5322 email (every MIME part that holds a report, including
//! nested `message/rfc822`), and mbox files. Payloads are DMARC aggregate XML or SMTP TLS
//! JSON; an email that is itself a DMARC failure report (ARF, or a text-only report) is read
//! by [`super::failure`]. Content types and file names are never trusted to decide what bytes are.
//!
//! Streams are decompressed on the fly; only zip (which needs random access) and email
//! (which the MIME parser reads whole) are buffered, and only within the input and
//! decompression budgets.

use super::dmarc::AggregateReader;
use super::io::{Budget, Metered, read_head};
use super::{
    LimitExceeded, LimitKind, Limits, Origin, ParseError, ReportHandler, WarningCode, WarningSink,
    Warnings, failure, tlsrpt,
};
use flate2::bufread::{GzDecoder, ZlibDecoder};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek};
use std::rc::Rc;

/// Where the bytes of one input come from.
pub enum Input<'a> {
    /// Bytes already in memory.
    Bytes(&'a [u8]),
    /// A file; read as a stream, except that a zip archive is read in place.
    File(File),
    /// Any other stream (e.g. stdin or a request body).
    Reader(Box<dyn Read + 'a>),
}

/// What the leading bytes of a payload look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Empty,
    Gzip,
    Zlib,
    Zip,
    Xml,
    Json,
    Email,
    Mbox,
    /// The literal placeholder `unused` some reporters (Yahoo, AOL) sent instead of a report.
    Placeholder,
    Unknown,
}

/// Classifies a payload by its first bytes.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.is_empty() {
        return Sniffed::Empty;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Sniffed::Gzip;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if let [cmf, flg, ..] = head {
        // RFC 1950: deflate method, window <= 32K, no preset dictionary, valid check bits.
        if cmf & 0x0f == 8
            && cmf >> 4 <= 7
            && flg & 0x20 == 0
            && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0
        {
            return Sniffed::Zlib;
        }
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Sniffed::Xml;
    }
    if head.starts_with(&[0x3c, 0x00]) || head.starts_with(&[0x00, 0x3c]) {
        return Sniffed::Xml;
    }
    if head.starts_with(b"From ") {
        return Sniffed::Mbox;
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = &text[text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len())..];
    match text.first() {
        None => return Sniffed::Empty,
        Some(b'<') => return Sniffed::Xml,
        Some(b'{') => return Sniffed::Json,
        _ => {}
    }
    if text.len() <= 16 && text.trim_ascii().eq_ignore_ascii_case(b"unused") {
        return Sniffed::Placeholder;
    }
    if looks_like_header_line(head) {
        return Sniffed::Email;
    }
    Sniffed::Unknown
}

/// An RFC 5322 header field at the very start: `name:` with a printable-ASCII name.
fn looks_like_header_line(head: &[u8]) -> bool {
    let Some(colon) = head.iter().take(78).position(|&b| b == b':') else {
        return false;
    };
    colon > 0
        && head[..colon]
            .iter()
            .all(|&b| (33..=126).contains(&b) && b != b':')
}

fn describe(head: &[u8]) -> String {
    let shown: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!(
        "leading bytes {} are not XML, JSON, gzip, zlib, zip, email or mbox",
        shown.join(" ")
    )
}

/// A payload source during unwrapping.
enum Source<'s> {
    Bytes(&'s [u8]),
    File(File),
    Stream(Box<dyn BufRead + 's>),
}

struct Unpacker<'h, 'l> {
    limits: &'l Limits,
    decompressed: Rc<Budget>,
    messages: Rc<Budget>,
    handler: &'h mut dyn ReportHandler,
    /// The email being unpacked is a repaired copy (see [`blank_whitespace_lines`]).
    repaired: bool,
}

pub(crate) fn unpack_input(
    input: Input<'_>,
    limits: &Limits,
    handler: &mut dyn ReportHandler,
) -> Result<(), ParseError> {
    let input_budget = Budget::new(LimitKind::InputBytes, limits.max_input_bytes);
    let root = Origin::default();
    let source = match input {
        Input::Bytes(b) => {
            if b.len() as u64 > limits.max_input_bytes {
                handler.failed(&root, ParseError::Limit(input_budget.exceeded()));
                return Ok(());
            }
            Source::Bytes(b)
        }
        Input::File(f) => match f.metadata() {
            Ok(m) if m.len() > limits.max_input_bytes => {
                handler.failed(&root, ParseError::Limit(input_budget.exceeded()));
                return Ok(());
            }
            _ => Source::File(f),
        },
        Input::Reader(r) => Source::Stream(Box::new(BufReader::with_capacity(
            64 * 1024,
            Metered::new(r, input_budget),
        ))),
    };
    let mut unpacker = Unpacker {
        limits,
        decompressed: Budget::new(LimitKind::DecompressedBytes, limits.max_decompressed_bytes),
        messages: Budget::new(LimitKind::Messages, limits.max_messages as u64),
        handler,
        repaired: false,
    };
    let warnings = new_sink();
    match unpacker.unpack(source, &root, 0, false, &warnings) {
        Ok(()) => Ok(()),
        Err(e @ ParseError::Handler(_)) => Err(e),
        Err(e) => {
            unpacker.handler.failed(&root, e);
            Ok(())
        }
    }
}

fn new_sink() -> WarningSink {
    Rc::new(RefCell::new(Warnings::default()))
}

impl Unpacker<'_, '_> {
    /// Unwraps one source. `compressed`: this source came out of a decompressor.
    fn unpack(
        &mut self,
        source: Source<'_>,
        origin: &Origin,
        depth: usize,
        compressed: bool,
        warnings: &WarningSink,
    ) -> Result<(), ParseError> {
        if depth > self.limits.max_container_depth {
            return Err(LimitExceeded {
                kind: LimitKind::ContainerDepth,
                max: self.limits.max_container_depth as u64,
            }
            .into());
        }
        // Look at the head without losing it: memory sources are sliced, streams re-chained.
        let (head, source) = match source {
            Source::Bytes(b) => (b[..b.len().min(1024)].to_vec(), Source::Bytes(b)),
            Source::File(mut f) => {
                let head = read_head(&mut f, 1024).map_err(|e| ParseError::from_io(e, "file"))?;
                f.rewind().map_err(ParseError::Io)?;
                (head, Source::File(f))
            }
            Source::Stream(mut s) => {
                let head = read_head(&mut s, 1024).map_err(|e| ParseError::from_io(e, "stream"))?;
                let chained: Box<dyn BufRead + '_> = Box::new(Cursor::new(head.clone()).chain(s));
                (head, Source::Stream(chained))
            }
        };
        let kind = sniff(&head);
        if compressed && matches!(kind, Sniffed::Gzip | Sniffed::Zlib) {
            warnings
                .borrow_mut()
                .add(WarningCode::NestedCompression, &origin.to_string(), || {
                    "compressed data was compressed again; unwrapped both layers".into()
                });
        }
        match kind {
            Sniffed::Empty => Err(ParseError::Empty),
            Sniffed::Placeholder => Err(ParseError::NotAReport(
                "payload is the placeholder text 'unused', not a report".into(),
            )),
            Sniffed::Unknown => Err(ParseError::NotAReport(describe(&head))),
            Sniffed::Gzip => {
                let stream =
                    GzipStream::new(into_bufread(source), warnings.clone(), origin.to_string());
                let stream = Metered::new(stream, self.decompressed.clone());
                let inner = Source::Stream(Box::new(BufReader::with_capacity(64 * 1024, stream)));
                self.unpack(inner, origin, depth + 1, true, warnings)
            }
            Sniffed::Zlib => {
                let stream = Metered::new(
                    ZlibDecoder::new(into_bufread(source)),
                    self.decompressed.clone(),
                );
                let inner = Source::Stream(Box::new(BufReader::with_capacity(64 * 1024, stream)));
                self.unpack(inner, origin, depth + 1, true, warnings)
            }
            Sniffed::Zip => self.unpack_zip(source, origin, depth),
            Sniffed::Email => {
                let bytes = self.buffer(source)?;
                self.unpack_email(&bytes, origin, depth)
            }
            Sniffed::Mbox => self.unpack_mbox(source, origin, depth),
            Sniffed::Xml | Sniffed::Json if self.handler.wants_raw(origin) => {
                let bytes = self.buffer(source)?;
                self.handler.raw(origin, kind, &bytes)
            }
            Sniffed::Xml => {
                let mut reader =
                    AggregateReader::new(into_bufread(source), self.limits, warnings.clone())?;
                self.handler.aggregate(origin, &mut reader)
            }
            Sniffed::Json => {
                // Streamed: the container layers below keep adding to `warnings` while the
                // JSON is read, so the parser's own warnings are appended afterwards.
                let mut found = Warnings::default();
                let report = tlsrpt::parse_reader(into_bufread(source), self.limits, &mut found)?;
                warnings.borrow_mut().absorb(found);
                let list = warnings.borrow().to_vec();
                self.handler.tls(origin, report, list)
            }
        }
    }

    /// Reads a whole source into memory (memory sources are borrowed, not copied).
    ///
    /// Every stream is already metered where its bytes are produced: a decompressor or zip
    /// member against the decompression budget, the input stream against the input budget.
    /// Metering again here would count each decompressed byte twice. A file is bounded by
    /// the input limit.
    fn buffer<'s>(&self, source: Source<'s>) -> Result<std::borrow::Cow<'s, [u8]>, ParseError> {
        let mut out = Vec::new();
        match source {
            Source::Bytes(b) => return Ok(std::borrow::Cow::Borrowed(b)),
            Source::File(f) => {
                let max = self.limits.max_input_bytes;
                let mut limited = Metered::new(f, Budget::new(LimitKind::InputBytes, max));
                limited
                    .read_to_end(&mut out)
                    .map_err(|e| ParseError::from_io(e, "file"))?;
            }
            Source::Stream(mut s) => {
                s.read_to_end(&mut out)
                    .map_err(|e| ParseError::from_io(e, "stream"))?;
            }
        }
        Ok(std::borrow::Cow::Owned(out))
    }

    /// Runs `f` for one member of a container; member failures are reported and skipped,
    /// fatal ones end the input.
    fn member(
        &mut self,
        origin: &Origin,
        f: impl FnOnce(&mut Self) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        match f(self) {
            Ok(()) => Ok(()),
            Err(e) if e.is_fatal() => Err(e),
            Err(e) => {
                self.handler.failed(origin, e);
                Ok(())
            }
        }
    }

    fn unpack_zip(
        &mut self,
        source: Source<'_>,
        origin: &Origin,
        depth: usize,
    ) -> Result<(), ParseError> {
        match source {
            Source::File(f) => self.unpack_zip_archive(BufReader::new(f), origin, depth),
            other => {
                let bytes = self.buffer(other)?;
                self.unpack_zip_archive(Cursor::new(&bytes[..]), origin, depth)
            }
        }
    }

    fn unpack_zip_archive<R: Read + Seek>(
        &mut self,
        reader: R,
        origin: &Origin,
        depth: usize,
    ) -> Result<(), ParseError> {
        let corrupt = |e: zip::result::ZipError| match e {
            zip::result::ZipError::Io(io) => ParseError::from_io(io, "zip"),
            other => ParseError::Corrupt {
                container: "zip",
                message: other.to_string(),
            },
        };
        let mut archive = zip::ZipArchive::new(reader).map_err(corrupt)?;
        if archive.len() > self.limits.max_zip_entries {
            return Err(LimitExceeded {
                kind: LimitKind::ZipEntries,
                max: self.limits.max_zip_entries as u64,
            }
            .into());
        }
        let mut members = 0usize;
        for index in 0..archive.len() {
            let (name, is_dir, size, encrypted) = match archive.by_index_raw(index) {
                Ok(entry) => (
                    String::from_utf8_lossy(entry.name_raw()).into_owned(),
                    entry.is_dir(),
                    entry.size(),
                    entry.encrypted(),
                ),
                Err(e) => {
                    self.handler
                        .failed(&origin.child(format!("zip entry {index}")), corrupt(e));
                    continue;
                }
            };
            // Directories and macOS resource forks hold no reports.
            if is_dir
                || name.starts_with("__MACOSX/")
                || name.rsplit('/').next().is_some_and(|n| n.starts_with("._"))
            {
                continue;
            }
            members += 1;
            let member_origin = origin.child(name.clone());
            if encrypted {
                self.handler.failed(
                    &member_origin,
                    ParseError::Unsupported("encrypted zip member".into()),
                );
                continue;
            }
            // Refuse early when the declared size alone passes the budget.
            if size > self.decompressed.remaining() {
                return Err(self.decompressed.exceeded().into());
            }
            let budget = self.decompressed.clone();
            self.member(&member_origin, |this| {
                let entry = archive.by_index(index).map_err(corrupt)?;
                let stream = BufReader::with_capacity(64 * 1024, Metered::new(entry, budget));
                let warnings = new_sink();
                this.unpack(
                    Source::Stream(Box::new(stream)),
                    &member_origin,
                    depth + 1,
                    false,
                    &warnings,
                )
            })?;
        }
        if members == 0 {
            return Err(ParseError::NotAReport(
                "zip archive has no file members".into(),
            ));
        }
        Ok(())
    }

    fn unpack_mbox(
        &mut self,
        source: Source<'_>,
        origin: &Origin,
        depth: usize,
    ) -> Result<(), ParseError> {
        let reader = into_bufread(source);
        let mut count = 0usize;
        for message in mail_parser::mailbox::mbox::MessageIterator::new(reader) {
            let message = message.map_err(|e| ParseError::from_io(e, "mbox"))?;
            self.messages
                .charge(1)
                .map_err(|e| ParseError::from_io(e, "mbox"))?;
            count += 1;
            let message_origin = origin.child(format!("message {count}"));
            self.member(&message_origin, |this| {
                this.unpack_email(message.contents(), &message_origin, depth + 1)
            })?;
        }
        if count == 0 {
            return Err(ParseError::NotAReport("mbox file holds no message".into()));
        }
        Ok(())
    }

    fn unpack_email(
        &mut self,
        bytes: &[u8],
        origin: &Origin,
        depth: usize,
    ) -> Result<(), ParseError> {
        let message = parse_mime(bytes)?;
        let found = match self.unpack_message(&message, origin, depth) {
            Ok(n) => n,
            Err(ParseError::NotAReport(_)) => 0,
            Err(e) => return Err(e),
        };
        if found > 0 {
            return Ok(());
        }
        // Some exports (Lotus Notes) end the header block and separate MIME parts with lines
        // holding only spaces, which RFC 5322 reads as folded header lines: the whole message
        // becomes one header block. When nothing was found, those lines are read as blank.
        if !self.repaired
            && let Some(repaired) = blank_whitespace_lines(bytes)
        {
            let again = parse_mime(&repaired)?;
            self.repaired = true;
            let result = self.unpack_message(&again, origin, depth);
            self.repaired = false;
            if result? > 0 {
                return Ok(());
            }
        }
        Err(ParseError::NotAReport(format!(
            "email has no report attachment ({} MIME parts)",
            message.parts.len()
        )))
    }

    /// Unpacks every report-bearing part of one message (and of messages nested in it);
    /// returns how many parts were tried as reports.
    fn unpack_message(
        &mut self,
        message: &mail_parser::Message<'_>,
        origin: &Origin,
        depth: usize,
    ) -> Result<usize, ParseError> {
        if depth > self.limits.max_container_depth {
            return Err(LimitExceeded {
                kind: LimitKind::ContainerDepth,
                max: self.limits.max_container_depth as u64,
            }
            .into());
        }
        if message.parts.len() > self.limits.max_messages {
            return Err(LimitExceeded {
                kind: LimitKind::Messages,
                max: self.limits.max_messages as u64,
            }
            .into());
        }
        if failure::is_arf(message) {
            self.failure_report(message, origin)?;
            return Ok(1);
        }
        let mut found = 0usize;
        for (index, part) in message.parts.iter().enumerate() {
            let name = part.attachment_name().map(str::to_string);
            let label = match &name {
                Some(n) => format!("attachment '{n}'"),
                None => format!("part {index}"),
            };
            let contents: &[u8] = match &part.body {
                PartType::Multipart(_) => continue,
                PartType::Message(inner) => {
                    // A forwarded message: its reports count, its other content does not.
                    let part_origin = origin.child(label);
                    match self.unpack_message(inner, &part_origin, depth + 1) {
                        Ok(n) => found += n,
                        Err(ParseError::NotAReport(_)) => {}
                        Err(e) if e.is_fatal() => return Err(e),
                        Err(e) => {
                            found += 1;
                            self.handler.failed(&part_origin, e);
                        }
                    }
                    continue;
                }
                PartType::Text(_)
                | PartType::Html(_)
                | PartType::Binary(_)
                | PartType::InlineBinary(_) => part.contents(),
            };
            let content_type = part
                .content_type()
                .map(|ct| {
                    format!(
                        "{}/{}",
                        ct.ctype().to_ascii_lowercase(),
                        ct.subtype().unwrap_or("").to_ascii_lowercase()
                    )
                })
                .unwrap_or_default();
            let warnings = new_sink();
            self.note_repair(&mut warnings.borrow_mut(), &label);
            // A part the MIME parser left base64-encoded (e.g. an unterminated last part).
            let repaired = match sniff(&contents[..contents.len().min(1024)]) {
                Sniffed::Unknown if declares_base64(part) => decode_base64(contents),
                _ => None,
            };
            let bytes: &[u8] = match &repaired {
                Some(decoded) => {
                    warnings.borrow_mut().add(
                        WarningCode::TransferEncodingRepaired,
                        &label,
                        || "base64 content the MIME parser left encoded was decoded".into(),
                    );
                    decoded
                }
                None => contents,
            };
            if !is_report_candidate(bytes, &content_type, name.as_deref()) {
                continue;
            }
            found += 1;
            let part_origin = origin.child(label);
            self.member(&part_origin, |this| {
                this.unpack(
                    Source::Bytes(bytes),
                    &part_origin,
                    depth + 1,
                    false,
                    &warnings,
                )
            })?;
        }
        if found == 0 && failure::has_text_report(message) {
            self.failure_report(message, origin)?;
            return Ok(1);
        }
        Ok(found)
    }

    /// Records that the email was read from a repaired copy.
    fn note_repair(&self, warnings: &mut Warnings, path: &str) {
        if self.repaired {
            warnings.add(WarningCode::BlankLinesRepaired, path, || {
                "lines holding only whitespace were read as blank lines (header end, part separators)"
                    .into()
            });
        }
    }

    /// Reads the failure report `message` is and hands it to the handler.
    fn failure_report(
        &mut self,
        message: &mail_parser::Message<'_>,
        origin: &Origin,
    ) -> Result<(), ParseError> {
        let mut warnings = Warnings::default();
        let path = if origin.is_root() {
            "email".to_string()
        } else {
            origin.to_string()
        };
        self.note_repair(&mut warnings, &path);
        let report = failure::from_message(message, self.limits, &mut warnings)?;
        self.handler.failure(origin, report, warnings.to_vec())
    }
}

/// Parses an email. mail-parser 0.11 has a debug assertion that malformed multipart nesting
/// can trip (found by fuzzing; upstream mail-parser#120): never let it take the caller down.
fn parse_mime(bytes: &[u8]) -> Result<mail_parser::Message<'_>, ParseError> {
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        MessageParser::default().parse(bytes)
    }));
    parsed
        .map_err(|_| ParseError::Corrupt {
            container: "email",
            message: "inconsistent MIME structure".into(),
        })?
        .ok_or_else(|| ParseError::Corrupt {
            container: "email",
            message: "not an RFC 5322 message".into(),
        })
}

/// A copy of `bytes` with every line that holds only spaces and tabs made empty, when there
/// is such a line.
fn blank_whitespace_lines(bytes: &[u8]) -> Option<Vec<u8>> {
    let is_blank = |line: &[u8]| {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        !body.is_empty() && body.iter().all(|b| *b == b' ' || *b == b'\t')
    };
    let lines = || bytes.split_inclusive(|b| *b == b'\n');
    if !lines().any(is_blank) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    for line in lines() {
        if is_blank(line) {
            if line.ends_with(b"\r\n") {
                out.extend_from_slice(b"\r\n");
            } else if line.ends_with(b"\n") {
                out.push(b'\n');
            }
        } else {
            out.extend_from_slice(line);
        }
    }
    Some(out)
}

fn declares_base64(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_transfer_encoding()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"))
}

/// Decodes base64 text leniently (whitespace anywhere, padding optional).
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(compact).ok()
}

/// Whether a MIME part should be parsed as a report: compressed data always; XML and JSON
/// when they look like a report or are declared as one.
fn is_report_candidate(bytes: &[u8], content_type: &str, name: Option<&str>) -> bool {
    let name = name.unwrap_or("").to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(4096)];
    match sniff(head) {
        Sniffed::Gzip | Sniffed::Zlib | Sniffed::Zip => true,
        Sniffed::Xml => {
            contains_ignore_case(head, b"<feedback")
                || contains_ignore_case(head, b":feedback")
                || name.ends_with(".xml")
                || content_type.ends_with("/xml")
        }
        Sniffed::Json => {
            content_type.contains("tlsrpt")
                || content_type.ends_with("/json")
                || name.ends_with(".json")
                || contains_ignore_case(head, b"\"organization-name\"")
        }
        Sniffed::Placeholder => {
            content_type.contains("gzip")
                || content_type.contains("zip")
                || content_type.contains("tlsrpt")
        }
        Sniffed::Empty | Sniffed::Email | Sniffed::Mbox | Sniffed::Unknown => false,
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn into_bufread<'s>(source: Source<'s>) -> Box<dyn BufRead + 's> {
    match source {
        Source::Bytes(b) => Box::new(b),
        Source::File(f) => Box::new(BufReader::with_capacity(64 * 1024, f)),
        Source::Stream(s) => s,
    }
}

/// gzip decoding that follows concatenated members and ignores (with a warning) bytes
/// after the last member, as some reporters append `\r\n` or padding.
struct GzipStream<'s> {
    decoder: Option<GzDecoder<Box<dyn BufRead + 's>>>,
    warnings: WarningSink,
    path: String,
}

impl<'s> GzipStream<'s> {
    fn new(inner: Box<dyn BufRead + 's>, warnings: WarningSink, path: String) -> Self {
        GzipStream {
            decoder: Some(GzDecoder::new(inner)),
            warnings,
            path,
        }
    }
}

impl Read for GzipStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(decoder) = self.decoder.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // End of one member: another member, trailing garbage, or the end.
            let Some(decoder) = self.decoder.take() else {
                return Ok(0);
            };
            let mut inner = decoder.into_inner();
            let rest = inner.fill_buf()?;
            if rest.starts_with(&[0x1f, 0x8b]) {
                self.decoder = Some(GzDecoder::new(inner));
                continue;
            }
            if !rest.is_empty() {
                let shown = rest.len();
                self.warnings
                    .borrow_mut()
                    .add(WarningCode::GzipTrailingData, &self.path, || {
                        format!("ignored {shown}+ bytes after the end of the gzip stream")
                    });
            }
            return Ok(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_recognizes_each_container_by_its_bytes() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"\x1f\x8b\x08"), Sniffed::Gzip);
        assert_eq!(sniff(b"\x78\x9c\x01"), Sniffed::Zlib);
        assert_eq!(sniff(b"PK\x03\x04"), Sniffed::Zip);
        assert_eq!(sniff(b"\xef\xbb\xbf <?xml"), Sniffed::Xml);
        assert_eq!(sniff(b"\n {\"a\":1}"), Sniffed::Json);
        assert_eq!(sniff(b"From someone@example.com Mon Jan  1"), Sniffed::Mbox);
        assert_eq!(sniff(b"Return-Path: <a@b>\r\n"), Sniffed::Email);
        assert_eq!(sniff(b"unused"), Sniffed::Placeholder);
        assert_eq!(sniff(b"hello world"), Sniffed::Unknown);
    }

    #[test]
    fn lines_of_spaces_where_blank_lines_belong_are_repaired_only_when_nothing_was_found() {
        let xml = "<feedback><report_metadata><org_name>r.example</org_name><email>a@r.example</email>\
                   <report_id>1</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range>\
                   </report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>\
                   <record><row><source_ip>192.0.2.1</source_ip><count>2</count></row>\
                   <identifiers><header_from>example.com</header_from></identifiers><auth_results/></record></feedback>";
        let email = format!(
            "From: r@r.example\r\nContent-Type: multipart/mixed; boundary=b\r\n \r\n--b\r\n\
             Content-Type: text/xml\r\n \r\n{xml}\r\n \r\n--b--\r\n"
        );
        let parsed = crate::reports::parse_bytes(email.as_bytes(), &Limits::default());
        assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
        assert_eq!(parsed.reports.len(), 1);
        assert!(
            parsed.reports[0]
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::BlankLinesRepaired)
        );
        assert_eq!(blank_whitespace_lines(b"a\r\n\r\nb"), None);
        assert_eq!(
            blank_whitespace_lines(b"a\n \t\nb \n").as_deref(),
            Some(&b"a\n\nb \n"[..])
        );
    }
}
