//! Zero-copy XML tokenizing over a sliding window of the decoded document.
//!
//! quick-xml's buffered reader copies every event into a scratch buffer; its slice reader
//! hands out events that borrow the input, which is several times cheaper, but needs the
//! whole document in memory. [`Window`] gets the speed of the second with the bounded memory
//! of the first: it holds a window of at least `max_token_bytes + 1` unread bytes, runs a
//! slice reader over it, and slides (moving the unread tail to the front and reading more)
//! between two events once fewer than that many bytes are left. Any token that is within
//! the token limit is therefore whole inside the window; a token that reaches past the end of
//! a full window is longer than the limit, and fails with [`LimitKind::TokenBytes`].
//!
//! Every event boundary is a safe place to start a new slice reader, because quick-xml
//! leaves its input positioned on the `<` or `&` that follows a text run. The one thing a new
//! reader does differently is to drop a leading UTF-8 byte-order mark; a window starting with
//! one (a text run beginning with U+FEFF) gets it back as a text event of its own.
//! `expand_empty_elements` must stay off (its pending end event would be lost on a slide):
//! handlers see `Event::Empty` instead.

use super::io::Utf8Transcoder;
use super::{LimitExceeded, LimitKind, ParseError};
use quick_xml::events::{BytesText, Event};
use quick_xml::reader::Config;
use std::io::BufRead;

/// Bytes read per slide beyond what must be kept.
const READ_AHEAD: usize = 256 * 1024;
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// What an event handler wants after one event.
pub(crate) enum Flow<T> {
    Continue,
    Done(T),
}

/// The decoded document, tokenized in place.
pub(crate) struct Window<'a> {
    source: Utf8Transcoder<Box<dyn BufRead + 'a>>,
    buf: Vec<u8>,
    /// Start of the unread bytes in `buf`.
    pos: usize,
    /// Document offset of `buf[0]`.
    base: u64,
    eof: bool,
    max_token: usize,
    config: Config,
}

impl<'a> Window<'a> {
    pub(crate) fn new(
        source: Utf8Transcoder<Box<dyn BufRead + 'a>>,
        max_token: usize,
        config: Config,
    ) -> Self {
        Window {
            source,
            buf: Vec::new(),
            pos: 0,
            base: 0,
            eof: false,
            max_token,
            config,
        }
    }

    /// Bytes that must stay unread in the window before the next event is read.
    fn keep(&self) -> usize {
        self.max_token.saturating_add(1)
    }

    /// Document offset of the next unread byte.
    pub(crate) fn position(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The decoder under the window, to drain what follows the document.
    pub(crate) fn source_mut(&mut self) -> &mut Utf8Transcoder<Box<dyn BufRead + 'a>> {
        &mut self.source
    }

    /// Slides the window when fewer than `keep` unread bytes are left.
    fn slide(&mut self) -> Result<(), ParseError> {
        let keep = self.keep();
        if self.eof || self.buf.len() - self.pos >= keep {
            return Ok(());
        }
        self.buf.drain(..self.pos);
        self.base += self.pos as u64;
        self.pos = 0;
        let target = keep.saturating_add(READ_AHEAD);
        while self.buf.len() < target {
            let chunk = self
                .source
                .fill_buf()
                .map_err(|e| ParseError::from_io(e, "xml"))?;
            if chunk.is_empty() {
                self.eof = true;
                break;
            }
            let n = chunk.len().min(target - self.buf.len());
            self.buf.extend_from_slice(&chunk[..n]);
            self.source.consume(n);
        }
        Ok(())
    }

    fn token_limit(&self) -> ParseError {
        ParseError::Limit(LimitExceeded {
            kind: LimitKind::TokenBytes,
            max: self.max_token as u64,
        })
    }

