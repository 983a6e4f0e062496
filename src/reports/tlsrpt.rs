//! SMTP TLS reports (RFC 8460 §4), read tolerantly from JSON.
//!
//! Accepted variants, each with a warning: `mx-host` as a string, `mx-host-pattern` for
//! `mx-host`, `additional-info-uri` for `additional-information`, numbers sent as strings,
//! `contact-info: null`, missing summary counts (read as 0), unknown policy and result
//! types (kept raw), unknown fields (kept as extensions at the top level). A policy without
//! `policy-domain` or a failure detail without `result-type` is skipped with a warning; a
//! report left without any usable policy is rejected.
//!
//! The JSON is read as a stream (from the decompressor, through a lossy UTF-8 decoder) and
//! deserialized straight into the typed structs, policy by policy and failure detail by
//! failure detail: the document is never held, whole or as a `serde_json::Value`. What a
//! report may hold once parsed is bounded: at most `max_tls_failure_details` failure
//! details, no JSON string longer than `max_token_bytes`, and at most
//! [`HELD_BYTES_PER_DETAIL`] bytes per allowed failure detail of kept text and structures in
//! all (about 49 MB by default; unknown fields inside policies are only named, not kept).
//! Exceeding a bound rejects the report.
//!
//! Counts: a session count above [`MAX_COUNT`](super::MAX_COUNT), or session counts adding
//! up to more than [`MAX_REPORT_TOTAL`](super::MAX_REPORT_TOTAL) in one report, rejects the
//! report with `count_out_of_range` naming the JSON path of the count.

