//! Streaming parser for DMARC aggregate reports: RFC 7489 Appendix C, the pre-RFC draft
//! schema and RFC 9990.
//!
//! The XML is read event by event. Each direct child of `<feedback>` is collected into a
//! small element tree (bounded by `max_record_elements`), converted, and dropped, so memory
//! does not grow with the number of records. Metadata is complete before the first record is
//! handed out: records that precede the metadata in the document are held back (bounded).
//!
//! Tolerated, each with a warning: wrapper elements around `<feedback>` (e.g. `<xs:schema>`),
//! unclosed or stray end tags, unknown entities, mixed-case or non-standard enumerated
//! values (kept raw when unknown), empty elements, fractional timestamps, a missing
//! `org_name`, draft `<identities>`, unknown elements (kept as extensions), broken records
//! (skipped). Fatal: no `<feedback>`, missing report id / date range / policy domain,
//! a document that ends inside `<feedback>`, and any exceeded limit.
//!
//! Counts: a record whose `<count>` is above [`MAX_COUNT`] (even one too large for `u64`) is
//! dropped with a `count_out_of_range` warning; records whose counts add up to more than
//! [`MAX_REPORT_TOTAL`] reject the report (`count_out_of_range`, naming the record as
//! `feedback/record[N]/row/count`, N counting records from 1).

use super::io::Utf8Transcoder;
use super::xml::{Flow, Window, tolerant_config};
use super::{
    LimitExceeded, LimitKind, Limits, MAX_COUNT, MAX_REPORT_TOTAL, ParseError, Warning,
    WarningCode, WarningSink, Warnings,
};
use crate::domain::report::{
    AggregateHeader, AggregateSchema, Alignment, AuthResults, DMARC2_NAMESPACE, DateRange,
    Disposition, DkimAuth, DkimResult, DmarcResult, Identifiers, Match, OverrideReason,
    OverrideType, Policy, PolicyEvaluated, PolicyPublished, Record, ReportMetadata, SpfAuth,
    SpfResult, SpfScope, XmlElement,
};
use quick_xml::events::{BytesStart, Event};
use std::collections::VecDeque;
use std::io::BufRead;
use std::net::IpAddr;

/// Records held back while waiting for metadata that comes after them.
const MAX_HELD_RECORDS: usize = 10_000;
/// Extension elements kept per report; more are counted in a warning and dropped.
const MAX_EXTENSIONS: usize = 256;
/// Start tags looked at before `<feedback>` before the document is declared not a report.
const MAX_ELEMENTS_BEFORE_FEEDBACK: usize = 16;

/// A pull parser over one aggregate report: header first, then records one by one.
pub struct AggregateReader<'a> {
    window: Window<'a>,
    limits: Limits,
    warnings: WarningSink,
    /// Names of the open elements outside `<feedback>`, then `feedback` itself.
    outer: Vec<String>,
    state: State,
    /// The child of `<feedback>` being collected; its storage is reused for the next one.
    tree: Tree,
    /// Ids of its open elements.
    open: Vec<usize>,
    metadata: Option<Tree>,
    policy: Option<Tree>,
    version: Option<String>,
    namespace: Option<String>,
    extensions: Vec<XmlElement>,
    header: Option<AggregateHeader>,
    held: VecDeque<Record>,
    records_seen: u64,
    records_usable: u64,
    /// Sum of the counts of the usable records.
    messages: u64,
    first_skip: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Inside `<feedback>`.
    Open,
    /// `</feedback>` seen (or recovered); nothing more is read.
    Closed,
}

/// One direct child of `<feedback>` and everything inside it, flattened: element 0 is the
/// child itself, and all text lives in one buffer. Cleared and refilled for each child, so
/// collecting a record allocates nothing once the buffers have grown.
#[derive(Debug, Default, Clone)]
struct Tree {
    elements: Vec<Element>,
    text: String,
}

const NONE: usize = usize::MAX;

#[derive(Debug, Clone)]
struct Element {
    name: std::borrow::Cow<'static, str>,
    attributes: Vec<(String, String)>,
    /// This element's own text in `Tree::text` (mixed content is moved to stay contiguous).
    text: std::ops::Range<usize>,
    first_child: usize,
    last_child: usize,
    next_sibling: usize,
}

impl Tree {
    fn clear(&mut self) {
        self.elements.clear();
        self.text.clear();
    }

    /// Adds an element as the last child of `parent` (`None`: the root) and returns its id.
    fn open(
        &mut self,
        parent: Option<usize>,
        name: std::borrow::Cow<'static, str>,
        attributes: Vec<(String, String)>,
    ) -> usize {
        let id = self.elements.len();
        self.elements.push(Element {
            name,
            attributes,
            text: 0..0,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        if let Some(p) = parent {
            match self.elements[p].last_child {
                NONE => self.elements[p].first_child = id,
                last => self.elements[last].next_sibling = id,
            }
            self.elements[p].last_child = id;
        }
        id
    }

    /// Appends text to element `id`, dropping whitespace-only text before any other.
    fn push_text(&mut self, id: usize, content: &str) {
        if self.elements[id].text.is_empty() && content.trim().is_empty() {
            return;
        }
        self.push_text_raw(id, content);
    }

    /// Appends to the text of element `id`.
    fn push_text_raw(&mut self, id: usize, content: &str) {
        let end = self.text.len();
        let range = self.elements[id].text.clone();
        if range.is_empty() {
            self.elements[id].text = end..end;
        } else if range.end != end {
            // Text after a child element: move the earlier text to the end first.
            self.text.extend_from_within(range.clone());
            self.elements[id].text = end..end + range.len();
        }
        self.text.push_str(content);
        self.elements[id].text.end = self.text.len();
    }

    fn text_len(&self, id: usize) -> usize {
        self.elements[id].text.len()
    }

    fn root(&self) -> Node<'_> {
        Node { tree: self, id: 0 }
    }
}

/// A view of one element of a [`Tree`].
#[derive(Clone, Copy)]
struct Node<'t> {
    tree: &'t Tree,
    id: usize,
}

