use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const N: usize = 3;

fn main() {
    let outputs: Arc<Vec<Mutex<Vec<u64>>>> = Arc::new((0..N).map(|_| Mutex::new(Vec::new())).collect());
    let barrier = Arc::new(Barrier::new(N));
    let hs: Vec<_> = (0..N)
        .map(|id| {
            let outputs = Arc::clone(&outputs);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                // each thread holds only its own output buffer for the whole run
                let mut mine = outputs[id].lock().unwrap();
                for round in 0..5u64 {
                    mine.push(round * id as u64);
                    barrier.wait();
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let total: usize = outputs.iter().map(|o| o.lock().unwrap().len()).sum();
    println!("{}", total);
}
