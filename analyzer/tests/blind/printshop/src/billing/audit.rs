//! The append-only audit trail every money movement goes through.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use racecheck::Lock;

use super::ledger::Ledger;
use crate::model::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Invoice,
    Refund,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub seq: u64,
    pub customer: CustomerId,
    pub amount: i64,
    pub kind: EntryKind,
    pub at: Instant,
    pub settled: bool,
}

pub struct AuditTrail {
    log: Lock<Vec<AuditEntry>>,
    next_seq: AtomicU64,
}

impl AuditTrail {
    pub fn new() -> Self {
        AuditTrail { log: Lock::new(Vec::new()), next_seq: AtomicU64::new(1) }
    }

    pub fn append(&self, customer: CustomerId, amount: i64, kind: EntryKind) -> u64 {
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst);
        let mut log = self.log.acquire();
        log.push(AuditEntry { seq, customer, amount, kind, at: Instant::now(), settled: false });
        seq
    }

    /// Settles every entry not yet settled against the ledger; returns how many.
    pub fn drain_pending(&self, ledger: &Ledger) -> usize {
        let mut log = self.log.acquire();
        let mut settled = 0;
        for entry in log.iter_mut().filter(|entry| !entry.settled) {
            ledger.apply_settlement(entry);
            entry.settled = true;
            settled += 1;
        }
        settled
    }

    pub fn len(&self) -> usize {
        self.log.acquire().len()
    }

    pub fn unsettled(&self) -> usize {
        self.log.acquire().iter().filter(|entry| !entry.settled).count()
    }

    pub fn oldest_unsettled_ms(&self) -> Option<u128> {
        let log = self.log.acquire();
        log.iter().find(|entry| !entry.settled).map(|entry| entry.at.elapsed().as_millis())
    }
}

impl Default for AuditTrail {
    fn default() -> Self {
        AuditTrail::new()
    }
}
