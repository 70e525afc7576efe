//! `Process` under exploration: a logical thread that shares only what it is given, with the
//! same findings, witnesses and replay as threads.

use racecheck::explore::{Config, FindingKind};
use racecheck::{explore, replay, Event, JoinableQueue, Process, ProcessError, Queue};

static GO: Event = Event::new();

/// Adds up tasks until a 0; `mark_done` says whether it calls `task_done`.
fn worker((tasks, mark_done): (JoinableQueue<u32>, bool)) -> u32 {
    GO.wait();
    let mut total = 0;
    loop {
        let n = tasks.get();
        if mark_done {
            tasks.task_done().unwrap();
        }
        if n == 0 {
            return total;
        }
        total += n;
    }
}

fn tutorial(mark_done: bool) {
    let tasks = JoinableQueue::new();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            Process::new(worker)
                .args((tasks.clone(), mark_done))
                .start()
        })
        .collect();
    for n in [1, 2, 0, 0] {
        tasks.put(n);
    }
    GO.set();
    tasks.join();
    let total: u32 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(total, 3);
}

#[test]
fn the_tutorials_missing_task_done_deadlocks_and_replays() {
    let report = explore(Config::default().schedules(200).seed(3), || tutorial(false));
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::Deadlock, "{finding}");
    let replayed = replay(&finding.replay_token, || tutorial(false));
    assert_eq!(replayed.findings()[0].kind, FindingKind::Deadlock);
    assert_eq!(replayed.findings()[0].to_string(), finding.to_string());
}

#[test]
fn with_task_done_every_schedule_is_clean() {
    let report = explore(Config::default().schedules(200).seed(3), || tutorial(true));
    assert!(report.is_clean(), "{}", report.findings()[0]);
}

#[test]
fn a_childs_panic_reaches_join_as_a_process_error() {
    fn fail(queue: Queue<u8>) {
        queue.put(1);
        panic!("child failed")
    }
    let report = explore(Config::default().schedules(50).seed(1), || {
        let queue = Queue::new();
        let child = Process::new(fail).args(queue.clone()).name("child").start();
        assert_eq!(queue.get(), 1);
        assert_eq!(
            child.join(),
            Err(ProcessError::Panicked {
                process: "child".to_owned(),
                message: "child failed".to_owned(),
            })
        );
    });
    assert!(report.is_clean(), "{}", report.findings()[0]);
}

/// As in real mode (`process.rs`): a panic is exit code 1.
#[test]
fn a_panicked_childs_exitcode_is_1_as_in_real_mode() {
    fn fail(_: ()) {
        panic!("child failed")
    }
    let report = explore(Config::default().schedules(50).seed(1), || {
        let child = Process::new(fail).start();
        let exitcode = loop {
            if let Some(code) = child.exitcode() {
                break code;
            }
        };
        assert_eq!(exitcode, 1);
        assert!(matches!(child.join(), Err(ProcessError::Panicked { .. })));
    });
    assert!(report.is_clean(), "{}", report.findings()[0]);
}

static FIRST: racecheck::Lock = racecheck::Lock::new(());
static SECOND: racecheck::Lock = racecheck::Lock::new(());

/// Takes its two locks in the order given.
fn take_both((a, b): (&'static racecheck::Lock, &'static racecheck::Lock)) {
    let _a = a.acquire();
    let _b = b.acquire();
}

fn opposite_orders() {
    let one = Process::new(take_both).args((&FIRST, &SECOND)).start();
    let two = Process::new(take_both).args((&SECOND, &FIRST)).start();
    one.join().unwrap();
    two.join().unwrap();
}

#[test]
fn locks_given_to_processes_deadlock_as_between_threads() {
    let report = explore(Config::default().schedules(500).seed(5), opposite_orders);
    let finding = report
        .findings()
        .iter()
        .find(|finding| finding.kind == FindingKind::Deadlock)
        .expect("some schedule takes the locks in opposite orders");
    let replayed = replay(&finding.replay_token, opposite_orders);
    assert_eq!(replayed.findings()[0].kind, FindingKind::Deadlock);
}

static HELD: racecheck::Lock = racecheck::Lock::new(());

/// Takes the lock (keeping the guard, or forgetting it: held past any destructor), says so, and
/// waits on a queue nobody fills.
fn hold_and_wait((forget, started, never): (bool, Queue<()>, Queue<u8>)) -> u8 {
    let guard = HELD.acquire();
    if forget {
        std::mem::forget(guard);
        started.put(());
        return never.get();
    }
    started.put(());
    let value = never.get();
    drop(guard);
    value
}

fn terminate_a_holder(forget: bool) {
    let (started, never) = (Queue::new(), Queue::new());
    let child = Process::new(hold_and_wait)
        .args((forget, started.clone(), never))
        .name("holder")
        .start();
    started.get();
    child.terminate();
    assert_eq!(
        child.join(),
        Err(ProcessError::Killed {
            process: "holder".to_owned(),
            signal: 15,
        })
    );
    // The killed holder's lock was let go.
    drop(HELD.acquire());
}

#[test]
fn a_terminated_child_stops_and_lets_go_of_its_lock_in_every_schedule() {
    for forget in [false, true] {
        let report = explore(Config::default().schedules(200).seed(5), move || {
            terminate_a_holder(forget)
        });
        assert!(
            report.is_clean(),
            "forget={forget}: {}",
            report.findings()[0]
        );
        let exhaustive = explore(
            Config::default().strategy(racecheck::explore::Strategy::Exhaustive {
                preemption_bound: Some(2),
            }),
            move || terminate_a_holder(forget),
        );
        assert!(exhaustive.is_clean(), "{}", exhaustive.findings()[0]);
    }
}

#[test]
fn a_child_terminated_before_it_runs_never_starts() {
    fn never_runs(out: Queue<String>) {
        out.put("ran".to_owned());
    }
    let report = explore(Config::default().schedules(100).seed(2), || {
        let out = Queue::new();
        let child = Process::new(never_runs).args(out.clone()).start();
        child.terminate();
        let exitcode = loop {
            if let Some(code) = child.exitcode() {
                break code;
            }
        };
        let ended = child.join();
        // Whether the child ran before `terminate` is the schedule's choice.
        match exitcode {
            0 => assert_eq!((ended, out.len()), (Ok(()), 1)),
            _ => {
                assert_eq!(exitcode, -15);
                assert!(matches!(
                    ended,
                    Err(ProcessError::Killed { signal: 15, .. })
                ));
                assert!(out.is_empty());
            }
        }
    });
    assert!(report.is_clean(), "{}", report.findings()[0]);
}
