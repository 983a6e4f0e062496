//! The PDF renderer: typst, in-process, laying out the document model with one committed
//! template (`template.typ`).
//!
//! The template reads the model as JSON from the virtual file `/data.json`, charts as SVG
//! files (`/chart-N.svg`, vector in the PDF) and the logo (`/logo.png` or `/logo.svg`). The
//! [`World`] given to typst knows only those files, the template and the embedded fonts.
//!
//! Invariants:
//! - No report string is ever Typst markup: strings reach the template as JSON values and
//!   are placed as text, so `#set`, `]` or `"` in an organization's name print as they are.
//! - No file system, network or package access: any other path is "not found".
//! - Fonts are embedded: Inter Regular and Bold (`fonts/`, SIL OFL 1.1, licence beside them).
//! - typst's memoization cache is trimmed after every document, so a long-running server does
//!   not keep every document's layout.

use super::DocumentError;
use super::charts;
use super::model::{Block, Document};
use std::collections::HashMap;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("template.typ");
const FONT_REGULAR: &[u8] = include_bytes!("fonts/Inter-Regular.otf");
const FONT_BOLD: &[u8] = include_bytes!("fonts/Inter-Bold.otf");

/// How many compilations typst's cache keeps entries for.
const CACHE_MAX_AGE: usize = 4;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = [FONT_REGULAR, FONT_BOLD]
            .into_iter()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

fn file_id(path: &str) -> Result<FileId, DocumentError> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| DocumentError::Render(format!("virtual path {path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// The template, the data and nothing else.
struct DocumentWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// The document as PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let mut data = serde_json::to_value(doc)
        .map_err(|e| DocumentError::Render(format!("encode document: {e}")))?;
    let mut files = HashMap::new();
    // Charts become SVG files; their blocks name the file.
    let mut n = 0usize;
    for (block, value) in doc.blocks.iter().zip(
        data.get_mut("blocks")
            .and_then(|b| b.as_array_mut())
            .into_iter()
            .flatten(),
    ) {
        if let Block::Chart(chart) = block {
            let path = format!("/chart-{n}.svg");
            files.insert(file_id(&path)?, Bytes::new(charts::svg(chart).into_bytes()));
            if let Some(obj) = value.as_object_mut() {
                obj.insert("file".into(), serde_json::Value::String(path));
            }
            n += 1;
        }
    }
    if let (Some(logo), Some(ext)) = (&doc.brand.logo, doc.brand.logo_extension) {
        files.insert(
            file_id(&format!("/logo.{ext}"))?,
            Bytes::new(logo.bytes.clone()),
        );
    }
    let json = serde_json::to_vec(&data)
        .map_err(|e| DocumentError::Render(format!("encode document: {e}")))?;
    files.insert(file_id("/data.json")?, Bytes::new(json));
    let world = DocumentWorld {
        main: Source::new(file_id("/main.typ")?, TEMPLATE.to_string()),
        files,
        today: None,
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    let pdf = result
        .map_err(|errors| {
            let text: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
            DocumentError::Render(format!("layout: {}", text.join("; ")))
        })
        .and_then(|paged| {
            typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default()).map_err(|errors| {
                let text: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
                DocumentError::Render(format!("pdf: {}", text.join("; ")))
            })
        });
    typst::comemo::evict(CACHE_MAX_AGE);
    pdf
}
