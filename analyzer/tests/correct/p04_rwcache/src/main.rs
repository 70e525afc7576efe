use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::thread;

struct Cache {
    map: RwLock<HashMap<u32, String>>,
}

impl Cache {
    fn get_or_compute(&self, k: u32) -> String {
        if let Some(v) = self.map.read().unwrap().get(&k) {
            return v.clone();
        }
        let computed = format!("value-{}", k * 31);
        let mut w = self.map.write().unwrap();
        w.entry(k).or_insert(computed).clone()
    }
}

fn main() {
    let cache = Arc::new(Cache { map: RwLock::new(HashMap::new()) });
    let hs: Vec<_> = (0..6)
        .map(|t| {
            let c = Arc::clone(&cache);
            thread::spawn(move || {
                let mut n = 0;
                for i in 0..200u32 {
                    n += c.get_or_compute((i + t) % 37).len();
                }
                n
            })
        })
        .collect();
    let s: usize = hs.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{} {}", s, cache.map.read().unwrap().len());
}
