//! Where `ruad ingest` sends items: the ingest service on the configured database
//! ([`Direct`]), or a running server's upload endpoint ([`Remote`]).

use super::sources::Item;
use super::{Fatal, ItemError, ItemOutcome, ReportOutcome};
use crate::reports::Limits;
use crate::services::ingest::{self, AutoRegister, Ingested, Target, Upload};
use crate::services::metrics::Metrics;
use crate::storage::{Db, TenantScope};
use std::time::Duration;

/// Where items go.
pub enum Destination {
    Direct(Box<Direct>),
    Remote(Remote),
}

impl Destination {
    /// The largest item sent: the upload limit (the server's, or the configured one).
    pub fn max_item_bytes(&self) -> usize {
        match self {
            Destination::Direct(d) => d.limits.max_input_bytes as usize,
            Destination::Remote(r) => r.max_item_bytes,
        }
    }

    /// Ingests one item; [`Fatal`] stops the import.
    pub fn ingest(&self, item: &Item) -> Result<ItemOutcome, Fatal> {
        match self {
            Destination::Direct(d) => Ok(d.ingest(item)),
            Destination::Remote(r) => r.ingest(item),
        }
    }
}

/// The configured database, through `services::ingest` as the server would.
pub struct Direct {
    pub db: Db,
    pub scope: TenantScope,
    pub limits: Limits,
    pub metrics: Metrics,
    /// Register unknown report domains for the tenant (`--auto-register`): the reports are
    /// then filed under the tenant's own domains, not its subtree's.
    pub auto_register: Option<AutoRegister>,
}

impl Direct {
    fn ingest(&self, item: &Item) -> ItemOutcome {
        let upload = Upload {
            bytes: &item.bytes,
            content_type: None,
            file_name: item.file_name.as_deref(),
        };
        let target = match self.auto_register {
            None => Target::Scope(&self.scope),
            Some(auto) => Target::Tenant {
                scope: &self.scope,
                auto_register: Some(auto),
            },
        };
        match ingest::ingest(&self.db, &self.metrics, target, &upload, &self.limits) {
            Ok(results) => outcome_of(results),
            Err(e) => ItemOutcome::failed("storage", e.to_string()),
        }
    }
}

fn outcome_of(results: Vec<Ingested>) -> ItemOutcome {
    let mut outcome = ItemOutcome::default();
    for result in results {
        match result {
            Ingested::Stored {
                id,
                kind,
                domain,
                duplicate,
                conflict,
                ..
            } => outcome.reports.push(ReportOutcome {
                id: id.into_string(),
                kind: kind.to_string(),
                domain,
                duplicate,
                conflict,
            }),
            Ingested::Failed { error, .. } => outcome.errors.push(ItemError {
                code: error.code().to_string(),
                detail: error.to_string(),
            }),
        }
    }
    if outcome.reports.is_empty() && outcome.errors.is_empty() {
        return ItemOutcome::failed("no_report", "the item holds no report");
    }
    outcome
}

/// A running server: each item is one `POST /api/v1/reports`.
pub struct Remote {
    client: reqwest::blocking::Client,
    endpoint: String,
    key: String,
    max_item_bytes: usize,
    /// Attempts per item on a temporary failure (connection, 429, 5xx).
    attempts: u32,
    backoff: Duration,
}

impl Remote {
    /// A client for the server at `base_url` (its scheme and host; `/api/v1/reports` is
    /// appended), filing under `tenant` when given.
    pub fn new(
        base_url: &str,
        key: String,
        tenant: Option<&str>,
        max_item_bytes: usize,
    ) -> Result<Remote, Fatal> {
        let mut endpoint = url::Url::parse(base_url)
            .map_err(|e| Fatal(format!("--url {base_url}: {e}")))?
            .join("api/v1/reports")
            .map_err(|e| Fatal(format!("--url {base_url}: {e}")))?;
        if let Some(tenant) = tenant {
            endpoint.query_pairs_mut().append_pair("tenant_id", tenant);
        }
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(600))
            .connect_timeout(Duration::from_secs(20))
            .user_agent(concat!("ruad-ingest/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Fatal(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Remote {
            client,
            endpoint: endpoint.to_string(),
            key,
            max_item_bytes,
            attempts: 5,
            backoff: Duration::from_millis(500),
        })
    }

    fn ingest(&self, item: &Item) -> Result<ItemOutcome, Fatal> {
        let mut wait = self.backoff;
        let mut last = String::new();
        for attempt in 1..=self.attempts {
            if attempt > 1 {
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(30));
            }
            let sent = self
                .client
                .post(&self.endpoint)
                .bearer_auth(&self.key)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(item.bytes.clone())
                .send();
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = format!("request failed: {}", chain(&e));
                    continue;
                }
            };
            let status = response.status().as_u16();
            let body = response.bytes().unwrap_or_default();
            match status {
                201 => return Ok(outcome_of_response(&body, status)),
                401 | 403 => {
                    return Err(Fatal(format!(
                        "the server refused the key ({status}): {}",
                        problem_detail(&body)
                    )));
                }
                404 => {
                    return Err(Fatal(format!(
                        "the server answered 404: {}",
                        problem_detail(&body)
                    )));
                }
                408 | 429 | 500..=599 => {
                    last = format!("{status}: {}", problem_detail(&body));
                    continue;
                }
                _ => return Ok(outcome_of_response(&body, status)),
            }
        }
        Ok(ItemOutcome::failed(
            "unavailable",
            format!("gave up after {} attempts: {last}", self.attempts),
        ))
    }
}

/// A `201` upload answer, or a problem (with `errors` when the server gave them).
fn outcome_of_response(body: &[u8], status: u16) -> ItemOutcome {
    #[derive(serde::Deserialize)]
    struct Report {
        id: String,
        kind: String,
        domain: String,
        duplicate: bool,
        conflict: bool,
    }
    #[derive(serde::Deserialize)]
    struct Error {
        code: String,
        detail: String,
    }
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(default)]
        reports: Vec<Report>,
        #[serde(default)]
        errors: Vec<Error>,
        code: Option<String>,
        detail: Option<String>,
    }
    let Ok(answer) = serde_json::from_slice::<Answer>(body) else {
        return ItemOutcome::failed(
            "unexpected_answer",
            format!(
                "status {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ),
        );
    };
    let mut outcome = ItemOutcome {
        reports: answer
            .reports
            .into_iter()
            .map(|r| ReportOutcome {
                id: r.id,
                kind: r.kind,
                domain: r.domain,
                duplicate: r.duplicate,
                conflict: r.conflict,
            })
            .collect(),
        errors: answer
            .errors
            .into_iter()
            .map(|e| ItemError {
                code: e.code,
                detail: e.detail,
            })
            .collect(),
    };
    if outcome.reports.is_empty() && outcome.errors.is_empty() {
        outcome.errors.push(ItemError {
            code: answer.code.unwrap_or_else(|| format!("http_{status}")),
            detail: answer.detail.unwrap_or_default(),
        });
    }
    outcome
}

/// An error with its causes (reqwest's own message names only the outermost one).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn problem_detail(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned())
}
