use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::tally::Tally;

pub fn spawn(t: Arc<Tally>, me: usize) -> JoinHandle<()> {
    Thread::spawn(move || {
        for _ in 0..4 {
            t.bump(me);
        }
    })
}
