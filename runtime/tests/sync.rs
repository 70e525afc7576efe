//! `Event`, `Condition`, `Semaphore`, `Barrier`: blocking, wake-ups and timeouts.

use std::sync::Arc;
use std::time::Duration;

use racecheck::{Barrier, Condition, Event, Lock, OverRelease, Semaphore, Thread};

const SHORT: Duration = Duration::from_millis(10);
const LONG: Duration = Duration::from_secs(60);

#[test]
fn event_set_releases_every_waiter() {
    let event = Arc::new(Event::new());
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let event = event.clone();
            Thread::spawn(move || event.wait())
        })
        .collect();
    event.set();
    for waiter in waiters {
        waiter.join().unwrap();
    }
    assert!(event.is_set());
}

#[test]
fn event_wait_timeout_reports_whether_it_was_set() {
    let event = Arc::new(Event::new());
    assert!(!event.wait_timeout(SHORT));
    let setter = event.clone();
    let waiter = Thread::spawn(move || setter.wait_timeout(LONG));
    event.set();
    assert_eq!(waiter.join(), Ok(true));
    event.clear();
    assert!(!event.is_set());
    assert!(!event.wait_timeout(SHORT));
}

#[test]
fn event_wait_timeout_with_an_unrepresentable_timeout_still_returns_once_set() {
    let event = Event::new();
    event.set();
    assert!(event.wait_timeout(Duration::MAX));
}

#[test]
fn condition_wait_while_sees_the_state_it_waited_for() {
    let state = Arc::new((Lock::new(Vec::new()), Condition::new()));
    let consumer = {
        let state = state.clone();
        Thread::spawn(move || {
            let (items, arrived) = &*state;
            let mut taken = Vec::new();
            while taken.len() < 100 {
                let mut items = arrived.wait_while(items.acquire(), |items| items.is_empty());
                taken.append(&mut items);
            }
            taken
        })
    };
    for i in 0..100 {
        state.0.acquire().push(i);
        state.1.notify();
    }
    assert_eq!(consumer.join().unwrap(), (0..100).collect::<Vec<_>>());
}

#[test]
fn condition_notify_all_wakes_every_waiter() {
    let state = Arc::new((Lock::new(false), Condition::new()));
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let state = state.clone();
            Thread::spawn(move || {
                let (go, changed) = &*state;
                drop(changed.wait_while(go.acquire(), |go| !*go));
            })
        })
        .collect();
    *state.0.acquire() = true;
    state.1.notify_all();
    for waiter in waiters {
        waiter.join().unwrap();
    }
}

#[test]
fn condition_notify_wakes_one_waiter_per_call() {
    // Each waiter consumes one token; a notify per token must release them all, one by one.
    let state = Arc::new((Lock::new(0u32), Condition::new()));
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let state = state.clone();
            Thread::spawn(move || {
                let (tokens, changed) = &*state;
                let mut tokens = changed.wait_while(tokens.acquire(), |tokens| *tokens == 0);
                *tokens -= 1;
            })
        })
        .collect();
    for _ in 0..4 {
        *state.0.acquire() += 1;
        state.1.notify();
    }
    for waiter in waiters {
        waiter.join().unwrap();
    }
    assert_eq!(*state.0.acquire(), 0);
}

#[test]
fn condition_wait_timeout_times_out_and_gives_the_lock_back() {
    let lock = Lock::new(1);
    let changed = Condition::new();
    let (guard, timed_out) = changed.wait_timeout(lock.acquire(), SHORT);
    assert!(timed_out);
    assert_eq!(*guard, 1);
    assert!(lock.locked());
}

#[test]
fn condition_wait_timeout_reports_a_notification() {
    let state = Arc::new((Lock::new(false), Condition::new()));
    let mut flag = state.0.acquire();
    let notifier = {
        let state = state.clone();
        Thread::spawn(move || {
            *state.0.acquire() = true;
            state.1.notify();
        })
    };
    // The notifier needs the lock, which `wait_timeout` releases: it cannot finish before.
    while !*flag {
        let (guard, timed_out) = state.1.wait_timeout(flag, LONG);
        assert!(!timed_out);
        flag = guard;
    }
    drop(flag);
    notifier.join().unwrap();
}

#[test]
fn condition_releases_the_lock_while_waiting() {
    let state = Arc::new((Lock::new(0), Condition::new()));
    let waiter = {
        let state = state.clone();
        Thread::spawn(move || *state.1.wait_while(state.0.acquire(), |n| *n == 0))
    };
    // Only possible if the waiter released the lock.
    *state.0.acquire() = 5;
    state.1.notify();
    assert_eq!(waiter.join(), Ok(5));
}

