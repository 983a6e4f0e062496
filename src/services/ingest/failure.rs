//! The failure report arm of ingestion: files a DMARC failure report under the registered
//! domain it is about (`Reported-Domain`, else the From domain of the failing message),
//! redacts it as the filing tenant's `failure_report_privacy` says, and stores it once.
//!
//! # Privacy
//! - `redacted` (default): the failing message's body, its Subject (and Thread-Topic,
//!   Keywords, Comments), the report email's Subject (reporters copy the failing subject into
//!   it) and the DKIM canonicalized header and body are dropped; the local part of every
//!   address (envelope sender and recipients, addresses in any kept header, in
//!   Authentication-Results, in `DKIM-Identity`) becomes `#` and 16 hex digits of
//!   HMAC-SHA256 under a random per-tenant key: the same address always gives the same
//!   value within the tenant, so senders can be counted, but it cannot be read back nor
//!   matched across tenants. Message-IDs are kept, so the domain owner can find the message
//!   in its own logs.
//! - `headers`: everything but the body and the DKIM canonicalized body, as sent.
//! - `full`: everything, and the raw message is kept as the report's upload.
//!
//! Except under `full`, the raw bytes are not kept: the upload row of the bytes is stored (or
//! emptied) without data, so a DMARC or TLS report that came in the same upload (an mbox)
//! loses its raw download too rather than exposing the failure report through it.
//!
//! Dedup: the content hash is SHA-256 of the parsed report's JSON before redaction, so the
//! same report twice is a duplicate whatever the privacy mode was at either time.

use super::{Handler, IngestFailure, Ingested, Lookup, TxError};
use crate::domain::event::{Event, FailureReportReceived};
use crate::domain::failure::{FailurePrivacy, FailureReport, HeaderField};
use crate::domain::job::JobKind;
use crate::reports::{Origin, ParseError, Warning};
use crate::storage::failures::{self, KIND_FAILURE, NewFailure};
use crate::storage::reports::NewUpload;
use crate::storage::{DbConnection, StorageError, jobs, now};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Header fields of the failing message dropped under `redacted`: free text a person wrote.
const PERSONAL_HEADERS: &[&str] = &["subject", "thread-topic", "keywords", "comments"];
/// Header fields whose values are kept as sent under `redacted` (message ids, which tie the
/// report to the sender's own logs).
const ID_HEADERS: &[&str] = &["message-id", "references", "in-reply-to"];

/// The keyed hash of one local part: `#` and 16 hex digits of HMAC-SHA256.
fn hash_local(local: &str, key: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return "#".into();
    };
    mac.update(local.to_lowercase().as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("#{}", hex::encode(&digest[..8]))
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || !c.is_ascii()
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.' || !c.is_ascii()
}

/// Replaces the local part of every `local@domain` in `text` with its keyed hash. A
/// `ptype.property=` prefix glued to an address (`smtp.mailfrom=user@example.com` in
/// Authentication-Results) is kept as it is.
pub(crate) fn hash_addresses(text: &str, key: &[u8]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut pending_start = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > pending_start && is_local_char(chars[start - 1]) {
                start -= 1;
            }
            start += property_prefix(&chars[start..i]);
            let domain_len = chars[i + 1..]
                .iter()
                .take_while(|c| is_domain_char(**c))
                .count();
            if start < i && domain_len > 0 {
                out.extend(&chars[pending_start..start]);
                let local: String = chars[start..i].iter().collect();
                out.push_str(&hash_local(&local, key));
                pending_start = i;
            }
        }
        i += 1;
    }
    out.extend(&chars[pending_start..]);
    out
}

/// The length of a leading `word.word=` (an RFC 8601 property) in a local-part candidate.
fn property_prefix(candidate: &[char]) -> usize {
    let Some(eq) = candidate.iter().position(|c| *c == '=') else {
        return 0;
    };
    let name: String = candidate[..eq].iter().collect();
    match name.split_once('.') {
        Some((ptype, property))
            if !ptype.is_empty()
                && !property.is_empty()
                && ptype.chars().all(|c| c.is_ascii_alphabetic())
                && property
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-') =>
        {
            eq + 1
        }
        _ => 0,
    }
}

fn hash_opt(value: &Option<String>, key: &[u8]) -> Option<String> {
    value.as_deref().map(|v| hash_addresses(v, key))
}

