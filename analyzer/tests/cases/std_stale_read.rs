//! A stale read written back under a later guard of a std `Mutex` (R003), and the same update
//! made under one guard (clean).
use std::sync::Mutex;
use std::thread;

static STOCK: Mutex<u64> = Mutex::new(0);

fn restock(delivered: u64) {
    let stock = STOCK.lock().unwrap();
    let counted = *stock;
    drop(stock);
    let updated = counted + delivered;
    let mut stock = STOCK.lock().unwrap();
    *stock = updated; //~ R003
}

fn restock_atomically(delivered: u64) {
    let mut stock = STOCK.lock().unwrap();
    *stock += delivered;
}

fn main() {
    let t1 = thread::spawn(|| restock(5));
    let t2 = thread::spawn(|| restock_atomically(7));
    t1.join().unwrap();
    t2.join().unwrap();
}
