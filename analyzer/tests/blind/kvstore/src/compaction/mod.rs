//! Log compaction.
//!
//! Sealed WAL segments are merged so that only the newest record per key
//! survives, fanning out over scoped worker threads.

pub mod merge;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::metrics::Metrics;
use crate::wal::Wal;

#[derive(Default)]
struct CompactionState {
    running: bool,
    runs: u64,
    records_dropped: usize,
    progress: HashMap<u64, (usize, usize)>,
}

/// A request for a full compaction.
#[derive(Debug)]
pub struct CompactRequest;

#[derive(Debug, Clone, Default)]
pub struct CompactionReport {
    pub segments_in: usize,
    pub segments_out: usize,
    pub kept: usize,
    pub dropped: usize,
}

pub struct Compactor {
    wal: Arc<Wal>,
    metrics: Arc<Metrics>,
    state: Mutex<CompactionState>,
    requests: Mutex<Option<Sender<CompactRequest>>>,
    workers: usize,
    min_segments: usize,
}

impl Compactor {
    pub fn new(wal: Arc<Wal>, metrics: Arc<Metrics>, workers: usize, min_segments: usize) -> Arc<Self> {
        Arc::new(Compactor {
            wal,
            metrics,
            state: Mutex::new(CompactionState::default()),
            requests: Mutex::new(None),
            workers: workers.max(1),
            min_segments: min_segments.max(2),
        })
    }

    pub fn start(self: &Arc<Self>, interval: Duration, stop: Arc<AtomicBool>) -> JoinHandle<u64> {
        let (tx, rx) = mpsc::channel();
        *self.requests.lock().unwrap() = Some(tx);
        let this = Arc::clone(self);
        thread::Builder::new()
            .name("compactor".into())
            .spawn(move || this.run_loop(rx, interval, stop))
            .expect("failed to spawn compactor")
    }

    fn run_loop(&self, rx: Receiver<CompactRequest>, interval: Duration, stop: Arc<AtomicBool>) -> u64 {
        let mut runs = 0;
        while !stop.load(Ordering::Acquire) {
            match rx.recv_timeout(interval) {
                Ok(CompactRequest) => {
                    let report = self.run_full();
                    if report.segments_in > 0 {
                        runs += 1;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.run_incremental().is_some() {
                        runs += 1;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        runs
    }

    /// Queues a full compaction; returns false once the compactor is stopped.
    pub fn request_full(&self) -> bool {
        match self.requests.lock().unwrap().as_ref() {
            Some(tx) => tx.send(CompactRequest).is_ok(),
            None => false,
        }
    }

    pub fn stop(&self) {
        self.requests.lock().unwrap().take();
    }

    /// Worker callback: records how one output segment turned out.
    fn note_progress(&self, segment: u64, kept: usize, dropped: usize) {
        let mut state = self.state.lock().unwrap();
        state.progress.insert(segment, (kept, dropped));
        state.records_dropped += dropped;
    }

    /// Rewrites every sealed segment. The state lock is held for the whole run
    /// so that no incremental pass interleaves with it.
    pub fn run_full(&self) -> CompactionReport {
        let mut state = self.state.lock().unwrap();
        if state.running {
            return CompactionReport::default();
        }
        state.running = true;
        state.progress.clear();
        let segments = self.wal.sealed_segments();
        if segments.len() < 2 {
            state.running = false;
            return CompactionReport::default();
        }
        let replaced: Vec<u64> = segments.iter().map(|s| s.id).collect();
        let merged = self.rewrite_all(&segments);
        let report = CompactionReport {
            segments_in: segments.len(),
            segments_out: merged.len(),
            kept: merged.iter().map(|s| s.len()).sum(),
            dropped: state.progress.values().map(|(_, d)| d).sum(),
        };
        state.running = false;
        state.runs += 1;
        drop(state);

        self.wal.install_compacted(&replaced, merged);
        self.metrics.record_compaction();
        report
    }

    /// Merges the oldest `min_segments` sealed segments into one.
    pub fn run_incremental(&self) -> Option<CompactionReport> {
        let batch = {
            let mut state = self.state.lock().unwrap();
            if state.running {
                return None;
            }
            let sealed = self.wal.sealed_segments();
            if sealed.len() < self.min_segments {
                return None;
            }
            state.running = true;
            sealed.into_iter().take(self.min_segments).collect::<Vec<_>>()
        };
        let id = self.wal.allocate_segment_ids(1);
        let merged = thread::scope(|scope| {
            let worker = thread::Builder::new()
                .name("merge-inc".into())
                .spawn_scoped(scope, || {
                    let (segment, dropped) = merge::merge_segments(&batch, id);
                    self.note_progress(segment.id, segment.len(), dropped);
                    (segment, dropped)
                })
                .expect("failed to spawn merge worker");
            worker.join() // CLEAN: blocking-while-holding: the state guard was released at the end of the block above
        });

        let mut state = self.state.lock().unwrap();
        state.running = false;
        let (segment, dropped) = merged.ok()?;
        state.runs += 1;
        drop(state);

        let replaced: Vec<u64> = batch.iter().map(|s| s.id).collect();
        let report = CompactionReport {
            segments_in: batch.len(),
            segments_out: 1,
            kept: segment.len(),
            dropped,
        };
        self.wal.install_compacted(&replaced, vec![segment]);
        self.metrics.record_compaction();
        Some(report)
    }
}
