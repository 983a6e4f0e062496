//! What `ruad ingest` reads: the paths given, planned first (so the total size is known for
//! the progress bar), then streamed item by item.
//!
//! - A directory is walked recursively in name order. A Maildir folder (one with `cur/` and
//!   `new/`) gives its messages from `new/` then `cur/`; its `tmp/` (messages still being
//!   delivered) is skipped.
//! - A file that starts with `From ` is an mbox: split message by message
//!   ([`crate::reports::mbox`]), so it may be of any size.
//! - A zip archive larger than the item limit is sent entry by entry.
//! - Any other file is one item; one larger than the item limit fails as `too_large`.
//!
//! Every item is at most the item limit in memory, and only as many items are in flight as
//! the bounded channel to the workers holds.

use crate::reports::mbox::{MboxItem, MboxSplitter};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// One unit sent to the ingest service (or the server): a file, a message, a zip entry.
#[derive(Debug)]
pub struct Item {
    /// Where it came from: the path, with `#N` (mbox message) or `!NAME` (zip entry).
    pub label: String,
    /// The base name given to the upload (kept with the raw download).
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
    /// Bytes of input it accounts for (progress).
    pub input_bytes: u64,
}

/// What the reader produces: an item, or an input that cannot become one.
#[derive(Debug)]
pub enum Produced {
    Item(Item),
    Unreadable {
        label: String,
        input_bytes: u64,
        code: &'static str,
        detail: String,
    },
}

/// One file found in the paths, with how it will be read.
#[derive(Debug, Clone)]
pub struct Planned {
    pub path: PathBuf,
    pub size: u64,
}

/// The files under `paths`, in order, and their total size. A path that does not exist is
/// an error: nothing is read before every path is known to be there.
pub fn plan(paths: &[PathBuf]) -> io::Result<(Vec<Planned>, u64)> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(Planned {
                path: path.clone(),
                size: meta.len(),
            });
        }
    }
    let total = files.iter().map(|f| f.size).sum();
    Ok((files, total))
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() && dir.join("new").is_dir()
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

fn walk(dir: &Path, out: &mut Vec<Planned>) -> io::Result<()> {
    let maildir = is_maildir(dir);
    let entries = if maildir {
        // Messages first (new, then cur), then any sub-folders (Maildir++ `.Name` folders).
        let mut entries = sorted_entries(&dir.join("new"))?;
        entries.extend(sorted_entries(&dir.join("cur"))?);
        entries.extend(sorted_entries(dir)?.into_iter().filter(|p| {
            !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("new" | "cur" | "tmp")
            )
        }));
        entries
    } else {
        sorted_entries(dir)?
    };
    for entry in entries {
        let meta = std::fs::metadata(&entry)?;
        if meta.is_dir() {
            walk(&entry, out)?;
        } else if meta.is_file() {
            // Maildir bookkeeping files (dovecot-uidlist, maildirfolder, …) are no mail.
            if maildir && entry.parent() == Some(dir) {
                continue;
            }
            out.push(Planned {
                path: entry,
                size: meta.len(),
            });
        }
    }
    Ok(())
}

/// Reads every planned file and hands its items to `send`, in order; stops early when
/// `send` answers false (the workers are gone). `max_item_bytes` bounds every item.
pub fn produce(
    files: &[Planned],
    max_item_bytes: usize,
    mut send: impl FnMut(Produced) -> bool,
) -> bool {
    for file in files {
        if !produce_file(file, max_item_bytes, &mut send) {
            return false;
        }
    }
    true
}

fn base_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

