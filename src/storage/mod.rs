//! Storage on SQLite (default, WAL) or PostgreSQL from one diesel code base.
//!
//! - [`DbConnection`] is a `MultiConnection` over both backends, chosen by URL scheme
//!   (`sqlite://PATH`, `postgres://…`, `postgresql://…`); anything else is an error.
//! - Migrations are embedded per backend (`migrations/sqlite`, `migrations/postgres`, same
//!   version names) and applied by [`Db::connect`].
//! - Storage functions are synchronous, take `&mut DbConnection`, and tenant-scoped ones take
//!   the caller's [`TenantScope`] first so that no query can forget it.
//! - On SQLite there is one writer: [`Db::write`] serializes write transactions in-process
//!   (a busy timeout covers other processes). Every transaction that writes goes through
//!   [`write_transaction`] (`BEGIN IMMEDIATE` on SQLite), so that timeout covers it from its
//!   first read: a deferred one fails at once when another process wrote since it read.
//!
//! Must not depend on actix-web.

pub mod aggregates;
pub mod analysis_data;
pub mod branding;
pub mod commit;
pub mod digests;
pub mod dns_snapshots;
pub mod domains;
pub mod failures;
pub mod intake;
pub mod issues;
pub mod jobs;
pub mod keys;
pub mod mailboxes;
pub mod portfolio;
pub mod query;
pub mod reports;
pub mod retention;
pub mod schema;
pub mod source_names;
pub mod tenants;
pub mod webhooks;

use crate::domain::ids::{DomainId, TenantId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StorageError> {
        if url.starts_with("sqlite://") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StorageError::Config(format!(
                "database url must start with sqlite://, postgres:// or postgresql:// (got '{}')",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }
}

/// Errors of the storage layer; knows nothing about HTTP.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    /// The write conflicts with what is stored; the message says what, in words a client may
    /// read.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A domain name that several tenants of the caller's scope hold.
    #[error("{name} is registered by {} tenants in scope", tenants.len())]
    Ambiguous { name: String, tenants: Vec<String> },
    /// A unique constraint refused a write: the database's own text, for the log only (a
    /// repository that expects it turns it into a `Conflict` that says what is taken).
    #[error("unique violation: {0}")]
    UniqueViolation(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("invalid database configuration: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for StorageError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => StorageError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StorageError::UniqueViolation(info.message().to_string())
            }
            other => StorageError::Database(other),
        }
    }
}