use super::io::Utf8Transcoder;
use super::{
    LimitExceeded, LimitKind, Limits, MAX_COUNT, MAX_REPORT_TOTAL, ParseError, WarningCode,
    WarningSink, Warnings,
};
use crate::domain::report::{
    Match, TlsDateRange, TlsFailureDetail, TlsPolicy, TlsPolicyResult, TlsPolicyType, TlsReport,
    TlsResultType,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

/// Bytes of text and structures one parsed TLS report may hold (estimated: string lengths
/// plus the size of each struct), per failure detail that `max_tls_failure_details` allows;
/// more rejects the report.
pub const HELD_BYTES_PER_DETAIL: usize = 512;
/// The least a report may hold, whatever `max_tls_failure_details` says.
const MIN_HELD_BYTES: usize = 64 << 10;
/// Unknown field names remembered per JSON object (for warnings); the rest are only counted.
const MAX_UNKNOWN_NAMES: usize = 64;
/// Heap overhead charged per kept string or JSON node, on top of its length.
const NODE_BYTES: usize = 32;

/// Parses one TLS report from JSON bytes (UTF-8, optional BOM), with default limits.
pub fn parse(bytes: &[u8], warnings: &mut Warnings) -> Result<TlsReport, ParseError> {
    parse_reader(bytes, &Limits::default(), warnings)
}

/// Parses one TLS report from a stream of JSON (UTF-8, optional BOM; invalid sequences are
/// replaced with U+FFFD and warned about). Warnings are appended to `warnings`.
pub fn parse_reader<R: Read>(
    reader: R,
    limits: &Limits,
    warnings: &mut Warnings,
) -> Result<TlsReport, ParseError> {
    let document: WarningSink = Rc::new(RefCell::new(Warnings::default()));
    let text = Utf8Transcoder::new(reader, false, document.clone())
        .map_err(|e| ParseError::from_io(e, "stream"))?;
    let guarded = BufReader::with_capacity(
        64 * 1024,
        StringGuard {
            inner: text,
            max: limits.max_token_bytes,
            in_string: false,
            escape: false,
            len: 0,
        },
    );
    let ctx = Ctx {
        limits: *limits,
        held: Cell::new(0),
        fatal: RefCell::new(None),
        details: Cell::new(0),
        total: Cell::new(0),
        policies: RefCell::new(Vec::new()),
        warnings: RefCell::new(Warnings::default()),
        seen: Cell::new(0),
        first_problem: RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_reader(guarded);
    let parsed = TopSeed { ctx: &ctx }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    let top = match parsed {
        Ok(top) => top,
        Err(e) => {
            if let Some(fatal) = ctx.fatal.borrow_mut().take() {
                return Err(fatal);
            }
            if e.is_io() {
                return Err(ParseError::from_io(io::Error::from(e), "stream"));
            }
            return Err(ParseError::Json {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            });
        }
    };
    warnings.absorb(std::mem::take(&mut *document.borrow_mut()));
    let policy_warnings = std::mem::take(&mut *ctx.warnings.borrow_mut());
    let policies = std::mem::take(&mut *ctx.policies.borrow_mut());
    let first_problem = ctx.first_problem.borrow_mut().take();
    finish(top, policies, policy_warnings, first_problem, warnings)
}

/// Builds the report from the top-level fields once the whole document was read, in the
/// order the checks and warnings have always had.
fn finish(
    mut top: Top,
    policies: Vec<TlsPolicyResult>,
    policy_warnings: Warnings,
    first_problem: Option<String>,
    warnings: &mut Warnings,
) -> Result<TlsReport, ParseError> {
    if top.not_object {
        return Err(ParseError::NotAReport(
            "JSON document is not an object".into(),
        ));
    }
    if top.policies.is_none() && !top.fields.fields.contains_key("organization-name") {
        return Err(ParseError::NotAReport(
            "JSON object has neither 'policies' nor 'organization-name': not an SMTP TLS report"
                .into(),
        ));
    }
    let mut w = Fields { warnings };
    let contact_info = w.opt_string(&mut top.fields, "", "contact-info");
    let organization_name = match w.opt_string(&mut top.fields, "", "organization-name") {
        Some(o) => o,
        None => {
            let fallback = contact_info
                .as_deref()
                .and_then(|c| c.rsplit('@').next())
                .filter(|d| {
                    !d.is_empty() && contact_info.as_deref().is_some_and(|c| c.contains('@'))
                })
                .map(str::to_string)
                .ok_or_else(|| invalid("organization-name", "missing"))?;
            let shown = fallback.clone();
            w.warnings
                .add(WarningCode::OrgNameFallback, "organization-name", || {
                    format!("organization-name missing; using '{shown}' from contact-info")
                });
            fallback
        }
    };
    let report_id = w
        .opt_string(&mut top.fields, "", "report-id")
        .ok_or_else(|| invalid("report-id", "missing"))?;
    let date_range = match top.date_range.take() {
        Some(Obj::Map(mut range)) => {
            let start = w
                .opt_string(&mut range, "date-range", "start-datetime")
                .ok_or_else(|| invalid("date-range/start-datetime", "missing"))?;
            let end = w
                .opt_string(&mut range, "date-range", "end-datetime")
                .ok_or_else(|| invalid("date-range/end-datetime", "missing"))?;
            let begin = rfc3339(&start).ok_or_else(|| {
                invalid(
                    "date-range/start-datetime",
                    &format!("'{start}' is not an RFC 3339 date-time"),
                )
            })?;
            let end_epoch = rfc3339(&end).ok_or_else(|| {
                invalid(
                    "date-range/end-datetime",
                    &format!("'{end}' is not an RFC 3339 date-time"),
                )
            })?;
            TlsDateRange {
                start_datetime: start,
                end_datetime: end,
                begin,
                end: end_epoch,
            }
        }
        _ => return Err(invalid("date-range", "missing or not an object")),
    };
    let total = match top.policies {
        Some(Shape::Array(n)) => n,
        Some(Shape::Object) => {
            w.alias("policies", "a single policy object instead of an array");
            1
        }
        _ => return Err(invalid("policies", "missing or not an array")),
    };
    w.warnings.absorb(policy_warnings);
    if policies.is_empty() && total > 0 {
        return Err(invalid(
            "policies",
            &format!("no usable policy ({})", first_problem.unwrap_or_default()),
        ));
    }
    for key in top.extensions.keys() {
        let path = key.clone();
        w.warnings.add(WarningCode::UnknownElement, &path, || {
            format!("unknown field '{path}' kept as an extension")
        });
    }
    Ok(TlsReport {
        organization_name,
        date_range,
        contact_info,
        report_id,
        policies,
        extensions: top.extensions,
    })
}

fn invalid(path: &str, message: &str) -> ParseError {
    ParseError::InvalidTls {
        path: path.to_string(),
        message: message.to_string(),
    }
}

fn out_of_range(path: String, value: &str, what: &str) -> Problem {
    Problem::Reject(ParseError::CountOutOfRange {
        path,
        message: format!("{what} {value} is above the maximum of {MAX_COUNT}"),
    })
}

/// Why a policy or failure detail was not kept.
enum Problem {
    /// Skip it with a warning.
    Skip(String),
    /// Reject the whole report.
    Reject(ParseError),
}

impl From<&str> for Problem {
    fn from(why: &str) -> Self {
        Problem::Skip(why.to_string())
    }
}

impl From<String> for Problem {
    fn from(why: String) -> Self {
        Problem::Skip(why)
    }
}

/// Limits a JSON string (a key or a value) to `max` bytes as the stream goes by, so the
/// JSON reader never buffers more than that for one token.
struct StringGuard<R> {
    inner: R,
    max: usize,
    in_string: bool,
    escape: bool,
    len: usize,
}

impl<R: Read> Read for StringGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut rest = &buf[..n];
        while !rest.is_empty() {
            if !self.in_string {
                match rest.iter().position(|&b| b == b'"') {
                    Some(i) => {
                        self.in_string = true;
                        self.escape = false;
                        self.len = 0;
                        rest = &rest[i + 1..];
                    }
                    None => break,
                }
                continue;
            }
            if self.escape {
                self.escape = false;
                self.len += 1;
                rest = &rest[1..];
                continue;
            }
            let stop = rest.iter().position(|&b| b == b'"' || b == b'\\');
            let run = stop.unwrap_or(rest.len());
            self.len += run;
            if self.len > self.max {
                return Err(io::Error::other(LimitExceeded {
                    kind: LimitKind::TokenBytes,
                    max: self.max as u64,
                }));
            }
            match stop {
                Some(i) if rest[i] == b'"' => self.in_string = false,
                Some(_) => self.escape = true,
                None => {}
            }
            rest = &rest[(run + 1).min(rest.len())..];
        }
        Ok(n)
    }
}

/// Bytes one report may hold.
fn held_max(limits: &Limits) -> usize {
    limits
        .max_tls_failure_details
        .saturating_mul(HELD_BYTES_PER_DETAIL)
        .max(MIN_HELD_BYTES)
}

/// State shared by the visitors of one report.
struct Ctx {
    limits: Limits,
    /// Estimated bytes held so far.
    held: Cell<usize>,
    /// The error that rejects the report, raised inside a visitor.
    fatal: RefCell<Option<ParseError>>,
    /// Failure details kept so far.
    details: Cell<usize>,
    /// Sum of all session counts kept so far.
    total: Cell<u64>,
    policies: RefCell<Vec<TlsPolicyResult>>,
    /// Warnings of the policies, in document order.
    warnings: RefCell<Warnings>,
    /// Entries of `policies` looked at.
    seen: Cell<usize>,
    first_problem: RefCell<Option<String>>,
}

