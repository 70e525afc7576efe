//! Leader side of replication.
//!
//! Every change goes through [`Replicator::log_and_ship`], which appends it to
//! the write-ahead log and forwards it to each follower over an mpsc channel.
//! Followers answer on a per-link acknowledgement channel; the monitor thread
//! drains those, resends missed records to laggards and drops dead links.

pub mod follower;
pub mod link;
pub mod protocol;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::config::ReplicationMode;
use crate::metrics::Metrics;
use crate::wal::{Change, Record, Wal};
use link::FollowerLink;
pub use protocol::{Ack, FollowerId, LagReport, ReplMsg};

pub struct Replicator {
    wal: Arc<Wal>,
    links: Mutex<Vec<FollowerLink>>,
    mode: ReplicationMode,
    max_lag: u64,
    shipped_lsn: AtomicU64,
    metrics: Arc<Metrics>,
}

impl Replicator {
    pub fn new(wal: Arc<Wal>, mode: ReplicationMode, max_lag: u64, metrics: Arc<Metrics>) -> Self {
        Replicator {
            wal,
            links: Mutex::new(Vec::new()),
            mode,
            max_lag: max_lag.max(1),
            shipped_lsn: AtomicU64::new(0),
            metrics,
        }
    }

    pub fn mode(&self) -> ReplicationMode {
        self.mode
    }

    pub fn head(&self) -> u64 {
        self.shipped_lsn.load(Ordering::Acquire)
    }

    /// Opens a link for follower `id` and returns the follower's ends.
    pub fn connect(&self, id: FollowerId) -> (Receiver<ReplMsg>, Sender<Ack>) {
        let (tx, rx) = mpsc::channel();
        let (ack_tx, ack_rx) = mpsc::channel();
        let link = FollowerLink::new(id, tx, ack_rx, self.head());
        let live = self.add_follower(link);
        debug_assert!(live > 0);
        (rx, ack_tx)
    }

    fn add_follower(&self, link: FollowerLink) -> usize {
        {
            let mut links = self.links.lock();
            links.retain(|l| l.id != link.id);
            links.push(link);
        }
        self.live_count()
    }

    pub fn live_count(&self) -> usize {
        let links = self.links.lock(); // CLEAN: double-lock: add_follower's guard is dropped at the end of its inner block
        links.iter().filter(|l| l.alive).count()
    }

    /// Appends `change` to the log and forwards it to the followers. Shipping
    /// happens while the log is still held so followers see LSN order.
    pub fn log_and_ship(&self, change: Change) -> u64 {
        let mut log = self.wal.begin();
        let record = log.append(change);
        self.ship(&record);
        record.lsn
    }

    fn ship(&self, record: &Record) {
        let mut links = self.links.lock();
        let mut sent = 0;
        for link in links.iter_mut().filter(|l| l.alive) {
            if link.tx.send(ReplMsg::Apply(record.clone())).is_err() { // CLEAN: blocking-while-holding: unbounded mpsc channel, send never blocks
                link.alive = false;
            } else {
                sent += 1;
            }
        }
        drop(links);
        self.shipped_lsn.fetch_max(record.lsn, Ordering::AcqRel);
        self.metrics.record_shipped(sent);
    }

    /// Blocks until every live follower has acknowledged `lsn`; returns how
    /// many did.
    pub fn await_acks(&self, lsn: u64) -> usize {
        let mut links = self.links.lock();
        let mut confirmed = 0;
        for link in links.iter_mut().filter(|l| l.alive) {
            while link.acked_lsn < lsn {
                match link.ack_rx.recv() { // PLANTED: blocking-while-holding: waits for a follower ack with `links` held; the follower needs `links` in note_checkpoint before it acks
                    Ok(ack) => link.record_ack(ack),
                    Err(_) => {
                        link.alive = false;
                        break;
                    }
                }
            }
            if link.acked_lsn >= lsn {
                confirmed += 1;
            }
        }
        confirmed
    }

    /// Called by a follower when it has applied a checkpoint boundary.
    pub fn note_checkpoint(&self, id: FollowerId, lsn: u64) {
        let mut links = self.links.lock();
        if let Some(link) = links.iter_mut().find(|l| l.id == id) {
            link.checkpoint_lsn = link.checkpoint_lsn.max(lsn);
        }
    }

    /// Drains acknowledgements, resends the tail of the log to followers that
    /// fell more than `max_lag` behind, and drops disconnected followers.
    pub fn check_lag(&self) -> LagReport {
        let head = self.head();
        let now = Instant::now();
        let mut report = LagReport {
            head,
            ..LagReport::default()
        };
        let mut links = self.links.lock();
        let mut dead = Vec::new();
        for link in links.iter_mut() {
            if !link.alive || link.drain_acks().is_err() {
                link.alive = false;
                dead.push(link.id);
                continue;
            }
            let lag = link.lag(head);
            report.max_lag = report.max_lag.max(lag);
            if lag > self.max_lag && link.can_resync(now) {
                let missing = self.wal.records_since(link.acked_lsn);
                if link.tx.send(ReplMsg::Resync(missing)).is_ok() {
                    link.mark_resync(now);
                    self.metrics.record_resync();
                    report.resynced += 1;
                }
            }
        }
        report.live = links.iter().filter(|l| l.alive).count();
        for id in dead {
            self.evict(id);
            report.evicted += 1;
        }
        report
    }

    fn evict(&self, id: FollowerId) {
        let mut links = self.links.lock(); // PLANTED: double-lock: check_lag still holds `links` (parking_lot, not reentrant) when it evicts
        links.retain(|l| l.id != id);
    }

    /// Tells every follower to stop and forgets the links.
    pub fn shutdown(&self) {
        let links = std::mem::take(&mut *self.links.lock());
        for link in links {
            let _ = link.tx.send(ReplMsg::Shutdown);
        }
    }

    pub fn start_monitor(self: &Arc<Self>, interval: Duration, stop: Arc<AtomicBool>) -> JoinHandle<LagReport> {
        let this = Arc::clone(self);
        thread::Builder::new()
            .name("repl-monitor".into())
            .spawn(move || {
                let mut last = LagReport::default();
                while !stop.load(Ordering::Acquire) {
                    last = this.check_lag();
                    thread::sleep(interval);
                }
                last
            })
            .expect("failed to spawn replication monitor")
    }
}
