use std::time::{Duration, Instant};

/// A stored value with its version (the log sequence number that wrote it)
/// and an optional expiry deadline.
#[derive(Clone, Debug)]
pub struct Entry {
    pub value: Vec<u8>,
    pub version: u64,
    pub expires_at: Option<Instant>,
}

impl Entry {
    pub fn new(value: Vec<u8>, version: u64) -> Self {
        Entry { value, version, expires_at: None }
    }

    pub fn with_ttl(value: Vec<u8>, version: u64, ttl: Option<Duration>, now: Instant) -> Self {
        Entry { value, version, expires_at: ttl.map(|t| now + t) }
    }

    pub fn is_expired(&self, now: Instant) -> bool {
        matches!(self.expires_at, Some(deadline) if deadline <= now)
    }

    pub fn ttl_remaining(&self, now: Instant) -> Option<Duration> {
        self.expires_at.map(|deadline| deadline.saturating_duration_since(now))
    }

    /// Approximate memory footprint of the value part.
    pub fn size(&self) -> usize {
        self.value.len() + std::mem::size_of::<Entry>()
    }

    pub fn as_i64(&self) -> Option<i64> {
        parse_i64(&self.value)
    }
}

pub fn parse_i64(raw: &[u8]) -> Option<i64> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

