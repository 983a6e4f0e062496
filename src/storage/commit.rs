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
//! - A unit always comes back to its caller: its envelope sends it back when dropped, with
//!   its outcome once the transaction holding it has ended, without one if the writer
//!   stopped first (then nothing of it is stored). So when the writer is gone (a panic
//!   outside a unit's savepoint, e.g. in a unit's [`Unit::weight`], or a thread that could not
//!   be started), `Db::commit` writes the unit alone in a transaction of its own
//!   ([`write_alone`]), still whole or not at all and answered only after its commit, and the
//!   next commit starts a new writer. A caller never fails because the writer is gone.
//!
//! On SQLite the batch runs under [`Db::write`], the process's single writer, like every
//! other write. On PostgreSQL one writer per process keeps the units of one process from
//! waiting on each other's row locks; several processes still write side by side.
//!
//! Must not depend on actix-web or `services`.

use super::{Db, DbConnection, StorageError, write_transaction};
use diesel::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    /// Records what became of the unit; it is sent back when the envelope is dropped.
    fn settle(&mut self, outcome: Outcome);
}

/// A unit and its caller's reply channel. Dropping it sends the unit back, with its outcome
/// if the writer settled one and `None` otherwise, so a unit is never lost: not when the
/// writer refuses it, drops it with its queue, or unwinds past it.
struct Envelope<U: Unit> {
    unit: Option<U>,
    outcome: Option<Outcome>,
    reply: mpsc::SyncSender<(U, Option<Outcome>)>,
}

impl<U: Unit> Queued for Envelope<U> {
    fn write(&mut self, conn: &mut DbConnection) -> Result<(), Rollback> {
        match &mut self.unit {
            Some(unit) => unit.write(conn),
            None => Err(Rollback),
        }
    }

    fn weight(&self) -> usize {
        self.unit.as_ref().map_or(1, Unit::weight)
    }

    fn settle(&mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
    }
}

impl<U: Unit> Drop for Envelope<U> {
    fn drop(&mut self) {
        if let Some(unit) = self.unit.take() {
            // The reply channel holds one answer and this is the only one: it never blocks.
            // If the caller is gone, there is no one left to tell.
            let _ = self.reply.send((unit, self.outcome.take()));
        }
    }
}

/// How a unit came back from the writer.
pub(super) enum Handed<U> {
    /// A transaction holding it ended; the outcome says how.
    Answered(U, Outcome),
    /// The writer stopped before a transaction holding it ended: nothing of it is stored
    /// (a transaction the writer left open is rolled back with its connection).
    Abandoned(U),
}

/// The handle through which units reach one writer thread.
pub(super) struct Committer {
    queue: mpsc::SyncSender<Box<dyn Queued>>,
    /// Cleared when the thread ends, before it gives back the units it held.
    running: Arc<AtomicBool>,
}

impl Committer {
    /// Starts a writer thread over `db`, which must not hold this committer (the thread
    /// ends when the last sender is dropped).
    pub(super) fn start(db: Db, stats: Arc<CommitStats>) -> std::io::Result<Committer> {
        let (queue, units) = mpsc::sync_channel::<Box<dyn Queued>>(QUEUE);
        let running = Arc::new(AtomicBool::new(true));
        let flag = Arc::clone(&running);
        let spawned = std::thread::Builder::new()
            .name("ruad-writer".into())
            .spawn(move || {
                // The units of the batch being formed or written live here, outside the
                // writer's frames, so that after a panic the thread is marked stopped before
                // any of them goes back to its caller: a caller that got its unit back and
                // commits again finds the writer stopped and starts another.
                let mut held = Vec::new();
                let ended = catch_unwind(AssertUnwindSafe(|| {
                    writer(&db, &units, &stats, &mut held);
                }));
                flag.store(false, Ordering::SeqCst);
                drop(units);
                drop(held);
                if ended.is_err() {
                    tracing::error!(
                        "the group commit's writer panicked; its units are written alone and \
                         the next commit starts another writer"
                    );
                }
            });
        spawned.map(|_| Committer { queue, running })
    }

