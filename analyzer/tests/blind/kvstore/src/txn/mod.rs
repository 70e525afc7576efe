//! Two-key transactions.
//!
//! A transaction write-locks the shards of both keys, checks its
//! preconditions, logs the new values and installs them before unlocking.

pub mod outcome;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

use crate::metrics::Metrics;
use crate::replication::Replicator;
use crate::snapshot::Snapshotter;
use crate::store::{Entry, Shard, ShardedTable};
use crate::wal::Change;
pub use outcome::{TxnError, TxnOutcome};

const RENAME_ATTEMPTS: u32 = 8;

pub struct TxnManager {
    table: Arc<ShardedTable>,
    repl: Arc<Replicator>,
    snapshots: Arc<Snapshotter>,
    metrics: Arc<Metrics>,
    retries: AtomicU64,
}

fn balance(shard: &Shard, key: &str, now: Instant) -> Result<i64, TxnError> {
    match shard.get(key).filter(|e| !e.is_expired(now)) {
        None => Ok(0),
        Some(entry) => entry.as_i64().ok_or_else(|| TxnError::NotANumber(key.to_string())),
    }
}

fn check_funds(key: &str, balance: i64, amount: i64) -> Result<(), TxnError> {
    if balance < amount {
        return Err(TxnError::Insufficient {
            key: key.to_string(),
            balance,
            wanted: amount,
        });
    }
    Ok(())
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_micros(50u64 << attempt.min(6))
}

impl TxnManager {
    pub fn new(
        table: Arc<ShardedTable>,
        repl: Arc<Replicator>,
        snapshots: Arc<Snapshotter>,
        metrics: Arc<Metrics>,
    ) -> Self {
        TxnManager {
            table,
            repl,
            snapshots,
            metrics,
            retries: AtomicU64::new(0),
        }
    }

    /// Logs `value` for `key` and installs it in `shard`.
    fn write_value(&self, shard: &mut Shard, key: &str, value: Vec<u8>, ttl: Option<Duration>, now: Instant) -> u64 {
        let lsn = self.repl.log_and_ship(Change::Put {
            key: key.to_string(),
            value: value.clone(),
            ttl_ms: ttl.map(|t| t.as_millis() as u64),
        });
        shard.insert(key.to_string(), Entry::with_ttl(value, lsn, ttl, now));
        lsn
    }

    fn write_int(&self, shard: &mut Shard, key: &str, value: i64, now: Instant) -> u64 {
        self.write_value(shard, key, value.to_string().into_bytes(), None, now)
    }

    /// Runs after the shard guards are gone.
    fn finish(&self, shards: [usize; 2], result: Result<TxnOutcome, TxnError>) -> Result<TxnOutcome, TxnError> {
        if result.is_ok() {
            for idx in shards {
                self.snapshots.note_write(idx);
            }
        }
        self.metrics.record_txn(result.is_ok());
        result
    }

    /// Moves `amount` from the integer at `from` to the integer at `to`.
    pub fn transfer(&self, from: &str, to: &str, amount: i64) -> Result<TxnOutcome, TxnError> {
        if from == to {
            return Err(TxnError::SameKey);
        }
        let a = self.table.shard_index(from);
        let b = self.table.shard_index(to);
        let now = Instant::now();
        let result = if a == b {
            let mut shard = self.table.shard(a).write().unwrap();
            (|| {
                let (fb, tb) = (balance(&shard, from, now)?, balance(&shard, to, now)?);
                check_funds(from, fb, amount)?;
                self.write_int(&mut shard, from, fb - amount, now);
                let lsn = self.write_int(&mut shard, to, tb + amount, now);
                Ok(TxnOutcome::pair(from, fb - amount, to, tb + amount, lsn))
            })()
        } else {
            let mut src = self.table.shard(a).write().unwrap();
            let mut dst = self.table.shard(b).write().unwrap(); // PLANTED: lock-order: shards taken in from→to order; a concurrent to→from transfer takes them reversed
            self.debit_credit(&mut src, &mut dst, from, to, amount, now)
        };
        self.finish([a, b], result)
    }

