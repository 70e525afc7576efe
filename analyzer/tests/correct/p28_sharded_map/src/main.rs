use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

struct Sharded {
    shards: Vec<Mutex<HashMap<String, u64>>>,
}

impl Sharded {
    fn new(n: usize) -> Self {
        Sharded { shards: (0..n).map(|_| Mutex::new(HashMap::new())).collect() }
    }
    fn shard(&self, k: &str) -> &Mutex<HashMap<String, u64>> {
        let h = k.bytes().fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
        &self.shards[h % self.shards.len()]
    }
    fn incr(&self, k: &str) {
        *self.shard(k).lock().unwrap().entry(k.to_string()).or_insert(0) += 1;
    }
    fn total(&self) -> u64 {
        let mut t = 0;
        for s in &self.shards {
            t += s.lock().unwrap().values().sum::<u64>();
        }
        t
    }
}

fn main() {
    let m = Arc::new(Sharded::new(8));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let m = Arc::clone(&m);
            thread::spawn(move || {
                for j in 0..250 {
                    m.incr(&format!("key{}", (i * j) % 17));
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", m.total());
}
