//! An object whose type has a `Drop` impl runs its `drop` where its owner lets it go: at the end
//! of its block, at the end of its statement for a temporary, at `drop(x)`, when its binding is
//! overwritten, on an early `return`; never when it was put into a collection.
use racecheck::{Condition, Lock, Thread};

static IDLE: Lock<Vec<u32>> = Lock::new(Vec::new());
static RETURNED: Condition = Condition::new();
static AUDIT: Lock<u32> = Lock::new(0);
static LEDGER: Lock<u32> = Lock::new(0);
static JOURNAL: Lock<u32> = Lock::new(0);

/// Gives its connection back (and wakes a waiter) when dropped.
struct Lease {
    conn: u32,
}

impl Drop for Lease {
    fn drop(&mut self) {
        IDLE.acquire().push(self.conn);
        RETURNED.notify();
    }
}

/// Writes an audit record when dropped.
struct AuditRecord;

impl Drop for AuditRecord {
    fn drop(&mut self) {
        *AUDIT.acquire() += 1; //~ D001
    }
}

fn checkout() -> Lease {
    let mut idle = IDLE.acquire();
    while idle.is_empty() {
        idle = RETURNED.wait(idle);
    }
    Lease {
        conn: idle.pop().unwrap_or_default(),
    }
}

/// Each client returns its lease on every path: at the block's end, by `drop`, by overwriting
/// the binding, on an early `return`, and as a temporary.
fn client(early: bool) {
    {
        let _lease = checkout();
    }
    let lease = checkout();
    drop(lease);
    let mut lease = checkout();
    lease = checkout();
    if early {
        return;
    }
    drop(lease);
    let _conn = checkout().conn;
}

/// The audit record is dropped at the end of the block, while `LEDGER` is still held.
fn post_entry() {
    let _ledger = LEDGER.acquire();
    let _record = AuditRecord;
}

/// Dropped by `drop` before `JOURNAL` is taken: no order between them.
fn post_journal() {
    let record = AuditRecord;
    drop(record);
    let _journal = JOURNAL.acquire();
}

/// Kept in a collection: the model does not drop it here.
fn keep_records(records: &mut Vec<AuditRecord>) {
    let _journal = JOURNAL.acquire();
    records.push(AuditRecord);
}

fn audit_then_ledger() {
    let _audit = AUDIT.acquire();
    let _ledger = LEDGER.acquire();
}

fn audit_then_journal() {
    let _audit = AUDIT.acquire();
    let _journal = JOURNAL.acquire();
}

fn main() {
    IDLE.acquire().push(1);
    let clients: Vec<_> = (0..2)
        .map(|i| Thread::spawn(move || client(i == 0)))
        .collect();
    let a = Thread::spawn(post_entry);
    let b = Thread::spawn(audit_then_ledger);
    let c = Thread::spawn(post_journal);
    let d = Thread::spawn(audit_then_journal);
    let mut records = Vec::new();
    keep_records(&mut records);
    for t in clients {
        t.join().unwrap();
    }
    for t in [a, b, c, d] {
        t.join().unwrap();
    }
}