    /// Feeds events to `handle` (with each event's document offset) until it returns
    /// [`Flow::Done`]. A malformed-XML error comes back with an empty `path` for the caller
    /// to fill in.
    pub(crate) fn pump<T>(
        &mut self,
        mut handle: impl FnMut(Event<'_>, u64) -> Result<Flow<T>, ParseError>,
    ) -> Result<T, ParseError> {
        loop {
            self.slide()?;
            let at_start = self.position() == 0;
            let slice = &self.buf[self.pos..];
            let keep = self.keep();
            let mut xml = quick_xml::Reader::from_reader(slice);
            *xml.config_mut() = self.config.clone();
            if !at_start && slice.starts_with(UTF8_BOM) {
                // The new reader will drop it as if it began the document: hand it over.
                let offset = self.position();
                if let Flow::Done(t) = handle(Event::Text(BytesText::new("\u{feff}")), offset)? {
                    // The reader has consumed nothing yet; the BOM is handled.
                    self.pos += UTF8_BOM.len();
                    return Ok(t);
                }
            }
            loop {
                let before = xml.buffer_position() as usize;
                let result = xml.read_event();
                let after = xml.buffer_position() as usize;
                let offset = self.base + (self.pos + before) as u64;
                let event = match result {
                    Ok(Event::Eof) if !self.eof => {
                        // Only reachable with a window no larger than `keep`.
                        self.pos += after;
                        break;
                    }
                    Ok(event) => event,
                    Err(_) if !self.eof && after >= slice.len() => {
                        // An unfinished token that fills a window of more than `keep` bytes.
                        return Err(self.token_limit());
                    }
                    Err(e) => {
                        return Err(ParseError::Xml {
                            offset: self.base + (self.pos as u64) + xml.error_position(),
                            path: String::new(),
                            message: e.to_string(),
                        });
                    }
                };
                if after - before > self.max_token {
                    return Err(self.token_limit());
                }
                let flow = handle(event, offset)?;
                let rest = slice.len() - after;
                match flow {
                    Flow::Done(t) => {
                        self.pos += after;
                        return Ok(t);
                    }
                    Flow::Continue if !self.eof && rest < keep => {
                        self.pos += after;
                        break;
                    }
                    Flow::Continue => {}
                }
            }
        }
    }
}

/// Reader settings for aggregate reports: tolerant of unclosed, unmatched and dangling
/// markup, text untrimmed, empty elements reported as such.
pub(crate) fn tolerant_config() -> Config {
    let mut xml = quick_xml::Reader::from_reader(&b""[..]);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    config.clone()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Every event of `doc` as (kind, text), read through a window of `max_token`.
    fn events(doc: &[u8], max_token: usize) -> Result<Vec<String>, ParseError> {
        let warnings = Rc::new(RefCell::new(super::super::Warnings::default()));
        let source: Box<dyn BufRead> = Box::new(doc);
        let text = Utf8Transcoder::new(source, true, warnings).unwrap();
        let mut window = Window::new(text, max_token, tolerant_config());
        let mut out = Vec::new();
        window.pump(|event, _| {
            let s = match event {
                Event::Start(e) => format!("<{}>", e.name().into_inner()),
                Event::Empty(e) => format!("<{}/>", e.name().into_inner()),
                Event::End(e) => format!("</{}>", e.name().into_inner()),
                Event::Text(t) => t.xml10_content().into_owned(),
                Event::GeneralRef(r) => format!("&{};", r.xml10_content()),
                Event::Comment(_) => "comment".into(),
                Event::Eof => return Ok(Flow::Done(())),
                _ => "other".into(),
            };
            out.push(s);
            Ok(Flow::Continue)
        })?;
        Ok(out)
    }

    /// Joins adjacent text events, which a slide may split.
    fn merged(events: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in events {
            let is_text = !e.starts_with('<') && !e.starts_with('&') && e != "comment";
            match out.last_mut() {
                Some(last)
                    if is_text
                        && !last.starts_with('<')
                        && !last.starts_with('&')
                        && last != "comment" =>
                {
                    last.push_str(&e)
                }
                _ => out.push(e),
            }
        }
        out
    }

    #[test]
    fn small_windows_yield_the_same_events_as_one_pass() {
        let mut doc = String::from("<?xml version=\"1.0\"?><feedback>");
        for i in 0..200 {
            doc.push_str(&format!(
                "<record a=\"{i}\"><row>text &amp; more {i}<!-- c --></row><x/>\u{feff}bom</record>\n"
            ));
        }
        doc.push_str("</feedback>");
        let whole = merged(events(doc.as_bytes(), 1 << 20).unwrap());
        for max_token in [64, 100, 257, 1000] {
            assert_eq!(
                merged(events(doc.as_bytes(), max_token).unwrap()),
                whole,
                "{max_token}"
            );
        }
        assert!(whole.iter().any(|e| e.contains('\u{feff}')));
    }

    #[test]
    fn a_token_longer_than_the_limit_fails_with_the_token_limit() {
        for doc in [
            format!("<a>{}</a>", "x".repeat(5000)),
            format!("<a b=\"{}\"></a>", "x".repeat(5000)),
            format!("<a><!--{}--></a>", "x".repeat(5000)),
            format!("<a>{}", "x".repeat(5000)),
        ] {
            let err = events(doc.as_bytes(), 1000).unwrap_err();
            assert!(
                matches!(
                    err,
                    ParseError::Limit(LimitExceeded {
                        kind: LimitKind::TokenBytes,
                        ..
                    })
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn malformed_markup_inside_the_window_is_an_xml_error_with_its_offset() {
        let err = events(b"<a><b c=\"1></a>", 1000).unwrap_err();
        assert!(matches!(err, ParseError::Xml { .. }), "{err:?}");
    }
}
