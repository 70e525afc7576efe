use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::chain::Chain;

pub fn spawn(chain: Arc<Chain>, amount: u64) -> JoinHandle<()> {
    Thread::spawn(move || {
        for _ in 0..2 {
            chain.push_through(amount);
        }
    })
}
