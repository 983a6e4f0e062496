//! DMARC failure report (RFC 6591 ARF) parser on one email. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::reports::Limits;
use ruad::reports::failure::parse_email;

fuzz_target!(|data: &[u8]| {
    let result = parse_email(data, &Limits::default());
    std::hint::black_box(result.is_ok());
});
