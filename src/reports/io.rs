//! Reader adapters that keep parsing bounded: byte budgets shared across decompression
//! layers, and a lossy transcoder to UTF-8. (The per-token bound of the XML reader is kept by
//! its window, in `xml.rs`.)

use super::{LimitExceeded, LimitKind, WarningCode, WarningSink};
use encoding_rs::Encoding;
use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// A byte allowance shared by several readers (e.g. every decompressor of one input).
#[derive(Debug)]
pub(crate) struct Budget {
    kind: LimitKind,
    max: u64,
    used: Cell<u64>,
}

impl Budget {
    pub(crate) fn new(kind: LimitKind, max: u64) -> Rc<Budget> {
        Rc::new(Budget {
            kind,
            max,
            used: Cell::new(0),
        })
    }

    /// Charges `n` bytes; fails as soon as the total passes the maximum.
    pub(crate) fn charge(&self, n: usize) -> io::Result<()> {
        let used = self.used.get().saturating_add(n as u64);
        self.used.set(used);
        if used > self.max {
            return Err(io::Error::other(self.exceeded()));
        }
        Ok(())
    }

    pub(crate) fn remaining(&self) -> u64 {
        self.max.saturating_sub(self.used.get())
    }

    pub(crate) fn exceeded(&self) -> LimitExceeded {
        LimitExceeded {
            kind: self.kind,
            max: self.max,
        }
    }
}

/// Counts the bytes read through it against a [`Budget`].
pub(crate) struct Metered<R> {
    inner: R,
    budget: Rc<Budget>,
}

impl<R> Metered<R> {
    pub(crate) fn new(inner: R, budget: Rc<Budget>) -> Self {
        Metered { inner, budget }
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Never ask for more than one byte past the allowance, so a bomb is stopped
        // within one buffer of the limit.
        let cap = buf
            .len()
            .min(usize::try_from(self.budget.remaining().saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        self.budget.charge(n)?;
        Ok(n)
    }
}

const CHUNK: usize = 64 * 1024;

/// Decodes a byte stream in any WHATWG encoding to UTF-8, replacing malformed sequences
/// with U+FFFD (and recording one warning) instead of failing.
///
/// The encoding comes from a byte-order mark, else (for XML) from the `encoding` of the
/// XML declaration, else UTF-8.
pub(crate) struct Utf8Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
    warnings: WarningSink,
    warned: bool,
    /// UTF-8 input served from `input` directly while it stays valid.
    in_place: bool,
    /// End of the valid run served in place.
    valid_end: usize,
}

impl<R: Read> Utf8Transcoder<R> {
    /// `xml`: honour the XML declaration's `encoding`.
    pub(crate) fn new(mut inner: R, xml: bool, warnings: WarningSink) -> io::Result<Self> {
        let mut input = vec![0u8; CHUNK].into_boxed_slice();
        let mut in_end = 0;
        // Read a head large enough to see the XML declaration.
        while in_end < 1024 {
            let n = inner.read(&mut input[in_end..])?;
            if n == 0 {
                break;
            }
            in_end += n;
        }
        let encoding = detect_encoding(&input[..in_end], xml, &warnings);
        // A UTF-8 byte-order mark is skipped here; other BOMs go through the decoder.
        let bom = if input[..in_end].starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        let in_place = encoding == encoding_rs::UTF_8;
        Ok(Utf8Transcoder {
            inner,
            // The byte-order mark was looked at above (it chose `encoding`); the decoder must
            // not sniff again: in UTF-8 it takes over mid-document at the first invalid
            // sequence, where `FF FE` would otherwise be read as a UTF-16 BOM and the rest of
            // the document decoded as UTF-16. A UTF-16 BOM at the start is removed.
            decoder: if in_place {
                encoding.new_decoder_without_bom_handling()
            } else {
                encoding.new_decoder_with_bom_removal()
            },
            input,
            in_start: if in_place { bom } else { 0 },
            in_end,
            output: vec![0u8; CHUNK].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
            warnings,
            warned: false,
            in_place,
            valid_end: if in_place { bom } else { 0 },
        })
    }

    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

fn detect_encoding(head: &[u8], xml: bool, warnings: &WarningSink) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    match head {
        [0x3C, 0x00, 0x3F, 0x00, ..] | [0x3C, 0x00, 0x66, 0x00, ..] => {
            return encoding_rs::UTF_16LE;
        }
        [0x00, 0x3C, 0x00, 0x3F, ..] | [0x00, 0x3C, 0x00, 0x66, ..] => {
            return encoding_rs::UTF_16BE;
        }
        _ => {}
    }
    if !xml {
        return encoding_rs::UTF_8;
    }
    let Some(label) = declared_encoding(head) else {
        return encoding_rs::UTF_8;
    };
    match Encoding::for_label(label) {
        // A document we could read as ASCII is not UTF-16, whatever it declares.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
        Some(e) => e,
        None => {
            let label = String::from_utf8_lossy(label).into_owned();
            warnings
                .borrow_mut()
                .add(WarningCode::UnknownEncoding, "xml declaration", || {
                    format!("unknown encoding '{label}' declared; read as UTF-8")
                });
            encoding_rs::UTF_8
        }
    }
}

/// The `encoding` pseudo-attribute of a leading `<?xml ...?>` declaration.
fn declared_encoding(head: &[u8]) -> Option<&[u8]> {
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = &head[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = &decl[at + 8..];
    let eq = rest.iter().position(|&b| b == b'=')?;
    let rest = &rest[eq + 1..];
    let q = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let quote = rest[q];
    let value = &rest[q + 1..];
    let close = value.iter().position(|&b| b == quote)?;
    Some(&value[..close])
}

impl<R: Read> Read for Utf8Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> Utf8Transcoder<R> {
    /// UTF-8 fast path: makes `input[in_start..valid_end]` the next valid UTF-8 run, served in
    /// place without decoding into a second buffer. Returns false (for good) at the first
    /// invalid sequence, leaving the rest of the input to the decoder.
    fn refill_in_place(&mut self) -> io::Result<bool> {
        loop {
            let pending = &self.input[self.in_start..self.in_end];
            let (valid, invalid_here) = match std::str::from_utf8(pending) {
                Ok(_) => (pending.len(), false),
                Err(e) => (
                    e.valid_up_to(),
                    e.error_len().is_some() && e.valid_up_to() == 0,
                ),
            };
            if invalid_here {
                return Ok(false);
            }
            if valid > 0 || self.eof {
                self.valid_end = self.in_start + valid;
                // Bytes left at the end of input that never complete are invalid.
                return Ok(valid > 0 || self.in_start == self.in_end);
            }
            // Nothing valid yet (empty, or an incomplete sequence): move it to the front and read.
            self.input.copy_within(self.in_start..self.in_end, 0);
            self.in_end -= self.in_start;
            self.in_start = 0;
            let n = self.inner.read(&mut self.input[self.in_end..])?;
            self.in_end += n;
            self.eof = n == 0;
        }
    }
}

impl<R: Read> BufRead for Utf8Transcoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.in_place {
            if self.in_start == self.valid_end {
                self.in_place = self.refill_in_place()?;
            }
            if self.in_place {
                return Ok(&self.input[self.in_start..self.valid_end]);
            }
        }
        while self.out_start == self.out_end && !self.finished {
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            let (result, read, written, replaced) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                last,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if replaced && !self.warned {
                self.warned = true;
                let encoding = self.decoder.encoding().name();
                self.warnings
                    .borrow_mut()
                    .add(WarningCode::InvalidCharacters, "document", || {
                        format!("bytes invalid in {encoding} were replaced with U+FFFD")
                    });
            }
            if last && matches!(result, encoding_rs::CoderResult::InputEmpty) {
                self.finished = true;
            }
        }
        Ok(&self.output[self.out_start..self.out_end])
    }

