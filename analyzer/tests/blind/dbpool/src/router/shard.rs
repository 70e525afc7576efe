//! One shard of the key space: rows, tombstones and running statistics.

use std::collections::BTreeMap;
use std::sync::RwLock;

use super::topology::{bucket_of, Topology};

#[derive(Debug, Clone)]
pub struct Row {
    pub value: i64,
    pub payload: Vec<u8>,
    pub seq: u64,
    pub tombstone: bool,
}

impl Row {
    pub fn size(&self) -> u64 {
        (16 + self.payload.len()) as u64
    }
}

#[derive(Debug, Clone, Default)]
pub struct ShardStats {
    pub writes: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone)]
pub enum Operation {
    Get,
    Put { value: i64, payload: Vec<u8> },
    Increment { delta: i64 },
    Delete,
}

impl Operation {
    pub fn describe(&self) -> String {
        match self {
            Operation::Get => "GET".into(),
            Operation::Put { payload, .. } => format!("PUT({}b)", payload.len()),
            Operation::Increment { delta } => format!("INCR({delta})"),
            Operation::Delete => "DELETE".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpResult {
    Value(Option<i64>),
    Written { seq: u64 },
    Deleted(bool),
}

#[derive(Debug, Clone)]
pub struct ShardSummary {
    pub id: usize,
    pub rows: usize,
    pub tombstones: usize,
    pub stats: ShardStats,
    pub schema_version: u32,
}

pub struct Shard {
    pub id: usize,
    rows: BTreeMap<i64, Row>,
    pub stats: ShardStats,
    pub columns: Vec<String>,
    pub schema_version: u32,
    seq: u64,
}

impl Shard {
    pub fn new(id: usize) -> Self {
        let columns = vec!["k".into(), "v".into(), "payload".into()];
        Shard { id, rows: BTreeMap::new(), stats: ShardStats::default(), columns, schema_version: 0, seq: 0 }
    }

    /// Whether this shard still owns `key` under the current topology.
    pub fn owns(&self, key: i64, topology: &RwLock<Topology>) -> bool {
        let topo = topology.read().unwrap(); // PLANTED: lock-order: worker holds this shard's mutex and takes topology; rebalance holds topology write and takes shard mutexes
        topo.owner(bucket_of(key, topo.bucket_count())) == self.id
    }

    pub fn apply(&mut self, key: i64, op: &Operation) -> OpResult {
        self.seq += 1;
        let seq = self.seq;
        match op {
            Operation::Get => OpResult::Value(self.rows.get(&key).filter(|r| !r.tombstone).map(|r| r.value)),
            Operation::Put { value, payload } => {
                self.stats.writes += 1;
                let row = Row { value: *value, payload: payload.clone(), seq, tombstone: false };
                self.stats.bytes += row.size();
                if let Some(old) = self.rows.insert(key, row) {
                    self.stats.bytes = self.stats.bytes.saturating_sub(old.size());
                }
                OpResult::Written { seq }
            }
            Operation::Increment { delta } => {
                self.stats.writes += 1;
                self.add_value(key, *delta);
                OpResult::Written { seq }
            }
            Operation::Delete => {
                self.stats.writes += 1;
                match self.rows.get_mut(&key) {
                    Some(row) if !row.tombstone => {
                        row.tombstone = true;
                        row.seq = seq;
                        OpResult::Deleted(true)
                    }
                    _ => OpResult::Deleted(false),
                }
            }
        }
    }

    pub fn value_of(&self, key: i64) -> i64 {
        self.rows.get(&key).filter(|r| !r.tombstone).map(|r| r.value).unwrap_or(0)
    }

    pub fn add_value(&mut self, key: i64, delta: i64) {
        self.seq += 1;
        let seq = self.seq;
        match self.rows.get_mut(&key) {
            Some(row) => {
                row.value = if row.tombstone { delta } else { row.value + delta };
                row.tombstone = false;
                row.seq = seq;
            }
            None => {
                let row = Row { value: delta, payload: Vec::new(), seq, tombstone: false };
                self.stats.bytes += row.size();
                self.rows.insert(key, row);
            }
        }
    }

    /// Remove and return all rows whose keys hash into `buckets`.
    pub fn extract(&mut self, buckets: &[usize], bucket_count: usize) -> Vec<(i64, Row)> {
        let keys: Vec<i64> =
            self.rows.keys().copied().filter(|k| buckets.contains(&bucket_of(*k, bucket_count))).collect();
        let out: Vec<(i64, Row)> = keys.into_iter().filter_map(|k| self.rows.remove(&k).map(|r| (k, r))).collect();
        let freed: u64 = out.iter().map(|(_, r)| r.size()).sum();
        self.stats.bytes = self.stats.bytes.saturating_sub(freed);
        out
    }

    pub fn absorb(&mut self, rows: Vec<(i64, Row)>) {
        for (k, row) in rows {
            self.stats.bytes += row.size();
            if let Some(old) = self.rows.insert(k, row) {
                self.stats.bytes = self.stats.bytes.saturating_sub(old.size());
            }
        }
    }

    /// Drop the oldest rows until at least `target` bytes are freed.
    /// Returns the bytes freed; the caller accounts for them.
    pub fn evict_oldest(&mut self, target: u64) -> u64 {
        let mut by_age: Vec<(u64, i64)> = self.rows.iter().map(|(k, r)| (r.seq, *k)).collect();
        by_age.sort_unstable();
        let mut freed = 0;
        for (_, k) in by_age {
            if freed >= target {
                break;
            }
            if let Some(row) = self.rows.remove(&k) {
                freed += row.size();
            }
        }
        freed
    }

    /// Physically remove tombstoned rows. Returns the bytes freed; the
    /// caller accounts for them.
    pub fn drop_tombstones(&mut self) -> u64 {
        let dead: Vec<i64> = self.rows.iter().filter(|(_, r)| r.tombstone).map(|(k, _)| *k).collect();
        dead.iter().filter_map(|k| self.rows.remove(k)).map(|row| row.size()).sum()
    }

    pub fn add_column(&mut self, name: &str, version: u32) -> bool {
        if self.schema_version >= version {
            return false;
        }
        if !self.columns.iter().any(|c| c == name) {
            self.columns.push(name.to_string());
        }
        self.schema_version = version;
        true
    }

    pub fn summary(&self) -> ShardSummary {
        ShardSummary {
            id: self.id,
            rows: self.rows.len(),
            tombstones: self.rows.values().filter(|r| r.tombstone).count(),
            stats: self.stats.clone(),
            schema_version: self.schema_version,
        }
    }
}
