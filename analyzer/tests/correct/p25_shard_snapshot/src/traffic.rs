use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::store::ShardedStore;

pub fn spawn_mover(s: Arc<ShardedStore>) -> JoinHandle<()> {
    Thread::spawn(move || {
        for (a, b) in [(0, 2), (2, 1), (1, 0)] {
            s.move_units(a, b, 3);
        }
    })
}

pub fn spawn_auditor(s: Arc<ShardedStore>) -> JoinHandle<u64> {
    Thread::spawn(move || s.snapshot_total())
}
