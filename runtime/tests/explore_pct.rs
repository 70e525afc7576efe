//! PCT as shuttle runs it: change points spread over the steps where more than one thread can
//! run, a first schedule that runs the oldest thread first, and no scheduling point of its own
//! for a wait that is about to block.

use std::sync::Arc;

use racecheck::explore::{Config, FindingKind, Strategy};
use racecheck::{Lock, Queue, Thread};

fn pct(depth: usize, schedules: usize, seed: u64) -> Config {
    Config::default()
        .strategy(Strategy::Pct { depth })
        .schedules(schedules)
        .seed(seed)
}

/// Two threads take two locks in opposite orders, after the main thread worked alone for long.
fn abba_after_a_long_sequential_start() {
    let warm_up = Lock::new(0_u64);
    for _ in 0..2_000 {
        *warm_up.acquire() += 1;
    }
    let a = Arc::new(Lock::new(()));
    let b = Arc::new(Lock::new(()));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    let first = Thread::spawn(move || {
        let _a = a2.acquire();
        let _b = b2.acquire();
    });
    let second = Thread::spawn(move || {
        let _b = b.acquire();
        let _a = a.acquire();
    });
    first.join().unwrap();
    second.join().unwrap();
}

#[test]
fn steps_where_one_thread_runs_alone_do_not_dilute_the_change_points() {
    // 4,000 steps run the main thread alone; were they counted, one change point would land on
    // the one step that matters about once in 4,000 schedules.
    for seed in 0..10 {
        let report = racecheck::explore(pct(2, 200, seed), abba_after_a_long_sequential_start);
        assert!(
            report
                .findings()
                .iter()
                .any(|finding| finding.kind == FindingKind::Deadlock),
            "seed {seed}: no deadlock in {} schedules",
            report.schedules_run
        );
    }
}

/// Fails only if the thread started first runs its step first.
fn fails_when_the_oldest_thread_goes_first() {
    let order = Arc::new(Lock::new(Vec::new()));
    let threads: Vec<_> = (0..3)
        .map(|n| {
            let order = Arc::clone(&order);
            Thread::spawn(move || order.acquire().push(n))
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_ne!(
        order.acquire().first(),
        Some(&0),
        "the oldest thread went first"
    );
}

#[test]
fn the_first_schedule_runs_the_oldest_thread_first_whatever_the_seed() {
    for seed in 0..20 {
        let report = racecheck::explore(pct(3, 1, seed), fails_when_the_oldest_thread_goes_first);
        assert!(
            report
                .findings()
                .iter()
                .any(|finding| finding.kind == FindingKind::Panic),
            "seed {seed}"
        );
    }
}

#[test]
fn a_wait_about_to_block_takes_no_scheduling_point_of_its_own() {
    for seed in 0..20 {
        let report = racecheck::explore(Config::default().schedules(1).seed(seed), || {
            let queue = Queue::new();
            let producer = queue.clone();
            let worker = Thread::spawn(move || producer.put(1));
            queue.get();
            worker.join().unwrap();
            panic!("end of the schedule: its trace is the finding's");
        });
        let trace = &report.findings()[0].trace;
        let started = trace
            .iter()
            .find(|event| event.operation == "start Thread-1")
            .expect("the worker was started");
        // The queue is empty until the worker runs, and the worker runs only after a scheduling
        // decision: the `get` blocks, in the very step that started the worker.
        let blocked = trace
            .iter()
            .find(|event| event.operation.ends_with("(empty, blocks)"))
            .expect("the get blocks");
        assert_eq!(
            (blocked.thread.as_str(), blocked.step),
            ("MainThread", started.step),
            "seed {seed}"
        );
    }
}
