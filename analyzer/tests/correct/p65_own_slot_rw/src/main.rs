use std::sync::{Arc, Mutex};
use std::thread;

const N: usize = 4;

fn main() {
    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..N).map(|_| Mutex::new(0)).collect());
    let hs: Vec<_> = (0..N)
        .map(|id| {
            let slots = Arc::clone(&slots);
            thread::spawn(move || {
                let mut peek = 0;
                for _ in 0..100 {
                    // only thread `id` ever writes slots[id]; others just read it
                    let mine = *slots[id].lock().unwrap();
                    let neighbour = *slots[(id + 1) % N].lock().unwrap();
                    peek = peek.max(neighbour);
                    *slots[id].lock().unwrap() = mine + 1;
                }
                peek
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{:?}", slots.iter().map(|s| *s.lock().unwrap()).collect::<Vec<_>>());
}
