//! `Lock` and `RLock`: exclusion under contention, try/timeout, guards, reentrancy.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

use racecheck::{Lock, RLock, Thread};

const THREADS: usize = 8;
const INCREMENTS: usize = 10_000;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn lock_keeps_every_increment_of_n_threads() {
    static COUNTER: Lock<usize> = Lock::new(0);
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            Thread::spawn(|| {
                for _ in 0..INCREMENTS {
                    *COUNTER.acquire() += 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(*COUNTER.acquire(), THREADS * INCREMENTS);
}

#[test]
fn lock_excludes_a_non_atomic_read_modify_write() {
    // Two fields that must always agree: a torn update would show them apart.
    let pair = Arc::new(Lock::new((0u64, 0u64)));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let pair = pair.clone();
            Thread::spawn(move || {
                for _ in 0..5_000 {
                    let mut guard = pair.acquire();
                    let (a, b) = *guard;
                    assert_eq!(a, b);
                    *guard = (a + 1, b + 1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(*pair.acquire(), (20_000, 20_000));
}

#[test]
fn try_acquire_and_locked_see_a_lock_held_by_another_thread() {
    let lock = Arc::new(Lock::new(()));
    let held = lock.acquire();
    let other = lock.clone();
    let seen = Thread::spawn(move || (other.locked(), other.try_acquire().is_none())).join();
    assert_eq!(seen, Ok((true, true)));
    drop(held);
    assert!(!lock.locked());
    assert!(lock.try_acquire().is_some());
}

#[test]
fn acquire_timeout_returns_none_when_the_lock_stays_taken() {
    let lock = Arc::new(Lock::new(0));
    let _held = lock.acquire();
    let other = lock.clone();
    let got =
        Thread::spawn(move || other.acquire_timeout(Duration::from_millis(10)).is_some()).join();
    assert_eq!(got, Ok(false));
}

#[test]
fn acquire_timeout_gets_a_lock_released_meanwhile() {
    let lock = Arc::new(Lock::new(0));
    let held = lock.acquire();
    let other = lock.clone();
    let waiter = Thread::spawn(move || {
        other
            .acquire_timeout(Duration::from_secs(60))
            .map(|mut guard| {
                *guard += 1;
                *guard
            })
    });
    drop(held);
    assert_eq!(waiter.join(), Ok(Some(1)));
}

#[test]
fn a_panic_while_holding_the_lock_does_not_poison_it() {
    let lock = Arc::new(Lock::new(vec![1]));
    let other = lock.clone();
    let result = Thread::spawn(move || {
        let mut guard = other.acquire();
        guard.push(2);
        panic!("while holding the lock");
    })
    .join();
    assert!(result.is_err());
    assert!(!lock.locked());
    assert_eq!(*lock.acquire(), [1, 2]);
}

#[test]
fn guards_format_like_their_data() {
    let lock = Lock::new(String::from("text"));
    let guard = lock.acquire();
    assert_eq!(format!("{guard}"), "text");
    assert_eq!(format!("{guard:?}"), "\"text\"");
    assert_eq!(format!("{lock:?}"), "Lock { data: <locked>, .. }");
    drop(guard);
    assert_eq!(format!("{lock:?}"), "Lock { data: \"text\", .. }");
}

#[test]
fn lock_default_into_inner_and_get_mut() {
    let mut lock: Lock<Vec<u8>> = Lock::default();
    lock.get_mut().push(1);
    lock.acquire().push(2);
    assert_eq!(lock.into_inner(), [1, 2]);
}

#[test]
fn locks_are_send_and_sync_like_std_mutex() {
    assert_send_sync::<Lock<Cell<u8>>>();
    assert_send_sync::<RLock<Cell<u8>>>();
    assert_send_sync::<Lock>();
    assert_send_sync::<RLock>();
}

#[test]
fn unsized_data_behind_a_lock() {
    let lock: Box<Lock<[u8]>> = Box::new(Lock::new([1, 2, 3]));
    lock.acquire()[0] = 9;
    assert_eq!(&*lock.acquire(), &[9, 2, 3]);
}

#[test]
fn rlock_is_reentrant_for_its_holder_and_exclusive_for_others() {
    let lock = Arc::new(RLock::new(Cell::new(0)));
    let outer = lock.acquire();
    let inner = lock.acquire();
    inner.set(inner.get() + 1);
    let other = lock.clone();
    let blocked = Thread::spawn(move || other.try_acquire().is_none()).join();
    assert_eq!(blocked, Ok(true));
    drop(inner);
    assert!(lock.locked(), "still held by the outer guard");
    let other = lock.clone();
    assert_eq!(
        Thread::spawn(move || other.try_acquire().is_none()).join(),
        Ok(true)
    );
    drop(outer);
    assert!(!lock.locked());
    let other = lock.clone();
    assert_eq!(Thread::spawn(move || other.acquire().get()).join(), Ok(1));
}

#[test]
fn rlock_keeps_every_increment_of_n_threads() {
    static COUNTER: RLock<Cell<usize>> = RLock::new(Cell::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            Thread::spawn(|| {
                for _ in 0..INCREMENTS / 10 {
                    let outer = COUNTER.acquire();
                    let inner = COUNTER.acquire();
                    inner.set(outer.get() + 1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(COUNTER.acquire().get(), THREADS * INCREMENTS / 10);
}

#[test]
fn rlock_acquire_timeout_returns_none_when_another_thread_holds_it() {
    let lock = Arc::new(RLock::new(()));
    let _held = lock.acquire();
    let other = lock.clone();
    let got =
        Thread::spawn(move || other.acquire_timeout(Duration::from_millis(10)).is_some()).join();
    assert_eq!(got, Ok(false));
}

#[test]
fn rlock_guards_format_like_their_data() {
    let lock = RLock::new(5);
    let guard = lock.acquire();
    assert_eq!(format!("{guard} {guard:?}"), "5 5");
    assert_eq!(format!("{lock:?}"), "RLock { data: 5, .. }");
}
