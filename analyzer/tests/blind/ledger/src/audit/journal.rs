use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use super::{Entry, EntryKind, Sequencer};

/// Append-only audit journal. Producers enqueue, writer threads commit.
#[derive(Default)]
pub struct Journal {
    seq: Sequencer,
    pending: Mutex<VecDeque<Entry>>,
    ready: Condvar,
    committed: Mutex<Vec<Entry>>,
    closing: AtomicBool,
    writers: Mutex<Vec<JoinHandle<()>>>,
}

impl Journal {
    pub fn start(writers: usize) -> Arc<Self> {
        let journal = Arc::new(Journal::default());
        for n in 0..writers {
            let me = Arc::clone(&journal);
            let handle = crate::spawn_named(format!("journal-writer-{n}"), move || me.writer_loop());
            journal.writers.lock().unwrap().push(handle);
        }
        journal
    }

    pub fn record(&self, kind: EntryKind) -> u64 {
        let seq = self.seq.next();
        self.pending.lock().unwrap().push_back(Entry { seq, kind });
        self.ready.notify_all();
        seq
    }

    fn next_pending(&self) -> Option<Entry> {
        let mut pending = self.pending.lock().unwrap();
        if pending.is_empty() && !self.closing.load(Ordering::Acquire) {
            pending = self.ready.wait(pending).unwrap(); // PLANTED: wait-without-loop: both writers are woken by notify_all, the loser finds the queue empty and quits as if closing
        }
        pending.pop_front()
    }

    fn writer_loop(&self) {
        while let Some(entry) = self.next_pending() {
            self.committed.lock().unwrap().push(entry);
        }
        let name = std::thread::current().name().unwrap_or("writer").to_string();
        let marker = Entry { seq: self.seq.next(), kind: EntryKind::WriterStopped(name) };
        self.committed.lock().unwrap().push(marker);
    }

    pub fn seal(&self) -> usize {
        let writers = std::mem::take(&mut *self.writers.lock().unwrap());
        self.closing.store(true, Ordering::Release);
        drop(self.pending.lock().unwrap());
        self.ready.notify_all();
        let committed = self.committed.lock().unwrap();
        for writer in writers {
            let _ = writer.join(); // PLANTED: blocking-while-holding: committed is held while joining writers that lock committed to push their stop marker
        }
        committed.len()
    }
}
