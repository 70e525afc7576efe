//! Engine tests that drive the models directly, as the primitives' explore branches do: they pin
//! down scheduling, detection, replay and determinism independently of the primitives.

use std::panic::Location;
use std::sync::Arc;

use super::ids::ThreadId;
use super::model::Patience;
use super::{context, explore, replay, Config, Cx, FindingKind, Report, Stamp, Strategy};

fn cx() -> Cx {
    context().expect("runs inside an explored schedule")
}

struct TestLock {
    stamp: Stamp,
}

/// Named, as a primitive is, after the binding its caller creates it into.
impl Default for TestLock {
    #[track_caller]
    fn default() -> Self {
        TestLock {
            stamp: Stamp::new(),
        }
    }
}

impl TestLock {
    #[track_caller]
    fn acquire(&self) {
        assert!(cx().lock_acquire(&self.stamp, false, Patience::Forever, Location::caller()));
    }
    #[track_caller]
    fn try_acquire(&self) -> bool {
        cx().lock_acquire(&self.stamp, false, Patience::Never, Location::caller())
    }
    #[track_caller]
    fn release(&self) {
        cx().lock_release(&self.stamp, false, Location::caller());
    }
}

struct TestShared {
    stamp: Stamp,
}

/// Named, as a primitive is, after the binding its caller creates it into.
impl Default for TestShared {
    #[track_caller]
    fn default() -> Self {
        TestShared {
            stamp: Stamp::new(),
        }
    }
}

impl TestShared {
    #[track_caller]
    fn get(&self) -> u64 {
        cx().shared_get(&self.stamp, &0u64, Location::caller())
    }
    #[track_caller]
    fn set(&self, value: u64) {
        cx().shared_set(&self.stamp, &0u64, value, Location::caller());
    }
}

struct TestEvent {
    stamp: Stamp,
}

/// Named, as a primitive is, after the binding its caller creates it into.
impl Default for TestEvent {
    #[track_caller]
    fn default() -> Self {
        TestEvent {
            stamp: Stamp::new(),
        }
    }
}

impl TestEvent {
    #[track_caller]
    fn set(&self) {
        cx().event_set(&self.stamp, Location::caller());
    }
    #[track_caller]
    fn is_set(&self) -> bool {
        cx().event_is_set(&self.stamp, Location::caller())
    }
    #[track_caller]
    fn wait(&self) {
        cx().event_wait(&self.stamp, Patience::Forever, Location::caller());
    }
}

#[track_caller]
fn spawn(f: impl FnOnce() + Send + 'static) -> ThreadId {
    cx().spawn(None, Box::new(f), Location::caller()).0
}

#[track_caller]
fn join(thread: ThreadId) -> bool {
    cx().join(thread, Patience::Forever, Location::caller())
        .expect("no timeout")
        .is_ok()
}

fn config(schedules: usize) -> Config {
    Config::default().schedules(schedules).workers(1)
}

fn kinds(report: &Report) -> Vec<FindingKind> {
    report.findings().iter().map(|f| f.kind).collect()
}

/// Two threads add one to a counter each; `locked` says whether under one lock.
fn increments(locked: bool) -> impl Fn() + Send + Sync + 'static {
    move || {
        let lock = Arc::new(TestLock::default());
        let counter = Arc::new(TestShared::default());
        let workers: Vec<ThreadId> = (0..2)
            .map(|_| {
                let (lock, counter) = (Arc::clone(&lock), Arc::clone(&counter));
                spawn(move || {
                    if locked {
                        lock.acquire();
                    }
                    counter.set(counter.get() + 1);
                    if locked {
                        lock.release();
                    }
                })
            })
            .collect();
        for worker in workers {
            assert!(join(worker));
        }
        assert_eq!(counter.get(), 2, "lost update");
    }
}

fn abba() {
    let (a, b) = (Arc::new(TestLock::default()), Arc::new(TestLock::default()));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    let other = spawn(move || {
        b2.acquire();
        a2.acquire();
        a2.release();
        b2.release();
    });
    a.acquire();
    b.acquire();
    b.release();
    a.release();
    join(other);
}

#[test]
fn a_locked_counter_is_clean() {
    let report = explore(config(300), increments(true));
    assert!(report.is_clean(), "{:#?}", report.findings());
    assert_eq!(report.schedules_run, 300);
}

#[test]
fn an_unguarded_counter_races_and_loses_updates() {
    let report = explore(config(300), increments(false));
    let race = report
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::DataRace)
        .expect("a data race");
    assert_eq!(race.threads.len(), 2);
    assert_eq!(race.locations.len(), 2);
    assert!(race.message.contains("of counter by"), "{}", race.message);
    assert!(race.trace.iter().any(|e| e.operation == "set counter"));

    let pct = explore(
        config(300).strategy(Strategy::Pct { depth: 2 }),
        increments(false),
    );
    assert!(kinds(&pct).contains(&FindingKind::DataRace));
}

