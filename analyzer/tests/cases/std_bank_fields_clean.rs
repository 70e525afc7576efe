//! The same bank with one order, guards dropped early and a lock taken and released in one
//! statement: no cycle.
use std::sync::{Arc, Mutex};
use std::thread;

struct Bank {
    checking: Mutex<i64>,
    savings: Mutex<i64>,
}

impl Bank {
    fn sweep(&self) {
        let mut checking = self.checking.lock().unwrap();
        let mut savings = self.savings.lock().unwrap();
        *savings += *checking;
        *checking = 0;
    }

    fn top_up(&self) {
        let amount = *self.savings.lock().unwrap() / 2;
        *self.checking.lock().unwrap() += amount;
        let savings = self.savings.lock().unwrap();
        drop(savings);
        let _checking = self.checking.lock().unwrap();
    }
}

fn main() {
    let bank = Arc::new(Bank {
        checking: Mutex::new(50),
        savings: Mutex::new(0),
    });
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                bank.sweep();
                bank.top_up();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
