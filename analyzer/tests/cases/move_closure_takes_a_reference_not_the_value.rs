//! A `move` closure that names a reference takes the reference, not the value: the scoped
//! thread reads `record` through `r`, and `record` is still dropped by `main`, at the end of
//! its block, while `LEDGER` is held. Its `drop` takes `AUDIT`, which the other thread takes
//! before `LEDGER`: a lock order inversion.
use std::sync::Mutex;
use std::thread;

static AUDIT: Mutex<u32> = Mutex::new(0);
static LEDGER: Mutex<u32> = Mutex::new(0);

struct Record {
    id: u32,
}

impl Drop for Record {
    fn drop(&mut self) {
        *AUDIT.lock().unwrap() += self.id; //~ D001
    }
}

fn audit_then_ledger() {
    let _audit = AUDIT.lock().unwrap();
    let _ledger = LEDGER.lock().unwrap();
}

fn main() {
    let other = thread::spawn(audit_then_ledger);
    {
        let _ledger = LEDGER.lock().unwrap();
        let record = Record { id: 7 };
        let r = &record;
        thread::scope(|s| {
            s.spawn(move || println!("{}", r.id));
        });
    }
    other.join().unwrap();
}