impl<'t> Node<'t> {
    fn element(self) -> &'t Element {
        &self.tree.elements[self.id]
    }

    fn name(self) -> &'t str {
        &self.element().name
    }

    fn local(self) -> &'t str {
        local_name(self.name())
    }

    fn is(self, name: &str) -> bool {
        self.local().eq_ignore_ascii_case(name)
    }

    /// Trimmed text, `None` when empty.
    fn value(self) -> Option<&'t str> {
        let t = self.tree.text[self.element().text.clone()].trim();
        (!t.is_empty()).then_some(t)
    }

    fn children(self) -> Children<'t> {
        Children {
            tree: self.tree,
            next: self.element().first_child,
        }
    }

    fn to_element(self) -> XmlElement {
        let e = self.element();
        XmlElement {
            name: e.name.to_string(),
            attributes: e.attributes.clone(),
            text: self.value().unwrap_or_default().to_string(),
            children: self.children().map(Node::to_element).collect(),
        }
    }
}

struct Children<'t> {
    tree: &'t Tree,
    next: usize,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        let id = self.next;
        let element = self.tree.elements.get(id)?;
        self.next = element.next_sibling;
        Some(Node {
            tree: self.tree,
            id,
        })
    }
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

impl<'a> AggregateReader<'a> {
    /// Reads up to the first record and builds the header. Fails when the document is not
    /// a DMARC aggregate report or its metadata is unusable.
    pub(crate) fn new(
        source: Box<dyn BufRead + 'a>,
        limits: &Limits,
        warnings: WarningSink,
    ) -> Result<Self, ParseError> {
        let text = Utf8Transcoder::new(source, true, warnings.clone())
            .map_err(|e| ParseError::from_io(e, "xml"))?;
        let mut reader = AggregateReader {
            window: Window::new(text, limits.max_token_bytes, tolerant_config()),
            limits: *limits,
            warnings,
            outer: Vec::new(),
            state: State::Open,
            metadata: None,
            policy: None,
            version: None,
            namespace: None,
            extensions: Vec::new(),
            header: None,
            tree: Tree::default(),
            open: Vec::new(),
            held: VecDeque::new(),
            records_seen: 0,
            records_usable: 0,
            messages: 0,
            first_skip: None,
        };
        reader.find_feedback()?;
        while reader.metadata.is_none() || reader.policy.is_none() {
            if !reader.next_child()? {
                break;
            }
            if let Some(record) = reader.take_child()? {
                if reader.held.len() >= MAX_HELD_RECORDS {
                    return Err(invalid(
                        "feedback",
                        "more than 10000 records before <report_metadata> and <policy_published>",
                    ));
                }
                reader.held.push_back(record);
            }
        }
        reader.header = Some(reader.build_header()?);
        Ok(reader)
    }

    /// The report's header (complete unless elements follow the records in the document;
    /// [`AggregateReader::finish`] returns the final one).
    pub fn header(&self) -> Option<&AggregateHeader> {
        self.header.as_ref()
    }