    fn debit_credit(
        &self,
        src: &mut Shard,
        dst: &mut Shard,
        from: &str,
        to: &str,
        amount: i64,
        now: Instant,
    ) -> Result<TxnOutcome, TxnError> {
        let from_balance = balance(src, from, now)?;
        let to_balance = balance(dst, to, now)?;
        check_funds(from, from_balance, amount)?;
        self.write_int(src, from, from_balance - amount, now);
        let lsn = self.write_int(dst, to, to_balance + amount, now);
        Ok(TxnOutcome::pair(from, from_balance - amount, to, to_balance + amount, lsn))
    }

    /// Exchanges the values of two integer keys.
    pub fn swap(&self, k1: &str, k2: &str) -> Result<TxnOutcome, TxnError> {
        if k1 == k2 {
            return Err(TxnError::SameKey);
        }
        let a = self.table.shard_index(k1);
        let b = self.table.shard_index(k2);
        let now = Instant::now();
        let result = if a == b {
            let mut shard = self.table.shard(a).write().unwrap();
            (|| {
                let (v1, v2) = (balance(&shard, k1, now)?, balance(&shard, k2, now)?);
                self.write_int(&mut shard, k1, v2, now);
                let lsn = self.write_int(&mut shard, k2, v1, now);
                Ok(TxnOutcome::pair(k1, v2, k2, v1, lsn))
            })()
        } else {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let mut first = self.table.shard(lo).write().unwrap();
            let mut second = self.table.shard(hi).write().unwrap(); // CLEAN: lock-order: both shards always taken in ascending index order
            let (s1, s2): (&mut Shard, &mut Shard) = if a < b {
                (&mut first, &mut second)
            } else {
                (&mut second, &mut first)
            };
            (|| {
                let (v1, v2) = (balance(s1, k1, now)?, balance(s2, k2, now)?);
                self.write_int(s1, k1, v2, now);
                let lsn = self.write_int(s2, k2, v1, now);
                Ok(TxnOutcome::pair(k1, v2, k2, v1, lsn))
            })()
        };
        self.finish([a, b], result)
    }

    /// Renames `from` to `to`, overwriting `to`. The second shard is only
    /// tried, never waited for; on contention the attempt is retried later.
    pub fn rename(&self, from: &str, to: &str) -> Result<TxnOutcome, TxnError> {
        if from == to {
            return Err(TxnError::SameKey);
        }
        let a = self.table.shard_index(from);
        let b = self.table.shard_index(to);
        let now = Instant::now();
        for attempt in 0..RENAME_ATTEMPTS {
            let mut src = self.table.shard(a).write().unwrap();
            let result = if a == b {
                self.take_entry(&mut src, from, now)
                    .map(|entry| self.place_entry(&mut src, from, to, entry, now))
            } else {
                let mut dst = match self.table.shard(b).try_write() { // CLEAN: lock-order: try_write never blocks; on contention the first guard is released and we back off
                    Ok(guard) => guard,
                    Err(TryLockError::WouldBlock) => {
                        drop(src);
                        self.retries.fetch_add(1, Ordering::Relaxed);
                        thread::sleep(backoff(attempt));
                        continue;
                    }
                    Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                };
                self.take_entry(&mut src, from, now)
                    .map(|entry| self.place_entry(&mut dst, from, to, entry, now))
            };
            drop(src);
            return self.finish([a, b], result);
        }
        self.metrics.record_txn(false);
        Err(TxnError::Contended)
    }

    fn take_entry(&self, src: &mut Shard, from: &str, now: Instant) -> Result<Entry, TxnError> {
        let entry = src
            .remove(from)
            .filter(|e| !e.is_expired(now))
            .ok_or_else(|| TxnError::Missing(from.to_string()))?;
        self.repl.log_and_ship(Change::Delete { key: from.to_string() });
        Ok(entry)
    }

    fn place_entry(&self, dst: &mut Shard, from: &str, to: &str, entry: Entry, now: Instant) -> TxnOutcome {
        let n = entry.as_i64().unwrap_or(entry.value.len() as i64);
        let lsn = self.write_value(dst, to, entry.value, entry.expires_at.map(|d| d.saturating_duration_since(now)), now);
        TxnOutcome::pair(from, 0, to, n, lsn)
    }
}
