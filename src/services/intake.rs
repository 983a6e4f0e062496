//! Mail intake routing: report addresses `<token>@<mail domain>` (`RUAD_MAIL_DOMAIN`), the
//! records a domain owner publishes to send reports there, and the ingestion of a message
//! for the tenant (or domain) its recipient names. Used by the SMTP/LMTP front door
//! (`crate::smtp`), the intake API (`api::intake`), and any channel that knows the tenant a
//! message is for (an IMAP mailbox: [`ingest_for_tenant`]).
//!
//! # Addresses
//! - A tenant's address files reports under that tenant's own registered domains only (not
//!   its subtree: DESIGN.md, Tenancy), so naming another tenant's domain never routes a
//!   report to it. When the tenant's effective `auto_register_domains` is true (own value,
//!   else the nearest ancestor's, else false), a report about a domain it has not registered
//!   registers that name's organizational domain (public suffix list) for it, DNS check
//!   queued ([`crate::services::domains::register_domain`]); otherwise the report is refused
//!   as `DomainNotRegistered`.
//! - A domain's own address files reports under that domain only (like the RFC 8460
//!   receiver's token).
//! - Matching ([`parse_recipient`]): the domain part is compared case-insensitively with the
//!   mail domain (a trailing dot ignored); the local part is lower-cased (tokens are lower
//!   case; senders and MTAs may change the case) and a `+anything` suffix is ignored, so
//!   `TOKEN+dmarc@…` reaches the same tenant. Anything else is another domain (never relayed)
//!   or an unknown address.
//!
//! Must not depend on `api`, `smtp`, `cli`, `jobs` or actix-web; everything here is
//! synchronous (call it on a blocking thread).

use crate::reports::Limits;
use crate::services::ingest::{self, AutoRegister, Ingested, Target, Upload};
use crate::services::metrics::Metrics;
use crate::storage::domains::{self, Domain};
use crate::storage::intake::{self, looks_like_token};
use crate::storage::{Db, StorageResult, TenantScope};

/// Why a recipient address is not a report address of this deployment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecipientError {
    /// Another domain than the mail domain: ruad never relays.
    #[error("{0} is not a domain this server receives mail for")]
    OtherDomain(String),
    /// The mail domain, but no report address has this local part.
    #[error("no report address {0}")]
    Unknown(String),
}

/// The token a recipient address names, if it is at `mail_domain` (see the module header
/// for the matching rules). Pure: the token may still be unknown.
pub fn parse_recipient(address: &str, mail_domain: &str) -> Result<String, RecipientError> {
    let address = address.trim();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(RecipientError::Unknown(address.to_string()));
    };
    let domain = domain.trim_end_matches('.');
    if !domain.eq_ignore_ascii_case(mail_domain.trim_end_matches('.')) {
        return Err(RecipientError::OtherDomain(domain.to_ascii_lowercase()));
    }
    let local = local
        .split('+')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if looks_like_token(&local) {
        Ok(local)
    } else {
        Err(RecipientError::Unknown(address.to_string()))
    }
}

/// Whom a report address delivers to.
#[derive(Debug, Clone)]
pub enum Recipient {
    /// A tenant's address: its own registered domains, and auto-registration when the
    /// tenant's effective `auto_register_domains` was true when the address was resolved.
    Tenant {
        scope: TenantScope,
        auto_register: bool,
    },
    /// A domain's own address.
    Domain(Domain),
}

impl Recipient {
    /// A key telling recipients apart: two addresses of the same target ingest once.
    pub fn key(&self) -> String {
        match self {
            Recipient::Tenant { scope, .. } => format!("t:{}", scope.tenant_id),
            Recipient::Domain(d) => format!("d:{}", d.id),
        }
    }
}

/// The tenant or domain `address` names; `Ok(Err(_))` when it names none.
pub fn resolve_recipient(
    db: &Db,
    address: &str,
    mail_domain: &str,
) -> StorageResult<Result<Recipient, RecipientError>> {
    let token = match parse_recipient(address, mail_domain) {
        Ok(token) => token,
        Err(e) => return Ok(Err(e)),
    };
    let unknown = || Ok(Err(RecipientError::Unknown(address.trim().to_string())));
    // Two queries per recipient: the address with its tenant's path, then the domain (a
    // domain address) or the tenant's inherited setting (a tenant address).
    db.read(|conn| {
        let Some((found, path)) = intake::find_address_with_path(conn, &token)? else {
            return unknown();
        };
        if let Some(domain_id) = &found.domain_id {
            return match domains::find_domain_by_id(conn, domain_id)? {
                Some(domain) => Ok(Ok(Recipient::Domain(domain))),
                None => unknown(),
            };
        }
        let setting = intake::auto_register_setting_at(conn, &found.tenant_id, &path)?;
        Ok(Ok(Recipient::Tenant {
            scope: TenantScope {
                tenant_id: found.tenant_id,
                path,
            },
            auto_register: setting.effective,
        }))
    })
}

/// Ingests one message for `recipient` (see [`crate::services::ingest::ingest`] for the
/// order and the durability promise). `check_dns`: queue a DNS check for a domain
/// registered on the way (periodic re-checks are on).
pub fn ingest_for(
    db: &Db,
    metrics: &Metrics,
    recipient: &Recipient,
    upload: &Upload<'_>,
    limits: &Limits,
    check_dns: bool,
) -> StorageResult<Vec<Ingested>> {
    match recipient {
        Recipient::Tenant {
            scope,
            auto_register,
        } => {
            let target = Target::Tenant {
                scope,
                auto_register: auto_register.then_some(AutoRegister { check_dns }),
            };
            ingest::ingest(db, metrics, target, upload, limits)
        }
        Recipient::Domain(domain) => {
            ingest::ingest(db, metrics, Target::Domain(domain), upload, limits)
        }
    }
}

