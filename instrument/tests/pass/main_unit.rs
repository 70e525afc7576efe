//! A plain `main` runs once, normally, when RACECHECK_EXPLORE is not set.
use std::sync::atomic::{AtomicU32, Ordering};

static RUNS: AtomicU32 = AtomicU32::new(0);

#[racecheck::main]
fn main() {
    assert_eq!(
        RUNS.fetch_add(1, Ordering::SeqCst),
        0,
        "main runs exactly once"
    );
}
