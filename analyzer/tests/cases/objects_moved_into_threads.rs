//! An object moved into a spawned thread's `move` closure is dropped where that thread ends,
//! not where the spawner's scope ends: its `drop` takes its locks in the thread, and never while
//! the spawner holds a lock.
use racecheck::{Lock, Thread};

static AUDIT: Lock<u32> = Lock::new(0);
static LEDGER: Lock<u32> = Lock::new(0);
static JOURNAL: Lock<u32> = Lock::new(0);
static INDEX: Lock<u32> = Lock::new(0);

/// Posts itself to the ledger, under the audit lock, when dropped.
struct Entry {
    amount: u32,
}

impl Drop for Entry {
    fn drop(&mut self) {
        let _audit = AUDIT.acquire();
        *LEDGER.acquire() += self.amount; //~ D001
    }
}

/// Counts itself in the index when dropped.
struct IndexRecord {
    key: u32,
}

impl Drop for IndexRecord {
    fn drop(&mut self) {
        *INDEX.acquire() += self.key;
    }
}

fn ledger_then_audit() {
    let _ledger = LEDGER.acquire();
    *AUDIT.acquire() += 1;
}

fn index_then_journal() {
    let _index = INDEX.acquire();
    *JOURNAL.acquire() += 1;
}

/// The entry goes to the thread, which drops it where it ends: while `ledger_then_audit` runs.
fn post_in_a_thread() -> u32 {
    let entry = Entry { amount: 5 };
    let poster = Thread::spawn(move || entry.amount);
    let auditor = Thread::spawn(ledger_then_audit);
    let amount = poster.join().unwrap_or_default();
    auditor.join().unwrap();
    amount
}

/// The record goes to the thread too: it is not dropped here while `JOURNAL` is held.
fn index_in_a_thread() {
    let indexer = {
        let _journal = JOURNAL.acquire();
        let record = IndexRecord { key: 7 };
        Thread::spawn(move || record.key)
    };
    indexer.join().unwrap();
}

fn main() {
    let other = Thread::spawn(index_then_journal);
    index_in_a_thread();
    other.join().unwrap();
    post_in_a_thread();
}
