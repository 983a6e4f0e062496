//! The pure DNS record parsers in `ruad::dns` (SPF, DMARC, DKIM, BIMI, MTA-STS, TLS-RPT), all
//! called on the same input. None of them does I/O; any panic, timeout or OOM is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::dns::records::{bimi, dkim, dmarc, mta_sts, tlsrpt};
use ruad::dns::spf;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    std::hint::black_box(spf::parse(text).findings.len());
    let records: Vec<String> = text.split('\n').map(str::to_owned).collect();
    std::hint::black_box(spf::select(&records).is_ok());

    std::hint::black_box(dmarc::parse(text).findings.len());
    std::hint::black_box(dkim::parse(text).findings.len());
    std::hint::black_box(bimi::parse(text).findings.len());
    std::hint::black_box(mta_sts::parse_txt(text).findings.len());
    std::hint::black_box(mta_sts::parse_policy(text).findings.len());
    let (pattern, host) = text.split_once('\n').unwrap_or((text, ""));
    std::hint::black_box(mta_sts::mx_matches(pattern, host));
    std::hint::black_box(tlsrpt::parse(text).findings.len());
});
