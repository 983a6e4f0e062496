//! Scheduled digests: what a tenant may ask for (checked here, once), the schedule's runs
//! (`domain::digest`), and the sending of one delivery per run of a `send_digest` job
//! (`crate::jobs::send_digest`); the scheduler is `crate::jobs::schedule_digests`.
//!
//! # One delivery
//! 1. The delivery and its digest are read; a deleted digest drops it, a disabled one fails
//!    it without an attempt (a manual send of a disabled digest is still made).
//! 2. The brand is the digest tenant's effective brand ([`brand_of`]); the language the
//!    digest's, else the brand's.
//! 3. The document (the domain's report for the period, or the tenant's portfolio) is
//!    rendered twice, HTML and PDF, by `services::documents`; a period without reports still
//!    renders, and says so.
//! 4. The mail (`outbound::smtp_submission`): `From` is `digest_from` with the brand's
//!    display name; the HTML document is the `text/html` part, a short summary the
//!    `text/plain` part, the PDF the attachment.
//! 5. The attempt is appended to the delivery's log with the job's next step, in one
//!    transaction under the job's lease (`storage::digests::record_attempt`): sent; a
//!    transient failure (no connection, timeout, TLS, a 4xx answer) is tried again after
//!    `backoff_base × 2^(attempt−1)` seconds (at most [`BACKOFF_MAX`]) until `max_attempts`;
//!    a 5xx answer, or no relay configured, fails the delivery at once.

use crate::domain::branding::{Branding, Language};
use crate::domain::digest::{Frequency, Period, Schedule, ScheduleError};
use crate::domain::ids::TenantId;
use crate::outbound::smtp_submission::{self, Mail, RelayConfig, SubmitError};
use crate::services::blocking;
use crate::services::metrics::Metrics;
use crate::storage::digests::{self as store, Attempt, Digest, Outcome};
use crate::storage::jobs::{self, Job, Lease};
use crate::storage::{Db, StorageResult, now};
use chrono::{DateTime, Utc};

/// Most recipients of one digest.
pub const MAX_RECIPIENTS: usize = 20;
/// Longest wait between two attempts, in seconds.
pub const BACKOFF_MAX: i64 = 6 * 3600;

/// Sending settings (see `app::settings` for the keys).
#[derive(Debug, Clone)]
pub struct DigestSettings {
    /// The relay (`smtp_relay_url`); `None`: digests cannot be sent.
    pub relay: Option<RelayConfig>,
    /// The `From` address (`digest_from`).
    pub from: Option<lettre::Address>,
    /// Attempts per delivery before it is `failed`.
    pub max_attempts: i32,
    /// Wait after the first failed attempt, in seconds; doubled after each further one.
    pub backoff_base: i64,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            relay: None,
            from: None,
            max_attempts: 8,
            backoff_base: 60,
        }
    }
}

impl DigestSettings {
    /// Whether digests can be sent: a relay and a `From` address are configured.
    pub fn can_send(&self) -> bool {
        self.relay.is_some() && self.from.is_some()
    }
}

/// What a digest request was refused for; each has its stable API code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("recipients must list between 1 and {MAX_RECIPIENTS} addresses")]
    RecipientCount,
    #[error("recipient {0:?} is not a valid email address")]
    Recipient(String),
    #[error("{0}")]
    Schedule(ScheduleError),
    #[error("frequency must be weekly or monthly")]
    Frequency,
    #[error("{0}")]
    Language(#[from] crate::domain::branding::UnsupportedLanguage),
}

impl From<ScheduleError> for DigestError {
    fn from(e: ScheduleError) -> Self {
        DigestError::Schedule(e)
    }
}

/// Checks and normalizes recipients: 1 to [`MAX_RECIPIENTS`] addresses, each one address
/// (no display name, no list), duplicates (ignoring case) removed, order kept.
pub fn parse_recipients(raw: &[String]) -> Result<Vec<String>, DigestError> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        let r = r.trim();
        let address: lettre::Address = r
            .parse()
            .map_err(|_| DigestError::Recipient(r.to_string()))?;
        let address = address.to_string();
        if !out.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            out.push(address);
        }
    }
    if out.is_empty() || out.len() > MAX_RECIPIENTS {
        return Err(DigestError::RecipientCount);
    }
    Ok(out)
}

/// The period a manual send reports on: the last complete period of the digest's schedule
/// at `now` (the one its latest scheduled run covered).
pub fn last_complete_period(schedule: &Schedule, now: i64) -> Period {
    let at = DateTime::<Utc>::from_timestamp(now, 0).unwrap_or_default();
    schedule.period_of(schedule.latest_run(at))
}

