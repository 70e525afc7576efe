//! `Process` as real OS processes: values, panics, kills and exit codes come back to `join`, and
//! the primitives given to a child work there with the same API. Each test starts its children
//! from its own thread: the child is this test binary run again with this test's name.

use std::time::{Duration, Instant};

use racecheck::{Event, JoinableQueue, Lock, Pipe, Process, ProcessError, Queue};

fn square(n: u64) -> u64 {
    n * n
}

#[test]
fn a_child_returns_its_value() {
    let child = Process::new(square).args(12).name("squarer").start();
    assert_eq!(child.name(), "squarer");
    assert!(child.pid() > 0);
    assert_ne!(child.pid(), std::process::id());
    assert_eq!(child.join(), Ok(144));
}

#[test]
fn a_function_of_no_arguments_needs_no_args() {
    fn answer(_: ()) -> String {
        "forty-two".to_owned()
    }
    assert_eq!(
        Process::new(answer).start().join().as_deref(),
        Ok("forty-two")
    );
}

#[test]
fn a_childs_panic_message_crosses() {
    fn parse(text: String) -> u32 {
        text.parse()
            .unwrap_or_else(|_| panic!("bad input: {text:?}"))
    }
    let child = Process::new(parse)
        .args("x1".to_owned())
        .name("parser")
        .start();
    // As exploration gives it (`process_explored.rs`): 1 for a panic.
    let exitcode = loop {
        if let Some(code) = child.exitcode() {
            break code;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(exitcode, 1);
    let error = child.join().unwrap_err();
    assert_eq!(
        error,
        ProcessError::Panicked {
            process: "parser".to_owned(),
            message: "bad input: \"x1\"".to_owned(),
        }
    );
    assert_eq!(error.exitcode(), 1);
}

#[test]
fn a_terminated_child_reports_the_signal_and_join_returns() {
    fn sleep_long(_: ()) {
        std::thread::sleep(Duration::from_secs(600));
    }
    let child = Process::new(sleep_long).name("sleeper").start();
    assert!(child.is_alive());
    assert_eq!(child.exitcode(), None);
    child.terminate();
    let started = Instant::now();
    let error = child.join().unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        error,
        ProcessError::Killed {
            process: "sleeper".to_owned(),
            signal: libc_sigterm(),
        }
    );
    assert_eq!(error.exitcode(), -libc_sigterm());
}

fn libc_sigterm() -> i32 {
    15
}

#[test]
fn an_exit_status_is_the_result_python_prints() {
    fn leave(code: i32) {
        std::process::exit(code)
    }
    let child = Process::new(leave).args(3).start();
    let name = child.name().to_owned();
    assert!(name.starts_with("Process-"));
    let error = child.join().unwrap_err();
    assert_eq!(
        error,
        ProcessError::Exited {
            process: name,
            code: 3
        }
    );
    assert_eq!(error.exitcode(), 3);
}

#[test]
fn exitcode_reads_zero_once_a_child_returned() {
    fn nothing(_: ()) {}
    let child = Process::new(nothing).start();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.exitcode().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(child.exitcode(), Some(0));
    assert!(!child.is_alive());
    assert_eq!(child.join(), Ok(()));
}

#[test]
fn a_queue_given_to_a_child_reaches_the_parent() {
    fn produce(queue: Queue<u32>) -> usize {
        for n in 1..=5 {
            queue.put(n * 10);
        }
        queue.len()
    }
    let queue = Queue::new();
    let child = Process::new(produce).args(queue.clone()).start();
    let received: Vec<u32> = (0..5).map(|_| queue.get()).collect();
    assert_eq!(received, [10, 20, 30, 40, 50]);
    assert!(child.join().unwrap() <= 5);
    assert_eq!(queue.try_get(), Err(racecheck::Empty));
}

/// Takes items until the sentinel 0, and returns them in the order taken.
fn take_until_zero(queue: Queue<u32>) -> Vec<u32> {
    let mut taken = Vec::new();
    loop {
        match queue.get() {
            0 => return taken,
            n => taken.push(n),
        }
    }
}

#[test]
fn children_blocked_in_get_share_the_items_each_taken_once_in_order() {
    let queue = Queue::new();
    let children: Vec<_> = (0..3)
        .map(|_| Process::new(take_until_zero).args(queue.clone()).start())
        .collect();
    // Some puts find children blocked in `get` (the item is handed to one directly), others
    // find none waiting.
    for n in 1..=300 {
        queue.put(n);
        if n % 50 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    for _ in &children {
        queue.put(0);
    }
    let mut all = Vec::new();
    for child in children {
        let taken = child.join().unwrap();
        assert!(taken.windows(2).all(|w| w[0] < w[1]), "FIFO: {taken:?}");
        all.extend(taken);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=300).collect::<Vec<_>>(), "none lost, none twice");
    assert!(queue.is_empty());
}

#[test]
fn a_getter_killed_while_blocked_takes_no_item_with_it() {
    fn signal_then_take((queue, out): (Queue<u32>, Queue<()>)) -> u32 {
        out.put(());
        queue.get()
    }
    let (queue, out) = (Queue::new(), Queue::new());
    let child = Process::new(signal_then_take)
        .args((queue.clone(), out.clone()))
        .start();
    out.get_timeout(Duration::from_secs(60)).unwrap();
    // Give the child's `get` time to reach the server (it is correct either way).
    std::thread::sleep(Duration::from_millis(50));
    child.terminate();
    assert!(matches!(child.join(), Err(ProcessError::Killed { .. })));
    queue.put(7);
    assert_eq!(queue.get_timeout(Duration::from_secs(5)), Ok(7));
}

#[test]
fn a_child_blocked_in_recv_learns_when_the_other_end_is_dropped() {
    fn recv_all(end: racecheck::Connection<u8>) -> Vec<u8> {
        std::iter::from_fn(|| end.recv().ok()).collect()
    }
    let (parent, child_end) = Pipe::new();
    let child = Process::new(recv_all).args(child_end).start();
    parent.send(1).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    parent.send(2).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    drop(parent);
    assert_eq!(child.join(), Ok(vec![1, 2]));
}

static PUT_ALL: Event = Event::new();

#[test]
fn puts_sent_without_waiting_are_applied_before_the_childs_next_call() {
    fn put_then_set((queue, managed, done): (Queue<u32>, Queue<u32>, &'static Event)) {
        for n in 0..100 {
            queue.put(n);
            managed.put(n);
        }
        done.set();
        // Parked until killed: only its calls, not its end, may settle the puts.
        std::thread::sleep(Duration::from_secs(600));
    }
    // Two servers: the parent's own (`queue`, `PUT_ALL`) and a Manager's (`managed`).
    let manager = racecheck::Manager::start().unwrap();
    let (queue, managed) = (Queue::new(), manager.queue::<u32>("managed").unwrap());
    let child = Process::new(put_then_set)
        .args((queue.clone(), managed.clone(), &PUT_ALL))
        .start();
    assert!(PUT_ALL.wait_timeout(Duration::from_secs(60)));
    assert_eq!(queue.len(), 100);
    assert_eq!(managed.len(), 100);
    child.terminate();
    assert!(child.join().is_err());
    assert_eq!(
        (0..100).map(|_| queue.get()).collect::<Vec<_>>(),
        (0..100).collect::<Vec<_>>()
    );
}

#[test]
fn a_send_into_a_pipe_whose_other_end_is_gone_fails_soon_after() {
    fn send_until_refused(end: racecheck::Connection<u32>) -> u32 {
        // The parent dropped its end: the first `recv` says so.
        assert_eq!(end.recv(), Err(racecheck::Disconnected));
        let mut sent = 0;
        while end.send(sent).is_ok() {
            sent += 1;
            assert!(sent < 1_000, "sends kept succeeding");
            std::thread::sleep(Duration::from_millis(1));
        }
        sent
    }
    let (parent, child_end) = Pipe::new::<u32>();
    let child = Process::new(send_until_refused).args(child_end).start();
    drop(parent);
    assert!(child.join().unwrap() >= 1);
}

static READY: Event = Event::new();

#[test]
fn a_static_event_and_a_joinable_queue_work_in_the_child() {
    fn worker((tasks, ready): (JoinableQueue<u64>, &'static Event)) -> u64 {
        ready.wait();
        let mut total = 0;
        while let Ok(n) = tasks.get_timeout(Duration::from_secs(5)) {
            total += n;
            tasks.task_done().unwrap();
            if n == 0 {
                break;
            }
        }
        total
    }
    let tasks = JoinableQueue::new();
    let child = Process::new(worker).args((tasks.clone(), &READY)).start();
    for n in [1, 2, 3, 0] {
        tasks.put(n);
    }
    READY.set();
    tasks.join();
    assert_eq!(child.join(), Ok(6));
}

#[test]
fn a_local_event_cannot_be_given_to_a_process() {
    fn wait(event: Event) {
        event.wait()
    }
    let result = std::panic::catch_unwind(|| Process::new(wait).args(Event::new()).start());
    let message = result.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("only a static Event"), "{message}");
}

#[test]
fn a_pipe_end_given_to_a_child_talks_both_ways() {
    fn echo(end: racecheck::Connection<String>) -> usize {
        let mut echoed = 0;
        while let Ok(message) = end.recv() {
            end.send(format!("echo: {message}")).unwrap();
            echoed += 1;
        }
        echoed
    }
    let (parent, child_end) = Pipe::new();
    let child = Process::new(echo).args(child_end).start();
    parent.send("ping".to_owned()).unwrap();
    assert_eq!(parent.recv().as_deref(), Ok("echo: ping"));
    parent.send("pong".to_owned()).unwrap();
    assert_eq!(parent.recv().as_deref(), Ok("echo: pong"));
    drop(parent);
    assert_eq!(child.join(), Ok(2));
}

static PRINTING: Lock = Lock::new(());

/// Reports on `out` what the child saw of a lock its parent holds, then waits for it.
fn wait_for_the_lock((lock, out): (&'static Lock, Queue<String>)) {
    out.put(format!("try: {}", lock.try_acquire().is_some()));
    out.put(format!(
        "timeout: {}",
        lock.acquire_timeout(Duration::from_millis(20)).is_some()
    ));
    out.put(format!("locked: {}", lock.locked()));
    let _held = lock.acquire();
    out.put("acquired".to_owned());
}

#[test]
fn a_static_lock_excludes_across_processes() {
    let out = Queue::new();
    let held = PRINTING.acquire();
    let child = Process::new(wait_for_the_lock)
        .args((&PRINTING, out.clone()))
        .start();
    let long = Duration::from_secs(60);
    for expected in ["try: false", "timeout: false", "locked: true"] {
        assert_eq!(out.get_timeout(long).as_deref(), Ok(expected));
    }
    // Blocked in `acquire` for as long as the parent holds the lock.
    assert_eq!(
        out.get_timeout(Duration::from_millis(200)),
        Err(racecheck::Empty)
    );
    drop(held);
    assert_eq!(out.get_timeout(long).as_deref(), Ok("acquired"));
    assert_eq!(child.join(), Ok(()));
    assert!(!PRINTING.locked());
}

static HELD_BY_CHILD: Lock = Lock::new(());

/// Takes the lock, says so, and ends without releasing it: `exit` runs no destructor.
fn die_holding((lock, out, how): (&'static Lock, Queue<()>, String)) {
    let guard = lock.acquire();
    out.put(());
    match how.as_str() {
        "exit" => std::process::exit(3),
        _ => std::thread::sleep(Duration::from_secs(600)),
    }
    drop(guard);
}

#[test]
fn a_child_that_dies_holding_a_lock_releases_it() {
    for how in ["exit", "killed"] {
        let out = Queue::new();
        let child = Process::new(die_holding)
            .args((&HELD_BY_CHILD, out.clone(), how.to_owned()))
            .start();
        out.get_timeout(Duration::from_secs(60)).unwrap();
        if how == "killed" {
            assert!(HELD_BY_CHILD.try_acquire().is_none(), "the child holds it");
            child.terminate();
        }
        assert!(child.join().is_err());
        let guard = HELD_BY_CHILD.acquire_timeout(Duration::from_secs(60));
        assert!(
            guard.is_some(),
            "{how}: the lock was released when the child ended"
        );
    }
}

#[test]
fn a_local_lock_cannot_be_given_to_a_process() {
    fn take(lock: &'static Lock) {
        drop(lock.acquire());
    }
    let lock: &'static Lock = Box::leak(Box::new(Lock::new(())));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Process::new(take).args(lock).start()
    }));
    let message = result.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("only a static Lock"), "{message}");
}
