//! WAL record format and log sequence numbers.

use std::sync::atomic::{AtomicU64, Ordering};

pub type Lsn = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Write = 1,
    Commit = 2,
}

#[derive(Debug, Clone)]
pub struct WalRecord {
    pub lsn: Lsn,
    pub kind: RecordKind,
    pub payload: Vec<u8>,
    pub checksum: u32,
}

impl WalRecord {
    pub fn new(lsn: Lsn, kind: RecordKind, payload: Vec<u8>) -> Self {
        let bytes = lsn.to_le_bytes().into_iter().chain([kind as u8]).chain(payload.iter().copied());
        let checksum = bytes.fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193));
        WalRecord { lsn, kind, payload, checksum }
    }

    /// Size on disk: lsn + kind + length + checksum + payload.
    pub fn encoded_len(&self) -> usize {
        8 + 1 + 4 + 4 + self.payload.len()
    }

    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.lsn.to_le_bytes());
        out.push(self.kind as u8);
        out.extend_from_slice(&(self.payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.checksum.to_le_bytes());
        out.extend_from_slice(&self.payload);
    }
}

/// Hands out log sequence numbers.
pub struct LsnAllocator {
    next: AtomicU64,
}

impl LsnAllocator {
    pub fn starting_at(first: Lsn) -> Self {
        LsnAllocator { next: AtomicU64::new(first.max(1)) }
    }

    pub fn allocate(&self) -> Lsn {
        let lsn = self.next.load(Ordering::Acquire);
        self.next.store(lsn + 1, Ordering::Release); // PLANTED: atomic-split: load and store are separate; two appenders can read the same value and both get that LSN
        lsn
    }

    pub fn last_assigned(&self) -> Lsn {
        self.next.load(Ordering::Acquire).saturating_sub(1)
    }
}