    /// Whether the writer thread is still taking units.
    pub(super) fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// Hands `unit` to the writer and waits for it to come back. `Err` only if the unit was
    /// lost, which the envelope's `Drop` rules out.
    pub(super) fn commit<U: Unit>(&self, unit: U) -> Result<Handed<U>, StorageError> {
        let (reply, answer) = mpsc::sync_channel(1);
        let envelope: Box<dyn Queued> = Box::new(Envelope {
            unit: Some(unit),
            outcome: None,
            reply,
        });
        // A stopped writer refuses the envelope; dropping it sends the unit back.
        let _ = self.queue.send(envelope);
        match answer.recv() {
            Ok((unit, Some(outcome))) => Ok(Handed::Answered(unit, outcome)),
            Ok((unit, None)) => Ok(Handed::Abandoned(unit)),
            Err(_) => Err(StorageError::Other(anyhow::anyhow!(
                "the database writer lost a unit"
            ))),
        }
    }
}

/// Writes `unit` in a transaction of its own, as in a batch of one (a savepoint, a panic
/// caught): for a unit no writer took.
pub(super) fn write_alone<U: Unit>(db: &Db, mut unit: U) -> (U, Outcome) {
    let (kept, failure) = write_batch(db, 1, |_, conn| unit.write(conn));
    let outcome = match failure {
        Some(why) => Outcome::Failed(StorageError::Other(anyhow::anyhow!("{why}"))),
        None if kept.first() == Some(&true) => Outcome::Committed,
        None => Outcome::RolledBack,
    };
    (unit, outcome)
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

/// The writer thread: takes what is queued, up to [`MAX_BATCH`] units, into `held`, writes
/// it in one transaction, settles every unit, gives them back, and starts over.
fn writer(
    db: &Db,
    units: &mpsc::Receiver<Box<dyn Queued>>,
    stats: &CommitStats,
    held: &mut Vec<Box<dyn Queued>>,
) {
    while let Ok(first) = units.recv() {
        held.push(first);
        let mut weight = held.iter().map(|u| u.weight()).sum::<usize>();
        while held.len() < MAX_BATCH && weight < MAX_BATCH_WEIGHT {
            match units.try_recv() {
                Ok(unit) => {
                    held.push(unit);
                    weight += held.last().map_or(0, |u| u.weight());
                }
                Err(_) => break,
            }
        }
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.units.fetch_add(held.len() as u64, Ordering::Relaxed);
        let (kept, failure) = write_batch(db, held.len(), |i, conn| match held.get_mut(i) {
            Some(unit) => unit.write(conn),
            None => Err(Rollback),
        });
        // Every unit is settled as soon as the transaction has ended, before any goes back:
        // from here on, a panic cannot make a committed unit look unwritten.
        for (unit, kept) in held.iter_mut().zip(kept) {
            unit.settle(match &failure {
                Some(why) => Outcome::Failed(StorageError::Other(anyhow::anyhow!("{why}"))),
                None if kept => Outcome::Committed,
                None => Outcome::RolledBack,
            });
        }
        held.clear();
    }
}

/// Writes units `0..n` (`write(i, conn)` writes unit `i`) in one transaction, each in a
/// savepoint of its own; returns which kept their writes, and why the transaction failed if
/// it did (then nothing is stored).
fn write_batch(
    db: &Db,
    n: usize,
    mut write: impl FnMut(usize, &mut DbConnection) -> Result<(), Rollback>,
) -> (Vec<bool>, Option<String>) {
    let mut kept = vec![false; n];
    let written = catch_unwind(AssertUnwindSafe(|| {
        db.write(|conn| {
            write_transaction::<_, diesel::result::Error>(conn, |conn| {
                for (i, kept) in kept.iter_mut().enumerate() {
                    let saved = conn.transaction::<_, SavepointError, _>(|conn| {
                        write(i, conn).map_err(|Rollback| SavepointError::Refused)
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
            tracing::warn!(units = n, error = %e, "a group commit failed; its units run again one by one");
            (vec![false; n], Some(e.to_string()))
        }
        Err(_) => {
            tracing::error!(
                units = n,
                "a unit panicked in the group commit; its batch is not stored"
            );
            (vec![false; n], Some("a unit of the batch panicked".into()))
        }
    }
}
