use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const N: usize = 4;
const STEPS: usize = 10;

fn main() {
    let slots: Arc<Vec<Mutex<f64>>> = Arc::new((0..N).map(|i| Mutex::new(i as f64)).collect());
    let next: Arc<Vec<Mutex<f64>>> = Arc::new((0..N).map(|_| Mutex::new(0.0)).collect());
    let barrier = Arc::new(Barrier::new(N));
    let hs: Vec<_> = (0..N)
        .map(|id| {
            let slots = Arc::clone(&slots);
            let next = Arc::clone(&next);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                for _ in 0..STEPS {
                    let left = *slots[(id + N - 1) % N].lock().unwrap();
                    let me = *slots[id].lock().unwrap();
                    let right = *slots[(id + 1) % N].lock().unwrap();
                    *next[id].lock().unwrap() = (left + me + right) / 3.0;
                    barrier.wait();
                    let v = *next[id].lock().unwrap();
                    *slots[id].lock().unwrap() = v;
                    barrier.wait();
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let vals: Vec<f64> = slots.iter().map(|m| *m.lock().unwrap()).collect();
    println!("{:?}", vals);
}