#[test]
#[should_panic(expected = "two different locks")]
fn condition_used_with_two_locks_panics() {
    let first = Lock::new(());
    let second = Lock::new(());
    let changed = Condition::new();
    let _ = changed.wait_timeout(first.acquire(), Duration::ZERO);
    let _ = changed.wait_timeout(second.acquire(), Duration::ZERO);
}

#[test]
fn a_notify_before_anyone_waits_is_not_remembered() {
    let lock = Lock::new(());
    let changed = Condition::new();
    changed.notify();
    changed.notify_all();
    let (_guard, timed_out) = changed.wait_timeout(lock.acquire(), SHORT);
    assert!(timed_out);
}

#[test]
fn semaphore_admits_at_most_n_holders() {
    static SLOTS: Semaphore = Semaphore::new(2);
    static INSIDE: Lock<(u32, u32)> = Lock::new((0, 0)); // (now, most ever)
    let workers: Vec<_> = (0..6)
        .map(|_| {
            Thread::spawn(|| {
                for _ in 0..200 {
                    let _permit = SLOTS.acquire();
                    {
                        let mut inside = INSIDE.acquire();
                        inside.0 += 1;
                        inside.1 = inside.1.max(inside.0);
                    }
                    std::thread::yield_now();
                    INSIDE.acquire().0 -= 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let (now, most) = *INSIDE.acquire();
    assert_eq!(now, 0);
    assert!(most <= 2, "{most} holders at once");
}

#[test]
fn semaphore_blocks_until_released() {
    let semaphore = Arc::new(Semaphore::new(0));
    let waiter = {
        let semaphore = semaphore.clone();
        Thread::spawn(move || semaphore.acquire().forget())
    };
    semaphore.release().unwrap();
    waiter.join().unwrap();
    assert!(semaphore.try_acquire().is_none());
}

#[test]
fn semaphore_acquire_timeout_times_out_without_a_permit() {
    let semaphore = Semaphore::new(1);
    let permit = semaphore.acquire();
    assert!(semaphore.acquire_timeout(SHORT).is_none());
    drop(permit);
    assert!(semaphore.acquire_timeout(SHORT).is_some());
}

#[test]
fn bounded_semaphore_refuses_an_over_release() {
    let semaphore = Semaphore::bounded(2);
    assert_eq!(semaphore.release(), Err(OverRelease));
    semaphore.acquire().forget();
    semaphore.acquire().forget();
    assert_eq!(semaphore.release(), Ok(()));
    assert_eq!(semaphore.release(), Ok(()));
    assert_eq!(semaphore.release(), Err(OverRelease));
    // The refused release changed nothing: exactly two permits.
    let first = semaphore.try_acquire();
    let second = semaphore.try_acquire();
    assert!(first.is_some() && second.is_some());
    assert!(semaphore.try_acquire().is_none());
}

#[test]
fn a_permit_dropped_after_a_manual_release_keeps_a_bounded_semaphore_at_its_bound() {
    let semaphore = Semaphore::bounded(1);
    let permit = semaphore.acquire();
    semaphore.release().unwrap();
    drop(permit);
    let _only = semaphore.try_acquire().expect("one permit");
    assert!(semaphore.try_acquire().is_none());
}

#[test]
fn unbounded_semaphore_release_raises_the_count() {
    let semaphore = Semaphore::new(0);
    semaphore.release().unwrap();
    semaphore.release().unwrap();
    let permits = [semaphore.try_acquire(), semaphore.try_acquire()];
    assert!(permits.iter().all(Option::is_some));
}

#[test]
fn barrier_elects_exactly_one_leader_per_generation() {
    const PARTIES: usize = 4;
    const ROUNDS: usize = 50;
    let barrier = Arc::new(Barrier::new(PARTIES));
    let leaders = Arc::new(Lock::new(vec![0usize; ROUNDS]));
    let threads: Vec<_> = (0..PARTIES)
        .map(|_| {
            let barrier = barrier.clone();
            let leaders = leaders.clone();
            Thread::spawn(move || {
                for round in 0..ROUNDS {
                    if barrier.wait() {
                        leaders.acquire()[round] += 1;
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert!(
        leaders.acquire().iter().all(|&count| count == 1),
        "{:?}",
        *leaders.acquire()
    );
}

#[test]
fn barrier_holds_threads_until_all_arrive() {
    let barrier = Arc::new(Barrier::new(2));
    let passed = Arc::new(Event::new());
    let thread = {
        let barrier = barrier.clone();
        let passed = passed.clone();
        Thread::spawn(move || {
            barrier.wait();
            passed.set();
        })
    };
    assert!(!passed.wait_timeout(SHORT), "passed the barrier alone");
    barrier.wait();
    thread.join().unwrap();
    assert!(passed.is_set());
}

#[test]
fn barrier_of_zero_parties_never_blocks() {
    let barrier = Barrier::new(0);
    assert_eq!(barrier.parties(), 1);
    assert!(barrier.wait());
    assert!(barrier.wait());
}
