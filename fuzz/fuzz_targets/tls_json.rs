//! SMTP TLS report (RFC 8460) JSON parser on one document. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::reports::parse_tls_json;

fuzz_target!(|data: &[u8]| {
    let result = parse_tls_json(data);
    std::hint::black_box(result.is_ok());
});
