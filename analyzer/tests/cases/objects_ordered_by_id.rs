//! Transfers lock the two accounts in the order of their ids: whichever way the money goes,
//! the lower id is taken first. The two locks are two objects' fields, never one lock twice.
use racecheck::{Lock, Thread};
use std::sync::Arc;

struct Account {
    id: u32,
    balance: Lock<i64>,
}

fn transfer(from: &Account, to: &Account, amount: i64) {
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let _first = first.balance.acquire();
    let _second = second.balance.acquire();
    let _ = amount;
}

fn main() {
    let a = Arc::new(Account {
        id: 1,
        balance: Lock::new(100),
    });
    let b = Arc::new(Account {
        id: 2,
        balance: Lock::new(100),
    });
    let (a2, b2) = (a.clone(), b.clone());
    let t = Thread::spawn(move || transfer(&a2, &b2, 10));
    transfer(&b, &a, 5);
    t.join().unwrap();
}
