use std::sync::{Arc, Mutex};
use std::thread;

fn transfer(accts: &[Mutex<i64>], from: usize, to: usize, amt: i64) {
    if from == to {
        return;
    }
    if from < to {
        let mut f = accts[from].lock().unwrap();
        let mut t = accts[to].lock().unwrap();
        *f -= amt;
        *t += amt;
    } else {
        let mut t = accts[to].lock().unwrap();
        let mut f = accts[from].lock().unwrap();
        *f -= amt;
        *t += amt;
    }
}

fn main() {
    let accts: Arc<Vec<Mutex<i64>>> = Arc::new((0..2).map(|_| Mutex::new(100)).collect());
    let a1 = accts.clone();
    let t1 = thread::spawn(move || {
        for _ in 0..100 {
            transfer(&a1, 0, 1, 1);
        }
    });
    let a2 = accts.clone();
    let t2 = thread::spawn(move || {
        for _ in 0..100 {
            transfer(&a2, 1, 0, 1);
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    let s: i64 = accts.iter().map(|m| *m.lock().unwrap()).sum();
    println!("{}", s);
}
