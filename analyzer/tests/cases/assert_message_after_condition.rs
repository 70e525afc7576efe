//! `assert!(c, …)` expands to `if !c { panic!(…) }`: the guard taken in the condition is dropped
//! before the message is formatted, so taking the lock again in the message is no double
//! acquire. `assert_eq!(a, b, …)` expands to `match (&a, &b) { … panic!(…) }`: its operands live
//! through the message, so taking the lock again there blocks forever.
use racecheck::Lock;

static TALLIES: Lock<Vec<u32>> = Lock::new(Vec::new());
static TOTAL: Lock<u32> = Lock::new(0);

fn main() {
    assert!(
        TALLIES.acquire().iter().all(|&count| count == 1),
        "{:?}",
        *TALLIES.acquire()
    );
    debug_assert!(TALLIES.acquire().is_empty(), "{:?}", *TALLIES.acquire());
    assert_eq!(
        *TOTAL.acquire(),
        0,
        "total {}",
        *TOTAL.acquire() //~ D002
    );
}