    fn consume(&mut self, amt: usize) {
        if self.in_place {
            self.in_start = (self.in_start + amt).min(self.valid_end);
        } else {
            self.out_start = (self.out_start + amt).min(self.out_end);
        }
    }
}

/// Reads up to `n` bytes (fewer only at end of input).
pub(crate) fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::cell::RefCell;

    fn sink() -> WarningSink {
        Rc::new(RefCell::new(super::super::Warnings::default()))
    }

    fn transcode(bytes: &[u8]) -> (String, WarningSink) {
        let warnings = sink();
        let mut t = Utf8Transcoder::new(bytes, true, warnings.clone()).unwrap();
        let mut out = String::new();
        t.read_to_string(&mut out).unwrap();
        (out, warnings)
    }

    #[test]
    fn windows_1252_declared_documents_are_decoded() {
        let (out, w) =
            transcode(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>caf\xe9</a>");
        assert!(out.ends_with("<a>caf\u{e9}</a>"));
        assert!(w.borrow().is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_warned_once() {
        let (out, w) = transcode(b"<a>bad\x91byte\x92</a>");
        assert_eq!(out, "<a>bad\u{fffd}byte\u{fffd}</a>");
        assert_eq!(w.borrow().to_vec().len(), 1);
    }

    #[test]
    fn utf8_bom_is_removed_and_utf16_is_decoded() {
        let (out, _) = transcode(b"\xef\xbb\xbf<a/>");
        assert_eq!(out, "<a/>");
        let utf16: Vec<u8> = "<?xml version=\"1.0\"?><a/>"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let (out, _) = transcode(&utf16);
        assert_eq!(out, "<?xml version=\"1.0\"?><a/>");
    }

    #[test]
    fn a_utf16_bom_pair_inside_utf8_text_is_an_invalid_sequence_not_a_bom() {
        // `FF FE` and `FE FF` are never valid UTF-8: mid-document they are replaced like any
        // other invalid byte, instead of switching the decoder to UTF-16.
        for pair in [b"\xff\xfe", b"\xfe\xff"] {
            let mut doc = b"<a>x".to_vec();
            doc.extend_from_slice(pair);
            doc.extend_from_slice(b"y</a>");
            let (out, w) = transcode(&doc);
            assert_eq!(out, "<a>x\u{fffd}\u{fffd}y</a>");
            assert_eq!(w.borrow().to_vec()[0].code, WarningCode::InvalidCharacters);
        }
    }

    #[test]
    fn a_bom_pair_split_across_input_chunks_is_replaced() {
        // The transcoder reads CHUNK bytes at a time: put `FF` last in the first chunk and
        // `FE` first in the second, and also the whole pair as the start of the second.
        for at in [CHUNK - 1, CHUNK] {
            let mut doc = b"<a>".to_vec();
            doc.resize(at, b'x');
            doc.extend_from_slice(b"\xff\xfe");
            doc.extend_from_slice(b"tail</a>");
            let (out, w) = transcode(&doc);
            let expected = format!("<a>{}\u{fffd}\u{fffd}tail</a>", "x".repeat(at - 3));
            assert_eq!(out, expected, "pair at {at}");
            assert_eq!(w.borrow().to_vec().len(), 1);
        }
    }

    #[test]
    fn metered_reader_fails_just_past_the_budget() {
        let budget = Budget::new(LimitKind::DecompressedBytes, 10);
        let mut r = Metered::new(&[0u8; 100][..], budget);
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert!(err.get_ref().unwrap().is::<LimitExceeded>());
        assert!(out.len() <= 11);
    }
}
