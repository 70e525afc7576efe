//! In-memory stand-in for on-disk WAL segment files.

use super::record::{Lsn, WalRecord};

#[derive(Debug)]
struct Segment {
    last_lsn: Lsn,
    data: Vec<u8>,
}

#[derive(Debug)]
pub struct SegmentSet {
    segments: Vec<Segment>,
    written: u64,
}

impl SegmentSet {
    pub fn new() -> Self {
        SegmentSet { segments: vec![Segment { last_lsn: 0, data: Vec::new() }], written: 0 }
    }

    /// Segment count and total bytes.
    pub fn summary(&self) -> (usize, usize) {
        (self.segments.len(), self.segments.iter().map(|s| s.data.len()).sum())
    }

    /// Start a new active segment beginning at `first_lsn`.
    pub fn open_next(&mut self, first_lsn: Lsn) {
        self.segments.push(Segment { last_lsn: first_lsn, data: Vec::new() });
    }

    /// Append a batch to the active segment. Returns bytes written.
    pub fn write_batch(&mut self, batch: &[WalRecord]) -> usize {
        let active = self.segments.last_mut().expect("at least one segment");
        let before = active.data.len();
        for rec in batch {
            rec.encode_into(&mut active.data);
            active.last_lsn = active.last_lsn.max(rec.lsn);
        }
        let n = active.data.len() - before;
        self.written += n as u64;
        n
    }

    /// Discard closed segments entirely below `lsn`. Returns how many.
    pub fn truncate_before(&mut self, lsn: Lsn) -> usize {
        let before = self.segments.len();
        let active = self.segments.pop().expect("at least one segment");
        self.segments.retain(|seg| seg.last_lsn >= lsn);
        self.segments.push(active);
        before - self.segments.len()
    }
}