/// Ingests one message for the tenant `tenant` (its own scope, `Tenant::scope()`): its
/// reports are filed under the tenant's own registered domains, and an unregistered one is
/// registered when the tenant's effective `auto_register_domains` is true. Any channel that
/// knows the one tenant a message is for (an IMAP mailbox) calls this rather than
/// `ingest::ingest` with `Target::Scope`, so the tenant's setting applies.
pub fn ingest_for_tenant(
    db: &Db,
    metrics: &Metrics,
    tenant: &TenantScope,
    upload: &Upload<'_>,
    limits: &Limits,
    check_dns: bool,
) -> StorageResult<Vec<Ingested>> {
    let setting = db.read(|conn| intake::auto_register_setting(conn, &tenant.tenant_id))?;
    let target = Target::Tenant {
        scope: tenant,
        auto_register: setting.effective.then_some(AutoRegister { check_dns }),
    };
    ingest::ingest(db, metrics, target, upload, limits)
}

/// The records that send reports to one report address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRecords {
    /// `<token>@<mail domain>`.
    pub address: String,
    /// The DMARC `rua` tag value: `mailto:<address>`.
    pub dmarc_rua: String,
    /// The DMARC `ruf` tag value (failure reports): `mailto:<address>`.
    pub dmarc_ruf: String,
    /// A whole DMARC record using both (with `p=none`; keep the domain's own policy).
    pub dmarc_record: String,
    /// The TLS-RPT record (`_smtp._tls.<domain>` TXT).
    pub tlsrpt_record: String,
    /// The RFC 7489 §7.1 authorization record the operator of the mail domain publishes:
    /// its name for `domain`, or the pattern with `{domain}` when no domain is given.
    pub authorization_name: String,
    /// Its value: `v=DMARC1`.
    pub authorization_value: String,
    /// The wildcard that authorizes every domain at once: `*._report._dmarc.<mail domain>`.
    pub authorization_wildcard: String,
}

/// The records for `token` at `mail_domain`; `domain` names the customer domain whose
/// authorization record is wanted.
pub fn records(token: &str, mail_domain: &str, domain: Option<&str>) -> IntakeRecords {
    let mail_domain = mail_domain.trim_end_matches('.').to_ascii_lowercase();
    let address = format!("{token}@{mail_domain}");
    let mailto = format!("mailto:{address}");
    IntakeRecords {
        dmarc_record: format!("v=DMARC1; p=none; rua={mailto}; ruf={mailto}"),
        tlsrpt_record: format!("v=TLSRPTv1; rua={mailto}"),
        authorization_name: format!(
            "{}._report._dmarc.{mail_domain}",
            domain.unwrap_or("{domain}")
        ),
        authorization_value: "v=DMARC1".into(),
        authorization_wildcard: format!("*._report._dmarc.{mail_domain}"),
        dmarc_rua: mailto.clone(),
        dmarc_ruf: mailto,
        address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "abcdefghijklmnopqrstuvwx";

    #[test]
    fn a_recipient_at_the_mail_domain_names_its_token_whatever_the_case() {
        assert_eq!(
            parse_recipient(
                &format!("{TOKEN}@Reports.Example.NET"),
                "reports.example.net"
            ),
            Ok(TOKEN.to_string())
        );
        assert_eq!(
            parse_recipient(
                &format!("{}@reports.example.net.", TOKEN.to_uppercase()),
                "reports.example.net"
            ),
            Ok(TOKEN.to_string())
        );
    }

    #[test]
    fn a_plus_suffix_is_ignored() {
        assert_eq!(
            parse_recipient(
                &format!("{TOKEN}+dmarc@reports.example.net"),
                "reports.example.net"
            ),
            Ok(TOKEN.to_string())
        );
    }

    #[test]
    fn another_domain_is_never_a_report_address() {
        assert_eq!(
            parse_recipient(&format!("{TOKEN}@example.org"), "reports.example.net"),
            Err(RecipientError::OtherDomain("example.org".into()))
        );
        assert!(matches!(
            parse_recipient(
                &format!("{TOKEN}@sub.reports.example.net"),
                "reports.example.net"
            ),
            Err(RecipientError::OtherDomain(_))
        ));
    }

    #[test]
    fn a_local_part_that_is_no_token_is_unknown() {
        for bad in [
            "postmaster@reports.example.net",
            "@reports.example.net",
            "nodomain",
        ] {
            assert!(
                matches!(
                    parse_recipient(bad, "reports.example.net"),
                    Err(RecipientError::Unknown(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_records_name_the_address_and_the_authorization() {
        let r = records(TOKEN, "Reports.Example.NET.", Some("customer.org"));
        assert_eq!(r.address, format!("{TOKEN}@reports.example.net"));
        assert_eq!(r.dmarc_rua, format!("mailto:{TOKEN}@reports.example.net"));
        assert_eq!(
            r.tlsrpt_record,
            format!("v=TLSRPTv1; rua=mailto:{TOKEN}@reports.example.net")
        );
        assert_eq!(
            r.authorization_name,
            "customer.org._report._dmarc.reports.example.net"
        );
        assert_eq!(r.authorization_value, "v=DMARC1");
        assert_eq!(
            r.authorization_wildcard,
            "*._report._dmarc.reports.example.net"
        );
    }
}
