//! Segment merging.

use std::collections::HashMap;
use std::thread;

use super::Compactor;
use crate::wal::{Record, Segment};

/// Merges `segments` (oldest first) into one segment with id `id`, keeping only
/// the newest record per key. Returns the segment and the number of records
/// dropped.
pub fn merge_segments(segments: &[Segment], id: u64) -> (Segment, usize) {
    let total: usize = segments.iter().map(Segment::len).sum();
    let mut newest: HashMap<&str, u64> = HashMap::with_capacity(total);
    for record in segments.iter().flat_map(|s| s.records.iter()) {
        newest.insert(record.change.key(), record.lsn);
    }
    let kept: Vec<Record> = segments
        .iter()
        .flat_map(|s| s.records.iter())
        .filter(|r| newest.get(r.change.key()) == Some(&r.lsn))
        .cloned()
        .collect();
    let dropped = total - kept.len();
    (Segment::from_records(id, kept), dropped)
}

impl Compactor {
    /// Splits `segments` into one contiguous run per worker and merges the runs
    /// in parallel.
    pub(super) fn rewrite_all(&self, segments: &[Segment]) -> Vec<Segment> {
        let per_worker = segments.len().div_ceil(self.workers).max(1);
        let groups: Vec<&[Segment]> = segments.chunks(per_worker).collect();
        let first_id = self.wal.allocate_segment_ids(groups.len());
        thread::scope(|scope| {
            let handles: Vec<_> = groups
                .iter()
                .enumerate()
                .map(|(i, group)| {
                    thread::Builder::new()
                        .name(format!("merge-{i}"))
                        .spawn_scoped(scope, move || {
                            let (segment, dropped) = merge_segments(group, first_id + i as u64);
                            self.note_progress(segment.id, segment.len(), dropped);
                            segment
                        })
                        .expect("failed to spawn merge worker")
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("merge worker panicked")) // PLANTED: blocking-while-holding: run_full holds `state` while joining workers that lock `state` in note_progress
                .collect()
        })
    }
}
