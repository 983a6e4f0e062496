//! `ruad admin`: offline bootstrap against the configured database; prints JSON.

use crate::domain::ids::TenantId;
use crate::domain::tenant::Role;
use crate::storage::{Db, StorageError, keys, tenants};
use clap::Subcommand;
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a tenant (a root tenant without --parent). Prints {"id": …}.
    CreateTenant {
        #[arg(long)]
        name: String,
        /// Parent tenant id.
        #[arg(long)]
        parent: Option<String>,
    },
    /// Create an API key for a tenant. Prints {"id": …, "key": …}; the key is shown only once.
    CreateApiKey {
        #[arg(long)]
        tenant: String,
        #[arg(long, value_parser = ["admin", "writer", "reader"])]
        role: String,
        /// What the key is for.
        #[arg(long, default_value = "bootstrap")]
        name: String,
    },
}

/// Runs one admin command against `db` (the configured database).
pub fn run(command: &AdminCommand, db: &Db) -> anyhow::Result<serde_json::Value> {
    // A missing object is `Ok(Err(message))`: it names what was missing, which
    // `StorageError::NotFound` cannot.
    let value = db.write(|conn| match command {
        AdminCommand::CreateTenant { name, parent } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(StorageError::Conflict("--name must not be empty".into()));
            }
            let tenant = match parent {
                None => tenants::insert_root_tenant(conn, name)?,
                Some(parent_id) => {
                    let Some(parent) =
                        tenants::find_tenant_unscoped(conn, &TenantId::from(parent_id.as_str()))?
                    else {
                        return Ok(Err(format!("parent tenant {parent_id} not found")));
                    };
                    tenants::insert_tenant(conn, &parent.scope(), &parent.id, name)?
                }
            };
            Ok(Ok(
                json!({"id": tenant.id, "name": tenant.name, "parent_id": tenant.parent_id}),
            ))
        }
        AdminCommand::CreateApiKey { tenant, role, name } => {
            let Some(found) =
                tenants::find_tenant_unscoped(conn, &TenantId::from(tenant.as_str()))?
            else {
                return Ok(Err(format!("tenant {tenant} not found")));
            };
            let role = Role::parse(role).unwrap_or(Role::Reader);
            let (key, secret) = keys::insert_api_key(conn, &found.scope(), &found.id, name, role)?;
            Ok(Ok(
                json!({"id": key.id, "key": secret, "tenant_id": key.tenant_id, "role": key.role}),
            ))
        }
    })?;
    value.map_err(anyhow::Error::msg)
}
