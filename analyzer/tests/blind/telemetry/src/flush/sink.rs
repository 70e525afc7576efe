use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::ExportBatch;
use crate::store::SeriesPoint;

#[derive(Debug)]
pub struct SinkError(pub String);

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sink error: {}", self.0)
    }
}

impl std::error::Error for SinkError {}

impl From<io::Error> for SinkError {
    fn from(e: io::Error) -> Self {
        SinkError(e.to_string())
    }
}

/// Export destination for metric snapshots.
pub trait Sink: Send + Sync {
    fn name(&self) -> &str;
    fn export(&self, batch: &ExportBatch) -> Result<(), SinkError>;
    fn healthy(&self) -> bool {
        true
    }
}

/// Writes one line per point in a simple line protocol.
pub struct LineSink {
    name: String,
    out: parking_lot::Mutex<Box<dyn Write + Send>>,
    lines: AtomicU64,
    failed: AtomicBool,
}

impl LineSink {
    pub fn new(name: impl Into<String>, out: Box<dyn Write + Send>) -> Self {
        LineSink {
            name: name.into(),
            out: parking_lot::Mutex::new(out),
            lines: AtomicU64::new(0),
            failed: AtomicBool::new(false),
        }
    }

    pub fn stdout() -> Self {
        LineSink::new("stdout", Box::new(io::stdout()))
    }

    pub fn lines_written(&self) -> u64 {
        self.lines.load(Ordering::Relaxed)
    }

    fn write_batch(&self, batch: &ExportBatch) -> io::Result<u64> {
        let mut out = self.out.lock();
        let mut n = 0;
        for (key, point) in &batch.points {
            match point {
                SeriesPoint::Counter(v) => writeln!(out, "{key} counter={v} {}", batch.taken_at_ms)?,
                SeriesPoint::Gauge(v) => writeln!(out, "{key} gauge={v} {}", batch.taken_at_ms)?,
                SeriesPoint::Histogram { count, sum, p50, p99 } => writeln!(
                    out,
                    "{key} count={count},sum={sum},p50={p50},p99={p99} {}",
                    batch.taken_at_ms
                )?,
            }
            n += 1;
        }
        for key in &batch.tombstones {
            writeln!(out, "{key} DELETE {}", batch.taken_at_ms)?;
            n += 1;
        }
        out.flush()?;
        Ok(n)
    }
}

impl Sink for LineSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&self, batch: &ExportBatch) -> Result<(), SinkError> {
        match self.write_batch(batch) {
            Ok(n) => {
                self.lines.fetch_add(n, Ordering::Relaxed);
                self.failed.store(false, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                self.failed.store(true, Ordering::Relaxed);
                Err(e.into())
            }
        }
    }

    fn healthy(&self) -> bool {
        !self.failed.load(Ordering::Relaxed)
    }
}

/// Keeps the most recent batches in memory (used by the status endpoint).
pub struct MemorySink {
    batches: std::sync::Mutex<VecDeque<ExportBatch>>,
    keep: usize,
    exported: AtomicU64,
}

impl MemorySink {
    pub fn new(keep: usize) -> Self {
        MemorySink {
            batches: std::sync::Mutex::new(VecDeque::new()),
            keep: keep.max(1),
            exported: AtomicU64::new(0),
        }
    }

    pub fn latest(&self) -> Option<ExportBatch> {
        self.batches.lock().unwrap().back().cloned()
    }

    pub fn exported(&self) -> u64 {
        self.exported.load(Ordering::Relaxed)
    }
}

impl Sink for MemorySink {
    fn name(&self) -> &str {
        "memory"
    }

    fn export(&self, batch: &ExportBatch) -> Result<(), SinkError> {
        let mut batches = self.batches.lock().unwrap();
        if batches.len() >= self.keep {
            batches.pop_front();
        }
        batches.push_back(batch.clone());
        self.exported.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Sends every batch to all inner sinks.
pub struct FanoutSink {
    name: String,
    sinks: Vec<Arc<dyn Sink>>,
}

impl FanoutSink {
    pub fn new(name: impl Into<String>, sinks: Vec<Arc<dyn Sink>>) -> Self {
        FanoutSink {
            name: name.into(),
            sinks,
        }
    }
}

impl Sink for FanoutSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn export(&self, batch: &ExportBatch) -> Result<(), SinkError> {
        let errors: Vec<String> = self
            .sinks
            .iter()
            .filter_map(|s| s.export(batch).err().map(|e| format!("{}: {}", s.name(), e)))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SinkError(errors.join("; ")))
        }
    }

    fn healthy(&self) -> bool {
        self.sinks.iter().all(|s| s.healthy())
    }
}