impl Ctx {
    /// Records why the report is rejected; the returned error only stops the JSON reader.
    fn fail<E: de::Error>(&self, err: ParseError) -> E {
        self.fatal.borrow_mut().get_or_insert(err);
        E::custom("report rejected")
    }

    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let held = self.held.get().saturating_add(bytes);
        self.held.set(held);
        let max = held_max(&self.limits);
        if held > max {
            return Err(self.fail(invalid(
                "document",
                &format!(
                    "the report holds more than {max} bytes of text and failure details \
                     ({HELD_BYTES_PER_DETAIL} per failure detail max_tls_failure_details allows)"
                ),
            )));
        }
        Ok(())
    }

    /// A repeated `policies` field replaces the earlier one.
    fn reset_policies(&self) {
        self.policies.borrow_mut().clear();
        *self.warnings.borrow_mut() = Warnings::default();
        self.seen.set(0);
        self.total.set(0);
        self.details.set(0);
        *self.first_problem.borrow_mut() = None;
    }

    /// Adds `n` session counts to the report's total.
    fn add_total(&self, n: u64, path: impl FnOnce() -> String) -> Result<(), ParseError> {
        match self.total.get().checked_add(n) {
            Some(t) if t <= MAX_REPORT_TOTAL => {
                self.total.set(t);
                Ok(())
            }
            _ => Err(ParseError::CountOutOfRange {
                path: path(),
                message: format!(
                    "the session counts of the report add up to more than {MAX_REPORT_TOTAL}"
                ),
            }),
        }
    }

    /// Converts one entry of `policies` (`None`: not an object) and files the result.
    fn finish_entry<E: de::Error>(&self, entry: Option<Entry>) -> Result<(), E> {
        let i = self.seen.get();
        self.seen.set(i + 1);
        let result = {
            let mut warnings = self.warnings.borrow_mut();
            let mut w = Fields {
                warnings: &mut warnings,
            };
            match entry {
                None => Err(Problem::from("not an object")),
                Some(entry) => policy_result(entry, &mut w, i),
            }
        };
        match result {
            Ok(p) => {
                let sum = p
                    .total_successful_session_count
                    .checked_add(p.total_failure_session_count)
                    .and_then(|s| {
                        p.failure_details
                            .iter()
                            .try_fold(s, |acc, d| acc.checked_add(d.failed_session_count))
                    })
                    .unwrap_or(u64::MAX);
                self.add_total(sum, || format!("policies[{i}]"))
                    .map_err(|e| self.fail::<E>(e))?;
                let text: usize = [&p.policy.policy_domain]
                    .into_iter()
                    .chain(&p.policy.policy_string)
                    .chain(&p.policy.mx_host)
                    .map(|s| s.len() + NODE_BYTES)
                    .sum();
                self.charge(std::mem::size_of::<TlsPolicyResult>() + text)?;
                self.policies.borrow_mut().push(p);
                Ok(())
            }
            Err(Problem::Skip(why)) => {
                let path = format!("policies[{i}]");
                let shown = why.clone();
                self.warnings
                    .borrow_mut()
                    .add(WarningCode::RecordSkipped, "policies", || {
                        format!("policy {path} skipped: {shown}")
                    });
                self.first_problem
                    .borrow_mut()
                    .get_or_insert(format!("policies[{i}]: {why}"));
                Ok(())
            }
            Err(Problem::Reject(e)) => Err(self.fail(e)),
        }
    }
}

/// A leaf value of a known field: scalars are kept, containers only by kind (except the
/// items of string lists).
enum Loose {
    Null,
    Bool,
    Number(Number),
    Str(String),
    /// An array of a field that is a list of strings.
    List(List),
    /// An array of any other field (its content is skipped).
    Array,
    Object,
}

#[derive(Default)]
struct List {
    items: Vec<String>,
    /// Items that were not strings, and the kind of the first.
    bad: u64,
    first_bad: &'static str,
}

impl Loose {
    fn kind(&self) -> &'static str {
        match self {
            Loose::Null => "null",
            Loose::Bool => "a boolean",
            Loose::Number(_) => "a number",
            Loose::Str(_) => "a string",
            Loose::List(_) | Loose::Array => "an array",
            Loose::Object => "an object",
        }
    }
}

/// The known fields of one JSON object, and the names of the others.
#[derive(Default)]
struct Fieldset {
    fields: BTreeMap<String, Loose>,
    unknown: BTreeSet<String>,
    /// Unknown fields beyond [`MAX_UNKNOWN_NAMES`].
    more_unknown: u64,
}

/// An object-valued field: an object, or something else.
enum Obj {
    Map(Fieldset),
    Not,
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the visits of every JSON value except an object, mapping each to `$other`
/// (after skipping the content of an array).
macro_rules! other_values {
    ($de:lifetime, $other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_seq<A: SeqAccess<$de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain_seq(seq)?;
            Ok($other)
        }
    };
}

/// Reads a [`Loose`] value; `list`: keep the string items of an array.
struct LooseSeed<'c> {
    ctx: &'c Ctx,
    list: bool,
}

impl<'de> DeserializeSeed<'de> for LooseSeed<'_> {
    type Value = Loose;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LooseSeed<'_> {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
        Ok(Loose::Bool)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
        Ok(Number::from_f64(v).map_or(Loose::Null, Loose::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        if !self.list {
            drain_seq(seq)?;
            return Ok(Loose::Array);
        }
        let mut list = List::default();
        while let Some(item) = seq.next_element_seed(ItemSeed { ctx: self.ctx })? {
            match item {
                Ok(s) => list.items.push(s),
                Err(kind) => {
                    if list.bad == 0 {
                        list.first_bad = kind;
                    }
                    list.bad += 1;
                }
            }
        }
        Ok(Loose::List(list))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose, A::Error> {
        drain_map(map)?;
        Ok(Loose::Object)
    }
}

/// One item of a string list: the string, or the kind of what it was instead.
struct ItemSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = Result<String, &'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let value = d.deserialize_any(LooseSeed {
            ctx: self.ctx,
            list: false,
        })?;
        Ok(match value {
            Loose::Str(s) => {
                self.ctx.charge(s.len() + NODE_BYTES)?;
                Ok(s)
            }
            other => Err(other.kind()),
        })
    }
}