/// The report as the tenant keeps it under `privacy`.
pub(crate) fn redact(report: &FailureReport, privacy: FailurePrivacy, key: &[u8]) -> FailureReport {
    let mut r = report.clone();
    match privacy {
        FailurePrivacy::Full => {}
        FailurePrivacy::Headers => {
            r.dkim_canonicalized_body = None;
            if let Some(original) = &mut r.original {
                original.body = None;
            }
        }
        FailurePrivacy::Redacted => {
            r.dkim_canonicalized_header = None;
            r.dkim_canonicalized_body = None;
            r.original_mail_from = hash_opt(&r.original_mail_from, key);
            r.original_rcpt_to = r
                .original_rcpt_to
                .iter()
                .map(|a| hash_addresses(a, key))
                .collect();
            r.authentication_results = r
                .authentication_results
                .iter()
                .map(|a| hash_addresses(a, key))
                .collect();
            r.dkim_identity = hash_opt(&r.dkim_identity, key);
            r.reporter.from = hash_opt(&r.reporter.from, key);
            r.reporter.subject = None;
            if let Some(original) = &mut r.original {
                original.body = None;
                original.subject = None;
                original.from = hash_opt(&original.from, key);
                original.to = original.to.iter().map(|a| hash_addresses(a, key)).collect();
                original.headers = original
                    .headers
                    .iter()
                    .filter(|h| !PERSONAL_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()))
                    .map(|h| {
                        let lower = h.name.to_ascii_lowercase();
                        let value = if ID_HEADERS.contains(&lower.as_str()) {
                            h.value.clone()
                        } else {
                            hash_addresses(&h.value, key)
                        };
                        HeaderField {
                            name: h.name.clone(),
                            value,
                        }
                    })
                    .collect();
            }
        }
    }
    r
}

/// SHA-256 of the parsed report's JSON (before redaction).
fn content_hash(report: &FailureReport) -> Result<String, serde_json::Error> {
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(report)?)))
}

fn storage(e: impl Into<anyhow::Error>) -> ParseError {
    ParseError::Handler(Box::new(StorageError::Other(e.into())))
}

/// The upload row of bytes whose raw copy must not be kept: made without data, or emptied.
fn withhold_upload(
    conn: &mut DbConnection,
    tenant_id: &crate::domain::ids::TenantId,
    upload: &NewUpload,
) -> Result<(), TxError> {
    let emptied = failures::drop_upload_data(conn, tenant_id, &upload.sha256)?;
    if emptied == 0 {
        let empty = NewUpload {
            compressed: Vec::new(),
            ..upload.clone()
        };
        crate::storage::reports::find_or_insert_upload(conn, tenant_id, &empty)?;
    }
    Ok(())
}

