use std::sync::{Arc, Mutex};
use std::thread;

struct Bank {
    accounts: Vec<Mutex<i64>>,
}

impl Bank {
    fn new(n: usize) -> Self {
        Bank { accounts: (0..n).map(|_| Mutex::new(1000)).collect() }
    }

    fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        if from == to {
            return false;
        }
        let (lo, hi) = (from.min(to), from.max(to));
        let mut a = self.accounts[lo].lock().unwrap();
        let mut b = self.accounts[hi].lock().unwrap();
        let (src, dst) = if from < to { (&mut *a, &mut *b) } else { (&mut *b, &mut *a) };
        if *src < amount {
            return false;
        }
        *src -= amount;
        *dst += amount;
        true
    }

    fn total(&self) -> i64 {
        self.accounts.iter().map(|m| *m.lock().unwrap()).sum()
    }
}

fn main() {
    let bank = Arc::new(Bank::new(10));
    let mut hs = vec![];
    for t in 0..8usize {
        let bank = Arc::clone(&bank);
        hs.push(thread::spawn(move || {
            for i in 0..1000usize {
                let from = (t + i) % 10;
                let to = (t * 7 + i * 3) % 10;
                bank.transfer(from, to, (i % 50) as i64);
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(bank.total(), 10000);
    println!("ok");
}
