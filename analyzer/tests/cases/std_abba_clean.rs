//! Both threads take `ACCOUNTS` before `AUDIT_LOG`: one order, no cycle. The locks are named
//! through a module alias and a renamed import.
use std::sync as sync_items;
use std::thread::spawn as start;

static ACCOUNTS: sync_items::Mutex<i64> = sync_items::Mutex::new(100);
static AUDIT_LOG: std::sync::Mutex<Vec<i64>> = std::sync::Mutex::new(Vec::new());

fn transfer() {
    let mut balance = ACCOUNTS.lock().unwrap();
    let mut log = AUDIT_LOG.lock().unwrap();
    *balance -= 10;
    log.push(*balance);
}

fn audit() {
    let balance = ACCOUNTS.lock().unwrap();
    let log = AUDIT_LOG.lock().unwrap();
    println!("{} entries, balance {}", log.len(), *balance);
}

fn main() {
    let t1 = start(transfer);
    let t2 = start(audit);
    t1.join().unwrap();
    t2.join().unwrap();
}
