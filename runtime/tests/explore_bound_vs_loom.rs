//! A bounded search covers every interleaving its preemption bound allows, and loom 0.7's does
//! not: a bug that needs one preemption, which racecheck's search finds with bound 1 and loom's
//! finds only with bound 2. This is why racecheck cannot match loom's execution counts on the
//! `exhaustive_vs_loom` bench without dropping schedules its bound allows.
//!
//! The program: three threads each take one lock twice, adding 1 to a counter each time; thread
//! 0 notes the counter in its first round and asserts, in its second, that the two others did not
//! both run all their rounds in between (the counter moved by less than 4). The only failing
//! orders are 0 1 1 2 2 0 and 0 2 2 1 1 0, and each needs one preemption: thread 0 is cut after
//! its first round, then thread 1 runs to its end and thread 2 to its end (switching away from a
//! thread that has ended preempts nothing). loom's bounded search adds no backtrack point at a
//! state where the schedule has used up its bound, even for a switch that costs none, so it never
//! runs them.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use racecheck::explore::{Config, FindingKind, Strategy};
use racecheck::{Lock, Thread};

const THREADS: usize = 3;
const ROUNDS: usize = 2;

/// A round of thread `n`, holding the lock over `count`: adds 1; thread 0 notes the counter in
/// its first round (`noted`) and checks it in its second.
fn round(n: usize, count: &mut u64, noted: &mut Option<u64>) {
    *count += 1;
    if n != 0 {
        return;
    }
    match *noted {
        None => *noted = Some(*count),
        Some(noted) => assert!(
            *count - noted < 4,
            "both other threads ran all their rounds between thread 0's two"
        ),
    }
}

fn on_racecheck() {
    let counter = Arc::new(Lock::new(0_u64));
    let handles: Vec<_> = (0..THREADS)
        .map(|n| {
            let counter = Arc::clone(&counter);
            Thread::spawn(move || {
                let mut noted = None;
                for _ in 0..ROUNDS {
                    round(n, &mut counter.acquire(), &mut noted);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

fn on_loom() {
    let counter = loom::sync::Arc::new(loom::sync::Mutex::new(0_u64));
    let handles: Vec<_> = (0..THREADS)
        .map(|n| {
            let counter = counter.clone();
            loom::thread::spawn(move || {
                let mut noted = None;
                for _ in 0..ROUNDS {
                    round(n, &mut counter.lock().unwrap(), &mut noted);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

/// Whether loom's search with `bound` finds the panic.
fn loom_finds_it(bound: usize) -> bool {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(bound);
    catch_unwind(AssertUnwindSafe(|| builder.check(on_loom))).is_err()
}

/// Whether racecheck's search with `bound` finds the panic (a complete search otherwise).
fn racecheck_finds_it(bound: usize) -> bool {
    let config = Config::default()
        .schedules(100_000)
        .strategy(Strategy::Exhaustive {
            preemption_bound: Some(bound),
        });
    let report = racecheck::explore(config, on_racecheck);
    if report.is_clean() {
        assert!(report.coverage.is_some_and(|coverage| coverage.complete));
        return false;
    }
    let kinds: Vec<_> = report.findings().iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::Panic), "{kinds:?}");
    true
}

#[test]
fn the_bug_needs_one_preemption() {
    assert!(!racecheck_finds_it(0));
    assert!(racecheck_finds_it(1));
}

#[test]
fn loom_misses_it_with_bound_one_and_finds_it_with_bound_two() {
    assert!(!loom_finds_it(1));
    assert!(loom_finds_it(2));
}
