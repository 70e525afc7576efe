//! Write-ahead log. Appenders push records into a shared buffer; a
//! background flusher drains the buffer into segments and advances the
//! durable LSN.

pub mod record;
pub mod segment;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar as StdCondvar, Mutex as StdMutex};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};
use parking_lot::{Condvar, Mutex};

use crate::config::WalConfig;
use crate::metrics::Metrics;
pub use record::{Lsn, LsnAllocator, RecordKind, WalRecord};
pub use segment::SegmentSet;

#[derive(Debug)]
pub enum WalError {
    FlusherGone,
    NotDurable { lsn: Lsn, durable: Lsn },
}

enum FlushRequest {
    Kick,
    Sync { upto: Lsn, reply: Sender<Lsn> },
    Shutdown,
}

#[derive(Debug, Clone, Copy)]
pub enum WalEvent {
    Durable(Lsn),
    Truncated { below: Lsn, segments: usize },
}

#[derive(Default)]
struct WalBuffer {
    records: Vec<WalRecord>,
    bytes: usize,
    since_roll: usize,
}

impl WalBuffer {
    fn push(&mut self, record: WalRecord) {
        self.bytes += record.encoded_len();
        self.records.push(record);
    }

    fn summary(&self) -> (usize, usize) {
        (self.records.len(), self.bytes)
    }

    fn drain_up_to(&mut self, max: usize) -> Vec<WalRecord> {
        let n = self.records.len().min(max);
        let batch: Vec<WalRecord> = self.records.drain(..n).collect();
        let freed: usize = batch.iter().map(WalRecord::encoded_len).sum();
        self.bytes -= freed;
        batch
    }
}

#[derive(Debug, Clone)]
pub struct WalStats {
    pub buffered_records: usize,
    pub buffered_bytes: usize,
    pub segments: usize,
    pub segment_bytes: usize,
    pub durable: Lsn,
    pub last_assigned: Lsn,
}

pub struct Wal {
    cfg: WalConfig,
    lsns: LsnAllocator,
    buffer: Mutex<WalBuffer>,
    space: Condvar,
    segments: Mutex<SegmentSet>,
    durable: StdMutex<Lsn>,
    durable_cv: StdCondvar,
    flush_tx: Sender<FlushRequest>,
    flush_rx: Receiver<FlushRequest>,
    events_tx: Sender<WalEvent>,
    events_rx: Receiver<WalEvent>,
    flusher: StdMutex<Option<JoinHandle<()>>>,
    metrics: Arc<Metrics>,
}

impl Wal {
    pub fn open(cfg: WalConfig, metrics: Arc<Metrics>) -> Arc<Wal> {
        let (flush_tx, flush_rx) = unbounded();
        let (events_tx, events_rx) = unbounded();
        Arc::new(Wal {
            cfg,
            lsns: LsnAllocator::starting_at(1),
            buffer: Mutex::new(WalBuffer::default()),
            space: Condvar::new(),
            segments: Mutex::new(SegmentSet::new()),
            durable: StdMutex::new(0),
            durable_cv: StdCondvar::new(),
            flush_tx,
            flush_rx,
            events_tx,
            events_rx,
            flusher: StdMutex::new(None),
            metrics,
        })
    }

    pub fn subscribe(&self) -> Receiver<WalEvent> {
        self.events_rx.clone()
    }

    pub fn start_flusher(self: &Arc<Self>) {
        let wal = Arc::clone(self);
        let handle = thread::Builder::new()
            .name("wal-flusher".into())
            .spawn(move || wal.flusher_loop())
            .expect("spawn wal flusher");
        *self.flusher.lock().unwrap() = Some(handle);
    }

    /// Append a data record. Blocks while the buffer is over its limit.
    pub fn append(&self, payload: Vec<u8>) -> Lsn {
        let lsn = self.lsns.allocate();
        let record = WalRecord::new(lsn, RecordKind::Write, payload);
        let len = record.encoded_len();
        let mut buf = self.buffer.lock();
        while buf.bytes >= self.cfg.buffer_limit {
            self.space.wait(&mut buf); // CLEAN: wait-without-loop: re-checks the buffer limit in a while loop
        }
        buf.push(record);
        buf.since_roll += len;
        if buf.since_roll >= self.cfg.segment_bytes {
            buf.since_roll = 0;
            self.roll_segment(lsn);
        }
        drop(buf);
        self.metrics.wal_records.fetch_add(1, Ordering::Relaxed);
        self.metrics.wal_bytes.fetch_add(len as u64, Ordering::Relaxed);
        lsn
    }

    fn roll_segment(&self, first_lsn: Lsn) {
        let mut segments = self.segments.lock(); // PLANTED: lock-order: appender holds buffer then takes segments; flusher holds segments then takes buffer in take_batch
        segments.open_next(first_lsn);
    }

