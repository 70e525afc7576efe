//! Dead-letter queue: deliveries that ran out of attempts, kept for inspection
//! and manual replay.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::ack::AckTracker;
use crate::message::{DeadLetter, Envelope, SubscriberId};

pub struct DeadLetterQueue {
    entries: Mutex<VecDeque<DeadLetter>>,
    capacity: usize,
    evicted: AtomicU64,
}

impl DeadLetterQueue {
    pub fn new(capacity: usize) -> Self {
        DeadLetterQueue {
            entries: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
            evicted: AtomicU64::new(0),
        }
    }

    fn admit(&self, entries: &mut VecDeque<DeadLetter>, letter: DeadLetter) {
        if entries.len() >= self.capacity {
            entries.pop_front();
            self.evicted.fetch_add(1, Ordering::Relaxed);
        }
        entries.push_back(letter);
    }

    /// Stores a rejected delivery.
    pub fn push(&self, letter: DeadLetter) {
        let mut entries = self.entries.lock(); // CLEAN: lock-order: the only caller (AckTracker::nack) has already released the pending-ack guard
        self.admit(&mut entries, letter);
    }

    /// Stores a delivery that timed out on its last attempt.
    pub fn bury(&self, envelope: Envelope, subscriber: Option<SubscriberId>, reason: &str) {
        let letter = DeadLetter {
            envelope,
            subscriber,
            reason: reason.to_string(),
            buried_at: Instant::now(),
        };
        let mut entries = self.entries.lock(); // PLANTED: lock-order: the redelivery thread arrives here holding AckTracker::pending (scan_expired); admin ReplayDeadLetters holds `entries` in replay() and then locks pending in requeue()
        self.admit(&mut entries, letter);
    }

    pub fn len(&self) -> usize {
        self.entries.lock().len() // PLANTED: double-lock: purge() calls len() while it still holds `entries`; parking_lot mutexes are not reentrant
    }

    pub fn evicted(&self) -> u64 {
        self.evicted.load(Ordering::Relaxed)
    }

    /// Hands up to `limit` dead letters back to the ack tracker for redelivery.
    pub fn replay(&self, acks: &AckTracker, limit: usize) -> usize {
        let mut entries = self.entries.lock();
        let n = limit.min(entries.len());
        for letter in entries.drain(..n) {
            acks.requeue(letter.envelope);
        }
        n
    }

    /// Drops dead letters older than `max_age`.
    pub fn purge(&self, max_age: Duration) -> usize {
        let mut entries = self.entries.lock();
        let before = entries.len();
        entries.retain(|letter| letter.buried_at.elapsed() < max_age);
        let purged = before - entries.len();
        if purged > 0 {
            eprintln!("[dlq] purged {purged} dead letters, {} remain", self.len());
        }
        purged
    }
}
