//! `#[racecheck::test]` end to end: the expansion runs its body under the explorer, passes when no
//! schedule finds anything and fails, with a summary naming the finding, when one does.

use std::sync::Arc;

use racecheck::{Lock, Thread};

/// Two threads bump a counter under one lock: nothing to find.
fn locked_counter() {
    let counter = Arc::new(Lock::new(0_u32));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            Thread::spawn(move || *counter.acquire() += 1)
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
    assert_eq!(*counter.acquire(), 2);
}

#[racecheck::test(schedules = 50)]
fn a_clean_body_passes() {
    locked_counter();
}

#[racecheck::test(
    schedules = 50,
    strategy = "pct",
    depth = 2,
    seed = 11,
    max_steps = 10_000
)]
fn every_argument_is_accepted() {
    locked_counter();
}

#[racecheck::test(schedules = 50, strategy = "targeted")]
fn the_targeted_strategy_is_accepted() {
    locked_counter();
}

#[racecheck::test(schedules = 20)]
fn a_body_returning_ok_passes() -> Result<(), String> {
    locked_counter();
    Ok(())
}

#[racecheck::test(schedules = 20)]
#[should_panic(expected = "Deadlock")]
fn a_deadlock_fails_the_test() {
    let lock = Lock::new(());
    let _held = lock.acquire();
    let _again = lock.acquire();
}

#[racecheck::test(schedules = 20)]
#[should_panic(expected = "returned an error: \"no quorum\"")]
fn a_body_returning_err_fails_the_test() -> Result<(), String> {
    Err("no quorum".to_owned())
}

#[racecheck::test(schedules = 20)]
#[should_panic(expected = "1 finding in 1 schedule")]
fn the_failure_summary_counts_findings_and_schedules() {
    panic!("always");
}