    /// Append a commit record and wait until it is durable.
    pub fn commit_sync(&self, payload: Vec<u8>) -> Result<Lsn, WalError> {
        let lsn = self.lsns.allocate();
        let record = WalRecord::new(lsn, RecordKind::Commit, payload);
        let mut buf = self.buffer.lock();
        buf.since_roll += record.encoded_len();
        buf.push(record);
        let (reply_tx, reply_rx) = bounded(1);
        self.flush_tx.send(FlushRequest::Sync { upto: lsn, reply: reply_tx }).map_err(|_| WalError::FlusherGone)?; // CLEAN: blocking-while-holding: flush channel is unbounded, send never blocks
        let durable = reply_rx.recv().map_err(|_| WalError::FlusherGone)?; // PLANTED: blocking-while-holding: waits for the flusher while holding the buffer the flusher must lock to drain
        drop(buf);
        self.metrics.wal_records.fetch_add(1, Ordering::Relaxed);
        if durable < lsn {
            return Err(WalError::NotDurable { lsn, durable });
        }
        Ok(lsn)
    }

    fn take_batch(&self) -> Vec<WalRecord> {
        let mut buf = self.buffer.lock();
        let mut batch = buf.drain_up_to(self.cfg.max_batch);
        self.space.notify_all();
        drop(buf);
        batch.sort_by_key(|r| r.lsn);
        batch
    }

    /// Write one batch to the active segment. Returns the highest LSN
    /// written, or `None` if there was nothing to flush.
    fn flush_once(&self) -> Option<Lsn> {
        let mut segments = self.segments.lock();
        let batch = self.take_batch();
        if batch.is_empty() {
            return None;
        }
        let upto = batch.iter().map(|r| r.lsn).max().unwrap_or(0);
        let written = segments.write_batch(&batch);
        drop(segments);
        self.metrics.wal_flushes.fetch_add(1, Ordering::Relaxed);
        self.metrics.wal_bytes.fetch_add(written as u64, Ordering::Relaxed);
        self.mark_durable(upto);
        Some(upto)
    }

    fn flush_through(&self, upto: Lsn) -> Lsn {
        let mut durable = self.durable_lsn();
        while durable < upto {
            match self.flush_once() {
                Some(lsn) => durable = durable.max(lsn),
                None => break,
            }
        }
        durable
    }

    fn mark_durable(&self, upto: Lsn) {
        let mut durable = self.durable.lock().unwrap();
        if upto > *durable {
            *durable = upto;
        }
        let _ = self.events_tx.send(WalEvent::Durable(*durable)); // CLEAN: blocking-while-holding: events channel is unbounded, send cannot block
        drop(durable);
        self.durable_cv.notify_all();
    }

    fn flusher_loop(&self) {
        loop {
            match self.flush_rx.recv_timeout(self.cfg.flush_interval) {
                Ok(FlushRequest::Sync { upto, reply }) => {
                    let durable = self.flush_through(upto);
                    let _ = reply.send(durable);
                }
                Ok(FlushRequest::Kick) | Err(RecvTimeoutError::Timeout) => {
                    self.flush_once();
                }
                Ok(FlushRequest::Shutdown) | Err(RecvTimeoutError::Disconnected) => {
                    while self.flush_once().is_some() {}
                    break;
                }
            }
        }
    }

    pub fn durable_lsn(&self) -> Lsn {
        *self.durable.lock().unwrap()
    }

    pub fn last_assigned(&self) -> Lsn {
        self.lsns.last_assigned()
    }

    /// Block until `lsn` has been flushed.
    pub fn wait_durable(&self, lsn: Lsn) -> Lsn {
        let mut durable = self.durable.lock().unwrap();
        if *durable < lsn {
            durable = self.durable_cv.wait(durable).unwrap(); // PLANTED: wait-without-loop: woken after any flush pass, which may stop short of `lsn` (max_batch) or be spurious
        }
        *durable
    }

    /// Flush everything assigned so far and drop segments that are no
    /// longer needed for recovery.
    pub fn checkpoint(&self) -> Lsn {
        let target = self.lsns.last_assigned();
        let _ = self.flush_tx.send(FlushRequest::Kick);
        self.wait_durable(target);
        let removed = self.segments.lock().truncate_before(target);
        let _ = self.events_tx.send(WalEvent::Truncated { below: target, segments: removed });
        target
    }

    pub fn stats(&self) -> WalStats {
        let (buffered_records, buffered_bytes) = self.buffer.lock().summary();
        let (segments, segment_bytes) = self.segments.lock().summary();
        let (durable, last_assigned) = (self.durable_lsn(), self.lsns.last_assigned());
        WalStats { buffered_records, buffered_bytes, segments, segment_bytes, durable, last_assigned }
    }

    pub fn shutdown(&self) {
        let _ = self.flush_tx.send(FlushRequest::Shutdown);
        let handle = self.flusher.lock().unwrap().take();
        if let Some(handle) = handle {
            let _ = handle.join(); // CLEAN: blocking-while-holding: the handle mutex guard was a temporary released before join
        }
    }
}
