//! Periodic snapshots of the table.
//!
//! The snapshotter walks the shards one after another and copies those that
//! changed since the previous image; unchanged shards are shared with it.

pub mod image;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::metrics::Metrics;
use crate::store::{ShardObserver, ShardedTable};
pub use image::{MemorySnapshotSink, SnapshotImage, SnapshotSink};

struct SnapState {
    generation: u64,
    dirty: BTreeSet<usize>,
    last: Option<Arc<SnapshotImage>>,
    expired_since: usize,
}

pub struct SnapshotRequest {
    reply: Sender<u64>,
}

pub struct Snapshotter {
    table: Arc<ShardedTable>,
    state: Mutex<SnapState>,
    published: Condvar,
    sink: Mutex<Box<dyn SnapshotSink>>,
    request_tx: Mutex<Sender<SnapshotRequest>>,
    request_rx: Mutex<Option<Receiver<SnapshotRequest>>>,
    stop: AtomicBool,
    metrics: Arc<Metrics>,
}

impl Snapshotter {
    pub fn new(table: Arc<ShardedTable>, sink: Box<dyn SnapshotSink>, metrics: Arc<Metrics>) -> Arc<Self> {
        let (tx, rx) = mpsc::channel();
        let dirty = (0..table.shard_count()).collect();
        Arc::new(Snapshotter {
            table,
            state: Mutex::new(SnapState {
                generation: 0,
                dirty,
                last: None,
                expired_since: 0,
            }),
            published: Condvar::new(),
            sink: Mutex::new(sink),
            request_tx: Mutex::new(tx),
            request_rx: Mutex::new(Some(rx)),
            stop: AtomicBool::new(false),
            metrics,
        })
    }

    pub fn start(self: &Arc<Self>, interval: Duration) -> JoinHandle<u64> {
        let rx = self.request_rx.lock().take().expect("snapshotter already started");
        let this = Arc::clone(self);
        thread::Builder::new()
            .name("snapshotter".into())
            .spawn(move || this.run(rx, interval))
            .expect("failed to spawn snapshotter")
    }

    fn run(&self, rx: Receiver<SnapshotRequest>, interval: Duration) -> u64 {
        let mut taken = 0;
        while !self.stop.load(Ordering::Acquire) {
            match rx.recv_timeout(interval) {
                Ok(request) => {
                    let generation = self.capture();
                    taken += 1;
                    let _ = request.reply.send(generation);
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.has_dirty() {
                        self.capture();
                        taken += 1;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.published.notify_all();
        taken
    }

    fn has_dirty(&self) -> bool {
        !self.state.lock().dirty.is_empty()
    }

    /// Takes a new image; the state lock keeps the dirty set and the image in
    /// step while the shards are copied.
    fn capture(&self) -> u64 {
        let mut state = self.state.lock();
        state.generation += 1;
        let generation = state.generation;
        let previous = state.last.clone();
        let mut shards = Vec::with_capacity(self.table.shard_count());
        for idx in 0..self.table.shard_count() {
            let reusable = previous.as_ref().filter(|_| !state.dirty.contains(&idx));
            match reusable {
                Some(prev) => shards.push(prev.shards[idx].clone()),
                None => shards.push(self.table.export_shard(idx)),
            }
        }
        let image = Arc::new(SnapshotImage::new(generation, shards));
        state.dirty.clear();
        state.expired_since = 0;
        state.last = Some(Arc::clone(&image));
        drop(state);
        self.published.notify_all();

        if let Err(err) = self.sink.lock().store(&image) {
            eprintln!("snapshot {generation}: {err}");
        }
        self.metrics.record_snapshot();
        generation
    }

    /// Asks the snapshotter thread for an immediate snapshot and returns its
    /// generation.
    pub fn request_now(&self) -> Option<u64> {
        let (reply, rx) = mpsc::channel();
        {
            let requests = self.request_tx.lock();
            requests.send(SnapshotRequest { reply }).ok()?;
        }
        rx.recv_timeout(Duration::from_secs(5)).ok() // CLEAN: blocking-while-holding: request_tx guard dropped with the block above
    }

    /// Waits (bounded) for a snapshot newer than `after`.
    pub fn wait_for_next(&self, after: u64, timeout: Duration) -> Option<Arc<SnapshotImage>> {
        let deadline = Instant::now() + timeout;
        let mut state = self.state.lock();
        while state.generation <= after || state.last.is_none() {
            if self.published.wait_until(&mut state, deadline).timed_out() { // CLEAN: wait-without-loop: inside a while that re-checks the generation
                return None;
            }
        }
        state.last.clone()
    }

    /// Marks a shard as changed by a client write.
    pub fn note_write(&self, idx: usize) {
        let mut state = self.state.lock(); // CLEAN: lock-order: writers call this after their shard guard is gone
        state.dirty.insert(idx);
    }

    pub fn generation(&self) -> u64 {
        self.state.lock().generation
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
    }
}

impl ShardObserver for Snapshotter {
    fn on_shard_changed(&self, shard: usize, removed: usize) {
        let mut state = self.state.lock(); // PLANTED: lock-order: sweeper holds the shard write lock here; capture() holds `state` while reading shards
        state.dirty.insert(shard);
        state.expired_since += removed;
    }
}
