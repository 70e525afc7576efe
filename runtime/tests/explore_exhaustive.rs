//! The exhaustive strategy: it runs each interleaving once up to the order of independent steps
//! (counts computed by hand), proves clean programs clean, finds bugs, and is deterministic.

use std::collections::HashSet;
use std::sync::Arc;

use racecheck::explore::{Config, Coverage, FindingKind, Report, Strategy};
use racecheck::{Event, Lock, Shared, Thread};

#[path = "../benches/support/programs.rs"]
mod programs;

fn exhaustive(bound: Option<usize>) -> Config {
    Config::default()
        .schedules(100_000)
        .strategy(Strategy::Exhaustive {
            preemption_bound: bound,
        })
}

fn explore_all(bound: Option<usize>, body: impl Fn() + Send + Sync + 'static) -> Report {
    racecheck::explore(exhaustive(bound), body)
}

/// A clean, complete search: its coverage.
fn proved(report: &Report) -> Coverage {
    assert!(report.is_clean(), "{:#?}", report.findings());
    let coverage = report
        .coverage
        .expect("an exhaustive search reports coverage");
    assert!(coverage.complete, "{coverage:?}");
    // The others were cut short as redundant.
    assert!(coverage.interleavings <= report.schedules_run);
    coverage
}

/// `threads` threads, each taking one of `locks` (by thread index) `rounds` times.
fn lockers(threads: usize, locks: usize, rounds: usize) -> impl Fn() + Send + Sync + 'static {
    move || {
        let locks: Arc<Vec<Lock<u32>>> = Arc::new((0..locks).map(|_| Lock::new(0)).collect());
        let handles: Vec<_> = (0..threads)
            .map(|n| {
                let locks = Arc::clone(&locks);
                Thread::spawn(move || {
                    for _ in 0..rounds {
                        *locks[n % locks.len()].acquire() += 1;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    }
}

#[test]
fn one_lock_taken_once_by_each_of_two_threads_has_two_interleavings() {
    assert_eq!(
        proved(&explore_all(None, lockers(2, 1, 1))).interleavings,
        2
    );
}

#[test]
fn two_threads_on_different_locks_have_one_interleaving() {
    assert_eq!(
        proved(&explore_all(None, lockers(2, 2, 1))).interleavings,
        1
    );
}

#[test]
fn three_threads_on_one_lock_have_six_interleavings() {
    // The order of the three critical sections: 3!.
    assert_eq!(
        proved(&explore_all(None, lockers(3, 1, 1))).interleavings,
        6
    );
}

#[test]
fn two_threads_taking_one_lock_twice_each_have_six_interleavings() {
    // The orders of a a b b: 4! / (2! 2!).
    assert_eq!(
        proved(&explore_all(None, lockers(2, 1, 2))).interleavings,
        6
    );
}

#[test]
fn a_preemption_bound_cuts_the_interleavings() {
    // Critical sections a1 a2 / b1 b2: with no preemption, a thread runs until it ends or
    // blocks, so only `a a b b` and `b b a a`… and the orders a blocked thread forces.
    let unbounded = proved(&explore_all(None, lockers(2, 1, 3))).interleavings;
    let bounded = proved(&explore_all(Some(0), lockers(2, 1, 3)));
    assert_eq!(bounded.preemption_bound, Some(0));
    assert!(
        bounded.interleavings < unbounded,
        "{bounded:?} vs {unbounded}"
    );
    assert_eq!(unbounded, 20, "6! / (3! 3!)");
}

#[test]
fn an_event_handoff_is_one_interleaving() {
    let report = explore_all(None, || {
        let ready = Arc::new(Event::new());
        let data = Arc::new(Shared::new(0u32));
        let (r, d) = (Arc::clone(&ready), Arc::clone(&data));
        let setter = Thread::spawn(move || {
            d.set(7);
            r.set();
        });
        ready.wait();
        assert_eq!(data.get(), 7);
        setter.join().unwrap();
    });
    proved(&report);
}

#[test]
fn a_racy_counter_is_found_and_its_token_replays() {
    let body = || {
        static COUNTER: Shared<u64> = Shared::new(0);
        let other = Thread::spawn(|| COUNTER.set(COUNTER.get() + 1));
        COUNTER.set(COUNTER.get() + 1);
        other.join().unwrap();
    };
    let report = explore_all(None, body);
    let race = &report.findings()[0];
    assert_eq!(race.kind, FindingKind::DataRace);
    assert!(!report.coverage.unwrap().complete);
    let again = racecheck::replay(&race.replay_token, body);
    assert_eq!(again.findings()[0].trace, race.trace);
}

fn abba() {
    let a = Arc::new(Lock::new(0));
    let b = Arc::new(Lock::new(0));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    let other = Thread::spawn(move || {
        let _b = b2.acquire();
        *a2.acquire() += 1;
    });
    {
        let _a = a.acquire();
        *b.acquire() += 1;
    }
    other.join().unwrap();
}

#[test]
fn a_deadlock_that_needs_one_preemption_is_found_within_bound_one() {
    let report = explore_all(Some(1), abba);
    let kinds: Vec<_> = report.findings().iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::Deadlock), "{kinds:?}");
    let replayed = racecheck::replay(&report.findings()[0].replay_token, abba);
    assert_eq!(replayed.findings()[0].kind, report.findings()[0].kind);
}

#[test]
fn the_search_is_deterministic() {
    let run = || explore_all(None, lockers(3, 2, 2));
    let (first, second) = (run(), run());
    assert_eq!(first.coverage, second.coverage);
    assert_eq!(first.schedules_run, second.schedules_run);
}

#[test]
fn a_schedule_limit_leaves_the_search_incomplete() {
    let report = racecheck::explore(exhaustive(None).schedules(3), lockers(3, 1, 2));
    let coverage = report.coverage.unwrap();
    assert!(!coverage.complete);
    assert_eq!((report.schedules_run, coverage.interleavings), (3, 3));
    assert!(coverage
        .to_string()
        .starts_with("exhaustive search incomplete: 3 interleavings explored"));
}

/// The orders in which `threads` threads took one lock `rounds` times each, over the schedules
/// of a complete search with `bound`, and the search's coverage.
fn lock_orders(threads: usize, rounds: usize, bound: Option<usize>) -> (usize, Coverage) {
    let orders = Arc::new(std::sync::Mutex::new(HashSet::new()));
    let seen = Arc::clone(&orders);
    let report = explore_all(bound, move || {
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let taken = Arc::clone(&order);
        programs::lock_rounds_with(threads, rounds, move |n| taken.lock().unwrap().push(n));
        let order = order.lock().unwrap().clone();
        seen.lock().unwrap().insert(order);
    });
    let coverage = proved(&report);
    let distinct = orders.lock().unwrap().len();
    (distinct, coverage)
}

#[test]
fn a_bounded_search_covers_every_lock_order_within_its_bound() {
    // With one preemption: the 3! orders of whole runs, and those where one thread X is cut
    // once, after 1 or 2 of its 3 rounds: the blocks X1 X2 Y Z in an order with X1 before X2
    // but not right before it (4!/2 - 3! = 6), for 3 choices of X and 2 cuts: 6 + 36 = 42.
    let (distinct, coverage) = lock_orders(3, 3, Some(1));
    assert_eq!(distinct, 42, "{coverage:?}");
}

#[test]
fn an_unbounded_search_runs_each_lock_order_once() {
    // The orders of a a a b b b: 6! / (3! 3!), each run once.
    let (distinct, coverage) = lock_orders(2, 3, None);
    assert_eq!((distinct, coverage.interleavings), (20, 20));
}
