//! DMARC aggregate XML parser on one document, no container unwrapping. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::reports::{Limits, parse_aggregate_xml};

fn limits() -> Limits {
    Limits {
        max_input_bytes: 1 << 20,
        max_decompressed_bytes: 8 << 20,
        max_token_bytes: 64 << 10,
        max_records: 10_000,
        ..Limits::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let result = parse_aggregate_xml(data, &limits());
    std::hint::black_box(result.is_ok());
});
