use std::sync::{Arc, Mutex};
use std::thread;

struct Cache {
    entries: Mutex<Vec<(u32, u32)>>,
}

impl Cache {
    fn fill(&self, k: u32) -> u32 {
        let v = k * 2;
        self.entries.lock().unwrap().push((k, v));
        v
    }
    fn get(&self, k: u32) -> u32 {
        let g = self.entries.lock().unwrap();
        if let Some(&(_, v)) = g.iter().find(|(kk, _)| *kk == k) {
            return v;
        }
        drop(g);
        self.fill(k)
    }
}

fn main() {
    let c = Arc::new(Cache { entries: Mutex::new(Vec::new()) });
    let hs: Vec<_> = (0..3)
        .map(|t| {
            let c = Arc::clone(&c);
            thread::spawn(move || (0..50).map(|i| c.get((i + t) % 10)).sum::<u32>())
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", c.entries.lock().unwrap().len());
}
