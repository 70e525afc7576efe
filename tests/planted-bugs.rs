//! Bugs planted for `replay_hints.rs`: each test fails only when `PLANT_RACECHECK_BUGS` is set,
//! so the suite passes as it is; `replay_hints.rs` sets it, runs one test through cargo, and runs
//! the replay command its failure prints, as pasted. The target's name has a `-` on purpose: its
//! crate name reads it as `_`, which `cargo test --test` does not accept.
use racecheck::{Lock, Shared, Thread};
use std::sync::Arc;

fn planted() -> bool {
    std::env::var_os("PLANT_RACECHECK_BUGS").is_some()
}

/// Two threads add one to a counter outside any lock: a data race.
#[racecheck::test]
fn lost_update() {
    if !planted() {
        return;
    }
    let counter = Arc::new(Shared::new(0u64));
    let other = {
        let counter = Arc::clone(&counter);
        Thread::spawn(move || counter.set(counter.get() + 1))
    };
    counter.set(counter.get() + 1);
    other.join().unwrap();
}

/// Two threads take one lock thousands of times, then the test fails: the schedule makes so many
/// choices that its replay token is too long to pass inline.
#[racecheck::test]
fn long_schedule() {
    if !planted() {
        return;
    }
    let lock = Arc::new(Lock::new(0u64));
    let take = |lock: Arc<Lock<u64>>| {
        move || {
            for _ in 0..3000 {
                *lock.acquire() += 1;
            }
        }
    };
    let other = Thread::spawn(take(Arc::clone(&lock)));
    take(Arc::clone(&lock))();
    other.join().unwrap();
    panic!("planted after {} increments", *lock.acquire());
}
