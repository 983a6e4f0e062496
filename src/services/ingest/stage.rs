//! Staging: everything about a report that is computed before the database writer is taken.
//! The upload's compressed copy and hash, a DMARC report read whole (header, warnings,
//! content hash, records), a TLS report's hash and header.
//!
//! Memory stays bounded: past [`SPILL_AFTER`] records a report's records go to a temporary
//! file of JSON lines, read back in order inside the transaction.
//!
//! Must not touch the database.

use crate::domain::report::{AggregateHeader, Record, TlsReport};
use crate::reports::{AggregateReader, ParseError, Warning};
use crate::storage::reports::NewUpload;
use sha2::{Digest, Sha256};
use std::io::Write;

/// Records of one report held in memory while it is staged; the rest go to a temporary file.
pub const SPILL_AFTER: usize = 10_000;

/// Why staging failed: the report is unreadable (a parse error, a failure of that report
/// only unless fatal) or the machine failed (a temporary file, serialization).
#[derive(Debug)]
pub(super) enum StageError {
    Parse(ParseError),
    Io(anyhow::Error),
}

impl From<ParseError> for StageError {
    fn from(e: ParseError) -> Self {
        StageError::Parse(e)
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StageError> {
    serde_json::to_string(value).map_err(|e| StageError::Io(e.into()))
}

fn io(e: std::io::Error) -> StageError {
    StageError::Io(e.into())
}

/// The upload as it will be stored: gzip-compressed, hashed, with a safe file name.
pub(super) fn upload(
    bytes: &[u8],
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> anyhow::Result<NewUpload> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    gz.write_all(bytes)?;
    Ok(NewUpload {
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as i64,
        content_type: content_type.map(str::to_string),
        // Only a plain base name; never a path a client chose.
        filename: file_name
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or_default().trim())
            .filter(|f| !f.is_empty() && f.len() <= 255 && !f.chars().any(char::is_control))
            .map(str::to_string),
        compressed: gz.finish()?,
    })
}

/// A DMARC report read whole before any database work: its final header, warnings, content
/// hash and records (in memory up to [`SPILL_AFTER`], then in a temporary file).
pub(super) struct StagedDmarc {
    pub header: AggregateHeader,
    pub warnings: Vec<Warning>,
    pub hash: String,
    pub records: Spill,
}

impl StagedDmarc {
    /// Pulls every record from `reader`. The hash is the one every earlier version of ruad
    /// stored: SHA-256 over the header's JSON, a newline and the SHA-256 of the records' JSON
    /// lines, so a re-upload of a report stored before is still a duplicate.
    pub fn read(reader: &mut AggregateReader<'_>) -> Result<StagedDmarc, StageError> {
        let mut records = Spill::default();
        let mut hasher = Sha256::new();
        while let Some(record) = reader.next_record()? {
            let line = json(&record)?;
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
            records.push(record, &line)?;
        }
        let (header, warnings) = reader.finish()?;
        let mut outer = Sha256::new();
        outer.update(json(&header)?.as_bytes());
        outer.update(b"\n");
        outer.update(hasher.finalize());
        Ok(StagedDmarc {
            header,
            warnings,
            hash: hex::encode(outer.finalize()),
            records: records.finish()?,
        })
    }
}

/// A TLS report's content hash (SHA-256 of its JSON) and stored header (its JSON without
/// the policies, which are stored as rows).
pub(super) fn tls_hash_and_header(report: &TlsReport) -> Result<(String, String), StageError> {
    let content = json(report)?;
    Ok((
        hex::encode(Sha256::digest(content.as_bytes())),
        json(&report.header())?,
    ))
}

/// Records held in memory, or in a temporary file of JSON lines once there are many.
#[derive(Default)]
pub(super) struct Spill {
    count: usize,
    memory: Vec<Record>,
    file: Option<std::io::BufWriter<std::fs::File>>,
    spilled: Option<std::fs::File>,
}

impl Spill {
    fn push(&mut self, record: Record, line: &str) -> Result<(), StageError> {
        self.count += 1;
        if self.file.is_none() && self.memory.len() < SPILL_AFTER {
            self.memory.push(record);
            return Ok(());
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                let mut file = std::io::BufWriter::new(tempfile::tempfile().map_err(io)?);
                for held in self.memory.drain(..) {
                    writeln!(file, "{}", json(&held)?).map_err(io)?;
                }
                self.file.insert(file)
            }
        };
        writeln!(file, "{line}").map_err(io)
    }

    /// The records held.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Ends writing: the records can now be read back with [`Spill::for_each`].
    fn finish(mut self) -> Result<Spill, StageError> {
        use std::io::Seek;
        if let Some(file) = self.file.take() {
            let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
            file.rewind().map_err(io)?;
            self.spilled = Some(file);
        }
        Ok(self)
    }

    /// Calls `f` with every record, in order; an error reading the spill file is `E::from`
    /// an `anyhow::Error`.
    pub fn for_each<E: From<anyhow::Error>>(
        &mut self,
        mut f: impl FnMut(&Record) -> Result<(), E>,
    ) -> Result<(), E> {
        use std::io::{BufRead, Seek};
        let io = |e: std::io::Error| E::from(anyhow::Error::new(e));
        for record in &self.memory {
            f(record)?;
        }
        if let Some(file) = &mut self.spilled {
            // A transaction retried after a failure reads the file again from the start.
            file.rewind().map_err(io)?;
            let mut reader = std::io::BufReader::new(&*file);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).map_err(io)? == 0 {
                    break;
                }
                let record: Record =
                    serde_json::from_str(&line).map_err(|e| E::from(anyhow::Error::new(e)))?;
                f(&record)?;
            }
        }
        Ok(())
    }
}
