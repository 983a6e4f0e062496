//! Logging: `tracing` to stderr, level from `RUST_LOG` (default `info`), text or JSON.
//! Text is coloured only when stderr is a terminal, so logs piped to a file or a collector
//! carry no ANSI escapes. The IMAP client's protocol trace is never shown (it would print
//! mailbox credentials).

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init(format: &str) {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // The IMAP client traces every command it sends, LOGIN and AUTHENTICATE with their
    // credentials among them: never let RUST_LOG turn that on.
    for quiet in ["async_imap=warn", "async_imap::imap_stream=off"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second initialization (tests) is harmless: keep the first subscriber.
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
