//! Every finding kind, found through the public primitives under exploration, and the clean
//! twins that must stay clean.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use racecheck::explore::{Config, FindingKind, Report, Strategy};
use racecheck::{
    Barrier, Condition, Event, JoinableQueue, Lock, Pipe, Pool, Queue, RLock, Semaphore, Shared,
    Thread,
};

fn config(schedules: usize) -> Config {
    Config::default().schedules(schedules).seed(1)
}

fn kinds(report: &Report) -> Vec<FindingKind> {
    report.findings().iter().map(|f| f.kind).collect()
}

fn assert_clean(report: &Report) {
    assert!(
        report.is_clean(),
        "expected no findings, got:\n{}",
        render(report)
    );
}

fn render(report: &Report) -> String {
    report
        .findings()
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn abba() {
    let a = Arc::new(Lock::new(0));
    let b = Arc::new(Lock::new(0));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    let other = Thread::spawn(move || {
        let _b = b2.acquire();
        let _a = a2.acquire();
    });
    {
        let _a = a.acquire();
        let _b = b.acquire();
    }
    other.join().unwrap();
}

#[test]
fn abba_is_a_lock_order_cycle_and_deadlocks_under_targeted_preemption() {
    let report = racecheck::explore(config(200), abba);
    let cycle = report
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::LockOrderCycle)
        .expect("a cycle");
    assert_eq!(cycle.threads, ["MainThread", "Thread-1"]);
    assert!(cycle
        .locations
        .iter()
        .all(|l| l.file.ends_with("explore_findings.rs")));
    assert!(
        !cycle.message.contains("first acquired"),
        "each lock was first acquired where the cycle shows it taken: {}",
        cycle.message
    );

    // Each edge names where its second lock was requested, then where its first was taken:
    // holding threads back right before the second acquisitions deadlocks them.
    let targets = cycle.locations.iter().step_by(2).cloned().collect();
    let targeted = racecheck::explore(config(20).strategy(Strategy::Targeted(targets)), abba);
    let deadlock = targeted
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::Deadlock)
        .expect("a deadlock");
    assert!(deadlock.message.contains("held by"), "{}", deadlock.message);
    assert_eq!(
        targeted.schedules_run, 1,
        "preempting at the cycle's locations deadlocks at once"
    );
}

#[test]
fn one_lock_order_is_clean() {
    assert_clean(&racecheck::explore(config(200), || {
        let a = Arc::new(Lock::new(0));
        let b = Arc::new(Lock::new(0));
        let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
        let other = Thread::spawn(move || {
            let _a = a2.acquire();
            *b2.acquire() += 1;
        });
        {
            let _a = a.acquire();
            *b.acquire() += 1;
        }
        other.join().unwrap();
        assert_eq!(*b.acquire(), 2);
    }));
}

static COUNTER: Shared<u64> = Shared::new(0);

