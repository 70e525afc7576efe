use std::sync::Arc;

use racecheck::{Lock, Pool};

pub fn render_all(n: u32, urgent: bool) -> Vec<u32> {
    let pool = Pool::new(2);
    let settings = Arc::new(Lock::new(3u32));
    let journal = Lock::new(Vec::<String>::new());
    let s = Arc::clone(&settings);
    // `journal` is main's own and no task touches it; holding it across map is harmless
    let mut j = journal.acquire();
    let frames = pool.map(move |f: u32| f * *s.acquire(), 0..n);
    j.push(format!("{} frames", frames.len()));
    drop(j);
    if urgent {
        pool.terminate();
    } else {
        pool.close();
    }
    pool.join().expect("closed or terminated on both branches");
    frames
}