    /// The next usable record, or `None` after the last one. Broken records are skipped
    /// with a warning.
    pub fn next_record(&mut self) -> Result<Option<Record>, ParseError> {
        if let Some(record) = self.held.pop_front() {
            return Ok(Some(record));
        }
        while self.next_child()? {
            if let Some(record) = self.take_child()? {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    /// Skips records not pulled, reads to the end of the input (so that container layers
    /// can check what follows), and returns the final header and every warning.
    pub fn finish(&mut self) -> Result<(AggregateHeader, Vec<Warning>), ParseError> {
        while self.next_record()?.is_some() {}
        if self.records_usable == 0
            && let Some(first) = self.first_skip.take()
        {
            // Every record was broken: what is left would misstate the traffic.
            return Err(invalid(
                "feedback/record",
                &format!("no usable record ({first})"),
            ));
        }
        // Drain what follows `</feedback>` unparsed: container layers see their end.
        let rest = self.window.source_mut().get_mut();
        std::io::copy(rest, &mut std::io::sink()).map_err(|e| ParseError::from_io(e, "stream"))?;
        let header = self
            .header
            .clone()
            .ok_or_else(|| invalid("feedback", "no header"))?;
        let header = AggregateHeader {
            extensions: self.extensions.clone(),
            ..header
        };
        Ok((header, self.warnings.borrow().to_vec()))
    }

    fn warn(&self, code: WarningCode, path: &str, message: impl FnOnce() -> String) {
        self.warnings.borrow_mut().add(code, path, message);
    }

    /// Reads until `<feedback>` opens.
    fn find_feedback(&mut self) -> Result<(), ParseError> {
        let mut elements = 0usize;
        let mut root: Option<String> = None;
        let mut closed = false;
        let (outer, namespace, warnings) = (&mut self.outer, &mut self.namespace, &self.warnings);
        let max_depth = self.limits.max_xml_depth;
        let found = self
            .window
            .pump(|event, _| {
                let (e, empty) = match event {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    Event::End(_) => {
                        outer.pop();
                        return Ok(Flow::Continue);
                    }
                    Event::DocType(_) => {
                        warn_doctype(warnings);
                        return Ok(Flow::Continue);
                    }
                    Event::Eof => return Ok(Flow::Done(false)),
                    _ => return Ok(Flow::Continue),
                };
                let name = element_name(&e);
                elements += 1;
                if local_name(&name).eq_ignore_ascii_case("feedback") {
                    for (key, value) in attributes(&e) {
                        if key == "xmlns" {
                            *namespace = Some(value);
                        }
                    }
                    if !outer.is_empty() {
                        let wrappers = outer.join("/");
                        warnings.borrow_mut().add(WarningCode::WrapperElement, &wrappers, || {
                            format!("<feedback> was wrapped in <{wrappers}>; the wrapper was ignored")
                        });
                    }
                    outer.push(name);
                    closed = empty;
                    return Ok(Flow::Done(true));
                }
                root.get_or_insert_with(|| name.clone());
                if !empty {
                    outer.push(name);
                }
                if elements >= MAX_ELEMENTS_BEFORE_FEEDBACK || outer.len() > max_depth {
                    return Ok(Flow::Done(false));
                }
                Ok(Flow::Continue)
            })
            .map_err(|e| with_path(e, || self.outer.join("/")))?;
        if found {
            if closed {
                self.state = State::Closed;
            }
            return Ok(());
        }
        Err(ParseError::NotAReport(match root {
            Some(root) => {
                format!("XML document has no <feedback> element (root element is <{root}>)")
            }
            None => "XML document has no elements".into(),
        }))
    }

    /// Collects the next direct child of `<feedback>` into `self.tree`; false at
    /// `</feedback>`.
    fn next_child(&mut self) -> Result<bool, ParseError> {
        if self.state == State::Closed {
            return Ok(false);
        }
        let base = self.outer.len();
        let limits = self.limits;
        let (outer, warnings, state) = (&self.outer, &self.warnings, &mut self.state);
        let (tree, stack) = (&mut self.tree, &mut self.open);
        tree.clear();
        stack.clear();
        let warn = |code: WarningCode, path: &str, message: &dyn Fn() -> String| {
            warnings.borrow_mut().add(code, path, message);
        };
        let result = self.window.pump(|event, offset| {
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if base + stack.len() >= limits.max_xml_depth {
                        return Err(LimitExceeded {
                            kind: LimitKind::XmlDepth,
                            max: limits.max_xml_depth as u64,
                        }
                        .into());
                    }
                    if tree.elements.len() >= limits.max_record_elements {
                        return Err(LimitExceeded {
                            kind: LimitKind::RecordElements,
                            max: limits.max_record_elements as u64,
                        }
                        .into());
                    }
                    let id = tree.open(
                        stack.last().copied(),
                        intern(e.name().into_inner()),
                        attributes(e),
                    );
                    if matches!(event, Event::Start(_)) {
                        stack.push(id);
                    } else if stack.is_empty() {
                        return Ok(Flow::Done(true));
                    }
                }
                Event::End(e) => {
                    let name = e.name().into_inner();
                    // Close the innermost open element of that name, auto-closing any
                    // unclosed ones inside it; an end tag matching nothing is ignored.
                    if let Some(pos) = stack.iter().rposition(|&id| tree.elements[id].name == name)
                    {
                        if pos + 1 != stack.len() {
                            let unclosed: Vec<&str> = stack[pos + 1..]
                                .iter()
                                .map(|&id| tree.elements[id].name.as_ref())
                                .collect();
                            let unclosed = unclosed.join(">, <");
                            warn(WarningCode::MismatchedTag, &path_of(tree, stack), &|| {
                                format!("unclosed <{unclosed}> closed by </{name}>")
                            });
                        }
                        stack.truncate(pos);
                        if stack.is_empty() {
                            return Ok(Flow::Done(true));
                        }
                    } else if local_name(name).eq_ignore_ascii_case("feedback")
                        || outer.iter().any(|o| o == name)
                    {
                        if !stack.is_empty() {
                            warn(WarningCode::MismatchedTag, &path_of(tree, stack), &|| {
                                format!("unclosed elements closed by </{name}>")
                            });
                        }
                        *state = State::Closed;
                        // Keep what was collected of an unclosed child.
                        return Ok(Flow::Done(!stack.is_empty()));
                    } else {
                        warn(WarningCode::MismatchedTag, &path_of(tree, stack), &|| {
                            format!("stray end tag </{name}> ignored")
                        });
                    }
                }
                Event::Text(t) => {
                    if let Some(&id) = stack.last() {
                        tree.push_text(id, &t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(&id) = stack.last() {
                        // Unlike text, CDATA is kept even when it is all whitespace.
                        tree.push_text_raw(id, &t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(&id) = stack.last() {
                        match resolved {
                            Some(c) => tree.push_text_raw(id, c.encode_utf8(&mut [0; 4])),
                            None => {
                                let entity = r.xml10_content().into_owned();
                                tree.push_text_raw(id, &format!("&{entity};"));
                                warn(WarningCode::UnknownEntity, &path_of(tree, stack), &|| {
                                    format!("entity &{entity}; is not predefined; kept literally")
                                });
                            }
                        }
                    }
                }
                Event::DocType(_) => warn_doctype(warnings),
                Event::Eof => {
                    return Err(ParseError::Xml {
                        offset,
                        path: path_of(tree, stack),
                        message: "document ends before </feedback> (truncated)".into(),
                    });
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
            if let Some(&id) = stack.last()
                && tree.text_len(id) > limits.max_token_bytes
            {
                return Err(LimitExceeded {
                    kind: LimitKind::TokenBytes,
                    max: limits.max_token_bytes as u64,
                }
                .into());
            }
            Ok(Flow::Continue)
        });
        result.map_err(|e| with_path(e, || self.outer.join("/")))
    }

    /// Files the direct child of `<feedback>` collected in `self.tree`; returns the record
    /// if it was a usable one.
    fn take_child(&mut self) -> Result<Option<Record>, ParseError> {
        let tree = std::mem::take(&mut self.tree);
        let result = self.file_child(tree.root());
        self.tree = tree;
        result
    }

    fn file_child(&mut self, node: Node<'_>) -> Result<Option<Record>, ParseError> {
        let local = lower(node.local());
        match local.as_ref() {
            "record" => {
                self.records_seen += 1;
                if self.records_seen > self.limits.max_records {
                    return Err(LimitExceeded {
                        kind: LimitKind::Records,
                        max: self.limits.max_records,
                    }
                    .into());
                }
                let n = self.records_seen;
                let mut warnings = self.warnings.borrow_mut();
                match record_from(node, &mut warnings) {
                    Ok(record) => {
                        match self.messages.checked_add(record.count) {
                            Some(total) if total <= MAX_REPORT_TOTAL => self.messages = total,
                            _ => {
                                return Err(ParseError::CountOutOfRange {
                                    path: format!("feedback/record[{n}]/row/count"),
                                    message: format!(
                                        "the message counts of the report add up to more than {MAX_REPORT_TOTAL}"
                                    ),
                                });
                            }
                        }
                        self.records_usable += 1;
                        Ok(Some(record))
                    }
                    Err(Unusable::CountOutOfRange(value)) => {
                        let message = format!(
                            "record[{n}]/row/count: count {value} is above the maximum of {MAX_COUNT}; record dropped"
                        );
                        self.first_skip.get_or_insert_with(|| message.clone());
                        warnings.add(
                            WarningCode::CountOutOfRange,
                            "feedback/record/row/count",
                            || message,
                        );
                        Ok(None)
                    }
                    Err(Unusable::Broken(why)) => {
                        let message = format!("record #{n} skipped: {why}");
                        self.first_skip.get_or_insert_with(|| message.clone());
                        warnings.add(WarningCode::RecordSkipped, "feedback/record", || message);
                        Ok(None)
                    }
                }
            }
            "report_metadata" | "policy_published" => {
                let slot = if local == "report_metadata" {
                    &mut self.metadata
                } else {
                    &mut self.policy
                };
                if slot.is_some() {
                    let path = format!("feedback/{local}");
                    self.warn(WarningCode::DuplicateElement, &path, || {
                        format!("<{local}> repeated; the first one was used")
                    });
                } else if self.header.is_some() {
                    // Metadata after records were handed out cannot change the header any more.
                    let path = format!("feedback/{local}");
                    self.warn(WarningCode::DuplicateElement, &path, || {
                        format!("<{local}> after the records was ignored")
                    });
                } else {
                    *slot = Some(node.tree.clone());
                }
                Ok(None)
            }
            "version" => {
                self.version = node.value().map(str::to_string);
                Ok(None)
            }
            "extension" => {
                for child in node.children() {
                    self.keep_extension(child);
                }
                Ok(None)
            }
            _ => {
                let path = format!("feedback/{}", node.local());
                self.warn(WarningCode::UnknownElement, &path, || {
                    format!("unknown element <{}> kept as an extension", node.name())
                });
                self.keep_extension(node);
                Ok(None)
            }
        }
    }

    fn keep_extension(&mut self, node: Node<'_>) {
        if self.extensions.len() < MAX_EXTENSIONS {
            self.extensions.push(node.to_element());
        } else {
            self.warn(WarningCode::UnknownElement, "feedback", || {
                format!("more than {MAX_EXTENSIONS} extension elements; the rest were dropped")
            });
        }
    }

    fn build_header(&mut self) -> Result<AggregateHeader, ParseError> {
        let metadata = self
            .metadata
            .take()
            .ok_or_else(|| invalid("feedback", "missing <report_metadata>"))?;
        let policy = self
            .policy
            .take()
            .ok_or_else(|| invalid("feedback", "missing <policy_published>"))?;
        let mut warnings = self.warnings.borrow_mut();
        let report_metadata = metadata_from(metadata.root(), &mut warnings)?;
        let policy_published = policy_from(policy.root(), &mut warnings)?;
        let schema = if self.namespace.as_deref() == Some(DMARC2_NAMESPACE) {
            AggregateSchema::Rfc9990
        } else if self.version.is_some() {
            AggregateSchema::Rfc7489
        } else {
            AggregateSchema::Draft
        };
        Ok(AggregateHeader {
            schema,
            version: self.version.clone(),
            namespace: self.namespace.clone(),
            report_metadata,
            policy_published,
            extensions: Vec::new(),
        })
    }
}

/// Fills in the element path of a malformed-XML error that has none.
fn with_path(err: ParseError, path: impl FnOnce() -> String) -> ParseError {
    match err {
        ParseError::Xml {
            offset,
            path: p,
            message,
        } if p.is_empty() => ParseError::Xml {
            offset,
            path: path(),
            message,
        },
        other => other,
    }
}

fn warn_doctype(warnings: &WarningSink) {
    warnings
        .borrow_mut()
        .add(WarningCode::DoctypeIgnored, "document", || {
            "DOCTYPE ignored: no DTD processing or entity expansion".into()
        });
}

/// A lower-case view of an element name, allocating only when it has capitals.
fn lower(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// Element names of the schemas map to static strings, so that the common ones cost no
/// allocation per element.
fn intern(name: &str) -> std::borrow::Cow<'static, str> {
    let known: &'static str = match name {
        "record" => "record",
        "row" => "row",
        "source_ip" => "source_ip",
        "count" => "count",
        "policy_evaluated" => "policy_evaluated",
        "disposition" => "disposition",
        "dkim" => "dkim",
        "spf" => "spf",
        "reason" => "reason",
        "type" => "type",
        "comment" => "comment",
        "identifiers" => "identifiers",
        "header_from" => "header_from",
        "envelope_from" => "envelope_from",
        "envelope_to" => "envelope_to",
        "auth_results" => "auth_results",
        "domain" => "domain",
        "selector" => "selector",
        "result" => "result",
        "human_result" => "human_result",
        "scope" => "scope",
        "report_metadata" => "report_metadata",
        "org_name" => "org_name",
        "email" => "email",
        "extra_contact_info" => "extra_contact_info",
        "report_id" => "report_id",
        "date_range" => "date_range",
        "begin" => "begin",
        "end" => "end",
        "error" => "error",
        "generator" => "generator",
        "policy_published" => "policy_published",
        "adkim" => "adkim",
        "aspf" => "aspf",
        "p" => "p",
        "sp" => "sp",
        "np" => "np",
        "pct" => "pct",
        "fo" => "fo",
        "testing" => "testing",
        "discovery_method" => "discovery_method",
        "version" => "version",
        "extension" => "extension",
        "identities" => "identities",
        _ => return std::borrow::Cow::Owned(name.to_string()),
    };
    std::borrow::Cow::Borrowed(known)
}

fn path_of(tree: &Tree, open: &[usize]) -> String {
    let mut parts: Vec<&str> = vec!["feedback"];
    parts.extend(open.iter().map(|&id| local_name(&tree.elements[id].name)));
    parts.join("/")
}

fn element_name(e: &BytesStart<'_>) -> String {
    e.name().as_ref().to_string()
}

fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::default())
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (key, value)
        })
        .collect()
}

fn invalid(path: &str, message: &str) -> ParseError {
    ParseError::InvalidAggregate {
        path: path.to_string(),
        message: message.to_string(),
    }
}

/// Assigns the children of one element to named slots; reports duplicates and unknowns.
struct Fields<'w> {
    path: &'static str,
    warnings: &'w mut Warnings,
}

impl Fields<'_> {
    /// Text of a single-valued field; empty means absent (with a warning).
    fn text<'t>(&mut self, node: Node<'t>) -> Option<&'t str> {
        let value = node.value();
        if value.is_none() {
            let path = format!("{}/{}", self.path, node.local());
            self.warnings.add(WarningCode::EmptyValue, &path, || {
                format!("empty <{}> treated as absent", node.name())
            });
        }
        value
    }

    fn set<'t>(&mut self, slot: &mut Option<&'t str>, node: Node<'t>) {
        if slot.is_some() {
            let path = format!("{}/{}", self.path, node.local());
            self.warnings.add(WarningCode::DuplicateElement, &path, || {
                format!("<{}> repeated; the first one was used", node.name())
            });
            return;
        }
        *slot = self.text(node);
    }

    fn enumerated<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: fn(&str) -> (T, Match),
        known: &[&str],
    ) -> Option<T> {
        let raw = raw?;
        let (value, how) = parse(raw);
        if how == Match::Exact {
            return Some(value);
        }
        let path = format!("{}/{}", self.path, field);
        match how {
            Match::Exact => {}
            Match::CaseFolded => self.warnings.add(WarningCode::CaseNormalized, &path, || {
                format!("'{raw}' read as its lower-case form")
            }),
            Match::Synonym => self.warnings.add(WarningCode::SynonymMapped, &path, || {
                format!("non-standard '{raw}' read as its standard equivalent")
            }),
            Match::Unknown => self.warnings.add(WarningCode::UnknownValue, &path, || {
                format!("'{raw}' is not one of {}; kept as sent", known.join(", "))
            }),
        }
        Some(value)
    }

    fn missing(&mut self, field: &str) {
        let path = format!("{}/{}", self.path, field);
        self.warnings.add(WarningCode::MissingField, &path, || {
            format!("<{field}> is missing")
        });
    }

    fn unknown(&mut self, node: Node<'_>, extensions: &mut Vec<XmlElement>) {
        let path = format!("{}/{}", self.path, node.local());
        self.warnings.add(WarningCode::UnknownElement, &path, || {
            format!("unknown element <{}> kept as an extension", node.name())
        });
        extensions.push(node.to_element());
    }
}

