//! A constructor that records nothing is walked once and its result reused, each reuse a new
//! object as a second walk would make: two accounts opened by one helper have two locks (no
//! double acquire), taken in opposite orders by two threads (a cycle); a getter called on each
//! gives each its own part.
use racecheck::{Lock, Thread};
use std::sync::Arc;

#[derive(Default)]
struct Account {
    balance: Lock<i64>,
}

fn open() -> Account {
    Account::default()
}

#[derive(Default)]
struct Ledger {
    entries: Lock<Vec<i64>>,
}

struct Branch {
    ledger: Ledger,
}

impl Branch {
    fn new() -> Branch {
        Branch {
            ledger: Ledger::default(),
        }
    }

    fn ledger(&self) -> &Ledger {
        &self.ledger
    }
}

fn transfer(from: &Account, to: &Account) {
    let _from = from.balance.acquire();
    let _to = to.balance.acquire(); //~ D001
}

fn main() {
    let a = Arc::new(open());
    let b = Arc::new(open());
    let _first = a.balance.acquire();
    let _second = b.balance.acquire();
    drop(_second);
    drop(_first);
    let (a2, b2) = (a.clone(), b.clone());
    let t = Thread::spawn(move || transfer(&a2, &b2));
    transfer(&b, &a);
    t.join().unwrap();

    let north = Branch::new();
    let south = Branch::new();
    let _n = north.ledger().entries.acquire();
    let _s = south.ledger().entries.acquire();
    let _again = north.ledger().entries.acquire(); //~ D002
}
