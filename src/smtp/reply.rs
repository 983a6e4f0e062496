//! SMTP replies, and the reply a message's ingest outcome deserves (pure, so each rule is
//! tested on its own).

use crate::services::ingest::{IngestFailure, Ingested};
use crate::storage::StorageError;

/// One reply: code, enhanced status code (RFC 3463), text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub status: &'static str,
    pub text: String,
}

impl Reply {
    pub fn new(code: u16, status: &'static str, text: impl Into<String>) -> Reply {
        Reply {
            code,
            status,
            text: clean(&text.into()),
        }
    }

    /// The wire form, CRLF included.
    pub fn line(&self) -> String {
        if self.status.is_empty() {
            format!("{} {}\r\n", self.code, self.text)
        } else {
            format!("{} {} {}\r\n", self.code, self.status, self.text)
        }
    }

    pub fn is_temporary(&self) -> bool {
        (400..500).contains(&self.code)
    }

    pub fn is_permanent(&self) -> bool {
        self.code >= 500
    }
}

/// Reply text: one line of printable ASCII, bounded (it may quote a report's content).
fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .take(400)
        .collect();
    if text.chars().count() > 400 {
        out.push_str("...");
    }
    out
}

/// The reply for one recipient's ingest of a message.
pub fn for_outcome(result: &Result<Vec<Ingested>, StorageError>) -> Reply {
    let results = match result {
        Ok(results) => results,
        Err(e) => {
            tracing::warn!(error = %e, "a message could not be stored");
            return Reply::new(
                451,
                "4.3.0",
                "the report store is unavailable; try again later",
            );
        }
    };
    let mut stored = 0usize;
    let mut duplicate = 0usize;
    let mut refused = Vec::new();
    for r in results {
        match r {
            Ingested::Stored {
                duplicate: true, ..
            } => duplicate += 1,
            Ingested::Stored { .. } => stored += 1,
            Ingested::Failed { error, .. } => refused.push(error),
        }
    }
    if stored + duplicate > 0 {
        let mut text = format!("stored {stored} report(s), {duplicate} already stored");
        if let Some(first) = refused.first() {
            text.push_str(&format!(
                "; {} part(s) refused, first: {}",
                refused.len(),
                refusal(first).text
            ));
        }
        return Reply::new(250, "2.0.0", text);
    }
    match refused.first() {
        Some(first) => refusal(first),
        None => no_report(),
    }
}

fn no_report() -> Reply {
    Reply::new(
        554,
        "5.6.0",
        "the message holds no DMARC aggregate report or SMTP TLS report; this address receives reports only",
    )
}

/// Why one report (or part) was refused, as a permanent reply.
fn refusal(error: &IngestFailure) -> Reply {
    match error {
        IngestFailure::DomainNotRegistered { domain } => Reply::new(
            550,
            "5.7.1",
            format!(
                "report for {domain}, which is not registered for this report address; register the domain in ruad (or turn on auto_register_domains) and send again"
            ),
        ),
        IngestFailure::OtherDomain {
            domain,
            token_domain,
        } => Reply::new(
            550,
            "5.7.1",
            format!(
                "report for {domain}, but this address receives reports for {token_domain} only"
            ),
        ),
        IngestFailure::AmbiguousDomain { domain, .. } => Reply::new(
            550,
            "5.7.1",
            format!("report for {domain}, which several tenants hold"),
        ),
        IngestFailure::Expired { .. } => Reply::new(550, "5.7.1", error.to_string()),
        IngestFailure::Parse { code, message } => match *code {
            "empty_input" | "not_a_report" => Reply::new(
                554,
                "5.6.0",
                format!(
                    "the message holds no DMARC aggregate report or SMTP TLS report ({message})"
                ),
            ),
            "limit_exceeded" => Reply::new(
                552,
                "5.3.4",
                format!("the message exceeds a limit of the report reader: {message}"),
            ),
            _ => Reply::new(
                554,
                "5.6.0",
                format!("the report could not be read ({code}): {message}"),
            ),
        },
    }
}

/// One SMTP reply for several recipients' outcomes: all accepted → the first; any
/// temporary failure → it (a retry stores what is missing; dedup makes the rest harmless);
/// else the first permanent refusal.
pub fn combine(replies: &[Reply]) -> Reply {
    if let Some(temp) = replies.iter().find(|r| r.is_temporary()) {
        return temp.clone();
    }
    if let Some(perm) = replies.iter().find(|r| r.is_permanent()) {
        return perm.clone();
    }
    replies
        .first()
        .cloned()
        .unwrap_or_else(|| Reply::new(554, "5.5.1", "no valid recipients"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ReportId;
    use crate::reports::Origin;

    fn stored(duplicate: bool) -> Ingested {
        Ingested::Stored {
            id: ReportId::from("r"),
            kind: "dmarc_aggregate",
            policy_domain: "example.com".into(),
            domain: "example.com".into(),
            duplicate,
            conflict: false,
            origin: Origin::default(),
        }
    }

    fn failed(error: IngestFailure) -> Ingested {
        Ingested::Failed {
            origin: Origin::default(),
            error,
        }
    }

    #[test]
    fn a_stored_or_duplicate_report_is_250() {
        let r = for_outcome(&Ok(vec![stored(false), stored(true)]));
        assert_eq!((r.code, r.status), (250, "2.0.0"));
        assert!(
            r.text.contains("stored 1 report(s), 1 already stored"),
            "{}",
            r.text
        );
    }

    #[test]
    fn storage_trouble_is_451_so_the_sender_retries() {
        let r = for_outcome(&Err(StorageError::Unavailable("down".into())));
        assert_eq!((r.code, r.status), (451, "4.3.0"));
        assert!(!r.text.contains("down"));
    }

    #[test]
    fn a_message_without_a_report_is_554_5_6_0() {
        let r = for_outcome(&Ok(vec![]));
        assert_eq!((r.code, r.status), (554, "5.6.0"));
        let r = for_outcome(&Ok(vec![failed(IngestFailure::Parse {
            code: "not_a_report",
            message: "plain text".into(),
        })]));
        assert_eq!((r.code, r.status), (554, "5.6.0"));
    }

    #[test]
    fn an_unregistered_domain_is_550_naming_it() {
        let r = for_outcome(&Ok(vec![failed(IngestFailure::DomainNotRegistered {
            domain: "other.example".into(),
        })]));
        assert_eq!((r.code, r.status), (550, "5.7.1"));
        assert!(r.text.contains("other.example"));
    }

    #[test]
    fn a_limit_is_552() {
        let r = for_outcome(&Ok(vec![failed(IngestFailure::Parse {
            code: "limit_exceeded",
            message: "decompressed size".into(),
        })]));
        assert_eq!((r.code, r.status), (552, "5.3.4"));
    }

    #[test]
    fn reply_text_is_one_printable_line() {
        let r = Reply::new(250, "2.0.0", "a\r\nb\u{e9}");
        assert_eq!(r.line(), "250 2.0.0 a??b?\r\n");
    }

    #[test]
    fn a_temporary_failure_wins_over_a_refusal_and_a_refusal_over_success() {
        let ok = Reply::new(250, "2.0.0", "ok");
        let temp = Reply::new(451, "4.3.0", "later");
        let perm = Reply::new(550, "5.7.1", "no");
        assert_eq!(combine(&[ok.clone(), perm.clone(), temp.clone()]), temp);
        assert_eq!(combine(&[ok.clone(), perm.clone()]), perm);
        assert_eq!(combine(&[ok.clone(), ok.clone()]), ok);
    }
}