/// Reads an object, keeping the `known` fields as [`Loose`] values (`lists` among them keep
/// their string items) and only the names of the others.
struct ObjSeed<'c> {
    ctx: &'c Ctx,
    known: &'static [&'static str],
    lists: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for ObjSeed<'_> {
    type Value = Obj;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Obj, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ObjSeed<'_> {
    type Value = Obj;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    other_values!('de, Obj::Not);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Obj, A::Error> {
        let mut set = Fieldset::default();
        while let Some(key) = map.next_key::<String>()? {
            if self.known.contains(&key.as_str()) {
                let list = self.lists.contains(&key.as_str());
                let value = map.next_value_seed(LooseSeed {
                    ctx: self.ctx,
                    list,
                })?;
                set.fields.insert(key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
                note_unknown(&mut set, key);
            }
        }
        Ok(Obj::Map(set))
    }
}

fn note_unknown(set: &mut Fieldset, key: String) {
    if set.unknown.contains(&key) {
        return;
    }
    if set.unknown.len() < MAX_UNKNOWN_NAMES {
        set.unknown.insert(key);
    } else {
        set.more_unknown += 1;
    }
}

/// Reads any JSON value into a `serde_json::Value`, charging what it holds.
struct ValueSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.ctx.charge(NODE_BYTES)?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.ctx.charge(NODE_BYTES)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.ctx.charge(NODE_BYTES)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.ctx.charge(NODE_BYTES)?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.ctx.charge(v.len() + NODE_BYTES)?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.ctx.charge(NODE_BYTES)?;
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.ctx.charge(NODE_BYTES)?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed { ctx: self.ctx })? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.ctx.charge(NODE_BYTES)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.ctx.charge(key.len() + NODE_BYTES)?;
            let v = map.next_value_seed(ValueSeed { ctx: self.ctx })?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// The top level of the document, as read.
#[derive(Default)]
struct Top {
    not_object: bool,
    /// `organization-name`, `contact-info`, `report-id`.
    fields: Fieldset,
    date_range: Option<Obj>,
    policies: Option<Shape>,
    extensions: Map<String, Value>,
}

/// What `policies` was.
enum Shape {
    /// An array of this many entries.
    Array(usize),
    /// One policy object instead of an array.
    Object,
    Other,
}

struct TopSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    other_values!('de, Top {
        not_object: true,
        ..Top::default()
    });

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let ctx = self.ctx;
        let mut top = Top::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "policies" => {
                    ctx.reset_policies();
                    top.policies = Some(map.next_value_seed(PoliciesSeed { ctx })?);
                }
                "organization-name" | "contact-info" | "report-id" => {
                    let v = map.next_value_seed(LooseSeed { ctx, list: false })?;
                    top.fields.fields.insert(key, v);
                }
                "date-range" => {
                    top.date_range = Some(map.next_value_seed(ObjSeed {
                        ctx,
                        known: &["start-datetime", "end-datetime"],
                        lists: &[],
                    })?);
                }
                _ => {
                    ctx.charge(key.len() + NODE_BYTES)?;
                    let v = map.next_value_seed(ValueSeed { ctx })?;
                    top.extensions.insert(key, v);
                }
            }
        }
        Ok(top)
    }
}

struct PoliciesSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for PoliciesSeed<'_> {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PoliciesSeed<'_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut n = 0;
        while seq
            .next_element_seed(EntrySeed { ctx: self.ctx })?
            .is_some()
        {
            n += 1;
        }
        Ok(Shape::Array(n))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shape, A::Error> {
        let entry = read_entry(self.ctx, map)?;
        self.ctx.finish_entry(Some(entry))?;
        Ok(Shape::Object)
    }
}

/// One entry of `policies`, as read: its objects, its failure details already converted.
struct Entry {
    policy: Option<Obj>,
    summary: Option<Obj>,
    details: Option<Details>,
    unknown: Fieldset,
}

/// `failure-details` of one policy.
struct Details {
    kind: Option<&'static str>,
    items: Vec<TlsFailureDetail>,
    warnings: Warnings,
}

struct EntrySeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.ctx.finish_entry(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        drain_seq(seq)?;
        self.ctx.finish_entry(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let entry = read_entry(self.ctx, map)?;
        self.ctx.finish_entry(Some(entry))
    }
}

const POLICY_KEYS: &[&str] = &[
    "policy-type",
    "policy-string",
    "policy-domain",
    "mx-host",
    "mx-host-pattern",
];
const POLICY_LISTS: &[&str] = &["policy-string", "mx-host", "mx-host-pattern"];
const SUMMARY_KEYS: &[&str] = &[
    "total-successful-session-count",
    "total-failure-session-count",
];
const DETAIL_KEYS: &[&str] = &[
    "result-type",
    "failed-session-count",
    "additional-information",
    "additional-info-uri",
    "sending-mta-ip",
    "receiving-mx-hostname",
    "receiving-mx-helo",
    "receiving-ip",
    "failure-reason-code",
];

fn read_entry<'de, A: MapAccess<'de>>(ctx: &Ctx, mut map: A) -> Result<Entry, A::Error> {
    let index = ctx.seen.get();
    let mut entry = Entry {
        policy: None,
        summary: None,
        details: None,
        unknown: Fieldset::default(),
    };
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            "policy" => {
                entry.policy = Some(map.next_value_seed(ObjSeed {
                    ctx,
                    known: POLICY_KEYS,
                    lists: POLICY_LISTS,
                })?);
            }
            "summary" => {
                entry.summary = Some(map.next_value_seed(ObjSeed {
                    ctx,
                    known: SUMMARY_KEYS,
                    lists: &[],
                })?);
            }
            "failure-details" => {
                // A repeated field replaces the earlier one.
                if let Some(old) = entry.details.take() {
                    ctx.details.set(ctx.details.get() - old.items.len());
                }
                entry.details = Some(map.next_value_seed(DetailsSeed { ctx, index })?);
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                note_unknown(&mut entry.unknown, key);
            }
        }
    }
    Ok(entry)
}

