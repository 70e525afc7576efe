//! `Pool`: results and their order, panics reaching the caller, close/terminate/join.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use racecheck::{current_thread, Event, Pool, PoolError, Shared};

/// The message of the panic `f` raised.
fn panic_of<R>(f: impl FnOnce() -> R) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(f))
        .err()
        .expect("a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .expect("a text payload")
}

#[test]
fn map_keeps_the_items_order() {
    let pool = Pool::new(3);
    let items: Vec<u64> = (0..10_000).collect();
    let mapped = pool.map(|x| x * 3, items);
    assert_eq!(mapped, (0..10_000).map(|x| x * 3).collect::<Vec<_>>());
}

#[test]
fn map_of_nothing_is_empty() {
    let pool = Pool::new(2);
    assert_eq!(pool.map(|x: u8| x, Vec::new()), Vec::<u8>::new());
}

#[test]
fn map_runs_on_the_workers() {
    let pool = Pool::new(2);
    let names = pool.map(|_: u8| current_thread().name, [0, 1, 2]);
    assert!(
        names.iter().all(|name| name.starts_with("PoolWorker-")),
        "{names:?}"
    );
}

#[test]
fn a_panicking_map_task_reaches_the_caller_with_its_message() {
    let pool = Pool::new(2);
    let message = panic_of(|| {
        pool.map(
            |x: u32| {
                if x == 77 {
                    panic!("item {x} is cursed")
                } else {
                    x
                }
            },
            0..100,
        )
    });
    assert!(message.contains("item 77 is cursed"), "{message}");
    // The pool survives its task's panic.
    assert_eq!(pool.map(|x: u32| x + 1, [1, 2]), [2, 3]);
}

#[test]
fn apply_returns_the_value_and_resumes_a_panic() {
    let pool = Pool::new(1);
    assert_eq!(pool.apply(|| 6 * 7), 42);
    let message = panic_of(|| pool.apply(|| -> u8 { panic!("apply failed") }));
    assert!(message.contains("apply failed"), "{message}");
}

#[test]
fn apply_async_results_come_back_to_their_own_caller() {
    let pool = Pool::new(3);
    let pending: Vec<_> = (0..20).map(|i| pool.apply_async(move || i * i)).collect();
    let results: Vec<i32> = pending.into_iter().map(|result| result.get()).collect();
    assert_eq!(results, (0..20).map(|i| i * i).collect::<Vec<_>>());
}

#[test]
fn async_result_ready_wait_and_get_timeout() {
    let pool = Pool::new(1);
    let gate = Arc::new(Event::new());
    let opened = gate.clone();
    let result = pool.apply_async(move || {
        opened.wait();
        "done"
    });
    assert!(!result.ready());
    let result = result.get_timeout(Duration::from_millis(10)).unwrap_err();
    gate.set();
    result.wait();
    assert!(result.ready());
    assert_eq!(
        result.get_timeout(Duration::from_secs(60)).ok(),
        Some("done")
    );
}

#[test]
fn a_panicking_async_task_reaches_get() {
    let pool = Pool::new(1);
    let result = pool.apply_async(|| -> () { panic!("async failure") });
    result.wait();
    assert!(result.ready());
    let message = panic_of(|| result.get());
    assert!(message.contains("async failure"), "{message}");
}

#[test]
fn imap_is_in_order_and_lazy_about_results() {
    let pool = Pool::new(2);
    let gate = Arc::new(Event::new());
    let opened = gate.clone();
    let mut results = pool.imap(
        move |x: u32| {
            if x == 2 {
                opened.wait(); // the third result waits for the caller
            }
            x * 10
        },
        0..5,
    );
    // The first results arrive while the third task is still blocked.
    assert_eq!(results.next(), Some(0));
    assert_eq!(results.next(), Some(10));
    gate.set();
    assert_eq!(results.collect::<Vec<_>>(), [20, 30, 40]);
}

#[test]
fn imap_unordered_yields_every_result() {
    let pool = Pool::new(3);
    let mut results: Vec<u32> = pool.imap_unordered(|x: u32| x + 1, 0..50).collect();
    results.sort_unstable();
    assert_eq!(results, (1..=50).collect::<Vec<_>>());
}

#[test]
fn imap_resumes_a_task_panic_when_it_reaches_it() {
    let pool = Pool::new(2);
    let mut results = pool.imap(
        |x: u8| {
            if x == 1 {
                panic!("second item broke")
            } else {
                x
            }
        },
        0..3,
    );
    assert_eq!(results.next(), Some(0));
    let message = panic_of(|| results.next());
    assert!(message.contains("second item broke"), "{message}");
}

#[test]
fn imap_unordered_resumes_a_task_panic() {
    let pool = Pool::new(2);
    let message = panic_of(|| {
        pool.imap_unordered(|_: u8| -> u8 { panic!("unordered broke") }, 0..1)
            .count()
    });
    assert!(message.contains("unordered broke"), "{message}");
}

#[test]
fn join_on_an_open_pool_errs_at_once() {
    let pool = Pool::new(1);
    assert_eq!(pool.join(), Err(PoolError::StillOpen));
}

#[test]
fn close_lets_submitted_work_finish() {
    let pool = Pool::new(2);
    let pending: Vec<_> = (0..10).map(|i| pool.apply_async(move || i)).collect();
    pool.close();
    assert_eq!(pool.join(), Ok(()));
    assert_eq!(
        pending.into_iter().map(|result| result.get()).sum::<i32>(),
        45
    );
    assert_eq!(pool.join(), Ok(()), "joining twice is fine");
}

#[test]
fn submitting_after_close_panics_clearly() {
    let pool = Pool::new(1);
    pool.close();
    let message = panic_of(|| pool.apply(|| 1));
    assert!(message.contains("closed"), "{message}");
    let message = panic_of(|| pool.map(|x: u8| x, [1]));
    assert!(message.contains("closed"), "{message}");
}

#[test]
fn terminate_discards_pending_work_and_its_results_say_so() {
    let pool = Pool::new(1);
    let (started, gate) = (Arc::new(Event::new()), Arc::new(Event::new()));
    let running = {
        let (started, gate) = (started.clone(), gate.clone());
        pool.apply_async(move || {
            started.set();
            gate.wait();
        })
    };
    let pending = pool.apply_async(|| "never runs");
    started.wait(); // the only worker is busy: `pending` is still queued
    pool.terminate();
    gate.set();
    assert_eq!(pool.join(), Ok(()));
    running.get(); // started before terminate: finished normally
    pending.wait(); // returns: the task is gone
    assert!(!pending.ready());
    let message = panic_of(|| pending.get());
    assert!(message.contains("discarded"), "{message}");
    let message = panic_of(|| pool.apply(|| ()));
    assert!(message.contains("closed"), "{message}");
}

#[test]
fn dropping_a_pool_runs_every_submitted_task() {
    static DONE: Shared<u32> = Shared::new(0);
    static ONE_AT_A_TIME: racecheck::Lock = racecheck::Lock::new(());
    let pool = Pool::new(2);
    for _ in 0..20 {
        drop(pool.apply_async(|| {
            let _guard = ONE_AT_A_TIME.acquire();
            DONE.set(DONE.get() + 1);
        }));
    }
    drop(pool);
    assert_eq!(DONE.get(), 20);
}

#[test]
fn zero_workers_means_one_per_core() {
    let pool = Pool::new(0);
    assert!(pool.workers() >= 1);
    assert_eq!(pool.apply(|| 1), 1);
}
