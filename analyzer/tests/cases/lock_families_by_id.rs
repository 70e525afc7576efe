//! Locks kept in collections and indexed by run-time ids: two of them taken by ids in no fixed
//! order (`accounts[from]` then `accounts[to]`) deadlock when two calls pass the ids the other way
//! round; taken lower id first (`min`/`max`, a pair sorted by `if a < b`, a sorted array) they
//! are clean (`savings` is only taken in order). Literal indices name distinct locks, and an
//! element taken by id before another lock that is elsewhere taken first is an inversion.
use racecheck::{Lock, Thread};
use std::collections::HashMap;
use std::sync::Arc;

struct Bank {
    accounts: Vec<Lock<u64>>,
    savings: Vec<Lock<u64>>,
    fees: [Lock<u64>; 2],
    audit: Lock<u32>,
    vaults: HashMap<u32, Lock<u64>>,
}

impl Bank {
    fn pay(&self, from: usize, to: usize, amount: u64) {
        let mut a = self.accounts[from].acquire();
        let mut b = self.accounts[to].acquire(); //~ D001
        *a -= amount;
        *b += amount;
    }

    fn pay_ordered(&self, from: usize, to: usize, amount: u64) {
        if from == to {
            return;
        }
        let (low, high) = (from.min(to), from.max(to));
        let mut first = self.savings[low].acquire();
        let mut second = self.savings[high].acquire();
        *first += amount;
        *second -= amount;
    }

    fn pay_ordered_by_fn(&self, from: usize, to: usize) {
        let _first = self.savings[std::cmp::min(from, to)].acquire();
        let _second = self.savings[std::cmp::max(from, to)].acquire();
    }

    fn pay_sorted_pair(&self, from: usize, to: usize) {
        let (low, high) = if from < to { (from, to) } else { (to, from) };
        let _first = self.savings[low].acquire();
        let _second = self.savings[high].acquire();
    }

    fn pay_sorted_array(&self, from: usize, to: usize) {
        let mut ids = [from, to];
        ids.sort();
        let _first = self.savings[ids[0]].acquire();
        let _second = self.savings[ids[1]].acquire();
    }

    fn charge(&self) {
        let _maker = self.fees[0].acquire();
        let _taker = self.fees[1].acquire();
    }

    fn audit_one(&self, id: usize) {
        let _account = self.accounts[id].acquire();
        let _audit = self.audit.acquire(); //~ D001
    }

    fn audit_all(&self, id: usize) {
        let _audit = self.audit.acquire();
        let _account = self.accounts[id].acquire();
    }

    fn vault(&self, key: u32) -> u64 {
        self.vaults.get(&key).map_or(0, |vault| *vault.acquire())
    }
}

/// An account id known only at run time.
fn account_of(customer: usize) -> usize {
    customer.wrapping_mul(2_654_435_761) % 4
}

fn main() {
    let bank = Arc::new(Bank {
        accounts: (0..4).map(|_| Lock::new(100)).collect(),
        savings: (0..4).map(|_| Lock::new(100)).collect(),
        fees: [Lock::new(0), Lock::new(0)],
        audit: Lock::new(0),
        vaults: HashMap::new(),
    });
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let bank = Arc::clone(&bank);
            Thread::spawn(move || {
                let (from, to) = (account_of(i), account_of(i + 1));
                bank.pay(from, to, 10);
                bank.pay_ordered(from, to, 10);
                bank.pay_ordered_by_fn(from, to);
                bank.pay_sorted_pair(from, to);
                bank.pay_sorted_pair(1, 0);
                bank.pay_sorted_array(from, to);
                bank.charge();
                bank.audit_one(from);
                bank.audit_all(to);
                bank.vault(7);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