#[test]
fn an_unguarded_shared_counter_races() {
    let report = racecheck::explore(config(200), || {
        let workers: Vec<_> = (0..2)
            .map(|_| Thread::spawn(|| COUNTER.set(COUNTER.get() + 1)))
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
    let race = &report.findings()[0];
    assert_eq!(race.kind, FindingKind::DataRace);
    assert_eq!(race.locations.len(), 2);
    // Named as the analyzer names it: after the static it lives in.
    assert!(race.message.contains(" of COUNTER by "), "{}", race.message);
}

#[test]
fn a_shared_counter_under_a_lock_is_clean() {
    static GUARD: Lock = Lock::new(());
    static GUARDED: Shared<u64> = Shared::new(0);
    assert_clean(&racecheck::explore(config(200), || {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                Thread::spawn(|| {
                    let _held = GUARD.acquire();
                    GUARDED.set(GUARDED.get() + 1);
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(
            GUARDED.get(),
            2,
            "every schedule starts from the initial value"
        );
    }));
}

#[test]
fn a_static_lock_starts_every_schedule_from_its_initial_data() {
    static TOTAL: Lock<u64> = Lock::new(0);
    assert_clean(&racecheck::explore(config(100).workers(2), || {
        let worker = Thread::spawn(|| *TOTAL.acquire() += 1);
        *TOTAL.acquire() += 1;
        worker.join().unwrap();
        assert_eq!(*TOTAL.acquire(), 2);
    }));
}

#[test]
fn a_static_lock_starts_empty_every_schedule_and_the_data_it_gathered_is_dropped() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static DROPPED: AtomicUsize = AtomicUsize::new(0);
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }
    static LOG: Lock<Vec<u64>> = Lock::new(Vec::new());
    static COUNTED: Lock<Vec<Counted>> = Lock::new(Vec::new());
    const SCHEDULES: usize = 20_000;
    assert_clean(&racecheck::explore(config(SCHEDULES), || {
        assert!(
            LOG.acquire().is_empty(),
            "the schedule starts from an empty Vec"
        );
        let worker = Thread::spawn(|| {
            LOG.acquire().extend(0..64);
            COUNTED.acquire().push(Counted);
        });
        LOG.acquire().push(1);
        COUNTED.acquire().push(Counted);
        worker.join().unwrap();
        assert_eq!(LOG.acquire().len(), 65);
    }));
    // Each schedule's copies are dropped at its end, so their heap does not pile up.
    assert_eq!(DROPPED.load(Ordering::Relaxed), 2 * SCHEDULES);
}

#[test]
fn a_deadlock_names_a_lock_by_where_it_was_first_acquired_when_its_holder_took_it_elsewhere() {
    let report = racecheck::explore(config(20), || {
        let lock = Arc::new(Lock::new(()));
        drop(lock.acquire());
        let _held = lock.acquire();
        let inner = Arc::clone(&lock);
        Thread::spawn(move || drop(inner.acquire())).join().unwrap();
    });
    let deadlock = &report.findings()[0];
    assert_eq!(deadlock.kind, FindingKind::Deadlock);
    let first = deadlock
        .trace
        .iter()
        .find(|event| event.operation == "acquire lock")
        .expect("the lock was acquired");
    let legend = format!("\n  where lock was first acquired at {}", first.location);
    assert!(deadlock.message.ends_with(&legend), "{}", deadlock.message);
}

#[test]
fn a_deadlock_is_located_at_the_lock_waits_before_the_join_waiting_on_them() {
    let workers_abba = || {
        let (a, b) = (Arc::new(Lock::new(())), Arc::new(Lock::new(())));
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
    };
    let report = racecheck::explore(config(1_000), workers_abba);
    let deadlock = report
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::Deadlock)
        .expect("a deadlock");
    let blocked_acquires: Vec<_> = deadlock
        .trace
        .iter()
        .filter(|event| {
            event.operation.starts_with("acquire") && event.operation.ends_with("(blocks)")
        })
        .map(|event| &event.location)
        .collect();
    assert_eq!(blocked_acquires.len(), 2, "{deadlock}");
    assert!(
        deadlock.locations[..2]
            .iter()
            .all(|location| blocked_acquires.contains(&location)),
        "{deadlock}"
    );
}

#[test]
fn joining_a_thread_that_needs_a_held_lock_deadlocks() {
    let report = racecheck::explore(config(50), || {
        let lock = Arc::new(Lock::new(()));
        let held = lock.acquire();
        let inner = Arc::clone(&lock);
        let worker = Thread::new(move || drop(inner.acquire()))
            .name("needs-lock")
            .start();
        worker.join().unwrap();
        drop(held);
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    let message = &report.findings()[0].message;
    assert!(
        message.contains("MainThread waits for needs-lock to finish"),
        "{message}"
    );
    assert!(message.contains("needs-lock"), "{message}");
}

#[test]
fn a_panic_nobody_joins_is_reported_and_a_joined_one_is_not() {
    let report = racecheck::explore(config(10), || {
        Thread::spawn(|| assert_eq!(1 + 1, 3, "arithmetic"));
    });
    assert_eq!(kinds(&report), [FindingKind::Panic]);
    assert!(report.findings()[0].message.contains("arithmetic"));

    assert_clean(&racecheck::explore(config(10), || {
        let outcome = Thread::spawn(|| panic!("expected")).join();
        assert_eq!(outcome.unwrap_err().message, "expected");
    }));
}

#[test]
fn a_thread_unwinding_from_a_panic_is_not_preempted() {
    assert_clean(&racecheck::explore(config(200), || {
        let lock = Arc::new(Lock::new(()));
        let held = Arc::clone(&lock);
        let failing = Thread::spawn(move || {
            let _guard = held.acquire();
            panic!("while holding the lock");
        });
        let observer = Thread::spawn(move || {
            for _ in 0..3 {
                assert!(
                    !std::thread::panicking(),
                    "ran inside another thread's unwinding"
                );
                drop(lock.acquire());
            }
        });
        assert!(failing.join().is_err());
        observer.join().unwrap();
    }));
}

#[test]
fn busy_waits_that_nothing_can_end_are_a_livelock_reported_as_a_deadlock() {
    let report = racecheck::explore(config(5), || {
        static HELD: Lock = Lock::new(());
        let _held = HELD.acquire();
        let spinner = Thread::spawn(|| while HELD.try_acquire().is_none() {});
        while !spinner.is_alive() {}
        let never = Event::new();
        while !never.is_set() {}
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    let finding = &report.findings()[0];
    assert!(
        finding
            .message
            .contains("MainThread polls without progress")
            && finding.message.contains("Thread-1 polls without progress"),
        "{finding}"
    );
}

#[test]
fn a_loop_that_makes_progress_forever_hits_the_step_limit() {
    let report = racecheck::explore(config(5).max_steps(1_000), || {
        let lock = Lock::new(0u64);
        loop {
            *lock.acquire() += 1;
        }
    });
    assert_eq!(kinds(&report), [FindingKind::StepLimit]);
}

static JOIN_LINE: AtomicU32 = AtomicU32::new(0);

/// The shape of a worker pool that polls a stop event with timed `get`s while its caller waits
/// in a `join` that never returns (no `task_done`): in logical time the timed waits only time
/// out, so once the caller is blocked for good the workers poll forever.
fn pollers_behind_a_join_that_never_returns() {
    let queue: JoinableQueue<u32> = JoinableQueue::new();
    let stop = Arc::new(Event::new());
    for _ in 0..2 {
        let (queue, stop) = (queue.clone(), Arc::clone(&stop));
        Thread::spawn(move || {
            while !stop.is_set() {
                let _ = queue.get_timeout(Duration::from_millis(100));
            }
        });
    }
    queue.put(1);
    JOIN_LINE.store(line!() + 1, Ordering::Relaxed);
    queue.join();
    stop.set();
}

#[test]
fn workers_whose_timed_waits_only_time_out_are_a_livelock_found_as_a_deadlock() {
    let report = racecheck::explore(config(20), pollers_behind_a_join_that_never_returns);
    assert_eq!(
        kinds(&report),
        [FindingKind::Deadlock],
        "{}",
        render(&report)
    );
    let finding = &report.findings()[0];
    assert_eq!(
        finding.locations[0].line,
        JOIN_LINE.load(Ordering::Relaxed),
        "{finding}"
    );
    assert!(
        finding.message.contains("polls without progress"),
        "{finding}"
    );
    // Found long before the step limit: the trace still holds the start of the schedule.
    assert!(
        finding.trace.len() < 1_000,
        "{} events",
        finding.trace.len()
    );
    assert_eq!(finding.trace[0].index, 1);
    assert!(finding.trace.windows(2).all(|w| w[0].index < w[1].index));
    // The witness replays: the same livelock, event for event.
    let replayed = racecheck::replay(
        &finding.replay_token,
        pollers_behind_a_join_that_never_returns,
    );
    assert_eq!(replayed.findings()[0].trace, finding.trace);
}

#[test]
fn returning_with_a_thread_blocked_forever_is_a_hang() {
    let report = racecheck::explore(config(5), || {
        let queue: Queue<u32> = Queue::new();
        Thread::spawn(move || queue.get());
    });
    assert_eq!(kinds(&report), [FindingKind::Hang]);
    assert!(
        report.findings()[0].message.contains("an item on queue"),
        "{}",
        report.findings()[0].message
    );
}

#[test]
fn an_rlock_is_reentrant_and_a_lock_is_not() {
    assert_clean(&racecheck::explore(config(20), || {
        let lock = RLock::new(5);
        let outer = lock.acquire();
        let inner = lock.acquire();
        assert_eq!(*outer + *inner, 10);
    }));
    let report = racecheck::explore(config(5), || {
        let lock = Lock::new(());
        let _outer = lock.acquire();
        let _inner = lock.acquire();
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    assert!(report.findings()[0].message.contains("held by MainThread"));
}

#[test]
fn an_event_orders_the_setter_before_the_waiter() {
    static DATA: Shared<u64> = Shared::new(0);
    assert_clean(&racecheck::explore(config(200), || {
        let ready = Arc::new(Event::new());
        let setter = Arc::clone(&ready);
        let producer = Thread::spawn(move || {
            DATA.set(42);
            setter.set();
        });
        ready.wait();
        assert_eq!(DATA.get(), 42);
        producer.join().unwrap();
    }));
}

#[test]
fn a_condition_with_a_predicate_loop_is_clean() {
    assert_clean(&racecheck::explore(config(300), || {
        let state = Arc::new((Lock::new(false), Condition::new()));
        let other = Arc::clone(&state);
        let producer = Thread::spawn(move || {
            let (lock, ready) = &*other;
            *lock.acquire() = true;
            ready.notify_all();
        });
        let (lock, ready) = &*state;
        let guard = ready.wait_while(lock.acquire(), |done| !*done);
        assert!(*guard);
        drop(guard);
        producer.join().unwrap();
    }));
}

#[test]
fn a_condition_wait_without_a_predicate_misses_an_early_notify() {
    let report = racecheck::explore(config(300), || {
        let state = Arc::new((Lock::new(()), Condition::new()));
        let other = Arc::clone(&state);
        let producer = Thread::spawn(move || other.1.notify());
        let (lock, ready) = &*state;
        drop(ready.wait(lock.acquire()));
        producer.join().unwrap();
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    assert!(report.findings()[0].message.contains("a notify on state.1"));
}

#[test]
fn a_condition_wait_guarded_by_if_is_caught_by_a_spurious_wakeup() {
    let report = racecheck::explore(config(300), || {
        let state = Arc::new((Lock::new(false), Condition::new()));
        let other = Arc::clone(&state);
        let producer = Thread::spawn(move || {
            let (lock, ready) = &*other;
            *lock.acquire() = true;
            ready.notify();
        });
        let (lock, ready) = &*state;
        let mut guard = lock.acquire();
        if !*guard {
            guard = ready.wait(guard);
        }
        assert!(*guard, "woke up without the flag");
        drop(guard);
        producer.join().unwrap();
    });
    assert_eq!(kinds(&report), [FindingKind::Panic]);
    let panic = &report.findings()[0];
    assert!(panic.message.contains("woke up without the flag"));
    assert!(panic
        .trace
        .iter()
        .any(|event| event.operation == "wait state.1 (spurious wakeup)"));
}

#[test]
fn a_semaphore_bounds_the_threads_inside() {
    static INSIDE: Lock<u32> = Lock::new(0);
    assert_clean(&racecheck::explore(config(200), || {
        let slots = Arc::new(Semaphore::new(2));
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let slots = Arc::clone(&slots);
                Thread::spawn(move || {
                    let _permit = slots.acquire();
                    *INSIDE.acquire() += 1;
                    assert!(*INSIDE.acquire() <= 2);
                    *INSIDE.acquire() -= 1;
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(Semaphore::bounded(1).release(), Err(racecheck::OverRelease));
    }));
}

#[test]
fn a_dropped_permit_is_released_at_the_call_that_acquired_it() {
    static ACQUIRED_AT: AtomicU32 = AtomicU32::new(0);
    let report = racecheck::explore(config(1), || {
        let slots = Semaphore::new(1);
        {
            let (_permit, line) = (slots.acquire(), line!());
            ACQUIRED_AT.store(line, Ordering::Relaxed);
        }
        panic!("the end, for the trace");
    });
    let trace = &report.findings()[0].trace;
    let release = trace
        .iter()
        .find(|event| event.operation.starts_with("release"))
        .expect("the permit's release is traced");
    assert_eq!(release.location.file, file!());
    assert_eq!(release.location.line, ACQUIRED_AT.load(Ordering::Relaxed));
}

#[test]
fn a_barrier_releases_all_parties_with_one_leader() {
    static LEADERS: Shared<u32> = Shared::new(0);
    static LEADER_LOCK: Lock = Lock::new(());
    assert_clean(&racecheck::explore(config(200), || {
        let barrier = Arc::new(Barrier::new(3));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                Thread::spawn(move || barrier.wait())
            })
            .collect();
        let mut leaders = u32::from(barrier.wait());
        for worker in workers {
            leaders += u32::from(worker.join().unwrap());
        }
        let _held = LEADER_LOCK.acquire();
        LEADERS.set(leaders);
        assert_eq!(LEADERS.get(), 1);
    }));
    let too_few = racecheck::explore(config(5), || {
        Barrier::new(2).wait();
    });
    assert_eq!(kinds(&too_few), [FindingKind::Deadlock]);
    assert!(too_few.findings()[0].message.contains("1 of 2 arrived"));
}

#[test]
fn a_bounded_queue_blocks_its_producer_and_hands_items_over_in_order() {
    assert_clean(&racecheck::explore(config(200), || {
        let queue = Queue::bounded(1);
        let producer = {
            let queue = queue.clone();
            Thread::spawn(move || {
                for item in 0..3 {
                    queue.put(item);
                }
            })
        };
        let received: Vec<u32> = (0..3).map(|_| queue.get()).collect();
        assert_eq!(received, [0, 1, 2]);
        assert_eq!(queue.try_get(), Err(racecheck::Empty));
        producer.join().unwrap();
    }));
}

#[test]
fn a_joinable_queue_join_waits_for_task_done_and_hangs_without_it() {
    assert_clean(&racecheck::explore(config(200), || {
        let jobs = JoinableQueue::new();
        let consumer = {
            let jobs = jobs.clone();
            Thread::spawn(move || {
                for _ in 0..2 {
                    let _job: u32 = jobs.get();
                    jobs.task_done().unwrap();
                }
            })
        };
        jobs.put(1);
        jobs.put(2);
        jobs.join();
        consumer.join().unwrap();
    }));
    let report = racecheck::explore(config(20), || {
        let jobs = JoinableQueue::new();
        let consumer = {
            let jobs = jobs.clone();
            Thread::spawn(move || {
                let _job: u32 = jobs.get();
            })
        };
        jobs.put(1);
        jobs.join();
        consumer.join().unwrap();
    });
    assert_eq!(kinds(&report), [FindingKind::Deadlock]);
    assert!(report.findings()[0].message.contains("to be marked done"));
}

#[test]
fn a_pipe_carries_messages_and_reports_a_closed_end() {
    assert_clean(&racecheck::explore(config(200), || {
        let (here, there) = Pipe::new();
        let echo = Thread::spawn(move || {
            while let Ok(message) = there.recv() {
                there.send(message * 2).unwrap();
            }
        });
        here.send(21_u64).unwrap();
        assert_eq!(here.recv(), Ok(42));
        assert!(!here.poll(Duration::ZERO) || here.recv().is_ok());
        drop(here);
        echo.join().unwrap();
    }));
}

#[test]
fn a_pool_maps_applies_and_reports_task_panics_to_the_caller() {
    assert_clean(&racecheck::explore(config(100), || {
        let pool = Pool::new(2);
        assert_eq!(pool.map(|x: u64| x * x, 1..=4), [1, 4, 9, 16]);
        assert_eq!(pool.apply(|| 7), 7);
        let pending = pool.apply_async(|| "later");
        assert_eq!(pending.get(), "later");
        let mut unordered: Vec<u64> = pool.imap_unordered(|x: u64| x + 1, [1, 2, 3]).collect();
        unordered.sort_unstable();
        assert_eq!(unordered, [2, 3, 4]);
        assert_eq!(
            pool.imap(|x: u64| x * 10, [1, 2]).collect::<Vec<_>>(),
            [10, 20]
        );
        assert_eq!(pool.join(), Err(racecheck::PoolError::StillOpen));
        pool.close();
        pool.join().unwrap();
    }));
    let report = racecheck::explore(config(20), || {
        let pool = Pool::new(1);
        pool.apply(|| panic!("task failed"));
    });
    assert_eq!(kinds(&report), [FindingKind::Panic]);
    assert!(report.findings()[0].message.contains("task failed"));
}

#[test]
fn a_terminated_pool_discards_the_tasks_not_started() {
    assert_clean(&racecheck::explore(config(100), || {
        let pool = Pool::new(1);
        let gate = Arc::new(Event::new());
        let opened = Arc::clone(&gate);
        let _first = pool.apply_async(move || opened.wait());
        let second = pool.apply_async(|| 2);
        pool.terminate();
        gate.set();
        pool.join().unwrap();
        let discarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| second.get()));
        let payload = discarded.expect_err("the worker was busy or gone: the task never ran");
        let message = payload
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(
            message.contains("discarded by Pool::terminate"),
            "{message}"
        );
    }));
}

#[test]
fn pool_tasks_racing_on_a_shared_counter_are_found() {
    static HITS: Shared<u64> = Shared::new(0);
    let report = racecheck::explore(config(200), || {
        let pool = Pool::new(2);
        pool.map(|_: u32| HITS.set(HITS.get() + 1), 0..2);
        pool.close();
        pool.join().unwrap();
    });
    assert!(
        kinds(&report).contains(&FindingKind::DataRace),
        "{}",
        render(&report)
    );
}

#[test]
fn threads_are_named_like_python_s() {
    assert_clean(&racecheck::explore(config(10), || {
        assert_eq!(racecheck::current_thread().name(), "MainThread");
        let named = Thread::new(|| racecheck::current_thread().name)
            .name("worker")
            .start();
        let unnamed = Thread::spawn(|| racecheck::current_thread().name);
        assert!(racecheck::enumerate()
            .iter()
            .any(|t| t.name() == "MainThread"));
        assert_eq!(named.join().unwrap(), "worker");
        assert_eq!(unnamed.join().unwrap(), "Thread-1");
    }));
}
