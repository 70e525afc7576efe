//! The engine ties the table, the log, replication and the background jobs
//! together behind the operations a client session can issue.

pub mod counters;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::compaction::Compactor;
use crate::config::ReplicationMode;
use crate::metrics::Metrics;
use crate::replication::Replicator;
use crate::snapshot::Snapshotter;
use crate::store::{Entry, Lookup, MemoryBudget, ShardedTable};
use crate::txn::TxnManager;
use crate::wal::{Change, Wal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    OutOfMemory { wanted: usize, limit: usize },
    NotANumber(String),
    Overflow(String),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::OutOfMemory { wanted, limit } => write!(f, "out of memory: {wanted} more bytes over {limit}"),
            EngineError::NotANumber(key) => write!(f, "value of `{key}` is not an integer"),
            EngineError::Overflow(key) => write!(f, "integer overflow on `{key}`"),
        }
    }
}

impl std::error::Error for EngineError {}

pub struct Engine {
    table: Arc<ShardedTable>,
    wal: Arc<Wal>,
    repl: Arc<Replicator>,
    snapshots: Arc<Snapshotter>,
    compactor: Arc<Compactor>,
    budget: Arc<MemoryBudget>,
    metrics: Arc<Metrics>,
    txn: TxnManager,
}

fn footprint(key: &str, entry: &Entry) -> usize {
    key.len() + entry.size()
}

impl Engine {
    pub fn new(
        table: Arc<ShardedTable>,
        wal: Arc<Wal>,
        repl: Arc<Replicator>,
        snapshots: Arc<Snapshotter>,
        compactor: Arc<Compactor>,
        budget: Arc<MemoryBudget>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let txn = TxnManager::new(Arc::clone(&table), Arc::clone(&repl), Arc::clone(&snapshots), Arc::clone(&metrics));
        Engine { table, wal, repl, snapshots, compactor, budget, metrics, txn }
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub fn snapshots(&self) -> &Arc<Snapshotter> {
        &self.snapshots
    }

    pub fn txn(&self) -> &TxnManager {
        &self.txn
    }

    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        match self.table.get(key, Instant::now()) {
            Lookup::Hit(entry) => {
                self.metrics.record_read(true);
                Some(entry.value)
            }
            Lookup::Expired => {
                self.metrics.record_expired(1);
                self.metrics.record_read(false);
                None
            }
            Lookup::Miss => {
                self.metrics.record_read(false);
                None
            }
        }
    }

    pub fn get_with_ttl(&self, key: &str) -> Option<(Vec<u8>, Option<Duration>)> {
        let found = self.table.get_with_ttl(key, Instant::now());
        self.metrics.record_read(found.is_some());
        found.map(|(entry, ttl)| (entry.value, ttl))
    }

    /// Stores `value` under `key`, logging and shipping the change while the
    /// key's shard is locked so that log order matches apply order.
    pub fn put(&self, key: &str, value: Vec<u8>, ttl: Option<Duration>) -> Result<u64, EngineError> {
        let wanted = key.len() + value.len() + std::mem::size_of::<Entry>();
        if !self.budget.try_reserve(wanted) {
            let limit = self.budget.limit();
            return Err(EngineError::OutOfMemory { wanted, limit });
        }
        let now = Instant::now();
        let idx = self.table.shard_index(key);
        let mut replaced = 0;
        let entry = self.table.update(key, now, |current| {
            replaced = current.map(|e| footprint(key, e)).unwrap_or(0);
            let lsn = self.repl.log_and_ship(Change::Put {
                key: key.to_string(),
                value: value.clone(),
                ttl_ms: ttl.map(|t| t.as_millis() as u64),
            });
            Entry::with_ttl(value, lsn, ttl, now)
        });
        if replaced > 0 {
            self.budget.release(replaced);
        }
        self.snapshots.note_write(idx);
        self.metrics.record_write(wanted);
        Ok(entry.version)
    }

    /// Like [`put`](Self::put), but in semi-synchronous mode also waits for
    /// the followers to acknowledge. Returns the LSN and the number of acks.
    pub fn put_replicated(&self, key: &str, value: Vec<u8>, ttl: Option<Duration>) -> Result<(u64, usize), EngineError> {
        let lsn = self.put(key, value, ttl)?;
        let acks = match self.repl.mode() {
            ReplicationMode::SemiSync => self.repl.await_acks(lsn),
            ReplicationMode::Async => 0,
        };
        Ok((lsn, acks))
    }

    pub fn delete(&self, key: &str) -> bool {
        let idx = self.table.shard_index(key);
        let removed = self.table.remove_with(key, |_| {
            self.repl.log_and_ship(Change::Delete { key: key.to_string() })
        });
        match removed {
            Some((old, _lsn)) => {
                self.budget.release(footprint(key, &old));
                self.snapshots.note_write(idx);
                self.metrics.record_delete();
                true
            }
            None => false,
        }
    }

    /// Waits until everything this engine logged so far is on disk.
    pub fn sync(&self) -> u64 {
        let lsn = self.wal.last_lsn();
        self.wal.wait_durable(lsn);
        lsn
    }

    pub fn request_compaction(&self) -> bool {
        self.compactor.request_full()
    }

    pub fn stats_line(&self) -> String {
        format!(
            "{} keys={} mem={}/{} (peak {}, rejected {}) wal={} durable={} syncs={} segments={} followers={} snapshot_gen={}",
            self.metrics.render(),
            self.table.len(),
            self.budget.used(),
            self.budget.limit(),
            self.budget.peak(),
            self.budget.rejected(),
            self.wal.last_lsn(),
            self.wal.durable_lsn(),
            self.wal.sync_count(),
            self.wal.segment_count(),
            self.repl.live_count(),
            self.snapshots.generation(),
        )
    }
}
