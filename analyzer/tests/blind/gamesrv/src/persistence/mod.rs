pub mod snapshot;
pub mod store;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crate::leaderboard::Leaderboard;
use crate::metrics::Metrics;
use crate::types::RegionId;
use crate::world::region::RegionSnapshot;
use store::SnapshotStore;

pub enum SaveJob {
    Region(RegionSnapshot),
    Ranking { frame: u64 },
    Stop,
}

pub struct Persistence {
    tx: SyncSender<SaveJob>,
    rx: Mutex<Option<Receiver<SaveJob>>>,
    pending: Mutex<HashSet<RegionId>>,
    store: Mutex<Box<dyn SnapshotStore + Send>>,
    leaderboard: Arc<Leaderboard>,
    metrics: Arc<Metrics>,
    saved: AtomicU64,
}

impl Persistence {
    pub fn new(store: Box<dyn SnapshotStore + Send>, queue: usize, leaderboard: Arc<Leaderboard>, metrics: Arc<Metrics>) -> Self {
        let (tx, rx) = mpsc::sync_channel(queue);
        Persistence {
            tx,
            rx: Mutex::new(Some(rx)),
            pending: Mutex::new(HashSet::new()),
            store: Mutex::new(store),
            leaderboard,
            metrics,
            saved: AtomicU64::new(0),
        }
    }

    /// Queues a region snapshot unless one for the same region is already
    /// waiting to be written.
    pub fn schedule(&self, snapshot: RegionSnapshot) -> bool {
        let mut pending = self.pending.lock().unwrap();
        if !pending.insert(snapshot.region) {
            return false;
        }
        self.tx.send(SaveJob::Region(snapshot)).is_ok() // PLANTED: blocking-while-holding: bounded send with pending held; the writer locks pending after each save before it receives again
    }

    pub fn schedule_ranking(&self, frame: u64) -> bool {
        self.tx.send(SaveJob::Ranking { frame }).is_ok()
    }

    pub fn saved(&self) -> u64 {
        self.saved.load(Ordering::Relaxed)
    }

    pub fn start(self: &Arc<Self>) -> Option<JoinHandle<()>> {
        let rx = self.rx.lock().unwrap().take()?;
        let me = Arc::clone(self);
        let handle = thread::Builder::new()
            .name("persistence".into())
            .spawn(move || me.run(rx))
            .expect("spawn persistence");
        Some(handle)
    }

    pub fn stop(&self) {
        let _ = self.tx.send(SaveJob::Stop);
    }

    fn run(&self, rx: Receiver<SaveJob>) {
        let mut store = self.store.lock().unwrap();
        loop {
            let job = match rx.recv() { // CLEAN: blocking-while-holding: store belongs to this thread while it runs; no sender ever locks it
                Ok(job) => job,
                Err(_) => break,
            };
            match job {
                SaveJob::Region(snap) => {
                    let key = format!("region/{}", snap.region.0);
                    let result = store.put(&key, snapshot::encode_region(&snap));
                    self.pending.lock().unwrap().remove(&snap.region);
                    self.record(result.is_ok());
                }
                SaveJob::Ranking { frame } => {
                    let top = self.leaderboard.publish_top(10);
                    let result = store.put("ranking", snapshot::encode_ranking(frame, &top));
                    self.record(result.is_ok());
                }
                SaveJob::Stop => break,
            }
        }
        eprintln!(
            "[persistence] {} store: {} keys, {} bytes",
            store.name(),
            store.len(),
            store.bytes_written()
        );
    }

    fn record(&self, ok: bool) {
        if ok {
            self.saved.fetch_add(1, Ordering::Relaxed);
            self.metrics.snapshot_saved();
        } else {
            eprintln!("[persistence] write failed");
        }
    }

    /// Reads back the stored snapshot of a region (used for the exit report).
    pub fn stored_entities(&self, region: RegionId) -> Option<usize> {
        let store = self.store.lock().unwrap();
        store.get(&format!("region/{}", region.0)).map(|b| snapshot::entity_count(&b))
    }
}
