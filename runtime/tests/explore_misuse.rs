//! Misuses of exploration end with a clear message, never a hang or a wrong report.

use std::sync::Arc;

use racecheck::explore::Config;
use racecheck::{Lock, Shared};

#[test]
#[should_panic(expected = "create it inside the explored closure")]
fn a_primitive_created_outside_the_explored_closure_is_refused() {
    let shared = Arc::new(Shared::new(0_u64));
    racecheck::explore(Config::default().schedules(2).workers(1), move || {
        shared.set(1)
    });
}

#[test]
#[should_panic(expected = "was used outside exploration")]
fn a_static_lock_whose_data_owns_memory_and_was_used_for_real_is_refused() {
    static NAMES: Lock<Vec<String>> = Lock::new(Vec::new());
    NAMES.acquire().push("real".to_owned());
    racecheck::explore(Config::default().schedules(1), || {
        NAMES.acquire().push("explored".to_owned())
    });
}

#[test]
#[should_panic(expected = "invalid replay token")]
fn a_malformed_replay_token_is_refused() {
    racecheck::replay("rc1:%%%", || {});
}
