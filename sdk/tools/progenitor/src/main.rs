//! The Rust SDK's generator: progenitor (pinned in Cargo.toml) as a library, so
//! `sdk/generate.sh` builds it in the workspace's target directory, in seconds once the
//! server is built, instead of `cargo install`ing the cargo-progenitor command with its own
//! dependency tree. It makes what `cargo progenitor --interface builder --tags merged
//! --include-client false` makes:
//!
//!   ruad-sdk-progenitor <openapi-3.0.json> <output dir>
//!
//! writes `<output dir>/src/lib.rs` (the client, formatted) and `<output dir>/Cargo.toml`
//! (a `[dependencies]` table of what the generated code uses).

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The progenitor-client version the generated code calls into: the generator's own.
const CLIENT_VERSION: &str = "0.15.1";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: ruad-sdk-progenitor <openapi-3.0.json> <output dir>".into());
    };
    let spec: OpenAPI = serde_json::from_slice(&std::fs::read(input)?)
        .map_err(|e| format!("{input}: not an OpenAPI 3.0 document: {e}"))?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let code = progenitor_impl::space_out_items(rustfmt(&tokens.to_string())?)
        .map_err(|e| format!("progenitor: {e}"))?;

    let out = Path::new(output);
    std::fs::create_dir_all(out.join("src"))?;
    std::fs::write(out.join("src/lib.rs"), code)?;
    let mut toml = String::from("[dependencies]\n");
    for dep in dependencies(&generator) {
        toml.push_str(&dep);
        toml.push('\n');
    }
    std::fs::write(out.join("Cargo.toml"), toml)?;
    Ok(())
}

/// Formats generated code with the toolchain's rustfmt.
fn rustfmt(code: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = code.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let done = child.wait_with_output()?;
    writer.join().map_err(|_| "rustfmt: writer panicked")??;
    if !done.status.success() {
        return Err(format!("rustfmt failed on the generated code ({})", done.status).into());
    }
    Ok(String::from_utf8(done.stdout)?)
}

/// The crates the generated code needs, as Cargo.toml lines, sorted. The versions are those
/// cargo-progenitor 0.15.1 writes for the same code.
fn dependencies(generator: &Generator) -> Vec<String> {
    let types = generator.get_type_space();
    let mut deps: Vec<String> = [
        "bytes = \"1.9\"",
        "futures-core = \"0.3\"",
        "reqwest = { version = \"0.13\", default-features=false, features = [\"json\", \"query\", \"stream\"] }",
        "serde = { version = \"1.0\", features = [\"derive\"] }",
        "serde_urlencoded = \"0.7\"",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    deps.push(format!("progenitor-client = \"{CLIENT_VERSION}\""));
    let optional = [
        (types.uses_regress(), "regress = \"0.10\""),
        (
            types.uses_uuid(),
            "uuid = { version = \"1.0\", features = [\"serde\", \"v4\"] }",
        ),
        (
            types.uses_chrono(),
            "chrono = { version = \"0.4\", default-features=false, features = [\"serde\"] }",
        ),
        (generator.uses_futures(), "futures = \"0.3\""),
        (generator.uses_websockets(), "base64 = \"0.22\""),
        (generator.uses_websockets(), "rand = \"0.8\""),
        (types.uses_serde_json(), "serde_json = \"1.0\""),
    ];
    deps.extend(
        optional
            .into_iter()
            .filter(|(used, _)| *used)
            .map(|(_, dep)| dep.to_string()),
    );
    deps.sort_unstable();
    deps
}