/// The next scheduled run after `now`, as stored in `next_run_at`.
pub fn next_run_at(schedule: &Schedule, now: i64) -> i64 {
    let at = DateTime::<Utc>::from_timestamp(now, 0).unwrap_or_default();
    schedule.next_run(at).timestamp()
}

/// The brand a digest of `tenant_id` is sent under: the tenant's effective branding.
pub fn brand_of(db: &Db, tenant_id: &TenantId) -> StorageResult<Branding> {
    db.read(|conn| crate::services::branding::effective(conn, tenant_id))
}

/// Seconds to wait after the `attempts`-th failed attempt.
pub fn retry_delay(attempts: i32, settings: &DigestSettings) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 40) as u32;
    // A base of 0 retries at once; the cap holds whatever the base.
    settings
        .backoff_base
        .saturating_mul(1i64 << doublings)
        .clamp(0, BACKOFF_MAX)
}

/// What follows a failed attempt: another one later, or giving up.
pub fn after_failure(
    error: &SubmitError,
    attempts: i32,
    now: i64,
    settings: &DigestSettings,
) -> Outcome {
    match error {
        SubmitError::Transient(_) if attempts < settings.max_attempts => {
            Outcome::RetryAt(now + retry_delay(attempts, settings))
        }
        _ => Outcome::Failed,
    }
}

/// The words of a digest mail in one language (subject and plain-text part).
struct Words {
    weekly: &'static str,
    monthly: &'static str,
    portfolio: &'static str,
    attached: &'static str,
    html_hint: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::En => Words {
            weekly: "weekly report",
            monthly: "monthly report",
            portfolio: "all domains",
            attached: "The full report is attached as a PDF.",
            html_hint: "Open this message as HTML to read the report in the message itself.",
        },
        Language::Nl => Words {
            weekly: "weekrapport",
            monthly: "maandrapport",
            portfolio: "alle domeinen",
            attached: "Het volledige rapport is bijgevoegd als pdf.",
            html_hint: "Open dit bericht als HTML om het rapport in het bericht zelf te lezen.",
        },
    }
}

/// The subject: `<brand>: <domain or all domains>, <weekly report> <first> – <last>`.
pub fn subject(
    brand: &Branding,
    language: Language,
    frequency: Frequency,
    subject: Option<&str>,
    period: Period,
) -> String {
    let w = words(language);
    let kind = match frequency {
        Frequency::Weekly => w.weekly,
        Frequency::Monthly => w.monthly,
    };
    format!(
        "{}: {}, {kind} {} – {}",
        brand.display_name,
        subject.unwrap_or(w.portfolio),
        period.first.format("%Y-%m-%d"),
        period.last.format("%Y-%m-%d"),
    )
}

/// The `text/plain` part: the subject line, where the report is, and the brand's contact.
pub fn plain_text(brand: &Branding, language: Language, subject: &str) -> String {
    let w = words(language);
    let mut text = format!("{subject}\n\n{}\n{}\n", w.attached, w.html_hint);
    if let Some(contact) = &brand.support_contact {
        text.push_str(&format!("\n{contact}\n"));
    }
    if let Some(footer) = &brand.footer_text {
        text.push_str(&format!("\n{footer}\n"));
    }
    text
}

/// What one run of a `send_digest` job came to (the `outcome` label of
/// `ruad_digests_total`, with `lease_lost` not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Sent,
    Retry,
    Failed,
    Dropped,
    LeaseLost,
}

impl Sent {
    pub fn as_str(self) -> &'static str {
        match self {
            Sent::Sent => "sent",
            Sent::Retry => "retry",
            Sent::Failed => "failed",
            Sent::Dropped => "dropped",
            Sent::LeaseLost => "lease_lost",
        }
    }
}

/// The rendered HTML and PDF of a digest, with the domain's name (`None`: the portfolio).
pub struct Documents {
    pub domain: Option<String>,
    pub html: String,
    pub pdf_file_name: String,
    pub pdf: Vec<u8>,
}