fn metadata_from(node: Node<'_>, warnings: &mut Warnings) -> Result<ReportMetadata, ParseError> {
    let mut f = Fields {
        path: "feedback/report_metadata",
        warnings,
    };
    let (mut org_name, mut email, mut extra, mut report_id, mut generator) =
        (None, None, None, None, None);
    let mut begin = None;
    let mut end = None;
    let mut errors = Vec::new();
    let mut ignored = Vec::new();
    for child in node.children() {
        match lower(child.local()).as_ref() {
            "org_name" => f.set(&mut org_name, child),
            "email" => f.set(&mut email, child),
            "extra_contact_info" => f.set(&mut extra, child),
            "report_id" => f.set(&mut report_id, child),
            "generator" => f.set(&mut generator, child),
            "error" => errors.extend(child.value().map(str::to_string)),
            "date_range" => {
                for c in child.children() {
                    match lower(c.local()).as_ref() {
                        "begin" => f.set(&mut begin, c),
                        "end" => f.set(&mut end, c),
                        _ => f.unknown(c, &mut ignored),
                    }
                }
            }
            _ => f.unknown(child, &mut ignored),
        }
    }
    let report_id = report_id
        .ok_or_else(|| invalid("feedback/report_metadata/report_id", "missing report id"))?;
    let begin = epoch(&mut f, "begin", begin)?;
    let end = epoch(&mut f, "end", end)?;
    if email.is_none() {
        f.missing("email");
    }
    let org_name = match org_name {
        Some(o) => o.to_string(),
        None => {
            let domain = email
                .and_then(|e| e.rsplit('@').next())
                .map(|d| d.trim_end_matches('>').to_string())
                .filter(|d| !d.is_empty())
                .ok_or_else(|| {
                    invalid(
                        "feedback/report_metadata/org_name",
                        "missing org_name and email",
                    )
                })?;
            let shown = domain.clone();
            f.warnings.add(
                WarningCode::OrgNameFallback,
                "feedback/report_metadata/org_name",
                || format!("org_name missing; using '{shown}' from email"),
            );
            domain
        }
    };
    Ok(ReportMetadata {
        org_name,
        email: email.map(str::to_string),
        extra_contact_info: extra.map(str::to_string),
        report_id: report_id.to_string(),
        date_range: DateRange { begin, end },
        errors,
        generator: generator.map(str::to_string),
    })
}