fn produce_file(
    file: &Planned,
    max_item_bytes: usize,
    send: &mut impl FnMut(Produced) -> bool,
) -> bool {
    let label = file.path.display().to_string();
    let unreadable = |e: io::Error| Produced::Unreadable {
        label: label.clone(),
        input_bytes: file.size,
        code: "unreadable",
        detail: e.to_string(),
    };
    let mut handle = match File::open(&file.path) {
        Ok(h) => h,
        Err(e) => return send(unreadable(e)),
    };
    let mut head = [0u8; 5];
    let head_len = match read_head(&mut handle, &mut head) {
        Ok(n) => n,
        Err(e) => return send(unreadable(e)),
    };
    let head = &head[..head_len];
    if head == b"From " {
        return produce_mbox(file, handle, max_item_bytes, send);
    }
    if file.size > max_item_bytes as u64 {
        if head.starts_with(b"PK\x03\x04") {
            return produce_zip(file, max_item_bytes, send);
        }
        return send(Produced::Unreadable {
            label,
            input_bytes: file.size,
            code: "too_large",
            detail: format!(
                "{} bytes is over the limit of {max_item_bytes} bytes per item",
                file.size
            ),
        });
    }
    let mut bytes = head.to_vec();
    if let Err(e) = handle
        .take(max_item_bytes as u64 + 1 - head.len() as u64)
        .read_to_end(&mut bytes)
    {
        return send(unreadable(e));
    }
    send(Produced::Item(Item {
        label,
        file_name: base_name(&file.path),
        bytes,
        input_bytes: file.size,
    }))
}