/// Runs one `send_digest` job held under `lease` (see the module header). An error (the
/// database, rendering) leaves the job to the runner's generic retry.
pub async fn send(
    db: &Db,
    settings: &DigestSettings,
    metrics: &Metrics,
    job: &Job,
    lease: &Lease,
) -> anyhow::Result<Sent> {
    let delivery_id = job.digest_delivery_id()?;
    let found = {
        let (db, id) = (db.clone(), delivery_id.clone());
        blocking(move || {
            db.read(|conn| store::find_delivery(conn, &id))
                .map_err(anyhow::Error::from)
        })
        .await?
    };
    let (delivery, digest) = match found {
        Some((d, g)) if d.status == store::QUEUED => (d, g),
        _ => {
            let (db, lease) = (db.clone(), lease.clone());
            blocking(move || {
                db.write(|conn| jobs::complete(conn, &lease))
                    .map_err(anyhow::Error::from)
            })
            .await?;
            metrics.digest(Sent::Dropped.as_str());
            return Ok(Sent::Dropped);
        }
    };
    if !digest.enabled && delivery.trigger == store::SCHEDULE {
        return abandon(db, metrics, lease, &delivery.id, "the digest is disabled").await;
    }
    let at = now();
    let attempts = delivery.attempts.saturating_add(1);
    let submitted = match (&settings.relay, &settings.from) {
        (Some(relay), Some(from)) => {
            let mail = compose(db, &digest, delivery.period(), from).await?;
            smtp_submission::submit(relay, &mail).await
        }
        _ => Err(SubmitError::Permanent(
            "no SMTP relay is configured (RUAD_SMTP_RELAY_URL and RUAD_DIGEST_FROM)".into(),
        )),
    };
    let attempt = match submitted {
        Ok(s) => Attempt {
            at,
            reply: s.response,
            outcome: Outcome::Sent {
                message_id: s.message_id,
            },
        },
        Err(e) => Attempt {
            at,
            outcome: after_failure(&e, attempts, now(), settings),
            reply: e.to_string(),
        },
    };
    let mut result = match attempt.outcome {
        Outcome::Sent { .. } => Sent::Sent,
        Outcome::RetryAt(_) => Sent::Retry,
        Outcome::Failed => Sent::Failed,
    };
    if result != Sent::Sent {
        tracing::info!(delivery = %delivery.id, digest = %digest.id, attempts, outcome = ?attempt.outcome, reply = %attempt.reply, "digest not sent");
    }
    let (dbc, held_lease, id) = (db.clone(), lease.clone(), delivery.id.clone());
    let held = blocking(move || {
        dbc.write(|conn| store::record_attempt(conn, &held_lease, &id, &attempt))
            .map_err(anyhow::Error::from)
    })
    .await?;
    if !held {
        tracing::warn!(delivery = %delivery.id, job = %job.id, "digest attempt not recorded: the job's lease was lost");
        result = Sent::LeaseLost;
    } else {
        metrics.digest(result.as_str());
    }
    Ok(result)
}

async fn abandon(
    db: &Db,
    metrics: &Metrics,
    lease: &Lease,
    id: &crate::domain::ids::DigestDeliveryId,
    reason: &'static str,
) -> anyhow::Result<Sent> {
    let (db, lease, id) = (db.clone(), lease.clone(), id.clone());
    let held = blocking(move || {
        db.write(|conn| store::abandon_delivery(conn, &lease, &id, reason))
            .map_err(anyhow::Error::from)
    })
    .await?;
    if held {
        metrics.digest(Sent::Dropped.as_str());
        Ok(Sent::Dropped)
    } else {
        Ok(Sent::LeaseLost)
    }
}

/// Renders the digest's documents and puts the mail together.
async fn compose(
    db: &Db,
    digest: &Digest,
    period: Period,
    from: &lettre::Address,
) -> anyhow::Result<Mail> {
    let schedule = digest.schedule().map_err(anyhow::Error::msg)?;
    let (dbc, d) = (db.clone(), digest.clone());
    let (brand, documents) = blocking(move || {
        let brand = brand_of(&dbc, &d.tenant_id)?;
        let language = d
            .language
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(brand.language);
        let documents = render(&dbc, &d, period, &brand, language)?;
        Ok::<_, anyhow::Error>(((brand, language), documents))
    })
    .await?;
    let (brand, language) = brand;
    let subject = subject(
        &brand,
        language,
        schedule.frequency(),
        documents.domain.as_deref(),
        period,
    );
    let recipients = digest
        .recipients()
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    Ok(Mail {
        from_name: brand.display_name.clone(),
        from: from.clone(),
        to: recipients,
        text: plain_text(&brand, language, &subject),
        subject,
        html: documents.html,
        attachment: Some((
            documents.pdf_file_name,
            "application/pdf".into(),
            documents.pdf,
        )),
    })
}

