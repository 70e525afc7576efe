//! Exploration is deterministic: a replay token reproduces its schedule event for event, and the
//! report does not depend on how many workers explored.

use std::sync::Arc;
use std::time::Duration;

use racecheck::explore::{Config, FindingKind, Strategy};
use racecheck::{Condition, Event, Lock, Queue, Shared, Thread};

/// A program with several bugs and many interleavings: a racy counter, an ABBA pair, a hand-off.
fn busy() {
    static COUNTER: Shared<u64> = Shared::new(0);
    let a = Arc::new(Lock::new(0));
    let b = Arc::new(Lock::new(0));
    let queue = Queue::new();
    let workers: Vec<_> = (0..3)
        .map(|n| {
            let (a, b, queue) = (Arc::clone(&a), Arc::clone(&b), queue.clone());
            Thread::spawn(move || {
                COUNTER.set(COUNTER.get() + 1);
                if n % 2 == 0 {
                    let _a = a.acquire();
                    *b.acquire() += 1;
                } else {
                    let _b = b.acquire();
                    *a.acquire() += 1;
                }
                queue.put(n);
            })
        })
        .collect();
    let mut got: Vec<u32> = (0..3).map(|_| queue.get()).collect();
    got.sort_unstable();
    assert_eq!(got, [0, 1, 2]);
    for worker in workers {
        worker.join().unwrap();
    }
}

#[test]
fn explore_then_replay_gives_the_same_trace_for_many_seeds() {
    for seed in 0..30 {
        for strategy in [Strategy::Random, Strategy::Pct { depth: 3 }] {
            let config = Config::default()
                .schedules(50)
                .seed(seed)
                .strategy(strategy.clone());
            let report = racecheck::explore(config, busy);
            for finding in report.findings() {
                let replayed = racecheck::replay(&finding.replay_token, busy);
                let again = replayed
                    .findings()
                    .iter()
                    .find(|f| f.kind == finding.kind && f.message == finding.message)
                    .unwrap_or_else(|| panic!("seed {seed} {strategy:?}: replay lost {finding}"));
                assert_eq!(again.trace, finding.trace, "seed {seed} {strategy:?}");
            }
        }
    }
}

/// Timed condition waits make data choices (spurious wakeups, timeouts) besides thread picks.
fn timed_waits() {
    static TICKS: Shared<u32> = Shared::new(0);
    let state = Arc::new((Lock::new(0_u32), Condition::new()));
    let other = Arc::clone(&state);
    let producer = Thread::spawn(move || {
        for _ in 0..3 {
            *other.0.acquire() += 1;
            other.1.notify_all();
        }
        TICKS.set(TICKS.get() + 1);
    });
    let (lock, changed) = &*state;
    let mut count = lock.acquire();
    while *count < 3 {
        count = changed.wait_timeout(count, Duration::from_millis(5)).0;
    }
    drop(count);
    TICKS.set(TICKS.get() + 1);
    producer.join().unwrap();
}

#[test]
fn schedules_with_data_choices_replay_too() {
    for seed in 0..20 {
        let report = racecheck::explore(Config::default().schedules(50).seed(seed), timed_waits);
        let finding = &report.findings()[0];
        assert_eq!(finding.kind, FindingKind::DataRace);
        let replayed = racecheck::replay(&finding.replay_token, timed_waits);
        assert_eq!(replayed.findings()[0].trace, finding.trace, "seed {seed}");
    }
}

#[test]
fn the_report_is_the_same_with_one_or_two_workers() {
    for strategy in [Strategy::Random, Strategy::Pct { depth: 3 }] {
        for seed in 0..10 {
            let config = Config::default()
                .schedules(100)
                .seed(seed)
                .strategy(strategy.clone());
            let one = racecheck::explore(config.clone().workers(1), busy);
            let two = racecheck::explore(config.workers(2), busy);
            assert_eq!(one, two, "seed {seed}, {strategy:?}");
        }
    }
}

#[test]
fn a_step_limit_replays_too() {
    // A loop that makes progress forever (each `set` is progress): no livelock, a step limit.
    let spin = || {
        let ticks = Event::new();
        loop {
            ticks.set();
        }
    };
    let report = racecheck::explore(Config::default().schedules(1).max_steps(5_000), spin);
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::StepLimit);
    let replayed = racecheck::replay(&finding.replay_token, spin);
    assert_eq!(replayed.findings()[0].trace, finding.trace);
}

#[test]
fn every_finding_renders_a_witness_with_its_replay_token() {
    let report = racecheck::explore(Config::default().schedules(100), busy);
    let finding = &report.findings()[0];
    let text = finding.to_string();
    assert!(text.contains("#  thread"), "{text}");
    assert!(text.ends_with(&format!(
        "replay: RACECHECK_REPLAY={}",
        finding.replay_token
    )));
    assert!(racecheck::explore::validate_token(&finding.replay_token).is_ok());
    assert!(racecheck::explore::validate_token("rc1:not*base64").is_err());
}