#[test]
fn opposite_lock_orders_are_a_cycle_and_can_deadlock() {
    // A schedule that takes both orders without deadlocking only warns: exploration goes on.
    let warned = (0..20)
        .map(|seed| explore(config(1).seed(seed), abba))
        .find(|report| kinds(report) == [FindingKind::LockOrderCycle])
        .expect("some schedule takes both orders and gets away with it");
    assert_eq!(warned.schedules_run, 1);
    assert_eq!(warned.findings()[0].threads, ["MainThread", "Thread-1"]);

    let report = explore(config(500), abba);
    assert!(
        kinds(&report).contains(&FindingKind::LockOrderCycle),
        "{:?}",
        kinds(&report)
    );
    assert!(
        kinds(&report).contains(&FindingKind::Deadlock),
        "{:?}",
        kinds(&report)
    );

    let deadlocked = (0..50)
        .map(|seed| explore(config(50).seed(seed), abba))
        .find(|report| kinds(report).contains(&FindingKind::Deadlock))
        .expect("some schedule deadlocks");
    let deadlock = deadlocked
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::Deadlock)
        .unwrap();
    assert!(
        deadlock
            .message
            .contains("MainThread waits for b, held by Thread-1"),
        "{}",
        deadlock.message
    );
    assert!(
        deadlock.message.contains("waits for a, held by MainThread"),
        "{}",
        deadlock.message
    );
    assert!(
        deadlock.message.contains("Thread-1 (started at "),
        "{}",
        deadlock.message
    );
}

#[test]
fn opposite_orders_separated_by_joins_are_no_cycle() {
    let report = explore(config(200), || {
        let (a, b) = (Arc::new(TestLock::default()), Arc::new(TestLock::default()));
        let in_order = |first: &Arc<TestLock>, second: &Arc<TestLock>| {
            let (first, second) = (Arc::clone(first), Arc::clone(second));
            move || {
                first.acquire();
                second.acquire();
                second.release();
                first.release();
            }
        };
        join(spawn(in_order(&a, &b)));
        join(spawn(in_order(&b, &a)));
    });
    assert!(report.is_clean(), "{:#?}", report.findings());
}

