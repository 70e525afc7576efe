use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let n = 5;
    let forks: Arc<Vec<Mutex<u32>>> = Arc::new((0..n).map(|_| Mutex::new(0)).collect());
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let forks = Arc::clone(&forks);
            thread::spawn(move || {
                let left = i;
                let right = (i + 1) % n;
                let first = left.min(right);
                let second = left.max(right);
                for _ in 0..100 {
                    let mut a = forks[first].lock().unwrap();
                    let mut b = forks[second].lock().unwrap();
                    *a += 1;
                    *b += 1;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let uses: u32 = forks.iter().map(|f| *f.lock().unwrap()).sum();
    println!("{}", uses);
}
