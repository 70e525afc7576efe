use std::sync::Arc;
use std::time::Duration;

use racecheck::{Event, JoinHandle, JoinableQueue, Lock, Thread};

use crate::done::finished;

pub fn spawn(q: JoinableQueue<String>, seen: Arc<Lock<Vec<String>>>, stop: Arc<Event>) -> JoinHandle<()> {
    Thread::spawn(move || {
        while !stop.is_set() {
            let url = match q.get_timeout(Duration::from_millis(5)) {
                Ok(u) => u,
                Err(_) => continue,
            };
            if url == "bad" {
                finished(&q);
                continue;
            }
            seen.acquire().push(url);
            finished(&q);
        }
    })
}