impl Handler<'_> {
    /// Files, redacts and stores one failure report (see the module docs).
    pub(super) fn store_failure(
        &mut self,
        origin: &Origin,
        report: FailureReport,
        warnings: Vec<Warning>,
    ) -> Result<(), ParseError> {
        let Some(policy_domain) = report.policy_domain() else {
            self.unfiled(
                origin,
                IngestFailure::DomainNotRegistered {
                    domain: String::new(),
                },
            );
            return Ok(());
        };
        let filed = match self.file_under(origin, &policy_domain)? {
            Lookup::Filed(filed) => filed,
            Lookup::NotRegistered => {
                let error = self.not_registered(policy_domain);
                self.unfiled(origin, error);
                return Ok(());
            }
            Lookup::Recorded => return Ok(()),
        };
        // Everything but the transaction happens before the writer is taken.
        let hash = content_hash(&report).map_err(storage)?;
        // Made once per tenant: only then is the writer taken for them.
        let found = self
            .db
            .read(|conn| failures::find_settings(conn, &filed.tenant_id))
            .map_err(|e| ParseError::Handler(Box::new(e)))?;
        let settings = match found {
            Some(settings) => settings,
            None => self
                .db
                .write(|conn| failures::ensure_settings(conn, &filed.tenant_id))
                .map_err(|e| ParseError::Handler(Box::new(e)))?,
        };
        let key = hex::decode(&settings.hash_key).unwrap_or_default();
        let kept = redact(&report, settings.privacy, &key);
        let new = NewFailure {
            tenant_id: filed.tenant_id.clone(),
            domain_id: filed.domain_id.clone(),
            upload_id: None,
            origin: serde_json::to_string(origin).unwrap_or_else(|_| "[]".into()),
            content_hash: hash,
            privacy: settings.privacy,
            policy_domain: policy_domain.clone(),
            reporter: report
                .reporter
                .from
                .as_deref()
                .and_then(|a| a.rsplit_once('@'))
                .map(|(_, d)| d.to_ascii_lowercase()),
            source_ip: report.source_ip.clone(),
            auth_failures: report.auth_failure.clone(),
            delivery_result: report.delivery_result.clone(),
            arrival_ts: report.arrival_date.unwrap_or_else(now),
            incidents: i64::try_from(report.message_count()).unwrap_or(i64::MAX),
            original_mail_from: kept.original_mail_from.clone(),
            header_from: kept.original.as_ref().and_then(|o| o.from.clone()),
            report: serde_json::to_string(&kept).map_err(storage)?,
            warnings: serde_json::to_string(&warnings).map_err(storage)?,
        };
        let upload = &self.upload;
        let full = settings.privacy == FailurePrivacy::Full;
        let result = super::write_report(self.db, |conn| {
            if let Some(id) =
                failures::find_failure_by_hash(conn, &new.tenant_id, &new.content_hash)?
            {
                return Err(TxError::Duplicate(id));
            }
            let mut row = new.clone();
            if full {
                row.upload_id = Some(crate::storage::reports::find_or_insert_upload(
                    conn,
                    &row.tenant_id,
                    upload,
                )?);
            } else {
                withhold_upload(conn, &row.tenant_id, upload)?;
            }
            let id = failures::insert_failure(conn, &row)?;
            let data = serde_json::to_value(FailureReportReceived {
                failure_id: id.clone(),
                domain: filed.name.clone(),
                domain_id: row.domain_id.clone(),
                policy_domain: row.policy_domain.clone(),
                source_ip: row.source_ip.clone(),
                auth_failures: row.auth_failures.clone(),
                arrival: row.arrival_ts,
                incidents: row.incidents,
            })
            .map_err(|e| TxError::Storage(StorageError::Other(e.into())))?;
            crate::storage::webhooks::emit(
                conn,
                &row.tenant_id,
                Event::FailureReportReceived,
                &data,
                now(),
            )?;
            // The failure burst rule reads these counts.
            jobs::enqueue_unique(
                conn,
                Some(&row.tenant_id),
                JobKind::EvaluateIssues,
                &serde_json::json!({ "domain_id": row.domain_id }),
                now(),
            )?;
            Ok(id)
        });
        let (id, duplicate) = match result {
            Ok(id) => (id, false),
            Err(TxError::Duplicate(id)) => (id, true),
            Err(TxError::Storage(e)) => return Err(ParseError::Handler(Box::new(e))),
            Err(TxError::Expired(_)) => {
                return Err(ParseError::Handler(Box::new(StorageError::Other(
                    anyhow::anyhow!("a failure report has no versions to expire"),
                ))));
            }
        };
        self.push(Ingested::Stored {
            id,
            kind: KIND_FAILURE,
            policy_domain,
            domain: filed.name.clone(),
            duplicate,
            conflict: false,
            origin: origin.clone(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::failure::{OriginalMessage, ReporterInfo};

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn report() -> FailureReport {
        FailureReport {
            feedback_type: "auth-failure".into(),
            version: Some("1".into()),
            user_agent: None,
            auth_failure: vec!["dmarc".into()],
            reported_domain: Some("example.com".into()),
            source_ip: Some("192.0.2.1".into()),
            arrival_date: Some(1_700_000_000),
            original_mail_from: Some("Alice.Smith@example.com".into()),
            original_rcpt_to: vec!["bob@receiver.example".into()],
            original_envelope_id: None,
            authentication_results: vec![
                "mx.receiver.example; spf=fail smtp.mailfrom=alice.smith@example.com".into(),
            ],
            dkim_domain: None,
            dkim_identity: Some("@example.com".into()),
            dkim_selector: None,
            dkim_canonicalized_header: Some("RnJvbTogQWxpY2U=".into()),
            dkim_canonicalized_body: Some("SGVsbG8=".into()),
            spf_dns: vec![],
            delivery_result: Some("reject".into()),
            identity_alignment: vec![],
            reporting_mta: None,
            incidents: None,
            reporter: ReporterInfo {
                from: Some("dmarc@receiver.example".into()),
                date: None,
                message_id: None,
                subject: Some("FW: salary review".into()),
            },
            original: Some(OriginalMessage {
                headers_only: false,
                from: Some("alice.smith@example.com".into()),
                to: vec!["bob@receiver.example".into()],
                subject: Some("salary review".into()),
                date: None,
                message_id: Some("abc@example.com".into()),
                headers: vec![
                    HeaderField {
                        name: "Received".into(),
                        value: "from x by y for <bob@receiver.example>".into(),
                    },
                    HeaderField {
                        name: "Subject".into(),
                        value: "salary review".into(),
                    },
                    HeaderField {
                        name: "Message-ID".into(),
                        value: "<abc@example.com>".into(),
                    },
                ],
                body: Some("Dear Bob".into()),
            }),
        }
    }

    #[test]
    fn the_same_local_part_hashes_the_same_whatever_its_case_and_keeps_its_domain() {
        let a = hash_addresses("Alice.Smith@example.com", KEY);
        let b = hash_addresses("<alice.smith@example.com>", KEY);
        assert!(a.starts_with('#') && a.ends_with("@example.com"), "{a}");
        assert_eq!(format!("<{a}>"), b);
        assert!(!a.to_lowercase().contains("alice"));
        assert_ne!(a, hash_addresses("carol@example.com", KEY));
        assert_ne!(a, hash_addresses("alice.smith@example.com", b"another key"));
    }

    #[test]
    fn an_authentication_results_property_keeps_its_name() {
        let text = "mx.example; spf=fail smtp.mailfrom=bounces+12=163.com@em.example.net; \
                    dkim=pass header.i=@example.net";
        let hashed = hash_addresses(text, KEY);
        assert!(hashed.contains("smtp.mailfrom=#"), "{hashed}");
        assert!(hashed.contains("@em.example.net;"), "{hashed}");
        assert!(!hashed.contains("bounces"), "{hashed}");
        assert!(hashed.ends_with("header.i=@example.net"), "{hashed}");
    }

    proptest::proptest! {
        #[test]
        fn hashing_never_panics_and_never_leaves_a_local_part(
            before in "[ -~]{0,20}",
            local in "[a-z][a-z0-9.+_-]{5,20}",
            domain in "[a-z]{1,10}\\.[a-z]{2,5}",
            after in "[ -~]{0,20}",
        ) {
            let text = format!("{before} <{local}@{domain}> {after}");
            let hashed = hash_addresses(&text, KEY);
            proptest::prop_assert!(!hashed.contains(&format!("{local}@")), "{}", hashed);
            proptest::prop_assert!(hashed.contains(&format!("@{domain}>")), "{}", hashed);
            let _ = hash_addresses(&before, KEY);
        }
    }

    #[test]
    fn text_without_an_address_is_left_as_it_is() {
        for text in ["no address here", "@example.com", "user@", "<id@ host>", ""] {
            assert_eq!(hash_addresses(text, KEY), text);
        }
    }

    #[test]
    fn redacted_drops_body_and_subjects_and_hashes_every_local_part() {
        let kept = redact(&report(), FailurePrivacy::Redacted, KEY);
        let json = serde_json::to_string(&kept).unwrap_or_default();
        for secret in [
            "alice",
            "Alice",
            "bob@",
            "salary",
            "Dear Bob",
            "RnJvbTogQWxpY2U=",
        ] {
            assert!(!json.contains(secret), "{secret} survived: {json}");
        }
        let original = kept.original.unwrap_or_default();
        assert!(original.body.is_none() && original.subject.is_none());
        assert_eq!(original.message_id.as_deref(), Some("abc@example.com"));
        assert!(original.headers.iter().all(|h| h.name != "Subject"));
        assert!(
            original
                .headers
                .iter()
                .any(|h| h.name == "Message-ID" && h.value == "<abc@example.com>")
        );
        assert_eq!(kept.source_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(kept.reporter.subject, None);
    }

    #[test]
    fn headers_keeps_addresses_but_not_the_body_and_full_keeps_everything() {
        let headers = redact(&report(), FailurePrivacy::Headers, KEY);
        let original = headers.original.clone().unwrap_or_default();
        assert_eq!(original.from.as_deref(), Some("alice.smith@example.com"));
        assert!(original.body.is_none());
        assert!(headers.dkim_canonicalized_body.is_none());
        assert_eq!(redact(&report(), FailurePrivacy::Full, KEY), report());
    }
}
