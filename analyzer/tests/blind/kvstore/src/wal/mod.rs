//! Write-ahead log.
//!
//! Appenders reserve an LSN and queue the record under `state`; the syncer
//! thread drains the queue, writes and fsyncs it through the sink, moves the
//! records into segments and advances `durable_lsn`.

pub mod record;
pub mod segment;
pub mod sink;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};

pub use record::{Change, Record};
pub use segment::Segment;
use sink::LogSink;

struct WalState {
    next_lsn: u64,
    pending: Vec<Record>,
    durable_lsn: u64,
    active: Segment,
    sealed: Vec<Segment>,
    next_segment: u64,
    closed: bool,
}

pub struct Wal {
    state: Mutex<WalState>,
    work: Condvar,
    durable: Condvar,
    sink: Mutex<Box<dyn LogSink>>,
    segment_records: usize,
    syncs: AtomicU64,
}

/// Holds the log open for appending; records appended through one writer get
/// consecutive LSNs and nobody else can append until it is dropped.
pub struct WalWriter<'a> {
    wal: &'a Wal,
    state: MutexGuard<'a, WalState>,
}

impl<'a> WalWriter<'a> {
    pub fn append(&mut self, change: Change) -> Record {
        let lsn = self.state.next_lsn;
        self.state.next_lsn += 1;
        let record = Record { lsn, change };
        self.state.pending.push(record.clone());
        self.wal.work.notify_one();
        record
    }
}

impl Wal {
    pub fn new(sink: Box<dyn LogSink>, segment_records: usize) -> Self {
        Wal {
            state: Mutex::new(WalState {
                next_lsn: 1,
                pending: Vec::new(),
                durable_lsn: 0,
                active: Segment::new(1),
                sealed: Vec::new(),
                next_segment: 2,
                closed: false,
            }),
            work: Condvar::new(),
            durable: Condvar::new(),
            sink: Mutex::new(sink),
            segment_records: segment_records.max(1),
            syncs: AtomicU64::new(0),
        }
    }

    pub fn begin(&self) -> WalWriter<'_> {
        WalWriter {
            wal: self,
            state: self.state.lock().unwrap(),
        }
    }

    pub fn last_lsn(&self) -> u64 {
        self.state.lock().unwrap().next_lsn - 1
    }

    pub fn durable_lsn(&self) -> u64 {
        self.state.lock().unwrap().durable_lsn
    }

    /// Blocks until `lsn` has been fsynced.
    pub fn wait_durable(&self, lsn: u64) {
        let state = self.state.lock().unwrap();
        if state.durable_lsn < lsn {
            let _state = self.durable.wait(state).unwrap(); // PLANTED: wait-without-loop: woken by any batch's notify_all; that batch may end below `lsn`
        }
    }

    /// Waits until everything appended so far is durable.
    pub fn flush(&self) -> u64 {
        let mut state = self.state.lock().unwrap();
        let target = state.next_lsn - 1;
        self.work.notify_one();
        while state.durable_lsn < target && !state.closed {
            state = self.durable.wait(state).unwrap(); // CLEAN: wait-without-loop: predicate re-checked in a while loop
        }
        state.durable_lsn
    }

    /// Every logged record with an LSN above `lsn`, in order.
    pub fn records_since(&self, lsn: u64) -> Vec<Record> {
        let state = self.state.lock().unwrap(); // PLANTED: lock-order: check_lag holds `links` here, while log_and_ship takes `state` then `links`
        state
            .sealed
            .iter()
            .chain(std::iter::once(&state.active))
            .flat_map(|seg| seg.records_after(lsn))
            .chain(state.pending.iter().filter(|r| r.lsn > lsn))
            .cloned()
            .collect()
    }

    pub fn sealed_segments(&self) -> Vec<Segment> {
        self.state.lock().unwrap().sealed.clone()
    }

    pub fn allocate_segment_ids(&self, n: usize) -> u64 {
        let mut state = self.state.lock().unwrap();
        let first = state.next_segment;
        state.next_segment += n as u64;
        first
    }

    /// Swaps the segments listed in `replaced` for `compacted`.
    pub fn install_compacted(&self, replaced: &[u64], compacted: Vec<Segment>) -> usize {
        let mut state = self.state.lock().unwrap();
        let present = state.sealed.iter().filter(|s| replaced.contains(&s.id)).count();
        if present != replaced.len() {
            return 0;
        }
        state.sealed.retain(|s| !replaced.contains(&s.id)); // CLEAN: stale-read: the segment list read earlier is re-validated under this same guard before it is rewritten
        let installed = compacted.len();
        state.sealed.extend(compacted.into_iter().filter(|s| !s.is_empty()));
        state.sealed.sort_by_key(|s| s.first_lsn().unwrap_or(0));
        installed
    }

    pub fn segment_count(&self) -> usize {
        let state = self.state.lock().unwrap();
        state.sealed.len() + 1
    }

    pub fn sync_count(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    pub fn describe_sink(&self) -> String {
        self.sink.lock().unwrap().describe()
    }

    pub fn close(&self) {
        let mut state = self.state.lock().unwrap();
        state.closed = true;
        self.work.notify_all();
    }

    pub fn start_syncer(self: &Arc<Self>) -> JoinHandle<u64> {
        let wal = Arc::clone(self);
        thread::Builder::new()
            .name("wal-syncer".into())
            .spawn(move || wal.sync_loop())
            .expect("failed to spawn wal syncer")
    }

    fn sync_loop(&self) -> u64 {
        let mut batches = 0;
        loop {
            let batch = {
                let mut state = self.state.lock().unwrap();
                while state.pending.is_empty() && !state.closed {
                    state = self.work.wait(state).unwrap(); // CLEAN: wait-without-loop: re-checks pending/closed after every wake-up
                }
                if state.pending.is_empty() {
                    break;
                }
                std::mem::take(&mut state.pending)
            };
            let upto = batch.last().map(|r| r.lsn).unwrap_or(0);
            {
                let mut sink = self.sink.lock().unwrap();
                let written = sink.write_batch(&batch);
                if let Err(err) = written.and_then(|_| sink.sync()) {
                    eprintln!("wal: write failed: {err}");
                }
            }
            self.syncs.fetch_add(1, Ordering::Relaxed);
            batches += 1;

            let mut state = self.state.lock().unwrap();
            for record in batch {
                self.push_segment(&mut state, record);
            }
            state.durable_lsn = state.durable_lsn.max(upto);
            drop(state);
            self.durable.notify_all();
        }
        self.durable.notify_all();
        batches
    }

    fn push_segment(&self, state: &mut WalState, record: Record) {
        if state.active.len() >= self.segment_records {
            let id = state.next_segment;
            state.next_segment += 1;
            let mut full = std::mem::replace(&mut state.active, Segment::new(id));
            full.sealed = true;
            state.sealed.push(full);
        }
        state.active.records.push(record);
    }
}
