//! `ruad parse`: prints each report found in the given files as JSON.
//!
//! Full mode streams records to a spool (memory, then a temporary file past 8 MiB) so
//! that a report of any size prints as one JSON document with its final header first,
//! in bounded memory.

use super::ParseArgs;
use crate::reports::summary::{AggregateTotals, TlsTotals};
use crate::reports::{
    AggregateReader, FailureReport, Input, Limits, Origin, ParseError, ReportHandler, TlsReport,
    Warning, parse_input,
};
use serde::Serialize;
use std::io::{self, BufWriter, Seek, Write};
use std::process::ExitCode;

pub fn run(args: &ParseArgs) -> ExitCode {
    let limits = args.limits.apply(Limits::default());
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut ok = true;
    for file in &args.files {
        let mut handler = Printer {
            file,
            summary: args.summary,
            out: &mut out,
            reports: 0,
            failures: 0,
            write_error: None,
        };
        let result = match open(file) {
            Ok(input) => parse_input(input, &limits, &mut handler),
            Err(e) => {
                handler.failed(&Origin::default(), ParseError::Io(e));
                Ok(())
            }
        };
        if let Err(e) = result {
            handler.failed(&Origin::default(), e);
        }
        if let Some(e) = handler.write_error.take() {
            return write_failed(&e);
        }
        if handler.failures > 0 || handler.reports == 0 {
            ok = false;
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// stdout is gone: nothing more can be reported. A closed pipe (`ruad parse … | head`) is
/// the reader saying it has seen enough, so it ends the command quietly.
fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(io::stderr(), "ruad parse: cannot write output: {e}");
    ExitCode::FAILURE
}

fn open(file: &str) -> io::Result<Input<'static>> {
    if file == "-" {
        return Ok(Input::Reader(Box::new(io::stdin())));
    }
    Ok(Input::File(std::fs::File::open(file)?))
}

struct Printer<'a, W: Write> {
    file: &'a str,
    summary: bool,
    out: &'a mut W,
    reports: usize,
    failures: usize,
    write_error: Option<io::Error>,
}

/// The fields every output line starts with.
#[derive(Serialize)]
struct Head<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<String>,
}

impl<'a> Head<'a> {
    fn new(file: &'a str, origin: &Origin) -> Self {
        Head {
            file,
            part: (!origin.is_root()).then(|| origin.to_string()),
        }
    }
}

#[derive(Serialize)]
struct AggregateSummary<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    kind: &'static str,
    org_name: &'a str,
    report_id: &'a str,
    begin: i64,
    end: i64,
    warnings: usize,
    policy_domain: &'a str,
    #[serde(flatten)]
    totals: AggregateTotals,
}

#[derive(Serialize)]
struct TlsSummary<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    kind: &'static str,
    org_name: &'a str,
    report_id: &'a str,
    begin: i64,
    end: i64,
    warnings: usize,
    /// The first policy's policy-domain (the domain the report is about).
    policy_domain: Option<&'a str>,
    /// Every policy-domain of the report, in order, without repeats.
    policy_domains: Vec<&'a str>,
    #[serde(flatten)]
    totals: TlsTotals,
}

#[derive(Serialize)]
struct Failure<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct FullTls<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    kind: &'static str,
    #[serde(flatten)]
    report: &'a TlsReport,
    warnings: &'a [Warning],
}

/// One failure report, whole (nothing is redacted: `ruad parse` reads local files).
#[derive(Serialize)]
struct FullFailure<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    kind: &'static str,
    /// Reported-Domain, else the From domain of the original message.
    policy_domain: Option<String>,
    #[serde(flatten)]
    report: &'a FailureReport,
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct FailureSummary<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    kind: &'static str,
    policy_domain: Option<String>,
    source_ip: Option<&'a str>,
    auth_failure: &'a [String],
    arrival_date: Option<i64>,
    delivery_result: Option<&'a str>,
    incidents: u64,
    warnings: usize,
}

/// The members of a serialized JSON object: the text between its outer braces.
fn object_members(object: &str) -> &str {
    object
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(object)
}

fn handler_error(e: impl std::error::Error + Send + Sync + 'static) -> ParseError {
    ParseError::Handler(Box::new(e))
}

