//! Identifiers of stored objects, one type per kind of object, so a domain's id can never be
//! passed where a report's is expected. Each wraps the UUID text stored in the database
//! (ids are generated in Rust, never by the database) and serializes as that plain string,
//! so the API and the stored JSON are unchanged.
//!
//! Must not depend on actix-web or diesel: storage reads and binds the inner text
//! (`as_str`, `From<String>`). An API DTO holding one declares it `#[schema(value_type =
//! String)]`, so the spec keeps a plain string.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new random (version 4 UUID) id.
            pub fn generate() -> $name {
                $name(uuid::Uuid::new_v4().to_string())
            }

            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The stored text, given up.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> $name {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> $name {
                $name(value.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

    };
}

id_type!(
    /// A tenant (operator, MSSP or customer).
    TenantId
);
id_type!(
    /// A registered domain (unique within its tenant).
    DomainId
);
id_type!(
    /// A stored report (one version of it: a conflicting re-send is a new report).
    ReportId
);
id_type!(
    /// An upload (the bytes one request, file or message brought).
    UploadId
);
id_type!(
    /// A background job.
    JobId
);
id_type!(
    /// A webhook subscription.
    WebhookId
);
id_type!(
    /// A webhook delivery (one event for one webhook).
    DeliveryId
);
id_type!(
    /// An open or resolved issue of a domain.
    IssueId
);
id_type!(
    /// An API key.
    ApiKeyId
);
id_type!(
    /// An IMAP mailbox polled for reports.
    MailboxId
);
id_type!(
    /// A scheduled digest (a domain's or a portfolio's report mailed weekly or monthly).
    DigestId
);
id_type!(
    /// One digest mail for one period, with its attempts.
    DigestDeliveryId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_serializes_as_its_plain_text() {
        let id = DomainId::from("0b6c7c3e-1d2a-4f5e-8a9b-0c1d2e3f4a5b");
        assert_eq!(
            serde_json::to_string(&id).unwrap_or_default(),
            "\"0b6c7c3e-1d2a-4f5e-8a9b-0c1d2e3f4a5b\""
        );
        let back: DomainId =
            serde_json::from_str("\"0b6c7c3e-1d2a-4f5e-8a9b-0c1d2e3f4a5b\"").unwrap_or(id.clone());
        assert_eq!(back, id);
    }

    #[test]
    fn generated_ids_are_distinct_uuids() {
        let (a, b) = (ReportId::generate(), ReportId::generate());
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(a.as_str()).is_ok());
    }
}
