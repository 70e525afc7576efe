//! Methods of trait impls resolve through the receiver's type, struct fields are one lock per
//! field path, and a closure capturing an `Arc` sees the same struct.
use racecheck::{Lock, Thread};
use std::sync::Arc;

struct Ledger {
    cash: Lock<i64>,
    audit: Lock<Vec<i64>>,
}

trait Post {
    fn post(&self, amount: i64);
    fn review(&self);
}

impl Post for Ledger {
    fn post(&self, amount: i64) {
        let mut cash = self.cash.acquire();
        *cash += amount;
        self.audit.acquire().push(amount); //~ D001
    }

    fn review(&self) {
        let audit = self.audit.acquire();
        let cash = self.cash.acquire();
        println!("{} entries, {}", audit.len(), *cash);
    }
}

fn main() {
    let ledger = Arc::new(Ledger {
        cash: Lock::new(0),
        audit: Lock::new(Vec::new()),
    });
    let poster = Arc::clone(&ledger);
    let t = Thread::spawn(move || poster.post(5));
    ledger.review();
    t.join().unwrap();
}