#[test]
fn joining_while_holding_the_lock_the_thread_needs_deadlocks() {
    let report = explore(config(100), || {
        let lock = Arc::new(TestLock::default());
        lock.acquire();
        let inner = Arc::clone(&lock);
        let worker = spawn(move || {
            inner.acquire();
            inner.release();
        });
        join(worker);
        lock.release();
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    assert!(report.findings()[0]
        .message
        .contains("MainThread waits for Thread-1 to finish (itself blocked)"));
}

#[test]
fn an_unobserved_panic_is_a_finding_and_an_observed_one_is_not() {
    let report = explore(config(20), || {
        spawn(|| panic!("worker failed"));
    });
    let panic = &report.findings()[0];
    assert_eq!(panic.kind, FindingKind::Panic);
    assert!(panic
        .message
        .contains("Thread-1 panicked and no join observed it: worker failed"));
    assert!(panic.locations[0].file.ends_with("engine_tests.rs"));

    let observed = explore(config(20), || {
        assert!(!join(spawn(|| panic!("worker failed"))))
    });
    assert!(observed.is_clean(), "{:#?}", observed.findings());

    let body = explore(config(5), || panic!("assertion in the body"));
    assert_eq!(
        body.findings()[0].message,
        "the explored body panicked: assertion in the body"
    );
    assert_eq!(body.schedules_run, 1);
}

#[test]
fn a_spin_loop_ends_when_the_setter_runs_and_a_livelock_is_a_deadlock() {
    let report = explore(config(200).max_steps(2_000), || {
        let flag = Arc::new(TestEvent::default());
        let setter = Arc::clone(&flag);
        let worker = spawn(move || setter.set());
        while !flag.is_set() {}
        join(worker);
    });
    assert!(report.is_clean(), "{:#?}", report.findings());

    let livelock = explore(config(10).max_steps(500), || {
        let lock = Arc::new(TestLock::default());
        lock.acquire();
        let inner = Arc::clone(&lock);
        spawn(move || while !inner.try_acquire() {});
        let flag = TestEvent::default();
        while !flag.is_set() {}
    });
    // Each thread polls what only the other could change, and neither does: nothing can ever
    // make progress, long before the step limit.
    assert_eq!(kinds(&livelock), [FindingKind::Deadlock]);
    assert_eq!(livelock.findings()[0].threads, ["MainThread", "Thread-1"]);
}

#[test]
fn returning_while_a_thread_waits_forever_is_a_hang() {
    let report = explore(config(10), || {
        let never = Arc::new(TestEvent::default());
        spawn(move || never.wait());
    });
    assert_eq!(kinds(&report), [FindingKind::Hang]);
    assert!(report.findings()[0]
        .message
        .contains("waits for never to be set"));
}

#[test]
fn replaying_a_token_reproduces_the_trace_for_many_seeds() {
    for seed in 0..40 {
        for strategy in [Strategy::Random, Strategy::Pct { depth: 3 }] {
            let report = explore(
                config(100).seed(seed).strategy(strategy.clone()),
                increments(false),
            );
            for finding in report.findings() {
                let replayed = replay(&finding.replay_token, increments(false));
                let again = replayed
                    .findings()
                    .iter()
                    .find(|f| f.kind == finding.kind)
                    .expect("same finding");
                assert_eq!(again.trace, finding.trace, "seed {seed}, {strategy:?}");
                assert_eq!(again.message, finding.message);
            }
        }
    }
}

#[test]
fn a_step_limit_finding_replays() {
    // A runaway loop that makes progress (it takes a lock) is no livelock: the step limit ends it.
    let spin = || {
        let lock = TestLock::default();
        loop {
            lock.acquire();
            lock.release();
        }
    };
    let report = explore(config(3).max_steps(300), spin);
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::StepLimit);
    let replayed = replay(&finding.replay_token, spin);
    assert_eq!(replayed.findings()[0].trace, finding.trace);
}

#[test]
fn the_report_does_not_depend_on_the_number_of_workers() {
    for seed in 0..5 {
        let one = explore(config(200).seed(seed).workers(1), increments(false));
        let two = explore(config(200).seed(seed).workers(2), increments(false));
        let four = explore(config(200).seed(seed).workers(4), increments(false));
        assert_eq!(one, two);
        assert_eq!(one, four);
    }
    let clean_one = explore(config(100).workers(1), increments(true));
    let clean_two = explore(config(100).workers(2), increments(true));
    assert_eq!(clean_one, clean_two);
}

static STATIC_COUNTER: TestShared = TestShared {
    stamp: Stamp::new(),
};

#[test]
fn a_static_starts_every_schedule_from_its_initial_value() {
    let report = explore(Config::default().schedules(200).workers(2), || {
        STATIC_COUNTER.set(STATIC_COUNTER.get() + 1);
        assert_eq!(STATIC_COUNTER.get(), 1);
    });
    assert!(report.is_clean(), "{:#?}", report.findings());
}

#[test]
#[should_panic(expected = "create it inside the explored closure")]
fn a_primitive_shared_between_schedules_is_refused() {
    let shared = Arc::new(TestShared::default());
    explore(config(2), move || shared.set(1));
}

#[test]
#[should_panic(expected = "cannot run inside an explored schedule")]
fn exploration_does_not_nest() {
    let report = explore(config(1), || {
        explore(config(1), || {});
    });
    panic!("{}", report.findings()[0].message);
}

/// Three threads each enter one lock once; fails when they entered in the order opposite to
/// their creation.
fn entered_in_reverse() {
    let (lock, next) = (
        Arc::new(TestLock::default()),
        Arc::new(TestShared::default()),
    );
    let threads: Vec<ThreadId> = (0..3)
        .map(|nth| {
            let (lock, next) = (Arc::clone(&lock), Arc::clone(&next));
            spawn(move || {
                lock.acquire();
                if next.get() == 2 - nth {
                    next.set(next.get() + 1);
                }
                lock.release();
            })
        })
        .collect();
    for thread in threads {
        join(thread);
    }
    assert_ne!(next.get(), 3, "the threads entered in reverse");
}

#[test]
fn the_default_fails_at_the_first_turn_any_member_alone_would_fail_at() {
    let first_failure = |strategy: Strategy, seed: u64| {
        let report = explore(
            config(300).seed(seed).strategy(strategy),
            entered_in_reverse,
        );
        report.findings().first().map(|finding| finding.schedule)
    };
    let members = [
        Strategy::Random,
        Strategy::Pct { depth: 3 },
        Strategy::Pct { depth: 2 },
    ];
    for seed in 0..20 {
        // Member `m`'s own schedule `j` is the portfolio's schedule `3 * j + m`.
        let expected = (members.iter().enumerate())
            .filter_map(|(m, member)| Some(3 * first_failure(member.clone(), seed)? + m))
            .min()
            .expect("every member finds the bug within 300 schedules");
        assert_eq!(
            first_failure(Strategy::Portfolio, seed),
            Some(expected),
            "seed {seed}"
        );
    }
}
