//! The classic ABBA over `std::sync::Mutex` statics and `std::thread::spawn`: `transfer` takes
//! `ACCOUNTS` then `AUDIT_LOG`, `audit` the other way round, on parallel threads.
use std::sync::Mutex;
use std::thread;

static ACCOUNTS: Mutex<i64> = Mutex::new(100);
static AUDIT_LOG: Mutex<Vec<i64>> = Mutex::new(Vec::new());

fn transfer() {
    let mut balance = ACCOUNTS.lock().unwrap();
    let mut log = AUDIT_LOG.lock().unwrap(); //~ D001
    *balance -= 10;
    log.push(*balance);
}

fn audit() {
    let log = AUDIT_LOG.lock().expect("not poisoned");
    let balance = ACCOUNTS.lock().expect("not poisoned");
    println!("{} entries, balance {}", log.len(), *balance);
}

fn main() {
    let t1 = thread::spawn(transfer);
    let t2 = std::thread::spawn(audit);
    t1.join().unwrap();
    t2.join().unwrap();
}
