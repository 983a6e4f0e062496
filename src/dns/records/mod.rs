//! Pure parsers and linters for the TXT records (and the MTA-STS policy file) that email
//! authentication publishes. No I/O: text in, parsed view and findings out.

use super::Finding;
use serde::Serialize;

/// What a parser made of one record: the parsed view when the record is usable (possibly
/// with warnings), and every finding, each naming its rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub record: Option<T>,
    pub findings: Vec<Finding>,
}
