use std::sync::{Arc, Mutex};
use std::thread;

struct Db {
    meta: Mutex<u64>,
    rows: Mutex<Vec<u64>>,
}

impl Db {
    fn insert(&self, v: u64) {
        let mut meta = self.meta.lock().unwrap();
        let mut rows = self.rows.lock().unwrap();
        rows.push(v);
        *meta += 1;
    }
    fn compact(&self) {
        let mut meta = self.meta.lock().unwrap();
        self.dedup_rows();
        *meta += 1;
    }
    fn dedup_rows(&self) {
        let mut rows = self.rows.lock().unwrap();
        rows.sort();
        rows.dedup();
    }
    fn len(&self) -> usize {
        self.rows.lock().unwrap().len()
    }
}

fn main() {
    let db = Arc::new(Db { meta: Mutex::new(0), rows: Mutex::new(Vec::new()) });
    let d1 = db.clone();
    let w = thread::spawn(move || {
        for i in 0..1000 {
            d1.insert(i % 100);
        }
    });
    let d2 = db.clone();
    let c = thread::spawn(move || {
        for _ in 0..10 {
            d2.compact();
        }
    });
    w.join().unwrap();
    c.join().unwrap();
    println!("{}", db.len());
}
