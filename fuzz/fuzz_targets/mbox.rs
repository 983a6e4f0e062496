//! The streaming mbox splitter of `ruad ingest`: any bytes, any bound. Any panic is a bug,
//! and so is a message over the bound or more bytes accounted for than were read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ruad::reports::mbox::{MboxItem, MboxSplitter};

fuzz_target!(|data: &[u8]| {
    let Some((&bound, input)) = data.split_first() else {
        return;
    };
    let max = usize::from(bound) * 16 + 1;
    let mut skipped = 0u64;
    for item in MboxSplitter::new(std::io::BufReader::with_capacity(7, input), max) {
        match item {
            Ok(MboxItem::Message { bytes, .. }) => assert!(bytes.len() <= max),
            Ok(MboxItem::TooLarge { size, .. } | MboxItem::Preamble { size }) => skipped += size,
            Err(_) => break,
        }
    }
    assert!(skipped <= input.len() as u64);
});
