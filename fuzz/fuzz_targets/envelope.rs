//! Whole-input entry point: container sniffing and unwrapping (gzip, zlib, zip, email,
//! mbox) down to DMARC aggregate XML and SMTP TLS JSON. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::reports::{Limits, parse_bytes};

fn limits() -> Limits {
    // Small limits keep memory low; they must still never cause a panic.
    Limits {
        max_input_bytes: 1 << 20,
        max_decompressed_bytes: 8 << 20,
        max_token_bytes: 64 << 10,
        max_records: 10_000,
        ..Limits::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse_bytes(data, &limits());
    // Touch the results so nothing is optimized away.
    std::hint::black_box((parsed.reports.len(), parsed.failures.len()));
});
