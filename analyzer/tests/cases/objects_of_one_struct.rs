//! Two objects of one struct have two locks: a transfer between two accounts takes two
//! different locks (no double acquire), and two transfers in opposite directions, from threads
//! that run at once, take them in opposite orders.
use racecheck::{Lock, Thread};
use std::sync::Arc;

struct Account {
    balance: Lock<i64>,
}

impl Account {
    fn new(balance: i64) -> Self {
        Account {
            balance: Lock::new(balance),
        }
    }
}

fn transfer(from: &Account, to: &Account, amount: i64) {
    let mut from = from.balance.acquire();
    let mut to = to.balance.acquire(); //~ D001
    *from -= amount;
    *to += amount;
}

fn main() {
    let a = Arc::new(Account::new(100));
    let b = Arc::new(Account::new(100));
    let (a2, b2) = (a.clone(), b.clone());
    let t = Thread::spawn(move || transfer(&a2, &b2, 10));
    transfer(&b, &a, 5);
    t.join().unwrap();
}
