mod crawl;
mod done;

use std::sync::Arc;

use racecheck::{Event, JoinableQueue, Lock};

#[racecheck::main]
fn main() {
    let q: JoinableQueue<String> = JoinableQueue::new();
    let seen = Arc::new(Lock::new(Vec::new()));
    let stop = Arc::new(Event::new());
    let ws: Vec<_> = (0..2).map(|_| crawl::spawn(q.clone(), Arc::clone(&seen), Arc::clone(&stop))).collect();
    for u in ["a", "bad", "c"] {
        q.put(u.to_string());
    }
    q.join();
    stop.set();
    for w in ws {
        w.join().unwrap();
    }
    println!("{:?}", seen.acquire());
}
