//! Domain types shared by every layer: what a report *is*, independent of how it
//! arrived (parser) or where it is kept (storage) or shown (API).
//!
//! Must not depend on actix-web or diesel.

pub mod branding;
pub mod days;
pub mod digest;
pub mod domain_name;
pub mod event;
pub mod failure;
pub mod ids;
pub mod issue;
pub mod job;
pub mod logo;
pub mod mailbox;
pub mod report;
pub mod tenant;
