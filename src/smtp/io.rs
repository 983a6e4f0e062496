//! Reading lines from the client: CRLF or a bare LF ends a line, and a line is bounded (a
//! longer one is read to its end without being kept).

use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One line read.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line, its terminator (`\r\n` or `\n`) included.
    Full(Vec<u8>),
    /// Longer than the bound: read to its end and dropped.
    TooLong,
}

/// Why no line came.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection (possibly in the middle of a line).
    Closed,
    /// Nothing complete within the time allowed.
    TimedOut,
    Io(std::io::ErrorKind),
}

/// Reads one line of at most `max` bytes within `timeout` (the whole line must arrive in
/// it: a client trickling a byte at a time cannot stretch one command forever).
pub async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    timeout: Duration,
) -> Result<Line, ReadError> {
    match tokio::time::timeout(timeout, read_bounded(reader, max)).await {
        Ok(result) => result,
        Err(_) => Err(ReadError::TimedOut),
    }
}

async fn read_bounded<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
) -> Result<Line, ReadError> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = reader
            .fill_buf()
            .await
            .map_err(|e| ReadError::Io(e.kind()))?;
        if buf.is_empty() {
            return Err(ReadError::Closed);
        }
        let (take, done) = match memchr(buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if line.len() + take > max {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(&buf[..take]);
            }
        }
        reader.consume(take);
        if done {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Full(line)
            });
        }
    }
}

fn memchr(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}

/// A message line as stored: dot-unstuffed, ended by CRLF (a bare LF becomes CRLF). `None`
/// for the final `.` line.
pub fn data_line(line: &[u8]) -> Option<Vec<u8>> {
    let body = line
        .strip_suffix(b"\n")
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .unwrap_or(line);
    if body == b"." {
        return None;
    }
    let body = body.strip_prefix(b".").unwrap_or(body);
    let mut out = Vec::with_capacity(body.len() + 2);
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    async fn lines(input: &[u8], max: usize) -> Vec<Result<Line, ReadError>> {
        let mut reader = tokio::io::BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        loop {
            let line = read_line(&mut reader, max, Duration::from_secs(1)).await;
            let end = line.is_err();
            out.push(line);
            if end {
                return out;
            }
        }
    }

    #[tokio::test]
    async fn crlf_and_bare_lf_both_end_a_line() {
        let got = lines(b"EHLO a\r\nNOOP\nQUIT", 100).await;
        assert_eq!(
            got,
            vec![
                Ok(Line::Full(b"EHLO a\r\n".to_vec())),
                Ok(Line::Full(b"NOOP\n".to_vec())),
                Err(ReadError::Closed),
            ]
        );
    }

    #[tokio::test]
    async fn a_line_over_the_bound_is_skipped_and_the_next_one_read() {
        let got = lines(b"0123456789abcdef\r\nok\r\n", 10).await;
        assert_eq!(got[0], Ok(Line::TooLong));
        assert_eq!(got[1], Ok(Line::Full(b"ok\r\n".to_vec())));
    }

    #[test]
    fn data_lines_are_unstuffed_and_end_in_crlf() {
        assert_eq!(data_line(b"..hidden\r\n").unwrap(), b".hidden\r\n");
        assert_eq!(data_line(b"text\n").unwrap(), b"text\r\n");
        assert_eq!(data_line(b".\r\n"), None);
        assert_eq!(data_line(b".\n"), None);
        assert_eq!(data_line(b"\r\n").unwrap(), b"\r\n");
    }
}