/// Renders the digest's document for `period` in HTML and PDF, as the digest's tenant sees
/// it (its subtree), under `brand` in `language`.
fn render(
    db: &Db,
    digest: &Digest,
    period: Period,
    brand: &Branding,
    language: Language,
) -> anyhow::Result<Documents> {
    use crate::services::documents::{self, DayRange, Format, Subject};
    let tenant = db
        .read(|conn| crate::storage::tenants::find_tenant_unscoped(conn, &digest.tenant_id))?
        .ok_or_else(|| anyhow::anyhow!("the digest's tenant {} is gone", digest.tenant_id))?;
    let scope = tenant.scope();
    let (first, last) = period.epoch_days();
    let days = DayRange { first, last };
    let (subject, domain) = match &digest.domain_id() {
        Some(id) => {
            let domain = db
                .read(|conn| crate::storage::domains::find_domain_by_id(conn, id))?
                .ok_or_else(|| anyhow::anyhow!("the digest's domain {id} is gone"))?;
            (
                Subject::Domain {
                    domain: domain.id.to_string(),
                    days,
                },
                Some(domain.name),
            )
        }
        None => (Subject::Portfolio { days }, None),
    };
    let at = now();
    let html = documents::render(db, &scope, &subject, Format::Html, brand, language, at)
        .map_err(|e| anyhow::anyhow!("rendering the HTML document: {e}"))?;
    let pdf = documents::render(db, &scope, &subject, Format::Pdf, brand, language, at)
        .map_err(|e| anyhow::anyhow!("rendering the PDF document: {e}"))?;
    Ok(Documents {
        domain,
        html: String::from_utf8_lossy(&html.bytes).into_owned(),
        pdf_file_name: pdf.file_name,
        pdf: pdf.bytes,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn recipients_are_checked_deduplicated_and_bounded() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_recipients(&list(&[" a@example.com", "A@example.com", "b@example.org"])),
            Ok(list(&["a@example.com", "b@example.org"]))
        );
        assert_eq!(parse_recipients(&[]), Err(DigestError::RecipientCount));
        for bad in [
            "not-an-address",
            "A <a@example.com>",
            "a@example.com, b@example.com",
            "",
        ] {
            assert_eq!(
                parse_recipients(&list(&[bad])),
                Err(DigestError::Recipient(bad.trim().to_string())),
                "{bad}"
            );
        }
        let many: Vec<String> = (0..=MAX_RECIPIENTS)
            .map(|i| format!("r{i}@example.com"))
            .collect();
        assert_eq!(parse_recipients(&many), Err(DigestError::RecipientCount));
        assert!(parse_recipients(&many[..MAX_RECIPIENTS]).is_ok());
    }

    #[test]
    fn transient_failures_are_retried_with_backoff_and_permanent_ones_are_not() {
        let settings = DigestSettings {
            max_attempts: 3,
            backoff_base: 60,
            ..Default::default()
        };
        let transient = SubmitError::Transient("451 4.3.0 try later".into());
        let permanent = SubmitError::Permanent("550 5.1.1 no such user".into());
        assert_eq!(
            after_failure(&transient, 1, 1000, &settings),
            Outcome::RetryAt(1060)
        );
        assert_eq!(
            after_failure(&transient, 2, 1000, &settings),
            Outcome::RetryAt(1120)
        );
        assert_eq!(
            after_failure(&transient, 3, 1000, &settings),
            Outcome::Failed
        );
        assert_eq!(
            after_failure(&permanent, 1, 1000, &settings),
            Outcome::Failed
        );
        let capped = DigestSettings {
            backoff_base: 3600,
            ..settings
        };
        assert_eq!(retry_delay(10, &capped), BACKOFF_MAX);
    }

    #[test]
    fn a_manual_send_reports_on_the_last_complete_period() {
        // Mondays 08:00 UTC; on Wednesday 2026-12-09 the last complete week is 30 November
        // to 6 December (the one the run of Monday 7 December covered).
        let s = Schedule::new(Frequency::Weekly, 1, 8, "UTC").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-09T12:00:00Z")
            .unwrap()
            .timestamp();
        let p = last_complete_period(&s, now);
        assert_eq!(
            (p.first.to_string(), p.last.to_string()),
            ("2026-11-30".into(), "2026-12-06".into())
        );
        assert_eq!(
            next_run_at(&s, now),
            DateTime::parse_from_rfc3339("2026-12-14T08:00:00Z")
                .unwrap()
                .timestamp()
        );
    }

    #[test]
    fn the_subject_names_the_brand_the_domain_and_the_period_in_the_language() {
        let brand = Branding {
            display_name: "Acme Security".into(),
            ..Branding::ruad()
        };
        let period = Period::from_epoch_days(20_787, 20_793);
        assert_eq!(
            subject(
                &brand,
                Language::En,
                Frequency::Weekly,
                Some("example.com"),
                period
            ),
            "Acme Security: example.com, weekly report 2026-11-30 – 2026-12-06"
        );
        assert_eq!(
            subject(&brand, Language::Nl, Frequency::Monthly, None, period),
            "Acme Security: alle domeinen, maandrapport 2026-11-30 – 2026-12-06"
        );
    }
}