struct DetailsSeed<'c> {
    ctx: &'c Ctx,
    /// Index of the policy in `policies`.
    index: usize,
}

impl<'de> DeserializeSeed<'de> for DetailsSeed<'_> {
    type Value = Details;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Details, D::Error> {
        d.deserialize_any(self)
    }
}

impl DetailsSeed<'_> {
    fn other(kind: Option<&'static str>) -> Details {
        Details {
            kind,
            items: Vec::new(),
            warnings: Warnings::default(),
        }
    }
}

impl<'de> Visitor<'de> for DetailsSeed<'_> {
    type Value = Details;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Details, E> {
        Ok(Self::other(Some("a boolean")))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Details, E> {
        Ok(Self::other(Some("a number")))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Details, E> {
        Ok(Self::other(Some("a number")))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Details, E> {
        Ok(Self::other(Some("a number")))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Details, E> {
        Ok(Self::other(Some("a string")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Details, E> {
        Ok(Self::other(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Details, A::Error> {
        drain_map(map)?;
        Ok(Self::other(Some("an object")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Details, A::Error> {
        let ctx = self.ctx;
        let max = ctx.limits.max_tls_failure_details;
        let mut details = Self::other(None);
        let mut j = 0usize;
        while let Some(obj) = seq.next_element_seed(ObjSeed {
            ctx,
            known: DETAIL_KEYS,
            lists: &[],
        })? {
            let mut w = Fields {
                warnings: &mut details.warnings,
            };
            let at = |key: &str| format!("policies[{}].failure-details[{j}].{key}", self.index);
            match failure_detail(obj, &mut w, &at) {
                Ok(d) => {
                    if ctx.details.get() >= max {
                        return Err(ctx.fail(ParseError::Limit(LimitExceeded {
                            kind: LimitKind::TlsFailureDetails,
                            max: max as u64,
                        })));
                    }
                    ctx.details.set(ctx.details.get() + 1);
                    ctx.charge(detail_bytes(&d))?;
                    details.items.push(d);
                }
                Err(Problem::Skip(why)) => w.warnings.add(
                    WarningCode::RecordSkipped,
                    "policies/failure-details",
                    || format!("failure detail skipped: {why}"),
                ),
                Err(Problem::Reject(e)) => return Err(ctx.fail(e)),
            }
            j += 1;
        }
        Ok(details)
    }
}

struct Fields<'w> {
    warnings: &'w mut Warnings,
}

impl Fields<'_> {
    fn alias(&mut self, path: &str, what: &str) {
        let what = what.to_string();
        self.warnings.add(WarningCode::FieldAlias, path, || what);
    }

    /// A string field; numbers are stringified and `null`/empty read as absent, with warnings.
    fn opt_string(&mut self, obj: &mut Fieldset, parent: &str, key: &str) -> Option<String> {
        let path = if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}/{key}")
        };
        match obj.fields.remove(key) {
            None => None,
            Some(Loose::Null) => {
                self.warnings.add(WarningCode::EmptyValue, &path, || {
                    format!("'{key}' is null; treated as absent")
                });
                None
            }
            Some(Loose::Str(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    self.warnings.add(WarningCode::EmptyValue, &path, || {
                        format!("'{key}' is empty; treated as absent")
                    });
                    None
                } else if t.len() == s.len() {
                    Some(s)
                } else {
                    Some(t.to_string())
                }
            }
            Some(Loose::Number(n)) => {
                self.warnings.add(WarningCode::FieldAlias, &path, || {
                    format!("'{key}' is a number; read as a string")
                });
                Some(n.to_string())
            }
            Some(other) => {
                self.warnings.add(WarningCode::InvalidValue, &path, || {
                    format!("'{key}' is {} instead of a string; ignored", other.kind())
                });
                None
            }
        }
    }

    /// A count; numeric strings accepted with a warning; missing reads as 0 with a warning.
    /// A whole number above [`MAX_COUNT`] rejects the report (`at` names its JSON path).
    fn count(
        &mut self,
        obj: &mut Fieldset,
        parent: &str,
        key: &str,
        at: &dyn Fn(&str) -> String,
    ) -> Result<u64, Problem> {
        let path = format!("{parent}/{key}");
        match obj.fields.remove(key) {
            None | Some(Loose::Null) => {
                self.warnings.add(WarningCode::MissingField, &path, || {
                    format!("'{key}' is missing; read as 0")
                });
                Ok(0)
            }
            Some(Loose::Number(n)) => match n.as_u64() {
                Some(v) if v <= MAX_COUNT => Ok(v),
                Some(v) => Err(out_of_range(at(key), &v.to_string(), key)),
                None if n
                    .as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f > MAX_COUNT as f64) =>
                {
                    Err(out_of_range(at(key), &n.to_string(), key))
                }
                None => Err(format!("{key} {n} is not a non-negative integer").into()),
            },
            Some(Loose::Str(s)) => {
                let t = s.trim();
                let v = match t.parse::<u64>() {
                    Ok(v) if v <= MAX_COUNT => v,
                    Ok(_) => return Err(out_of_range(at(key), t, key)),
                    Err(_) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                        return Err(out_of_range(at(key), t, key));
                    }
                    Err(_) => {
                        return Err(format!("{key} '{s}' is not a non-negative integer").into());
                    }
                };
                self.warnings.add(WarningCode::FieldAlias, &path, || {
                    format!("'{key}' is a string; read as a number")
                });
                Ok(v)
            }
            Some(other) => Err(format!("{key} is {}", other.kind()).into()),
        }
    }

    /// A list of strings that may also arrive as one string.
    fn strings(&mut self, obj: &mut Fieldset, parent: &str, key: &str) -> Vec<String> {
        let path = format!("{parent}/{key}");
        match obj.fields.remove(key) {
            None | Some(Loose::Null) => Vec::new(),
            Some(Loose::Str(s)) => {
                self.alias(&path, &format!("'{key}' is a string instead of an array"));
                vec![s]
            }
            Some(Loose::List(list)) => {
                if list.bad > 0 {
                    let kind = list.first_bad;
                    self.warnings
                        .add_many(WarningCode::InvalidValue, &path, list.bad, || {
                            format!("non-string item in '{key}' ignored ({kind})")
                        });
                }
                list.items
            }
            Some(other) => {
                self.warnings.add(WarningCode::InvalidValue, &path, || {
                    format!("'{key}' is {}; ignored", other.kind())
                });
                Vec::new()
            }
        }
    }

    fn enumerated<T>(
        &mut self,
        path: &str,
        raw: &str,
        parse: fn(&str) -> (T, Match),
        known: &[&str],
    ) -> T {
        let (value, how) = parse(raw);
        match how {
            Match::Exact => {}
            Match::CaseFolded => self.warnings.add(WarningCode::CaseNormalized, path, || {
                format!("'{raw}' read as its lower-case form")
            }),
            Match::Synonym => self.warnings.add(WarningCode::SynonymMapped, path, || {
                format!("non-standard '{raw}' read as its standard equivalent")
            }),
            Match::Unknown => self.warnings.add(WarningCode::UnknownValue, path, || {
                format!("'{raw}' is not one of {}; kept as sent", known.join(", "))
            }),
        }
        value
    }

    /// Warns about the fields of `obj` nobody took, in name order.
    fn unknown_fields(&mut self, obj: &Fieldset, parent: &str) {
        let names: BTreeSet<&str> = obj
            .fields
            .keys()
            .chain(obj.unknown.iter())
            .map(String::as_str)
            .collect();
        for key in names {
            let path = format!("{parent}/{key}");
            self.warnings.add(WarningCode::UnknownElement, &path, || {
                format!("unknown field '{key}' ignored")
            });
        }
        if obj.more_unknown > 0 {
            let more = obj.more_unknown;
            self.warnings
                .add_many(WarningCode::UnknownElement, parent, more, || {
                    format!("{more} more unknown fields ignored")
                });
        }
    }
}

fn policy_result(entry: Entry, w: &mut Fields<'_>, i: usize) -> Result<TlsPolicyResult, Problem> {
    let Some(Obj::Map(mut policy)) = entry.policy else {
        return Err("missing 'policy' object".into());
    };
    let policy_type = w
        .opt_string(&mut policy, "policies/policy", "policy-type")
        .ok_or("missing policy-type")?;
    let policy_type = w.enumerated(
        "policies/policy/policy-type",
        &policy_type,
        TlsPolicyType::parse,
        TlsPolicyType::KNOWN,
    );
    let policy_string = w.strings(&mut policy, "policies/policy", "policy-string");
    let policy_domain = w
        .opt_string(&mut policy, "policies/policy", "policy-domain")
        .ok_or("missing policy-domain")?;
    let mut mx_host = w.strings(&mut policy, "policies/policy", "mx-host");
    if policy.fields.contains_key("mx-host-pattern") {
        w.alias(
            "policies/policy/mx-host-pattern",
            "'mx-host-pattern' read as 'mx-host'",
        );
        mx_host.extend(w.strings(&mut policy, "policies/policy", "mx-host-pattern"));
    }
    w.unknown_fields(&policy, "policies/policy");
    let at = |key: &str| format!("policies[{i}].summary.{key}");
    let (successful, failed) = match entry.summary {
        Some(Obj::Map(mut summary)) => {
            let s = w.count(
                &mut summary,
                "policies/summary",
                "total-successful-session-count",
                &at,
            )?;
            let f = w.count(
                &mut summary,
                "policies/summary",
                "total-failure-session-count",
                &at,
            )?;
            w.unknown_fields(&summary, "policies/summary");
            (s, f)
        }
        _ => return Err("missing 'summary' object".into()),
    };
    let mut failure_details = Vec::new();
    if let Some(details) = entry.details {
        w.warnings.absorb(details.warnings);
        failure_details = details.items;
        if let Some(kind) = details.kind {
            w.warnings.add(
                WarningCode::InvalidValue,
                "policies/failure-details",
                || format!("'failure-details' is {kind}; ignored"),
            );
        }
    }
    w.unknown_fields(&entry.unknown, "policies");
    Ok(TlsPolicyResult {
        policy: TlsPolicy {
            policy_type,
            policy_string,
            policy_domain,
            mx_host,
        },
        total_successful_session_count: successful,
        total_failure_session_count: failed,
        failure_details,
    })
}

/// Estimated bytes a kept failure detail holds.
fn detail_bytes(d: &TlsFailureDetail) -> usize {
    let text: usize = [
        &d.sending_mta_ip,
        &d.receiving_mx_hostname,
        &d.receiving_mx_helo,
        &d.receiving_ip,
        &d.additional_information,
        &d.failure_reason_code,
    ]
    .into_iter()
    .flatten()
    .map(|s| s.len() + NODE_BYTES)
    .sum();
    let kind = match &d.result_type {
        TlsResultType::Other(raw) => raw.len() + NODE_BYTES,
        _ => 0,
    };
    std::mem::size_of::<TlsFailureDetail>() + text + kind
}

fn failure_detail(
    obj: Obj,
    w: &mut Fields<'_>,
    at: &dyn Fn(&str) -> String,
) -> Result<TlsFailureDetail, Problem> {
    const P: &str = "policies/failure-details";
    let Obj::Map(mut d) = obj else {
        return Err("not an object".into());
    };
    let result_type = w
        .opt_string(&mut d, P, "result-type")
        .ok_or("missing result-type")?;
    let result_type = w.enumerated(
        "policies/failure-details/result-type",
        &result_type,
        TlsResultType::parse,
        TlsResultType::KNOWN,
    );
    let failed_session_count = w.count(&mut d, P, "failed-session-count", at)?;
    let mut additional_information = w.opt_string(&mut d, P, "additional-information");
    if d.fields.contains_key("additional-info-uri") {
        w.alias(
            "policies/failure-details/additional-info-uri",
            "'additional-info-uri' read as 'additional-information'",
        );
        let alt = w.opt_string(&mut d, P, "additional-info-uri");
        additional_information = additional_information.or(alt);
    }
    let detail = TlsFailureDetail {
        result_type,
        sending_mta_ip: w.opt_string(&mut d, P, "sending-mta-ip"),
        receiving_mx_hostname: w.opt_string(&mut d, P, "receiving-mx-hostname"),
        receiving_mx_helo: w.opt_string(&mut d, P, "receiving-mx-helo"),
        receiving_ip: w.opt_string(&mut d, P, "receiving-ip"),
        failed_session_count,
        additional_information,
        failure_reason_code: w.opt_string(&mut d, P, "failure-reason-code"),
    };
    w.unknown_fields(&d, P);
    Ok(detail)
}

/// Epoch seconds of an RFC 3339 date-time (`2016-04-01T00:00:00Z`, offsets, fractions).
/// A missing offset is read as UTC.
pub fn rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let hh: i64 = rest.get(1..3)?.parse().ok()?;
            let mm: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn rfc3339_dates_become_epoch_seconds() {
        assert_eq!(rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339("2016-04-01T23:59:59Z"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-04-02T01:59:59+02:00"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-04-01T23:59:59.123Z"), Some(1_459_555_199));
        assert_eq!(rfc3339("2016-13-01T00:00:00Z"), None);
        assert_eq!(rfc3339("yesterday"), None);
    }

    #[test]
    fn mx_host_as_string_and_unknown_result_types_are_kept() {
        let json = br#"{"organization-name":"X","date-range":{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"},
            "contact-info":null,"report-id":"r1","policies":[{"policy":{"policy-type":"sts","policy-domain":"d.example","mx-host":"mx.d.example"},
            "summary":{"total-successful-session-count":5,"total-failure-session-count":"2"},
            "failure-details":[{"result-type":"brand-new-failure","failed-session-count":2}]}]}"#;
        let mut w = Warnings::default();
        let r = parse(json, &mut w).unwrap();
        assert_eq!(r.policies[0].policy.mx_host, vec!["mx.d.example"]);
        assert_eq!(r.policies[0].total_failure_session_count, 2);
        assert_eq!(
            r.policies[0].failure_details[0].result_type,
            TlsResultType::Other("brand-new-failure".into())
        );
        assert_eq!(r.contact_info, None);
        let codes: Vec<_> = w.to_vec().iter().map(|w| w.code).collect();
        assert!(codes.contains(&WarningCode::FieldAlias));
        assert!(codes.contains(&WarningCode::UnknownValue));
        assert!(codes.contains(&WarningCode::EmptyValue));
    }

    /// A report with one policy per `(successful, failed, detail count)`; counts are JSON
    /// text (numbers, or strings with quotes).
    fn report_with(policies: &[(&str, &str, &str)]) -> String {
        let policies: Vec<String> = policies
            .iter()
            .map(|(ok, failed, detail)| {
                format!(
                    r#"{{"policy":{{"policy-type":"sts","policy-domain":"d.example"}},
                    "summary":{{"total-successful-session-count":{ok},"total-failure-session-count":{failed}}},
                    "failure-details":[{{"result-type":"validation-failure","failed-session-count":{detail}}}]}}"#
                )
            })
            .collect();
        format!(
            r#"{{"organization-name":"X","date-range":{{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"}},
            "report-id":"r1","policies":[{}]}}"#,
            policies.join(",")
        )
    }

    #[test]
    fn a_session_count_above_the_maximum_rejects_the_report() {
        use super::super::MAX_COUNT;
        let max = MAX_COUNT.to_string();
        let r = parse(
            report_with(&[(&max, &max, &max)]).as_bytes(),
            &mut Warnings::default(),
        )
        .unwrap();
        assert_eq!(r.policies[0].total_successful_session_count, MAX_COUNT);
        assert_eq!(r.policies[0].total_failure_session_count, MAX_COUNT);
        assert_eq!(
            r.policies[0].failure_details[0].failed_session_count,
            MAX_COUNT
        );

        let over = (MAX_COUNT + 1).to_string();
        let i64_max = i64::MAX.to_string();
        let u64_max = u64::MAX.to_string();
        let summary = "policies[0].summary";
        let detail = "policies[0].failure-details[0].failed-session-count";
        for (policy, path) in [
            (
                (over.as_str(), "0", "0"),
                format!("{summary}.total-successful-session-count"),
            ),
            (
                ("0", i64_max.as_str(), "0"),
                format!("{summary}.total-failure-session-count"),
            ),
            (("0", "0", u64_max.as_str()), detail.to_string()),
            // 2^64, as a JSON number (not a u64) and as a string.
            (("0", "0", "18446744073709551616"), detail.to_string()),
            (
                ("\"18446744073709551616\"", "0", "0"),
                format!("{summary}.total-successful-session-count"),
            ),
            (
                ("0", "1e300", "0"),
                format!("{summary}.total-failure-session-count"),
            ),
        ] {
            let json = report_with(&[("1", "1", "1"), policy]);
            let err = parse(json.as_bytes(), &mut Warnings::default()).unwrap_err();
            assert_eq!(err.code(), "count_out_of_range", "{policy:?}: {err}");
            let path = path.replace("policies[0]", "policies[1]");
            assert!(err.to_string().contains(&path), "{path}: {err}");
        }
    }

    #[test]
    fn session_counts_adding_up_past_the_maximum_total_reject_the_report() {
        use super::super::{MAX_COUNT, MAX_REPORT_TOTAL};
        let max = MAX_COUNT.to_string();
        // Each policy adds 3 * MAX_COUNT; fill up to exactly MAX_REPORT_TOTAL.
        let n = usize::try_from(MAX_REPORT_TOTAL / MAX_COUNT / 3).unwrap();
        let rest = (MAX_REPORT_TOTAL - 3 * MAX_COUNT * n as u64).to_string();
        let mut policies = vec![(max.as_str(), max.as_str(), max.as_str()); n];
        policies.push((rest.as_str(), "0", "0"));
        let r = parse(report_with(&policies).as_bytes(), &mut Warnings::default()).unwrap();
        let total: u64 = r
            .policies
            .iter()
            .map(|p| {
                p.total_successful_session_count
                    + p.total_failure_session_count
                    + p.failure_details
                        .iter()
                        .map(|d| d.failed_session_count)
                        .sum::<u64>()
            })
            .sum();
        assert_eq!(total, MAX_REPORT_TOTAL);

        policies.push(("0", "0", "1"));
        let err = parse(report_with(&policies).as_bytes(), &mut Warnings::default()).unwrap_err();
        assert_eq!(err.code(), "count_out_of_range");
        assert!(
            err.to_string().contains(&format!("policies[{}]", n + 1)),
            "{err}"
        );
    }

    #[test]
    fn what_a_report_holds_is_bounded_but_unknown_fields_in_policies_cost_nothing() {
        let limits = Limits {
            max_tls_failure_details: 10,
            ..Limits::default()
        };
        assert_eq!(held_max(&limits), MIN_HELD_BYTES);
        let junk = format!("[{}]", vec!["\"0123456789abcdef\""; 8192].join(","));
        assert!(junk.len() > 2 * MIN_HELD_BYTES);
        // 150 KB of unknown fields inside a policy and a failure detail: named, not kept.
        let inside = report_with(&[("1", "1", "1")])
            .replacen(
                r#""policy-domain":"d.example""#,
                &format!(r#""policy-domain":"d.example","x-junk":{junk}"#),
                1,
            )
            .replacen(
                r#""failed-session-count":1"#,
                &format!(r#""failed-session-count":1,"x-junk":{junk}"#),
                1,
            );
        let mut w = Warnings::default();
        let r = parse_reader(inside.as_bytes(), &limits, &mut w).unwrap();
        assert_eq!(r.policies[0].failure_details.len(), 1);
        let paths: Vec<String> = w.to_vec().into_iter().map(|w| w.path).collect();
        assert!(
            paths.contains(&"policies/policy/x-junk".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"policies/failure-details/x-junk".to_string()),
            "{paths:?}"
        );
        // The same kept as a top-level extension, or as policy-string lines, is too much.
        let extension = report_with(&[("1", "1", "1")]).replacen(
            r#""report-id":"r1""#,
            &format!(r#""report-id":"r1","x-junk":{junk}"#),
            1,
        );
        let lines = report_with(&[("1", "1", "1")]).replacen(
            r#""policy-domain":"d.example""#,
            &format!(r#""policy-domain":"d.example","policy-string":{junk}"#),
            1,
        );
        for json in [extension, lines] {
            let err = parse_reader(json.as_bytes(), &limits, &mut Warnings::default()).unwrap_err();
            assert_eq!(err.code(), "invalid_tls_report");
            assert!(err.to_string().contains("max_tls_failure_details"), "{err}");
        }
        // With the default limits both are fine.
        let r = parse(
            report_with(&[("1", "1", "1")])
                .replacen(
                    r#""report-id":"r1""#,
                    &format!(r#""report-id":"r1","x-junk":{junk}"#),
                    1,
                )
                .as_bytes(),
            &mut Warnings::default(),
        )
        .unwrap();
        assert!(r.extensions.contains_key("x-junk"));
    }

    #[test]
    fn streamed_json_still_replaces_invalid_utf8_and_reports_syntax_errors_with_a_position() {
        let json = report_with(&[("1", "1", "1")]).replacen(
            r#""organization-name":"X""#,
            "\"organization-name\":\"X\u{1}\"",
            1,
        );
        let bytes = json.replacen('\u{1}', "\u{fffd}", 1).into_bytes();
        // Put a raw 0xFF where the U+FFFD was: invalid UTF-8 inside a JSON string.
        let at = bytes
            .windows(3)
            .position(|w| w == "\u{fffd}".as_bytes())
            .unwrap();
        let mut raw = bytes[..at].to_vec();
        raw.push(0xff);
        raw.extend_from_slice(&bytes[at + 3..]);
        let mut w = Warnings::default();
        let r = parse(&raw, &mut w).unwrap();
        assert_eq!(r.organization_name, "X\u{fffd}");
        assert_eq!(w.to_vec()[0].code, WarningCode::InvalidCharacters);

        let clean = report_with(&[("1", "1", "1")]);
        let truncated = &clean.as_bytes()[..clean.len() - 3];
        match parse(truncated, &mut Warnings::default()).unwrap_err() {
            ParseError::Json { line, message, .. } => {
                assert_eq!(line, clean.lines().count(), "{message}");
                assert!(message.contains("EOF"), "{message}");
            }
            other => panic!("expected malformed JSON, got {other:?}"),
        }
    }

    #[test]
    fn a_report_without_any_usable_policy_is_rejected() {
        let json = br#"{"organization-name":"X","date-range":{"start-datetime":"2020-01-01T00:00:00Z","end-datetime":"2020-01-01T23:59:59Z"},
            "report-id":"r1","policies":[{"policy":{"policy-type":"sts"},"summary":{}}]}"#;
        let err = parse(json, &mut Warnings::default()).unwrap_err();
        assert_eq!(err.code(), "invalid_tls_report");
        assert!(err.to_string().contains("policy-domain"));
    }
}