/// Epoch seconds; fractional values are truncated with a warning.
fn epoch(f: &mut Fields<'_>, field: &str, raw: Option<&str>) -> Result<i64, ParseError> {
    let path = format!("feedback/report_metadata/date_range/{field}");
    let raw = raw.ok_or_else(|| invalid(&path, "missing"))?;
    if let Ok(v) = raw.parse::<i64>() {
        return Ok(v);
    }
    if let Some((whole, frac)) = raw.split_once('.')
        && let Ok(v) = whole.parse::<i64>()
        && frac.bytes().all(|b| b.is_ascii_digit())
    {
        f.warnings.add(WarningCode::FractionalTimestamp, &path, || {
            format!("fractional timestamp '{raw}' truncated to {v}")
        });
        return Ok(v);
    }
    Err(invalid(
        &path,
        &format!("'{raw}' is not an epoch timestamp"),
    ))
}

fn policy_from(node: Node<'_>, warnings: &mut Warnings) -> Result<PolicyPublished, ParseError> {
    let mut f = Fields {
        path: "feedback/policy_published",
        warnings,
    };
    let mut raw: [Option<&str>; 11] = Default::default();
    const NAMES: [&str; 11] = [
        "domain",
        "adkim",
        "aspf",
        "p",
        "sp",
        "np",
        "pct",
        "fo",
        "testing",
        "discovery_method",
        "t",
    ];
    let mut ignored = Vec::new();
    for child in node.children() {
        let local = lower(child.local()).into_owned();
        match NAMES.iter().position(|n| *n == local) {
            Some(i) => f.set(&mut raw[i], child),
            None => f.unknown(child, &mut ignored),
        }
    }
    let [
        domain,
        adkim,
        aspf,
        p,
        sp,
        np,
        pct,
        fo,
        testing,
        discovery_method,
        t,
    ] = raw;
    let domain = domain
        .ok_or_else(|| invalid("feedback/policy_published/domain", "missing policy domain"))?;
    if p.is_none() {
        f.missing("p");
    }
    Ok(PolicyPublished {
        domain: domain.to_string(),
        adkim: f.enumerated("adkim", adkim, Alignment::parse, Alignment::KNOWN),
        aspf: f.enumerated("aspf", aspf, Alignment::parse, Alignment::KNOWN),
        p: f.enumerated("p", p, Policy::parse, Policy::KNOWN),
        sp: f.enumerated("sp", sp, Policy::parse, Policy::KNOWN),
        np: f.enumerated("np", np, Policy::parse, Policy::KNOWN),
        pct: pct.map(str::to_string),
        fo: fo.map(str::to_string),
        testing: testing.or(t).map(str::to_string),
        discovery_method: discovery_method.map(str::to_string),
    })
}

/// Why a `<record>` is not used.
enum Unusable {
    /// Broken: skipped; says why.
    Broken(String),
    /// Its count (as sent) is above [`MAX_COUNT`]: dropped.
    CountOutOfRange(String),
}

