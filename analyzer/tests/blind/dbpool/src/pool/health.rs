//! Health bookkeeping for pooled connections.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use super::conn::ConnId;

const EVENT_CAPACITY: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthEventKind {
    Reaped,
    ProbeFailed,
}

#[derive(Debug, Clone)]
pub struct HealthEvent {
    pub conn: ConnId,
    pub kind: HealthEventKind,
    pub at: Instant,
}

#[derive(Debug, Default)]
pub struct HealthLog {
    events: VecDeque<HealthEvent>,
    pub reaped: u64,
    pub probes: u64,
    pub failed_probes: u64,
    pub sweeps: u64,
    pub skipped_sweeps: u64,
}

impl HealthLog {
    pub fn push(&mut self, event: HealthEvent) {
        if self.events.len() == EVENT_CAPACITY {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }
}

#[derive(Debug, Clone)]
pub struct HealthSummary {
    pub reaped: u64,
    pub probes: u64,
    pub failed_probes: u64,
    pub skipped_sweeps: u64,
    pub idle_now: usize,
    pub recent: Vec<String>,
}

impl HealthSummary {
    pub fn build(log: &HealthLog, idle_now: usize) -> Self {
        HealthSummary {
            reaped: log.reaped,
            probes: log.probes,
            failed_probes: log.failed_probes,
            skipped_sweeps: log.skipped_sweeps,
            idle_now,
            recent: log.events.iter().rev().take(5).map(|e| format!("conn#{} {:?}", e.conn, e.kind)).collect(),
        }
    }
}

/// Owned by the pool; records reaps and probe results.
#[derive(Default)]
pub struct HealthMonitor {
    log: Mutex<HealthLog>,
}

impl HealthMonitor {
    pub fn lock_log(&self) -> MutexGuard<'_, HealthLog> {
        self.log.lock().unwrap()
    }

    pub fn record(&self, conn: ConnId, kind: HealthEventKind) {
        let mut log = self.log.lock().unwrap(); // PLANTED: lock-order: taken under pool state by the reaper, while the admin Health command takes log then pool state
        if kind == HealthEventKind::Reaped {
            log.reaped += 1;
        }
        log.push(HealthEvent { conn, kind, at: Instant::now() });
    }
}
