use std::collections::VecDeque;
use std::io;
use std::time::Instant;

use crate::store::Entry;
use crate::wal::record::checksum;

/// A point-in-time copy of the table, one row list per shard.
#[derive(Debug)]
pub struct SnapshotImage {
    pub generation: u64,
    pub taken_at: Instant,
    pub shards: Vec<Vec<(String, Entry)>>,
}

impl SnapshotImage {
    pub fn new(generation: u64, shards: Vec<Vec<(String, Entry)>>) -> Self {
        SnapshotImage {
            generation,
            taken_at: Instant::now(),
            shards,
        }
    }

    pub fn key_count(&self) -> usize {
        self.shards.iter().map(Vec::len).sum()
    }

    pub fn checksum(&self) -> u32 {
        let mut buf = Vec::new();
        for (key, entry) in self.shards.iter().flatten() {
            buf.extend_from_slice(key.as_bytes());
            buf.extend_from_slice(&entry.value);
            buf.extend_from_slice(&entry.version.to_le_bytes());
        }
        checksum(&buf)
    }
}

/// Destination of finished snapshots.
pub trait SnapshotSink: Send {
    fn store(&mut self, image: &SnapshotImage) -> io::Result<()>;
}

/// Keeps `(generation, keys, checksum)` of the last few snapshots.
pub struct MemorySnapshotSink {
    retain: usize,
    images: VecDeque<(u64, usize, u32)>,
}

impl MemorySnapshotSink {
    pub fn new(retain: usize) -> Self {
        MemorySnapshotSink {
            retain: retain.max(1),
            images: VecDeque::new(),
        }
    }
}

impl SnapshotSink for MemorySnapshotSink {
    fn store(&mut self, image: &SnapshotImage) -> io::Result<()> {
        if matches!(self.images.back(), Some(&(g, _, _)) if g >= image.generation) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "stale snapshot generation"));
        }
        self.images.push_back((image.generation, image.key_count(), image.checksum()));
        while self.images.len() > self.retain {
            self.images.pop_front();
        }
        Ok(())
    }
}