impl From<&str> for Unusable {
    fn from(why: &str) -> Self {
        Unusable::Broken(why.to_string())
    }
}

impl From<String> for Unusable {
    fn from(why: String) -> Self {
        Unusable::Broken(why)
    }
}

/// Converts one `<record>`; `Err` says why the record is unusable.
fn record_from(node: Node<'_>, warnings: &mut Warnings) -> Result<Record, Unusable> {
    let mut row = None;
    let mut identifiers = None;
    let mut auth = None;
    let mut extensions = Vec::new();
    {
        let mut f = Fields {
            path: "feedback/record",
            warnings: &mut *warnings,
        };
        for child in node.children() {
            match lower(child.local()).as_ref() {
                "row" => {
                    if row.is_some() {
                        return Err("more than one <row>".into());
                    }
                    row = Some(child);
                }
                "identifiers" | "identities" => {
                    if child.is("identities") {
                        f.warnings.add(
                            WarningCode::DraftSchemaElement,
                            "feedback/record/identities",
                            || "draft-schema <identities> read as <identifiers>".into(),
                        );
                    }
                    if identifiers.is_some() {
                        return Err("more than one <identifiers>".into());
                    }
                    identifiers = Some(child);
                }
                "auth_results" => {
                    if auth.is_some() {
                        return Err("more than one <auth_results>".into());
                    }
                    auth = Some(child);
                }
                _ => f.unknown(child, &mut extensions),
            }
        }
    }
    let row = row.ok_or("missing <row>")?;
    let (source_ip, count, policy_evaluated) = row_from(row, warnings)?;
    let identifiers = match identifiers {
        Some(n) => identifiers_from(n, warnings),
        None => {
            Fields {
                path: "feedback/record",
                warnings: &mut *warnings,
            }
            .missing("identifiers");
            Identifiers::default()
        }
    };
    let auth_results = match auth {
        Some(n) => auth_from(n, warnings),
        None => {
            Fields {
                path: "feedback/record",
                warnings: &mut *warnings,
            }
            .missing("auth_results");
            AuthResults::default()
        }
    };
    Ok(Record {
        source_ip,
        count,
        policy_evaluated,
        identifiers,
        auth_results,
        extensions,
    })
}

fn row_from(
    row: Node<'_>,
    warnings: &mut Warnings,
) -> Result<(IpAddr, u64, PolicyEvaluated), Unusable> {
    let mut f = Fields {
        path: "feedback/record/row",
        warnings,
    };
    let (mut ip, mut count, mut evaluated) = (None, None, None);
    let mut ignored = Vec::new();
    for child in row.children() {
        match lower(child.local()).as_ref() {
            "source_ip" => {
                if ip.is_some() {
                    return Err("more than one <source_ip>".into());
                }
                ip = Some(child.value().ok_or("empty <source_ip>")?);
            }
            "count" => {
                if count.is_some() {
                    return Err("more than one <count>".into());
                }
                count = Some(child.value().ok_or("empty <count>")?);
            }
            "policy_evaluated" => {
                if evaluated.is_some() {
                    return Err("more than one <policy_evaluated>".into());
                }
                evaluated = Some(child);
            }
            _ => f.unknown(child, &mut ignored),
        }
    }
    let ip = ip.ok_or("missing <source_ip>")?;
    let source_ip = ip
        .parse::<IpAddr>()
        .map_err(|_| format!("source_ip '{ip}' is not an IP address"))?;
    let count = count.ok_or("missing <count>")?;
    let count = match count.parse::<u64>() {
        Ok(n) if n <= MAX_COUNT => n,
        Ok(_) => return Err(Unusable::CountOutOfRange(count.to_string())),
        // All digits yet no u64: too large.
        Err(_) if count.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(Unusable::CountOutOfRange(count.to_string()));
        }
        Err(_) => {
            return Err(format!("count '{count}' is not a non-negative integer").into());
        }
    };
    let evaluated = match evaluated {
        Some(n) => evaluated_from(n, f.warnings),
        None => {
            f.missing("policy_evaluated");
            PolicyEvaluated::default()
        }
    };
    Ok((source_ip, count, evaluated))
}

fn evaluated_from(node: Node<'_>, warnings: &mut Warnings) -> PolicyEvaluated {
    let mut f = Fields {
        path: "feedback/record/row/policy_evaluated",
        warnings,
    };
    let (mut disposition, mut dkim, mut spf) = (None, None, None);
    let mut reasons = Vec::new();
    let mut ignored = Vec::new();
    for child in node.children() {
        match lower(child.local()).as_ref() {
            "disposition" => f.set(&mut disposition, child),
            "dkim" => f.set(&mut dkim, child),
            "spf" => f.set(&mut spf, child),
            "reason" => {
                let (mut kind, mut comment) = (None, None);
                let mut g = Fields {
                    path: "feedback/record/row/policy_evaluated/reason",
                    warnings: &mut *f.warnings,
                };
                for c in child.children() {
                    match lower(c.local()).as_ref() {
                        "type" => g.set(&mut kind, c),
                        "comment" => g.set(&mut comment, c),
                        _ => g.unknown(c, &mut ignored),
                    }
                }
                match g.enumerated("type", kind, OverrideType::parse, OverrideType::KNOWN) {
                    Some(kind) => reasons.push(OverrideReason {
                        kind,
                        comment: comment.map(str::to_string),
                    }),
                    None => g.missing("type"),
                }
            }
            _ => f.unknown(child, &mut ignored),
        }
    }
    for (name, value) in [
        ("disposition", &disposition),
        ("dkim", &dkim),
        ("spf", &spf),
    ] {
        if value.is_none() {
            f.missing(name);
        }
    }
    PolicyEvaluated {
        disposition: f.enumerated(
            "disposition",
            disposition,
            Disposition::parse,
            Disposition::KNOWN,
        ),
        dkim: f.enumerated("dkim", dkim, DmarcResult::parse, DmarcResult::KNOWN),
        spf: f.enumerated("spf", spf, DmarcResult::parse, DmarcResult::KNOWN),
        reasons,
    }
}

