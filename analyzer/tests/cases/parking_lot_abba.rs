//! parking_lot's `Mutex` (guards without `unwrap`), imported by a glob and by an alias, in an
//! ABBA across two threads; its `ReentrantMutex` may be locked again by the thread holding it,
//! its `Mutex` may not.
use parking_lot::*;
use parking_lot::Mutex as Plain;

static ACCOUNTS: Mutex<i64> = Mutex::new(100);
static AUDIT: Plain<Vec<i64>> = Plain::new(Vec::new());
static JOURNAL: ReentrantMutex<u32> = ReentrantMutex::new(0);

fn transfer() {
    let mut balance = ACCOUNTS.lock();
    let mut log = AUDIT.lock(); //~ D001
    *balance -= 10;
    log.push(*balance);
}

fn audit() {
    let log = AUDIT.lock();
    let balance = ACCOUNTS.lock();
    let _outer = JOURNAL.lock();
    let _inner = JOURNAL.lock();
    println!("{} {}", log.len(), *balance);
}

fn relock() {
    let _first = ACCOUNTS.lock();
    let _second = ACCOUNTS.lock(); //~ D002
}

fn main() {
    let t1 = std::thread::spawn(transfer);
    let t2 = std::thread::spawn(audit);
    t1.join().unwrap();
    t2.join().unwrap();
    relock();
}
