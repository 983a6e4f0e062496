//! Group commit: units of write work handed in by many threads are written by one writer
//! thread, several to a transaction, each in a savepoint of its own, so each unit is still all
//! or nothing while the fixed cost of a transaction (its begin, its commit, taking the
//! writer) is paid once per batch instead of once per unit.
//!
//! - [`Db::commit`](super::Db::commit) hands a [`Unit`] to the writer and blocks until the
//!   transaction holding it has committed or failed; it then returns the unit with its
//!   [`Outcome`]. A caller that answers a client only after `commit` returned
//!   [`Outcome::Committed`] never acknowledges data that is not stored.
//! - A batch is what queued while the previous one was written, up to [`MAX_BATCH`] units
//!   or [`MAX_BATCH_WEIGHT`] rows: no
//!   unit ever waits for more work to arrive, so a lone unit costs what its own transaction
//!   did.
//! - A unit that fails rolls back to its savepoint: the batch goes on without it
//!   ([`Outcome::RolledBack`], the unit keeps its own error). When the transaction itself
//!   fails (its commit, a savepoint that cannot be released, a panic), no unit of the batch is
//!   stored ([`Outcome::Failed`]); the units come back untouched by the database, so a caller
//!   may run its unit again on its own.
//! - The writer thread starts with the first unit and ends when the last [`Db`] handle that
//!   could hand it one is dropped (after writing what is queued).
//!
//! On SQLite the batch runs under [`Db::write`], the process's single writer, like every
//! other write. On PostgreSQL one writer per process keeps the units of one process from
//! waiting on each other's row locks; several processes still write side by side.
//!
//! Must not depend on actix-web or `services`.

use super::{Db, DbConnection, StorageError};
use diesel::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

/// The most units one transaction holds.
pub const MAX_BATCH: usize = 64;

/// The most work one transaction holds, in [`Unit::weight`] (rows): a batch stops taking
/// units past it, so no transaction holds the writer for long.
pub const MAX_BATCH_WEIGHT: usize = 10_000;

/// Units queued for the writer, at most: a caller past it waits to queue (backpressure).
const QUEUE: usize = 1024;

/// A piece of write work that is stored whole or not at all.
pub trait Unit: Send + 'static {
    /// Writes the unit inside the batch's transaction. `Err` rolls back what this unit wrote,
    /// and only that; the unit keeps why itself.
    fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback>;

    /// About how many rows the unit writes (a batch is capped by [`MAX_BATCH_WEIGHT`]).
    fn weight(&self) -> usize {
        1
    }
}

/// A unit's refusal: roll back what it wrote.
#[derive(Debug, Clone, Copy)]
pub struct Rollback;

/// What became of a unit.
#[derive(Debug)]
pub enum Outcome {
    /// Its writes are committed.
    Committed,
    /// It refused ([`Unit::write`] returned `Err`); none of its writes are stored.
    RolledBack,
    /// The transaction holding it did not commit; none of its writes are stored.
    Failed(StorageError),
}

/// Counts of the group commit since the process started, for `/metrics`.
#[derive(Debug, Default)]
pub struct CommitStats {
    /// Transactions the writer ran.
    pub batches: AtomicU64,
    /// Units written in them, committed or not.
    pub units: AtomicU64,
}

/// A unit on its way to the writer, with the way back to its caller.
trait Queued: Send {
    fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback>;
    fn weight(&self) -> usize;
    fn reply(self: Box<Self>, outcome: Outcome);
}

struct Envelope<U: Unit> {
    unit: U,
    reply: mpsc::SyncSender<(U, Outcome)>,
}

impl<U: Unit> Queued for Envelope<U> {
    fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback> {
        self.unit.write(conn)
    }

    fn weight(&self) -> usize {
        self.unit.weight()
    }

    fn reply(self: Box<Self>, outcome: Outcome) {
        // The caller waits for this; if it is gone, there is no one left to tell.
        let _ = self.reply.send((self.unit, outcome));
    }
}

/// The handle through which units reach the writer thread.
pub(super) struct Committer {
    queue: mpsc::SyncSender<Box<dyn Queued>>,
    pub(super) stats: Arc<CommitStats>,
}