fn identifiers_from(node: Node<'_>, warnings: &mut Warnings) -> Identifiers {
    let mut f = Fields {
        path: "feedback/record/identifiers",
        warnings,
    };
    let (mut header_from, mut envelope_from, mut envelope_to) = (None, None, None);
    let mut ignored = Vec::new();
    for child in node.children() {
        match lower(child.local()).as_ref() {
            "header_from" => f.set(&mut header_from, child),
            "envelope_from" => f.set(&mut envelope_from, child),
            "envelope_to" => f.set(&mut envelope_to, child),
            _ => f.unknown(child, &mut ignored),
        }
    }
    if header_from.is_none() {
        f.missing("header_from");
    }
    Identifiers {
        header_from: header_from.map(str::to_string),
        envelope_from: envelope_from.map(str::to_string),
        envelope_to: envelope_to.map(str::to_string),
    }
}

fn auth_from(node: Node<'_>, warnings: &mut Warnings) -> AuthResults {
    let mut out = AuthResults::default();
    let mut ignored = Vec::new();
    for child in node.children() {
        let local = lower(child.local());
        let (mut domain, mut selector, mut scope, mut result, mut human) =
            (None, None, None, None, None);
        let path = if local == "dkim" {
            "feedback/record/auth_results/dkim"
        } else {
            "feedback/record/auth_results/spf"
        };
        let mut f = Fields {
            path,
            warnings: &mut *warnings,
        };
        if local != "dkim" && local != "spf" {
            Fields {
                path: "feedback/record/auth_results",
                warnings: &mut *f.warnings,
            }
            .unknown(child, &mut ignored);
            continue;
        }
        for c in child.children() {
            match lower(c.local()).as_ref() {
                "domain" => f.set(&mut domain, c),
                "selector" if local == "dkim" => f.set(&mut selector, c),
                "scope" if local == "spf" => f.set(&mut scope, c),
                "result" => f.set(&mut result, c),
                "human_result" => f.set(&mut human, c),
                _ => f.unknown(c, &mut ignored),
            }
        }
        if result.is_none() {
            f.missing("result");
        }
        if local == "dkim" {
            out.dkim.push(DkimAuth {
                domain: domain.map(str::to_string),
                selector: selector.map(str::to_string),
                result: f.enumerated("result", result, DkimResult::parse, DkimResult::KNOWN),
                human_result: human.map(str::to_string),
            });
        } else {
            out.spf.push(SpfAuth {
                domain: domain.map(str::to_string),
                scope: f.enumerated("scope", scope, SpfScope::parse, SpfScope::KNOWN),
                result: f.enumerated("result", result, SpfResult::parse, SpfResult::KNOWN),
                human_result: human.map(str::to_string),
            });
        }
    }
    if out.spf.is_empty() {
        Fields {
            path: "feedback/record/auth_results",
            warnings,
        }
        .missing("spf");
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::{Limits, Report, parse_bytes};
    use super::*;

    fn parse_one(xml: &str) -> (crate::domain::report::AggregateReport, Vec<Warning>) {
        let parsed = parse_bytes(xml.as_bytes(), &Limits::default());
        assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
        let report = parsed.reports.into_iter().next().unwrap();
        match report.report {
            Report::DmarcAggregate(a) => (*a, report.warnings),
            Report::TlsReport(_) | Report::FailureReport(_) => panic!("expected aggregate"),
        }
    }

    fn codes(w: &[Warning]) -> Vec<WarningCode> {
        w.iter().map(|w| w.code).collect()
    }

    const HEAD: &str = "<feedback><report_metadata><org_name>x</org_name><email>a@x.example</email>\
        <report_id>1</report_id><date_range><begin>0</begin><end>86399</end></date_range></report_metadata>\
        <policy_published><domain>d.example</domain><p>none</p></policy_published>";

    fn record(ip: &str, count: &str, disposition: &str) -> String {
        format!(
            "<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated>\
            <disposition>{disposition}</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>\
            <identifiers><header_from>d.example</header_from></identifiers>\
            <auth_results><spf><domain>d.example</domain><result>pass</result></spf></auth_results></record>"
        )
    }

    #[test]
    fn a_minimal_report_parses_without_warnings() {
        let xml = format!("{HEAD}{}</feedback>", record("192.0.2.1", "3", "none"));
        let (report, warnings) = parse_one(&xml);
        assert_eq!(report.records.len(), 1);
        assert_eq!(report.records[0].count, 3);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(report.header.schema, AggregateSchema::Draft);
    }

    #[test]
    fn a_broken_record_is_skipped_and_the_rest_kept() {
        let xml = format!(
            "{HEAD}{}{}{}</feedback>",
            record("192.0.2.1", "3", "none"),
            record("not-an-ip", "3", "none"),
            record("2001:db8::1", "4", "reject")
        );
        let (report, warnings) = parse_one(&xml);
        assert_eq!(report.records.len(), 2);
        assert_eq!(codes(&warnings), vec![WarningCode::RecordSkipped]);
    }

    #[test]
    fn unknown_values_are_kept_raw_and_mixed_case_is_normalized() {
        let xml = format!(
            "{HEAD}{}{}</feedback>",
            record("192.0.2.1", "1", "Quarantine"),
            record("192.0.2.2", "1", "pass")
        );
        let (report, warnings) = parse_one(&xml);
        assert_eq!(
            report.records[0].policy_evaluated.disposition,
            Some(Disposition::Quarantine)
        );
        assert_eq!(
            report.records[1].policy_evaluated.disposition,
            Some(Disposition::Other("pass".into()))
        );
        assert_eq!(
            codes(&warnings),
            vec![WarningCode::CaseNormalized, WarningCode::UnknownValue]
        );
    }

    #[test]
    fn metadata_after_records_is_still_used() {
        let xml = format!(
            "<feedback>{}<report_metadata><org_name>x</org_name><email>a@x</email><report_id>9</report_id>\
            <date_range><begin>0</begin><end>1</end></date_range></report_metadata>\
            <policy_published><domain>d.example</domain></policy_published></feedback>",
            record("192.0.2.1", "3", "none")
        );
        let (report, _) = parse_one(&xml);
        assert_eq!(report.header.report_metadata.report_id, "9");
        assert_eq!(report.records.len(), 1);
    }

    #[test]
    fn a_truncated_document_is_an_error_naming_the_place() {
        let xml = format!("{HEAD}<record><row><source_ip>1.2.3.4</source_ip>");
        let parsed = parse_bytes(xml.as_bytes(), &Limits::default());
        let (_, err) = &parsed.failures[0];
        assert_eq!(err.code(), "malformed_xml");
        assert!(err.to_string().contains("feedback/record/row"), "{err}");
    }

    #[test]
    fn deep_nesting_hits_the_depth_limit() {
        let xml = format!("{HEAD}{}</feedback>", "<a>".repeat(100));
        let parsed = parse_bytes(xml.as_bytes(), &Limits::default());
        assert!(matches!(
            parsed.failures[0].1,
            ParseError::Limit(LimitExceeded {
                kind: LimitKind::XmlDepth,
                ..
            })
        ));
    }

    #[test]
    fn an_endless_text_hits_the_token_limit() {
        let limits = Limits {
            max_token_bytes: 1000,
            ..Limits::default()
        };
        let xml = format!("{HEAD}<record><row><source_ip>{}", "1".repeat(5000));
        let parsed = parse_bytes(xml.as_bytes(), &limits);
        assert!(
            matches!(
                parsed.failures[0].1,
                ParseError::Limit(LimitExceeded {
                    kind: LimitKind::TokenBytes,
                    ..
                })
            ),
            "{:?}",
            parsed.failures
        );
    }

    /// A report whose `<org_name>` and policy `<domain>` hold `pair`, the first one `pad`
    /// bytes after the start of the name.
    fn report_with_pair(pair: &[u8], pad: usize) -> Vec<u8> {
        let mut xml = b"<feedback><report_metadata><org_name>".to_vec();
        xml.extend(std::iter::repeat_n(b'o', pad));
        xml.extend_from_slice(pair);
        xml.extend_from_slice(
            b"rg</org_name><email>a@x.example</email><report_id>1</report_id>\
            <date_range><begin>0</begin><end>86399</end></date_range></report_metadata>\
            <policy_published><domain>d",
        );
        xml.extend_from_slice(pair);
        xml.extend_from_slice(b".example</domain><p>none</p></policy_published>");
        xml.extend_from_slice(record("192.0.2.1", "3", "none").as_bytes());
        xml.extend_from_slice(b"</feedback>");
        xml
    }

    #[test]
    fn a_stray_utf16_bom_pair_in_text_is_replaced_with_a_warning() {
        let prefix = b"<feedback><report_metadata><org_name>".len();
        // Right at the start, and with the pair on both sides of the 64 KiB read boundary
        // of the transcoder.
        for (pair, pad) in [
            (&b"\xff\xfe"[..], 0),
            (&b"\xfe\xff"[..], 5),
            (&b"\xff\xfe"[..], 65_536 - prefix - 1),
            (&b"\xfe\xff"[..], 65_536 - prefix),
        ] {
            let xml = report_with_pair(pair, pad);
            let parsed = parse_bytes(&xml, &Limits::default());
            assert!(parsed.failures.is_empty(), "{pad}: {:?}", parsed.failures);
            let report = &parsed.reports[0];
            let Report::DmarcAggregate(a) = &report.report else {
                panic!("expected aggregate")
            };
            let org = &a.header.report_metadata.org_name;
            assert_eq!(org.len(), pad + 3 * 2 + 2, "{pad}");
            assert!(org.ends_with("\u{fffd}\u{fffd}rg"), "{pad}");
            assert_eq!(
                a.header.policy_published.domain,
                "d\u{fffd}\u{fffd}.example"
            );
            assert_eq!(a.records.len(), 1);
            assert_eq!(
                codes(&report.warnings),
                vec![WarningCode::InvalidCharacters]
            );
        }
    }

    #[test]
    fn a_record_count_above_the_maximum_is_dropped_with_a_warning() {
        use super::super::MAX_COUNT;
        let max = MAX_COUNT.to_string();
        let over = (MAX_COUNT + 1).to_string();
        let i64_max = i64::MAX.to_string();
        let u64_max = u64::MAX.to_string();
        // 2^64 does not even parse as u64.
        let two_64 = "18446744073709551616".to_string();
        let (report, warnings) = parse_one(&format!(
            "{HEAD}{}</feedback>",
            record("192.0.2.1", &max, "none")
        ));
        assert_eq!(report.records[0].count, MAX_COUNT);
        assert!(warnings.is_empty(), "{warnings:?}");
        for count in [&over, &i64_max, &u64_max, &two_64] {
            let xml = format!(
                "{HEAD}{}{}{}</feedback>",
                record("192.0.2.1", "1", "none"),
                record("192.0.2.2", count, "none"),
                record("192.0.2.3", "2", "none")
            );
            let (report, warnings) = parse_one(&xml);
            let counts: Vec<u64> = report.records.iter().map(|r| r.count).collect();
            assert_eq!(counts, vec![1, 2], "{count}");
            assert_eq!(
                codes(&warnings),
                vec![WarningCode::CountOutOfRange],
                "{count}"
            );
            let message = &warnings[0].message;
            assert!(message.contains("record[2]/row/count"), "{message}");
            assert!(message.contains(count.as_str()), "{message}");
        }
    }

    #[test]
    fn a_report_whose_counts_add_up_past_the_maximum_total_is_rejected() {
        use super::super::{MAX_COUNT, MAX_REPORT_TOTAL};
        let full = record("192.0.2.1", &MAX_COUNT.to_string(), "none");
        let n = usize::try_from(MAX_REPORT_TOTAL / MAX_COUNT).unwrap();
        let at_max = format!("{HEAD}{}</feedback>", full.repeat(n));
        let (report, _) = parse_one(&at_max);
        let total: u64 = report.records.iter().map(|r| r.count).sum();
        assert_eq!(total, MAX_REPORT_TOTAL);

        let over = format!(
            "{HEAD}{}{}</feedback>",
            full.repeat(n),
            record("192.0.2.2", "1", "none")
        );
        let parsed = parse_bytes(over.as_bytes(), &Limits::default());
        assert!(parsed.reports.is_empty());
        let (_, err) = &parsed.failures[0];
        assert_eq!(err.code(), "count_out_of_range");
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("feedback/record[{}]/row/count", n + 1)),
            "{shown}"
        );
    }

    #[test]
    fn entities_are_not_expanded() {
        let xml = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
            HEAD.replace(
                "<org_name>x</org_name>",
                "<org_name>&x;&amp;&#65;</org_name>"
            )
        ) + "</feedback>";
        let (report, warnings) = parse_one(&xml);
        assert_eq!(report.header.report_metadata.org_name, "&x;&A");
        assert!(codes(&warnings).contains(&WarningCode::DoctypeIgnored));
        assert!(codes(&warnings).contains(&WarningCode::UnknownEntity));
    }
}
