use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

struct Account {
    balance: Mutex<i64>,
}

fn finish(mut g: MutexGuard<'_, i64>, delta: i64) -> i64 {
    *g += delta;
    *g
}

impl Account {
    fn apply(&self, delta: i64) -> i64 {
        let g = self.balance.lock().unwrap();
        let after = finish(g, delta);
        // the guard was moved into `finish` and dropped there
        let check = *self.balance.lock().unwrap();
        after.min(check)
    }
}

fn main() {
    let acc = Arc::new(Account { balance: Mutex::new(0) });
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let a = Arc::clone(&acc);
            thread::spawn(move || {
                for _ in 0..100 {
                    a.apply(1);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", acc.balance.lock().unwrap());
}
