//! Splitting an mbox file into its messages as a stream, for bulk imports (`ruad ingest`):
//! one message at a time is in memory, and none larger than the bound the caller gives, so
//! a 10 GB mbox is read in the memory of its largest accepted message.
//!
//! The format (RFC 4155, with the mboxo and mboxrd quoting conventions):
//! - A message starts at a `From ` line at the start of the file or after an empty line
//!   (the tolerant reading most readers use: a `From ` line that follows text is body).
//! - The empty line before the next `From ` line belongs to the format, not the message.
//! - Quoted body lines `>From `, `>>From `, … lose one `>` (mboxrd; in mboxo files only the
//!   single-quoted form occurs, and it is read the same way).
//! - Line ends are kept as they are (LF or CRLF).
//!
//! A message over the bound is skipped to its end and answered [`MboxItem::TooLarge`] with
//! its size; bytes before the first `From ` line are [`MboxItem::Preamble`] (a file that is
//! not an mbox, or a truncated one). Reading never panics and never buffers more than the
//! bound plus one line head.

use std::io::{self, BufRead};

/// One message (or skipped part) of an mbox file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MboxItem {
    /// A message: its index (from 0), the byte offset of its `From ` line, and its bytes.
    Message {
        index: usize,
        offset: u64,
        bytes: Vec<u8>,
    },
    /// A message larger than the bound: skipped whole; `size` is its length in the file.
    TooLarge {
        index: usize,
        offset: u64,
        size: u64,
    },
    /// Bytes before the first `From ` line (`size` of them), which belong to no message.
    Preamble { size: u64 },
}

/// Iterates the messages of an mbox read from `reader`, each at most `max_message_bytes`.
pub struct MboxSplitter<R> {
    reader: R,
    max_message_bytes: usize,
    /// Bytes consumed from the reader so far.
    position: u64,
    /// The `From ` line that starts the next message was read already (its offset).
    next_start: Option<u64>,
    /// Index of the next message.
    index: usize,
    /// The previous line was empty (or nothing was read yet): a `From ` line now starts a
    /// message.
    after_blank: bool,
    done: bool,
    line: Vec<u8>,
}

/// The head of a line kept for deciding what it is (a `From ` line, an empty line, a
/// quoted `>From `): a line longer than this is body whatever follows.
const LINE_HEAD: usize = 64;

impl<R: BufRead> MboxSplitter<R> {
    pub fn new(reader: R, max_message_bytes: usize) -> Self {
        MboxSplitter {
            reader,
            max_message_bytes,
            position: 0,
            next_start: None,
            index: 0,
            after_blank: true,
            done: false,
            line: Vec::new(),
        }
    }

    /// Bytes consumed from the reader so far (for progress).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Reads one line into `self.line`, keeping at most `keep` bytes of it (at least
    /// [`LINE_HEAD`]); returns the line's full length (0 at the end of input).
    fn read_line(&mut self, keep: usize) -> io::Result<u64> {
        self.line.clear();
        let keep = keep.max(LINE_HEAD);
        let mut total = 0u64;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let (take, end) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = keep.saturating_sub(self.line.len()).min(take);
            self.line.extend_from_slice(&buf[..room]);
            self.reader.consume(take);
            total += take as u64;
            if end {
                break;
            }
        }
        self.position += total;
        Ok(total)
    }

    fn is_from_line(&self) -> bool {
        self.after_blank && self.line.starts_with(b"From ")
    }

    fn is_blank(line: &[u8]) -> bool {
        line == b"\n" || line == b"\r\n"
    }

    fn next_item(&mut self) -> io::Result<Option<MboxItem>> {
        if self.done {
            return Ok(None);
        }
        // Find the first `From ` line; whatever precedes it is a preamble.
        let start = match self.next_start.take() {
            Some(start) => start,
            None => {
                let mut preamble = 0u64;
                loop {
                    let at = self.position;
                    let n = self.read_line(LINE_HEAD)?;
                    if n == 0 {
                        self.done = true;
                        return Ok((preamble > 0).then_some(MboxItem::Preamble { size: preamble }));
                    }
                    if self.is_from_line() {
                        if preamble > 0 {
                            self.next_start = Some(at);
                            return Ok(Some(MboxItem::Preamble { size: preamble }));
                        }
                        break at;
                    }
                    self.after_blank = Self::is_blank(&self.line);
                    preamble += n;
                }
            }
        };
        self.after_blank = false;
        let index = self.index;
        self.index += 1;
        let mut bytes = Vec::new();
        let mut over = false;
        // An empty line is held back until the next line shows whether it is the
        // separator's (dropped) or the message's (kept).
        let mut held_blank: Option<Vec<u8>> = None;
        loop {
            let at = self.position;
            let keep = self.max_message_bytes.saturating_sub(bytes.len()) + 1;
            let n = self.read_line(keep)?;
            if n == 0 {
                self.done = true;
                break;
            }
            if self.is_from_line() {
                self.next_start = Some(at);
                break;
            }
            let blank = Self::is_blank(&self.line);
            self.after_blank = blank;
            if let Some(held) = held_blank.take()
                && !over
            {
                bytes.extend_from_slice(&held);
            }
            if blank {
                held_blank = Some(self.line.clone());
                continue;
            }
            if over {
                continue;
            }
            if n > self.line.len() as u64 || bytes.len() + self.line.len() > self.max_message_bytes
            {
                over = true;
                bytes = Vec::new();
                continue;
            }
            let quoted = self.line.iter().take_while(|&&b| b == b'>').count();
            if quoted > 0 && self.line[quoted..].starts_with(b"From ") {
                bytes.extend_from_slice(&self.line[1..]);
            } else {
                bytes.extend_from_slice(&self.line);
            }
        }
        let end = self.next_start.unwrap_or(self.position);
        let size = end - start;
        if over || bytes.len() > self.max_message_bytes {
            return Ok(Some(MboxItem::TooLarge {
                index,
                offset: start,
                size,
            }));
        }
        Ok(Some(MboxItem::Message {
            index,
            offset: start,
            bytes,
        }))
    }
}