impl From<r2d2::PoolError> for StorageError {
    fn from(e: r2d2::PoolError) -> Self {
        StorageError::Unavailable(e.to_string())
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// The tenants a caller may see: its own tenant and everything below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantScope {
    /// The caller's own tenant.
    pub tenant_id: TenantId,
    /// Its materialized path (`/root/…/tenant/`); descendants' paths start with it.
    pub path: String,
}

impl TenantScope {
    pub(crate) fn like(&self) -> String {
        format!("{}%", self.path)
    }
}

/// `Ok` when `domain` belongs to a tenant in `scope` and is not being deleted, else
/// [`StorageError::NotFound`] (also when it does not exist, so another tenant's domain looks
/// like none). Reads keyed by a
/// domain id call this before their query: one lookup by primary keys (the domain, then its
/// tenant), so the scope constrains them without changing the plans of the aggregate queries.
pub(crate) fn domain_in_scope(
    conn: &mut DbConnection,
    scope: &TenantScope,
    domain: &DomainId,
) -> StorageResult<()> {
    use schema::{domains, tenants};
    let path: Option<String> = domains::table
        .inner_join(tenants::table.on(tenants::id.eq(domains::tenant_id)))
        .filter(domains::id.eq(domain.as_str()))
        .filter(domains::deleting_since.is_null())
        .select(tenants::path)
        .first(conn)
        .optional()?;
    match path {
        // A materialized path ends with '/', so a prefix is always a whole ancestor.
        Some(path) if !scope.path.is_empty() && path.starts_with(&scope.path) => Ok(()),
        _ => Err(StorageError::NotFound),
    }
}

/// Connection manager that picks the backend by URL scheme (never by trial and error:
/// SQLite would accept any string as a file name).
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
    /// SQLite's `wal_autocheckpoint` (pages): 0 when a [`Checkpointer`] thread checkpoints.
    wal_autocheckpoint: u32,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.url)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://");
                let mut conn = diesel::SqliteConnection::establish(path)
                    .map_err(r2d2::Error::ConnectionError)?;
                // temp_store: the savepoints of the group commit keep their sub-journals
                // in memory, not in temporary files; wal_autocheckpoint: a checkpoint every
                // 16 MiB of WAL instead of 4, so pages written again and again (rollup
                // indexes) are copied back once per checkpoint (measured: checkpoints and
                // sub-journals were a third of the writer's time on small reports), or none
                // at all when the server's checkpointer thread does it (a checkpoint run by
                // a commit runs on the single writer's time: 15% of it on small reports);
                // cache_size: 16 MiB of pages per connection instead of 2, so the rollups'
                // hot pages are not read back from the OS again and again.
                conn.batch_execute(&format!(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; \
                     PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {}; PRAGMA cache_size = -16384;",
                    self.wal_autocheckpoint
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection given back while a panic unwinds, or with a transaction still open or
    /// broken, is closed rather than pooled.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// The database: a pool plus, on SQLite, the single-writer lock, and the group commit's
/// writer thread ([`commit`]), started when first used and again whenever it has stopped.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    writer: Option<Arc<Mutex<()>>>,
    committer: Arc<Mutex<Option<Arc<commit::Committer>>>>,
    commit_stats: Arc<commit::CommitStats>,
    /// The WAL checkpointer of a server's SQLite database ([`Db::connect_server`]).
    _checkpointer: Option<Arc<Checkpointer>>,
}

/// How often the [`Checkpointer`] checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Checkpoints a SQLite database's WAL (`PASSIVE`: never waiting for, nor blocking, readers
/// or the writer) from a thread of its own every [`CHECKPOINT_EVERY`], on a connection of its
/// own, so the single writer never spends its time copying pages back. The thread ends when
/// the last handle of its database is dropped.
struct Checkpointer {
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Checkpointer {
    fn start(manager: &Manager) -> Result<Checkpointer, String> {
        use std::sync::atomic::{AtomicBool, Ordering};
        let mut conn = manager.connect().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("ruad-checkpoint".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    if let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                        tracing::warn!(error = %e, "WAL checkpoint failed; trying again");
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Checkpointer { stop })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Db {
    /// Connects, applies pending migrations, and builds the pool.
    pub fn connect(url: &str, pool_size: u32) -> StorageResult<Db> {
        Db::open(url, pool_size, false)
    }

    /// [`Db::connect`] for a long-running server: on SQLite, a thread of its own checkpoints
    /// the WAL ([`Checkpointer`]), not the commits of the writer.
    pub fn connect_server(url: &str, pool_size: u32) -> StorageResult<Db> {
        Db::open(url, pool_size, true)
    }

    fn open(url: &str, pool_size: u32, background_checkpoints: bool) -> StorageResult<Db> {
        let backend = Backend::from_url(url)?;
        let background = background_checkpoints && backend == Backend::Sqlite;
        let manager = Manager {
            url: url.to_string(),
            backend,
            wal_autocheckpoint: if background { 0 } else { 4000 },
        };
        {
            let mut conn = manager
                .connect()
                .map_err(|e| StorageError::Unavailable(e.to_string()))?;
            run_migrations(&mut conn)?;
        }
        let checkpointer = if background {
            Some(Arc::new(
                Checkpointer::start(&manager).map_err(StorageError::Unavailable)?,
            ))
        } else {
            None
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        Ok(Db {
            pool,
            backend,
            writer: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            committer: Arc::new(Mutex::new(None)),
            commit_stats: Arc::new(commit::CommitStats::default()),
            _checkpointer: checkpointer,
        })
    }

    /// Writes `unit` with others in one transaction of the group commit ([`commit`]), and
    /// returns it with its outcome once that transaction has ended. When the writer is gone,
    /// the unit is written alone in a transaction of its own, and the next call starts a new
    /// writer. `Err` only if the unit was lost, which [`commit`] rules out.
    pub fn commit<U: commit::Unit>(&self, unit: U) -> StorageResult<(U, commit::Outcome)> {
        let unit = match self.committer() {
            Some(committer) => match committer.commit(unit)? {
                commit::Handed::Answered(unit, outcome) => return Ok((unit, outcome)),
                commit::Handed::Abandoned(unit) => unit,
            },
            None => unit,
        };
        Ok(commit::write_alone(self, unit))
    }

    /// The group commit's counts so far, over every writer this handle's database started.
    pub fn commit_stats(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (
            self.commit_stats.batches.load(Ordering::Relaxed),
            self.commit_stats.units.load(Ordering::Relaxed),
        )
    }

    /// The running writer, started if there is none (at the first commit, or because the
    /// last one stopped); `None` when a thread cannot be started (the next call tries again).
    fn committer(&self) -> Option<Arc<commit::Committer>> {
        let mut slot = self
            .committer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(running) = slot.as_ref().filter(|c| c.is_running()) {
            return Some(Arc::clone(running));
        }
        if slot.is_some() {
            tracing::warn!("the group commit's writer had stopped; starting another");
        }
        // The thread's own handle holds no committer, so dropping every other handle ends it.
        let db = Db {
            committer: Arc::new(Mutex::new(None)),
            ..self.clone()
        };
        match commit::Committer::start(db, Arc::clone(&self.commit_stats)) {
            Ok(started) => {
                let started = Arc::new(started);
                *slot = Some(Arc::clone(&started));
                Some(started)
            }
            Err(e) => {
                *slot = None;
                tracing::error!(error = %e, "the group commit's writer did not start; writing the unit alone");
                None
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection for reads.
    pub fn conn(&self) -> StorageResult<PooledConnection> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` with a connection while holding the writer lock on SQLite.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut conn = self.conn()?;
        match &self.writer {
            Some(lock) => {
                let _guard = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                f(&mut conn)
            }
            None => f(&mut conn),
        }
    }

    /// Runs `f` with a connection, waiting at most `wait` for one (health checks and scrapes,
    /// which must answer quickly when the database is gone).
    pub fn read_within<T>(
        &self,
        wait: Duration,
        f: impl FnOnce(&mut DbConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut conn = self.pool.get_timeout(wait)?;
        f(&mut conn)
    }

    /// Runs `f` with a connection (no writer lock).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }
}

/// Runs `f` in a write transaction: on SQLite one that begins `BEGIN IMMEDIATE`, taking the
/// database's write lock before its first read; on PostgreSQL an ordinary one. Nested in
/// another transaction, it is a savepoint like `Connection::transaction`.
///
/// SQLite's default `BEGIN` (deferred) reads from a snapshot and asks for the write lock at
/// its first write; if another connection (another process: [`Db::write`] serializes this
/// one's) committed in between, the snapshot is stale and the write fails at once with
/// `SQLITE_BUSY_SNAPSHOT`, which no busy timeout can wait out. Begun immediate, the
/// transaction waits on the busy timeout for the lock instead and then reads what is current.
/// Every transaction that writes uses this; `conn.transaction` stays for read-only ones and
/// savepoints (`tests/architecture.rs` holds the list).
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let DbConnection::Sqlite(c) = conn else {
        return conn.transaction(f);
    };
    let outermost = matches!(
        AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
        Ok(None)
    );
    if !outermost {
        return conn.transaction(f);
    }
    // Begun on the SQLite connection's own transaction manager, which `DbConnection`'s
    // delegates to: from here on the transaction is counted like one `transaction` began, and
    // ends the same way (as diesel's `TransactionManager::transaction` ends it).
    AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Applies the pending migrations of the connection's backend, then the rollup rebuilds they
/// asked for. SQLite gets WAL here, once, with foreign keys off so that table-rebuild
/// migrations work.
pub fn run_migrations(conn: &mut DbConnection) -> StorageResult<()> {
    let result = match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF;")?;
            let r = c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ());
            c.batch_execute("PRAGMA foreign_keys = ON;")?;
            r
        }
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| StorageError::Other(anyhow::anyhow!("failed to run migrations: {e}")))?;
    // Rollups a migration introduced are rebuilt from the stored records by the code that
    // keeps them at ingest (reports::sources::rebuild_pending); nothing to do usually.
    let replayed = reports::sources::rebuild_pending(conn)?;
    if replayed > 0 {
        tracing::info!(
            reports = replayed,
            "rebuilt the per-source rollups from stored records"
        );
    }
    Ok(())
}

/// Reverts every migration (tests: up → down → up).
pub fn revert_all_migrations(conn: &mut DbConnection) -> StorageResult<()> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| StorageError::Other(anyhow::anyhow!("failed to revert migrations: {e}")))
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A new random id for a row whose kind has no id type of its own (a token's `jti`, a DNS
/// snapshot); the others are made by their type (`DomainId::generate()`, …).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Multi-row INSERT of a slice, in statements of at most `$batch` rows. The derived
/// `MultiBackend` cannot express batch inserts, so each arm is written against the concrete
/// connection (the VW `Folder::save` pattern).
macro_rules! insert_batch {
    ($conn:expr, $table:expr, $values:expr, $batch:expr) => {{
        let mut result = Ok(0usize);
        for chunk in $values.chunks($batch) {
            let inserted = match &mut *$conn {
                $crate::storage::DbConnection::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
                $crate::storage::DbConnection::Pg(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
            };
            match inserted {
                Ok(n) => result = result.map(|total| total + n),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        result
    }};
}
pub(crate) use insert_batch;

/// Makes every `SUM` in an aggregate query unable to overflow, whatever rows are stored.
///
/// SQLite's `SUM` over integers fails with "integer overflow"; `TOTAL` sums in floating point
/// (exact below 2^53 messages) and `CAST(… AS BIGINT)` of it saturates at the i64 bounds.
/// PostgreSQL's `SUM(bigint)` is `numeric`, exact at any size; a final `CAST(SUM(x) AS BIGINT)`
/// is clamped with `LEAST` first. Aggregate SQL is written with plain `SUM(…)` and
/// `CAST(SUM(…) AS BIGINT)` and passed through this before it runs.
pub(crate) fn wide_sums(conn: &DbConnection, sql: String) -> String {
    match conn {
        DbConnection::Sqlite(_) => sql.replace("SUM(", "TOTAL("),
        DbConnection::Pg(_) => {
            const FINAL: &str = "CAST(SUM(";
            let mut out = String::with_capacity(sql.len() + 64);
            let mut rest = sql.as_str();
            while let Some(at) = rest.find(FINAL) {
                out.push_str(&rest[..at]);
                let inner_start = at + FINAL.len();
                // The argument of SUM runs to its matching parenthesis.
                let mut depth = 1usize;
                let mut end = None;
                for (i, c) in rest[inner_start..].char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(inner_start + i);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else {
                    out.push_str(&rest[at..]);
                    rest = "";
                    break;
                };
                let arg = &rest[inner_start..end];
                out.push_str(&format!("CAST(LEAST(SUM({arg}), 9223372036854775807"));
                rest = &rest[end..];
            }
            out.push_str(rest);
            out
        }
    }
}

/// Takes, for the rest of the current transaction, the lock that orders every write to one
/// domain's cross-report rollups (per-source sums, `domain_daily`, the domain row). On
/// PostgreSQL, reports of one domain written at once (by several clients or instances) would
/// otherwise upsert shared rows in different orders and deadlock: with the lock they take
/// turns, and different domains still write side by side. SQLite has one writer anyway.
pub fn lock_domain_rollups(conn: &mut DbConnection, domain_id: &str) -> StorageResult<()> {
    if let DbConnection::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1623))")
            .bind::<diesel::sql_types::Text, _>(domain_id)
            .execute(conn)?;
    }
    Ok(())
}

/// Raw SQL written once for both backends, with `?` for every bind: on PostgreSQL the `?`s
/// become `$1`, `$2`, … in order, so positions are generated, never counted by hand. A `?`
/// inside a quoted literal or identifier is left alone.
pub(crate) fn sql(conn: &DbConnection, text: &str) -> String {
    match conn {
        DbConnection::Sqlite(_) => text.to_string(),
        DbConnection::Pg(_) => number_binds(text),
    }
}

fn number_binds(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let (mut n, mut quote) = (0usize, None::<char>);
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// `n` comma-separated `?` binds, for an `IN (…)` list in [`sql`] text.
pub(crate) fn binds(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[cfg(test)]
mod tests {
    use super::{binds, number_binds};

    #[test]
    fn binds_are_numbered_in_order_outside_quotes() {
        assert_eq!(
            number_binds("SELECT 1 FROM t WHERE a = ? AND b IN (?, ?) AND c = '?' AND \"?\" = ?"),
            "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3) AND c = '?' AND \"?\" = $4"
        );
        assert_eq!(number_binds("it''s ? here"), "it''s $1 here");
        assert_eq!(binds(3), "?, ?, ?");
        assert_eq!(binds(0), "");
    }
}
