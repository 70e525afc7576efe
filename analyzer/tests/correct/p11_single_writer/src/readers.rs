use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::config::ConfigStore;

pub fn spawn(store: Arc<ConfigStore>) -> JoinHandle<u64> {
    Thread::spawn(move || {
        let mut seen = 0;
        for _ in 0..3 {
            seen = seen.max(store.version());
        }
        seen
    })
}
