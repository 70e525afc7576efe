//! Threads: names, idents, `current_thread`, `enumerate`, `join` and panics.

use std::sync::Arc;
use std::time::Duration;

use racecheck::{current_thread, enumerate, Barrier, Event, Panicked, Thread};

fn live_names() -> Vec<String> {
    enumerate().into_iter().map(|thread| thread.name).collect()
}

#[test]
fn a_named_thread_knows_its_name() {
    let handle = Thread::new(|| current_thread().name)
        .name("worker-1")
        .start();
    assert_eq!(handle.name(), "worker-1");
    assert_eq!(handle.join().as_deref(), Ok("worker-1"));
}

#[test]
fn unnamed_threads_are_numbered_thread_n() {
    let names: Vec<String> = (0..3)
        .map(|_| Thread::spawn(|| current_thread().name))
        .map(|handle| handle.join().unwrap())
        .collect();
    let numbers: Vec<u64> = names
        .iter()
        .map(|name| {
            name.strip_prefix("Thread-")
                .expect("a Thread-N name")
                .parse()
                .expect("a number")
        })
        .collect();
    assert!(numbers.iter().all(|&n| n >= 1));
    assert!(
        numbers.windows(2).all(|pair| pair[0] < pair[1]),
        "numbered in start order: {names:?}"
    );
}

#[test]
fn a_handle_and_its_thread_agree_on_the_ident() {
    let handle = Thread::spawn(|| current_thread().ident);
    let ident = handle.ident();
    assert_eq!(handle.join(), Ok(ident));
}

#[test]
fn idents_are_unique() {
    let handles: Vec<_> = (0..4)
        .map(|_| Thread::spawn(|| current_thread().ident))
        .collect();
    let mut idents: Vec<u64> = handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    idents.push(current_thread().ident);
    idents.sort_unstable();
    idents.dedup();
    assert_eq!(idents.len(), 5);
}

#[test]
fn current_thread_on_a_foreign_thread_uses_its_own_name_or_a_dummy_one() {
    let named = std::thread::Builder::new()
        .name("std-named".into())
        .spawn(|| current_thread().name)
        .unwrap();
    assert_eq!(named.join().unwrap(), "std-named");

    let unnamed = std::thread::spawn(|| (current_thread(), current_thread()));
    let (first, second) = unnamed.join().unwrap();
    assert!(first.name.starts_with("Dummy-"), "{first:?}");
    assert_eq!(
        first, second,
        "a foreign thread keeps the identity it was given"
    );
}

#[test]
fn enumerate_lists_main_first_then_live_threads_until_they_end() {
    let release = Arc::new(Event::new());
    let started = Arc::new(Barrier::new(3));
    let spawn = |name: &str| {
        let release = release.clone();
        let started = started.clone();
        Thread::new(move || {
            started.wait();
            release.wait();
        })
        .name(name)
        .start()
    };
    let first = spawn("enumerate-first");
    let second = spawn("enumerate-second");
    // Listed from the moment `start` returns, in start order.
    let names = live_names();
    assert_eq!(names[0], "MainThread");
    let position = |name: &str| names.iter().position(|n| n == name);
    assert!(position("enumerate-first") < position("enumerate-second"));
    assert!(position("enumerate-first").is_some());

    started.wait();
    assert!(first.is_alive() && second.is_alive());
    release.set();
    first.join().unwrap();
    second.join().unwrap();
    let names = live_names();
    assert!(
        !names.iter().any(|name| name.starts_with("enumerate-")),
        "{names:?}"
    );
}

#[test]
fn enumerate_stays_consistent_while_threads_come_and_go() {
    let churners: Vec<_> = (0..4)
        .map(|i| {
            Thread::new(move || {
                for j in 0..50 {
                    Thread::new(|| ())
                        .name(format!("churn-{i}-{j}"))
                        .start()
                        .join()
                        .unwrap();
                }
            })
            .name(format!("churner-{i}"))
            .start()
        })
        .collect();
    for _ in 0..200 {
        let threads = enumerate();
        assert_eq!(threads[0].name, "MainThread");
        let mut idents: Vec<u64> = threads.iter().map(|thread| thread.ident).collect();
        idents.sort_unstable();
        idents.dedup();
        assert_eq!(idents.len(), threads.len(), "no thread listed twice");
    }
    for churner in churners {
        churner.join().unwrap();
    }
    assert!(!live_names().iter().any(|name| name.starts_with("churn")));
}

#[test]
fn is_alive_turns_false_when_the_function_returns_and_then_enumerate_forgets_it() {
    let release = Arc::new(Event::new());
    let waiting = release.clone();
    let handle = Thread::new(move || waiting.wait())
        .name("alive-probe")
        .start();
    assert!(handle.is_alive());
    release.set();
    while handle.is_alive() {
        std::thread::yield_now();
    }
    assert!(!live_names().iter().any(|name| name == "alive-probe"));
    handle.join().unwrap();
}

#[test]
fn join_timeout_gives_the_handle_back_while_the_thread_runs() {
    let release = Arc::new(Event::new());
    let waiting = release.clone();
    let handle = Thread::spawn(move || {
        waiting.wait();
        7
    });
    let handle = handle.join_timeout(Duration::from_millis(5)).unwrap_err();
    assert!(handle.is_alive());
    release.set();
    assert_eq!(
        handle.join_timeout(Duration::from_secs(60)).ok(),
        Some(Ok(7))
    );
}

#[test]
fn join_reports_a_str_panic_with_its_message() {
    let handle = Thread::new(|| -> () { panic!("static message") })
        .name("panicker")
        .start();
    assert_eq!(
        handle.join(),
        Err(Panicked {
            thread: "panicker".into(),
            message: "static message".into()
        })
    );
}

#[test]
fn join_reports_a_formatted_panic_with_its_message() {
    let handle = Thread::spawn(|| -> u8 { panic!("value {} out of range", 300) });
    assert_eq!(handle.join().unwrap_err().message, "value 300 out of range");
}

#[test]
fn join_reports_other_payloads_as_box_dyn_any() {
    let handle = Thread::spawn(|| std::panic::panic_any(42_u32));
    assert_eq!(handle.join().unwrap_err().message, "Box<dyn Any>");
}

#[test]
fn a_panicked_thread_leaves_enumerate() {
    let handle = Thread::new(|| panic!("gone"))
        .name("short-lived-panicker")
        .start();
    assert!(handle.join().is_err());
    assert!(!live_names()
        .iter()
        .any(|name| name == "short-lived-panicker"));
}

#[test]
fn a_name_with_a_nul_byte_is_kept() {
    let handle = Thread::new(|| current_thread().name)
        .name("odd\0name")
        .start();
    assert_eq!(handle.join().as_deref(), Ok("odd\0name"));
}