impl<W: Write> Printer<'_, W> {
    fn line(&mut self, value: &impl Serialize) -> Result<(), ParseError> {
        let result = serde_json::to_writer(&mut *self.out, value)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        result.map_err(|e| {
            let shown = io::Error::new(e.kind(), e.to_string());
            self.write_error = Some(e);
            handler_error(shown)
        })
    }

    fn full_aggregate(
        &mut self,
        origin: &Origin,
        report: &mut AggregateReader<'_>,
    ) -> Result<(), ParseError> {
        let mut spool = tempfile::SpooledTempFile::new(8 << 20);
        let mut first = true;
        while let Some(record) = report.next_record()? {
            if !first {
                spool.write_all(b",").map_err(handler_error)?;
            }
            first = false;
            serde_json::to_writer(&mut spool, &record).map_err(handler_error)?;
        }
        let (header, warnings) = report.finish()?;
        let head = serde_json::to_string(&Head::new(self.file, origin)).map_err(handler_error)?;
        let header = serde_json::to_string(&header).map_err(handler_error)?;
        let warnings = serde_json::to_string(&warnings).map_err(handler_error)?;
        // Splice the objects' members into one object: strip exactly the outer braces (the
        // header ends in a nested object, whose own `}` must stay).
        let head = object_members(&head);
        let header = object_members(&header);
        let write = |out: &mut W, spool: &mut tempfile::SpooledTempFile| -> io::Result<()> {
            out.write_all(b"{")?;
            out.write_all(head.as_bytes())?;
            if !head.is_empty() {
                out.write_all(b",")?;
            }
            out.write_all(b"\"kind\":\"dmarc_aggregate\"")?;
            if !header.is_empty() {
                out.write_all(b",")?;
                out.write_all(header.as_bytes())?;
            }
            out.write_all(b",\"records\":[")?;
            spool.rewind()?;
            io::copy(spool, out)?;
            out.write_all(b"],\"warnings\":")?;
            out.write_all(warnings.as_bytes())?;
            out.write_all(b"}\n")
        };
        write(self.out, &mut spool).map_err(|e| {
            let shown = io::Error::new(e.kind(), e.to_string());
            self.write_error = Some(e);
            handler_error(shown)
        })
    }
}

impl<W: Write> ReportHandler for Printer<'_, W> {
    fn aggregate(
        &mut self,
        origin: &Origin,
        report: &mut AggregateReader<'_>,
    ) -> Result<(), ParseError> {
        if !self.summary {
            self.full_aggregate(origin, report)?;
            self.reports += 1;
            return Ok(());
        }
        let mut totals = AggregateTotals::default();
        while let Some(record) = report.next_record()? {
            totals.add(&record);
        }
        let (header, warnings) = report.finish()?;
        let meta = &header.report_metadata;
        self.line(&AggregateSummary {
            head: Head::new(self.file, origin),
            kind: "dmarc_aggregate",
            org_name: &meta.org_name,
            report_id: &meta.report_id,
            begin: meta.date_range.begin,
            end: meta.date_range.end,
            warnings: warnings.len(),
            policy_domain: &header.policy_published.domain,
            totals,
        })?;
        self.reports += 1;
        Ok(())
    }

    fn tls(
        &mut self,
        origin: &Origin,
        report: TlsReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        if self.summary {
            let mut policy_domains: Vec<&str> = Vec::new();
            for p in &report.policies {
                let d = p.policy.policy_domain.as_str();
                if !policy_domains.contains(&d) {
                    policy_domains.push(d);
                }
            }
            self.line(&TlsSummary {
                head: Head::new(self.file, origin),
                kind: "tls_report",
                org_name: &report.organization_name,
                report_id: &report.report_id,
                begin: report.date_range.begin,
                end: report.date_range.end,
                warnings: warnings.len(),
                policy_domain: policy_domains.first().copied(),
                policy_domains,
                totals: TlsTotals::from(&report),
            })?;
        } else {
            self.line(&FullTls {
                head: Head::new(self.file, origin),
                kind: "tls_report",
                report: &report,
                warnings: &warnings,
            })?;
        }
        self.reports += 1;
        Ok(())
    }

    fn failure(
        &mut self,
        origin: &Origin,
        report: FailureReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        if self.summary {
            self.line(&FailureSummary {
                head: Head::new(self.file, origin),
                kind: "failure_report",
                policy_domain: report.policy_domain(),
                source_ip: report.source_ip.as_deref(),
                auth_failure: &report.auth_failure,
                arrival_date: report.arrival_date,
                delivery_result: report.delivery_result.as_deref(),
                incidents: report.message_count(),
                warnings: warnings.len(),
            })?;
        } else {
            self.line(&FullFailure {
                head: Head::new(self.file, origin),
                kind: "failure_report",
                policy_domain: report.policy_domain(),
                report: &report,
                warnings: &warnings,
            })?;
        }
        self.reports += 1;
        Ok(())
    }

    fn failed(&mut self, origin: &Origin, error: ParseError) {
        self.failures += 1;
        if self.write_error.is_some() {
            return;
        }
        let _ = self.line(&Failure {
            head: Head::new(self.file, origin),
            error: ErrorBody {
                code: error.code(),
                message: error.to_string(),
            },
        });
    }
}