impl<R: BufRead> Iterator for MboxSplitter<R> {
    type Item = io::Result<MboxItem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_item() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn split(input: &[u8], max: usize) -> Vec<MboxItem> {
        MboxSplitter::new(io::BufReader::with_capacity(7, input), max)
            .collect::<io::Result<Vec<_>>>()
            .unwrap()
    }

    fn message(index: usize, offset: u64, bytes: &[u8]) -> MboxItem {
        MboxItem::Message {
            index,
            offset,
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn messages_are_split_at_from_lines_after_an_empty_line_and_lose_the_separator() {
        let mbox = b"From a@example.com Sat Jan  3 01:05:34 1996\nSubject: one\n\nbody 1\n\nFrom b@example.com Tue Jul 23 19:39:23 2002\nSubject: two\n\nbody 2\nFrom here on it is body\n";
        let items = split(mbox, 1 << 20);
        assert_eq!(
            items,
            vec![
                message(0, 0, b"Subject: one\n\nbody 1\n"),
                message(1, 66, b"Subject: two\n\nbody 2\nFrom here on it is body\n"),
            ]
        );
    }

    #[test]
    fn quoted_from_lines_lose_one_quote_and_crlf_is_kept() {
        let mbox = b"From x Mon Jan  1 00:00:00 2024\r\nA: b\r\n\r\n>From the start\r\n>>From deeper\r\n>not from\r\n";
        let items = split(mbox, 1 << 20);
        assert_eq!(
            items,
            vec![message(
                0,
                0,
                b"A: b\r\n\r\nFrom the start\r\n>From deeper\r\n>not from\r\n"
            )]
        );
    }

    #[test]
    fn empty_lines_inside_a_message_are_kept_and_only_the_last_one_is_dropped() {
        let mbox = b"From x\nA: b\n\n\n\nbody\n\n\nFrom y\nC: d\n";
        let items = split(mbox, 1 << 20);
        assert_eq!(
            items,
            vec![
                message(0, 0, b"A: b\n\n\n\nbody\n\n"),
                message(1, 22, b"C: d\n")
            ]
        );
    }

    #[test]
    fn a_message_over_the_bound_is_skipped_with_its_size_and_the_next_one_is_read() {
        let big_line = vec![b'x'; 5000];
        let mut mbox = b"From x\nA: b\n\n".to_vec();
        mbox.extend_from_slice(&big_line);
        mbox.extend_from_slice(b"\n\nFrom y\nC: d\n");
        let items = split(&mbox, 1000);
        assert_eq!(
            items,
            vec![
                MboxItem::TooLarge {
                    index: 0,
                    offset: 0,
                    size: 13 + 5001 + 1
                },
                message(1, 5015, b"C: d\n")
            ]
        );
    }

    #[test]
    fn many_small_lines_over_the_bound_are_skipped_too() {
        let mut mbox = b"From x\n".to_vec();
        for _ in 0..100 {
            mbox.extend_from_slice(b"line of text\n");
        }
        mbox.extend_from_slice(b"\nFrom y\nok\n");
        let items = split(&mbox, 500);
        assert!(matches!(items[0], MboxItem::TooLarge { index: 0, .. }));
        assert_eq!(items[1], message(1, 7 + 1300 + 1, b"ok\n"));
    }

    #[test]
    fn text_before_the_first_from_line_is_a_preamble_and_no_from_line_is_all_preamble() {
        let items = split(b"garbage\nmore\n\nFrom x\nA: b\n", 100);
        assert_eq!(
            items,
            vec![MboxItem::Preamble { size: 14 }, message(0, 14, b"A: b\n")]
        );
        assert_eq!(
            split(b"not an mbox at all", 100),
            vec![MboxItem::Preamble { size: 18 }]
        );
        assert_eq!(split(b"", 100), vec![]);
    }

    #[test]
    fn a_file_without_a_final_newline_ends_its_last_message() {
        let items = split(b"From x\nA: b\n\nlast", 100);
        assert_eq!(items, vec![message(0, 0, b"A: b\n\nlast")]);
    }

    proptest::proptest! {
        #[test]
        fn splitting_never_panics_and_no_message_exceeds_the_bound(
            input in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(b"From x\n".to_vec()),
                proptest::strategy::Just(b"\n".to_vec()),
                proptest::strategy::Just(b">From y\n".to_vec()),
                proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            ], 0..60),
            max in 1usize..200,
        ) {
            let input: Vec<u8> = input.concat();
            let mut consumed = 0u64;
            for item in MboxSplitter::new(io::BufReader::with_capacity(5, &input[..]), max) {
                match item.unwrap() {
                    MboxItem::Message { bytes, .. } => proptest::prop_assert!(bytes.len() <= max),
                    MboxItem::TooLarge { size, .. } | MboxItem::Preamble { size } => consumed += size,
                }
            }
            proptest::prop_assert!(consumed <= input.len() as u64);
        }
    }
}
