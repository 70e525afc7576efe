//! Periodic snapshotting of the store and export to sinks.

pub mod queue;
pub mod sink;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use crate::model::{now_ms, SeriesKey};
use crate::service::Readiness;
use crate::stats::Stats;
use crate::store::{SeriesPoint, Store, TombstoneSink};

use queue::ExportQueue;
use sink::Sink;

#[derive(Clone, Debug, Default)]
pub struct ExportBatch {
    pub epoch: u64,
    pub taken_at_ms: u64,
    pub points: Vec<(SeriesKey, SeriesPoint)>,
    pub tombstones: Vec<SeriesKey>,
}

impl ExportBatch {
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.tombstones.is_empty()
    }
}

/// Staging area for the next export batch.
#[derive(Default)]
struct Outbox {
    epoch: u64,
    staged: Vec<(SeriesKey, SeriesPoint)>,
    tombstones: Vec<SeriesKey>,
}

impl Outbox {
    fn seal(&mut self, now: u64) -> ExportBatch {
        ExportBatch {
            epoch: self.epoch,
            taken_at_ms: now,
            points: std::mem::take(&mut self.staged),
            tombstones: std::mem::take(&mut self.tombstones),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct FlushReport {
    pub epoch: u64,
    pub points: usize,
    pub tombstones: usize,
}

#[derive(Clone, Debug)]
pub struct SinkHealth {
    pub sink: String,
    pub healthy: bool,
    pub queued: usize,
    pub last_flush_ms: u64,
}

#[derive(Default)]
struct FlushControl {
    paused: bool,
    manual_flushes: u64,
    last_flush_ms: u64,
    last_report: Option<FlushReport>,
}

pub enum FlushRequest {
    Now { reply: Sender<FlushReport> },
    Health { reply: Sender<SinkHealth> },
    Stop,
}

pub struct FlushShared {
    store: Arc<Store>,
    stats: Arc<Stats>,
    sink: Arc<dyn Sink>,
    outbox: Mutex<Outbox>,
    ctl: Mutex<FlushControl>,
    queue: ExportQueue,
    requests: Receiver<FlushRequest>,
}

impl FlushShared {
    fn run(&self, interval: Duration) {
        loop {
            match self.requests.recv_timeout(interval) {
                Ok(FlushRequest::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(req) => self.handle(req),
                Err(RecvTimeoutError::Timeout) => {
                    let paused = self.ctl.lock().unwrap().paused;
                    if !paused {
                        self.flush_once();
                    }
                }
            }
        }
        self.flush_once();
    }

    fn handle(&self, req: FlushRequest) {
        match req {
            FlushRequest::Now { reply } => {
                self.ctl.lock().unwrap().manual_flushes += 1;
                let report = self.flush_once();
                let _ = reply.send(report);
            }
            FlushRequest::Health { reply } => {
                let last_flush_ms = self.ctl.lock().unwrap().last_flush_ms;
                let _ = reply.send(SinkHealth {
                    sink: self.sink.name().to_string(),
                    healthy: self.sink.healthy(),
                    queued: self.queue.len(),
                    last_flush_ms,
                });
            }
            FlushRequest::Stop => {}
        }
    }

    fn flush_once(&self) -> FlushReport {
        let now = now_ms();
        let mut outbox = self.outbox.lock().unwrap();
        outbox.epoch += 1;
        for idx in 0..self.store.shard_count() {
            let points = self.store.snapshot_shard(idx);
            outbox.staged.extend(points);
        }
        let batch = outbox.seal(now);
        drop(outbox);

        let report = FlushReport {
            epoch: batch.epoch,
            points: batch.points.len(),
            tombstones: batch.tombstones.len(),
        };
        if !batch.is_empty() {
            self.queue.push(batch);
        }
        self.ctl.lock().unwrap().last_flush_ms = now;
        self.stats.flushes.fetch_add(1, Ordering::Relaxed);
        report
    }

    fn export_loop(&self, id: usize) {
        while let Some(batch) = self.queue.pop() {
            if let Err(e) = self.sink.export(&batch) {
                eprintln!("exporter-{id}: epoch {}: {e}", batch.epoch);
            }
            self.queue.done();
        }
    }
}

impl TombstoneSink for FlushShared {
    fn record_tombstones(&self, keys: &[SeriesKey]) {
        if keys.is_empty() {
            return;
        }
        let mut outbox = self.outbox.lock().unwrap(); // PLANTED: lock-order: evictor reaches this holding a shard lock (Store::evict_stale) while flush_once holds outbox and locks each shard
        outbox.tombstones.extend_from_slice(keys);
    }

    fn try_record_tombstones(&self, keys: &[SeriesKey]) -> bool {
        if keys.is_empty() {
            return true;
        }
        match self.outbox.try_lock() { // CLEAN: lock-order: try_lock under the shard lock never blocks; caller defers the keys and retries without the shard
            Ok(mut outbox) => {
                outbox.tombstones.extend_from_slice(keys);
                true
            }
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Poisoned(p)) => {
                p.into_inner().tombstones.extend_from_slice(keys);
                true
            }
        }
    }
}

/// Owns the flusher thread and the exporter threads.
pub struct Flusher {
    shared: Arc<FlushShared>,
    requests: Sender<FlushRequest>,
    flusher: Mutex<Option<JoinHandle<()>>>,
    exporters: Mutex<Vec<JoinHandle<()>>>,
}

impl Flusher {
    pub fn new(store: Arc<Store>, sink: Arc<dyn Sink>, stats: Arc<Stats>, queue: usize) -> Self {
        let (tx, rx) = crossbeam_channel::unbounded();
        Flusher {
            shared: Arc::new(FlushShared {
                store,
                stats,
                sink,
                outbox: Mutex::new(Outbox::default()),
                ctl: Mutex::new(FlushControl::default()),
                queue: ExportQueue::new(queue),
                requests: rx,
            }),
            requests: tx,
            flusher: Mutex::new(None),
            exporters: Mutex::new(Vec::new()),
        }
    }

    pub fn tombstones(&self) -> Arc<dyn TombstoneSink> {
        self.shared.clone()
    }

    pub fn start(&self, interval: Duration, exporters: usize, ready: Arc<Readiness>) {
        let mut handles = Vec::with_capacity(exporters);
        for id in 0..exporters {
            let shared = Arc::clone(&self.shared);
            let ready = Arc::clone(&ready);
            handles.push(thread::spawn(move || {
                ready.arrive();
                shared.export_loop(id);
            }));
        }
        *self.exporters.lock().unwrap() = handles;

        let shared = Arc::clone(&self.shared);
        let handle = thread::spawn(move || {
            ready.arrive();
            shared.run(interval);
        });
        *self.flusher.lock().unwrap() = Some(handle);
    }

    pub fn set_paused(&self, paused: bool) {
        self.shared.ctl.lock().unwrap().paused = paused;
    }

    /// Forces an immediate flush and waits for its report.
    pub fn flush_now(&self) -> Result<FlushReport, String> {
        let mut ctl = self.shared.ctl.lock().unwrap();
        if ctl.paused {
            return Err("flushing is paused".into());
        }
        let (reply, rx) = crossbeam_channel::bounded(1);
        self.requests
            .send(FlushRequest::Now { reply })
            .map_err(|_| "flusher is not running".to_string())?;
        let report = rx.recv().map_err(|_| "flusher dropped the request".to_string())?; // PLANTED: blocking-while-holding: waits for the flusher thread while holding ctl, which the flusher locks first when it handles FlushRequest::Now
        ctl.last_report = Some(report.clone());
        Ok(report)
    }

    pub fn sink_health(&self) -> Result<SinkHealth, String> {
        let ctl = self.shared.ctl.lock().unwrap();
        if ctl.paused {
            return Err("flushing is paused".into());
        }
        drop(ctl);
        let (reply, rx) = crossbeam_channel::bounded(1);
        self.requests
            .send(FlushRequest::Health { reply })
            .map_err(|_| "flusher is not running".to_string())?;
        rx.recv().map_err(|_| "flusher dropped the request".to_string()) // CLEAN: blocking-while-holding: ctl guard dropped before waiting on the flusher's reply
    }

    pub fn last_report(&self) -> Option<FlushReport> {
        self.shared.ctl.lock().unwrap().last_report.clone()
    }

    pub fn shutdown(&self) {
        let _ = self.requests.send(FlushRequest::Stop);
        let flusher = self.flusher.lock().unwrap().take();
        if let Some(h) = flusher {
            let _ = h.join();
        }
        self.shared.queue.wait_drained();
        self.shared.queue.close();
        let exporters = std::mem::take(&mut *self.exporters.lock().unwrap());
        for h in exporters {
            let _ = h.join();
        }
    }
}
