use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Slot {
    value: Mutex<Option<u64>>,
    ready: Condvar,
}

fn main() {
    let slots: Arc<Vec<Slot>> = Arc::new((0..4).map(|_| Slot { value: Mutex::new(None), ready: Condvar::new() }).collect());
    let s2 = Arc::clone(&slots);
    let filler = thread::spawn(move || {
        for (i, s) in s2.iter().enumerate() {
            *s.value.lock().unwrap() = Some(i as u64 * 100);
            s.ready.notify_all();
        }
    });
    let mut total = 0;
    for s in slots.iter() {
        let mut g = s.value.lock().unwrap();
        while g.is_none() {
            g = s.ready.wait(g).unwrap();
        }
        total += g.unwrap();
    }
    filler.join().unwrap();
    println!("{}", total);
}