fn read_head(handle: &mut File, head: &mut [u8; 5]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < head.len() {
        match handle.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn produce_mbox(
    file: &Planned,
    handle: File,
    max_item_bytes: usize,
    send: &mut impl FnMut(Produced) -> bool,
) -> bool {
    let label = file.path.display().to_string();
    let reader = BufReader::with_capacity(256 * 1024, io::Cursor::new(*b"From ").chain(handle));
    let mut splitter = MboxSplitter::new(reader, max_item_bytes);
    let mut accounted = 0u64;
    while let Some(next) = splitter.next() {
        let input_bytes = splitter.position() - accounted;
        accounted = splitter.position();
        let produced = match next {
            Ok(MboxItem::Message { index, bytes, .. }) => Produced::Item(Item {
                label: format!("{label}#{}", index + 1),
                file_name: base_name(&file.path).map(|n| format!("{n}#{}", index + 1)),
                bytes,
                input_bytes,
            }),
            Ok(MboxItem::TooLarge { index, size, .. }) => Produced::Unreadable {
                label: format!("{label}#{}", index + 1),
                input_bytes,
                code: "too_large",
                detail: format!(
                    "message of {size} bytes is over the limit of {max_item_bytes} bytes per item"
                ),
            },
            // The file starts with `From `: there is no preamble to report.
            Ok(MboxItem::Preamble { .. }) => continue,
            Err(e) => Produced::Unreadable {
                label: format!("{label}@{accounted}"),
                input_bytes: file.size.saturating_sub(accounted),
                code: "unreadable",
                detail: e.to_string(),
            },
        };
        if !send(produced) {
            return false;
        }
    }
    true
}

fn produce_zip(
    file: &Planned,
    max_item_bytes: usize,
    send: &mut impl FnMut(Produced) -> bool,
) -> bool {
    let label = file.path.display().to_string();
    let unreadable = |detail: String, input_bytes: u64| Produced::Unreadable {
        label: label.clone(),
        input_bytes,
        code: "unreadable",
        detail,
    };
    let archive = File::open(&file.path)
        .map_err(|e| e.to_string())
        .and_then(|h| zip::ZipArchive::new(BufReader::new(h)).map_err(|e| e.to_string()));
    let mut archive = match archive {
        Ok(a) => a,
        Err(e) => return send(unreadable(format!("zip archive: {e}"), file.size)),
    };
    let entries = archive.len().max(1) as u64;
    let share = file.size / entries;
    for i in 0..archive.len() {
        // The last entry accounts for the rounding, so the file adds up to its size.
        let input_bytes = if i + 1 == archive.len() {
            file.size - share * (entries - 1)
        } else {
            share
        };
        let produced = match archive.by_index(i) {
            Err(e) => unreadable(format!("zip entry {i}: {e}"), input_bytes),
            Ok(entry) if entry.is_dir() => continue,
            Ok(entry) => {
                let name = match entry.name() {
                    Ok(name) => name.into_owned(),
                    Err(e) => {
                        if !send(unreadable(format!("zip entry {i}: {e}"), input_bytes)) {
                            return false;
                        }
                        continue;
                    }
                };
                let entry_label = format!("{label}!{name}");
                let mut bytes = Vec::new();
                match entry
                    .take(max_item_bytes as u64 + 1)
                    .read_to_end(&mut bytes)
                {
                    Err(e) => Produced::Unreadable {
                        label: entry_label,
                        input_bytes,
                        code: "unreadable",
                        detail: e.to_string(),
                    },
                    Ok(_) if bytes.len() > max_item_bytes => Produced::Unreadable {
                        label: entry_label,
                        input_bytes,
                        code: "too_large",
                        detail: format!(
                            "zip entry is over the limit of {max_item_bytes} bytes per item"
                        ),
                    },
                    Ok(_) => Produced::Item(Item {
                        label: entry_label,
                        file_name: Path::new(&name)
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned()),
                        bytes,
                        input_bytes,
                    }),
                }
            }
        };
        if !send(produced) {
            return false;
        }
    }
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn collect(paths: &[PathBuf], max: usize) -> Vec<Produced> {
        let (files, _) = plan(paths).unwrap();
        let mut out = Vec::new();
        produce(&files, max, |p| {
            out.push(p);
            true
        });
        out
    }

    fn labels(produced: &[Produced]) -> Vec<String> {
        produced
            .iter()
            .map(|p| match p {
                Produced::Item(i) => i.label.clone(),
                Produced::Unreadable { label, code, .. } => format!("{label} ({code})"),
            })
            .collect()
    }

    #[test]
    fn a_maildir_gives_new_then_cur_skips_tmp_and_bookkeeping_and_walks_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Maildir");
        for sub in ["cur", "new", "tmp", ".Archive/cur", ".Archive/new"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("new/2"), "Subject: b\n\nb").unwrap();
        std::fs::write(root.join("cur/1"), "Subject: a\n\na").unwrap();
        std::fs::write(root.join("tmp/3"), "half delivered").unwrap();
        std::fs::write(root.join("dovecot-uidlist"), "3 V1 N4").unwrap();
        std::fs::write(root.join(".Archive/cur/4"), "Subject: d\n\nd").unwrap();
        let produced = collect(std::slice::from_ref(&root), 1000);
        let root = root.display();
        assert_eq!(
            labels(&produced),
            vec![
                format!("{root}/new/2"),
                format!("{root}/cur/1"),
                format!("{root}/.Archive/cur/4")
            ]
        );
    }

    #[test]
    fn an_mbox_is_split_and_its_input_bytes_add_up_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("box");
        let mbox = b"From a\nSubject: 1\n\nx\n\nFrom b\nSubject: 2\n\ny\n";
        std::fs::write(&path, mbox).unwrap();
        let produced = collect(std::slice::from_ref(&path), 1000);
        let p = path.display();
        assert_eq!(labels(&produced), vec![format!("{p}#1"), format!("{p}#2")]);
        let total: u64 = produced
            .iter()
            .map(|p| match p {
                Produced::Item(i) => i.input_bytes,
                Produced::Unreadable { input_bytes, .. } => *input_bytes,
            })
            .sum();
        assert_eq!(total, mbox.len() as u64);
        let Produced::Item(first) = &produced[0] else {
            panic!("not an item")
        };
        assert_eq!(first.bytes, b"Subject: 1\n\nx\n");
    }

    #[test]
    fn a_large_zip_goes_entry_by_entry_and_a_large_file_is_too_large() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let zip_path = dir.path().join("big.zip");
        let mut writer = zip::ZipWriter::new(File::create(&zip_path).unwrap());
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for name in ["a.xml", "b.xml"] {
            writer.start_file(name, stored).unwrap();
            writer.write_all(&[b'x'; 300]).unwrap();
        }
        writer.finish().unwrap();
        let big = dir.path().join("big.xml");
        std::fs::write(&big, [b'<'; 700]).unwrap();
        let produced = collect(&[zip_path.clone(), big.clone()], 500);
        assert_eq!(
            labels(&produced),
            vec![
                format!("{}!a.xml", zip_path.display()),
                format!("{}!b.xml", zip_path.display()),
                format!("{} (too_large)", big.display()),
            ]
        );
    }

    #[test]
    fn a_missing_path_is_an_error_before_anything_is_read() {
        let err = plan(&[PathBuf::from("/nonexistent/ruad/path")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ruad/path"), "{err}");
    }
}
