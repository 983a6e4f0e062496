//! The direction of dependencies between the top-level modules of `src/` (see `src/lib.rs`):
//! a module may name (`crate::…`) only modules of a lower layer, never one of its own layer
//! or above. Comments are ignored; code, `use` lines and test modules are not.
//!
//! Also: every transaction that may write goes through `storage::write_transaction` (on
//! SQLite `BEGIN IMMEDIATE`, see its docs); a plain diesel `.transaction(` is allowed only
//! where [`PLAIN_TRANSACTIONS`] says why.

#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Layers, highest first; modules in one row are peers and may not import each other.
const LAYERS: &[&[&str]] = &[
    &["app"],
    // The MCP front door answers the API's DTOs behind the API's authentication: above `api`.
    &["mcp"],
    &["api", "cli", "smtp"],
    &["jobs"],
    &["services"],
    &["storage", "outbound"],
    &["analysis"],
    &["dns", "reports"],
    &["domain"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

/// The top-level module a source file belongs to: `src/api/mod.rs` and `src/api.rs` are `api`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a piece of code names through `crate::`.
fn named_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in code.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.push(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
            rest = after;
        }
    }
    found
}

/// Every import against the direction, as `file: module → named module`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let Some(module) = module_of(src, file) else {
            continue;
        };
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            out.push(format!(
                "{}: module `{module}` belongs to no layer",
                file.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(file).expect("read source");
        let mut seen = BTreeMap::new();
        for named in named_modules(&code) {
            if named == module || named == "self" || named == "super" {
                continue;
            }
            let allowed = layer_of(&named).is_some_and(|layer| layer > own);
            if !allowed {
                seen.entry(named).or_insert(());
            }
        }
        for named in seen.keys() {
            out.push(format!("{}: `{module}` imports `{named}`", file.display()));
        }
    }
    out
}

#[test]
fn modules_import_only_lower_layers() {
    // `RUAD_ARCH_SRC` points the check at another tree (to see it fail on an older one).
    let src = std::env::var_os("RUAD_ARCH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the layer direction (src/lib.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_plain_grouped_and_nested_paths_and_skips_comments() {
    let code = "use crate::storage::Db;\nuse crate::{api, domain::x};\n\
                let s = crate::services::blocking(f); // crate::app::x\n/// [`crate::jobs`]\n";
    assert_eq!(
        named_modules(code),
        ["storage", "api", "domain", "services"]
    );
}

/// The files that may open a plain (on SQLite deferred) diesel transaction, and why.
const PLAIN_TRANSACTIONS: &[(&str, &str)] = &[
    ("storage/mod.rs", "write_transaction itself"),
    ("storage/query.rs", "read-only bounded reads"),
    (
        "storage/commit.rs",
        "each unit's savepoint, inside the batch's write transaction",
    ),
];

#[test]
fn transactions_that_may_write_begin_immediate_on_sqlite() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        if PLAIN_TRANSACTIONS
            .iter()
            .any(|(allowed, _)| relative == Path::new(allowed))
        {
            continue;
        }
        let code = std::fs::read_to_string(file).expect("read source");
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            if line.contains(".transaction(") || line.contains(".transaction::<") {
                found.push(format!("{}:{}", relative.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "plain transactions (use storage::write_transaction, or list the file with why):\n{}",
        found.join("\n")
    );
}