impl Committer {
    /// Starts the writer thread over `db`, which must not hold this committer (the thread
    /// ends when the last sender is dropped).
    pub(super) fn start(db: Db) -> std::io::Result<Committer> {
        let (queue, units) = mpsc::sync_channel::<Box<dyn Queued>>(QUEUE);
        let stats = Arc::new(CommitStats::default());
        let counted = Arc::clone(&stats);
        std::thread::Builder::new()
            .name("ruad-writer".into())
            .spawn(move || writer(&db, &units, &counted))?;
        Ok(Committer { queue, stats })
    }

    /// Hands `unit` to the writer and waits for the end of its transaction.
    pub(super) fn commit<U: Unit>(&self, unit: U) -> Result<(U, Outcome), StorageError> {
        let (reply, answer) = mpsc::sync_channel(1);
        let envelope: Box<dyn Queued> = Box::new(Envelope { unit, reply });
        if self.queue.send(envelope).is_err() {
            return Err(StorageError::Other(anyhow::anyhow!(
                "the database writer has stopped"
            )));
        }
        answer.recv().map_err(|_| {
            StorageError::Other(anyhow::anyhow!(
                "the database writer stopped before answering"
            ))
        })
    }
}

/// Why a unit's savepoint ended without its writes.
enum SavepointError {
    Refused,
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for SavepointError {
    fn from(e: diesel::result::Error) -> Self {
        SavepointError::Database(e)
    }
}

/// The writer thread: takes what is queued, up to [`MAX_BATCH`] units, writes it in one
/// transaction, answers every unit, and starts over.
fn writer(db: &Db, units: &mpsc::Receiver<Box<dyn Queued>>, stats: &CommitStats) {
    while let Ok(first) = units.recv() {
        let mut weight = first.weight();
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH && weight < MAX_BATCH_WEIGHT {
            match units.try_recv() {
                Ok(unit) => {
                    weight += unit.weight();
                    batch.push(unit);
                }
                Err(_) => break,
            }
        }
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.units.fetch_add(batch.len() as u64, Ordering::Relaxed);
        let (kept, failure) = write_batch(db, &mut batch);
        for (unit, kept) in batch.into_iter().zip(kept) {
            let outcome = match &failure {
                Some(why) => Outcome::Failed(StorageError::Other(anyhow::anyhow!("{why}"))),
                None if kept => Outcome::Committed,
                None => Outcome::RolledBack,
            };
            unit.reply(outcome);
        }
    }
}

/// Writes `batch` in one transaction; returns which units kept their writes, and why the
/// transaction failed if it did (then nothing is stored).
fn write_batch(db: &Db, batch: &mut [Box<dyn Queued>]) -> (Vec<bool>, Option<String>) {
    let mut kept = vec![false; batch.len()];
    let written = catch_unwind(AssertUnwindSafe(|| {
        db.write(|conn| {
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                for (unit, kept) in batch.iter_mut().zip(kept.iter_mut()) {
                    let saved = conn.transaction::<_, SavepointError, _>(|conn| {
                        unit.write(conn).map_err(|Rollback| SavepointError::Refused)
                    });
                    match saved {
                        Ok(()) => *kept = true,
                        Err(SavepointError::Refused) => *kept = false,
                        // The savepoint could not be rolled back or released: the
                        // transaction is not in a state to go on.
                        Err(SavepointError::Database(e)) => return Err(e),
                    }
                }
                Ok(())
            })
            .map_err(StorageError::from)
        })
    }));
    match written {
        Ok(Ok(())) => (kept, None),
        Ok(Err(e)) => {
            tracing::warn!(units = batch.len(), error = %e, "a group commit failed; its units run again one by one");
            (vec![false; batch.len()], Some(e.to_string()))
        }
        Err(_) => {
            tracing::error!(
                units = batch.len(),
                "a unit panicked in the group commit; its batch is not stored"
            );
            (
                vec![false; batch.len()],
                Some("a unit of the batch panicked".into()),
            )
        }
    }
}
