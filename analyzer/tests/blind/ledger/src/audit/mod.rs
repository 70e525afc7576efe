mod journal;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use crate::accounts::AccountId;
use crate::notify::{Event, Observer};
pub use journal::Journal;

#[derive(Debug, Clone)]
pub enum EntryKind {
    Transfer { from: AccountId, to: AccountId, amount: i64 },
    Fee { batch: u64, amount: i64 },
    Interest { id: AccountId, amount: i64 },
    Notice(String),
    WriterStopped(String),
}

#[derive(Debug, Clone)]
pub struct Entry { pub seq: u64, pub kind: EntryKind }

#[derive(Default)]
pub struct Sequencer(AtomicU64);

impl Sequencer {
    pub fn next(&self) -> u64 {
        let seq = self.0.load(Ordering::Acquire) + 1;
        self.0.store(seq, Ordering::Release); // PLANTED: atomic-split: load then store from every recording thread, two callers can get the same seq
        seq
    }
}

pub struct AuditObserver { pub journal: Arc<Journal> }

impl Observer for AuditObserver {
    fn on_event(&mut self, event: &Event) -> bool {
        self.journal.record(EntryKind::Notice(format!("{event:?}")));
        true
    }
}
