//! Faulty programs and bad settings under exploration: each ends with a clear message instead of a
//! crash, a hang or a silent "clean". Cases that end the process run in a child: the test re-runs
//! its own binary with `ROBUSTNESS_CASE` naming the case, and checks the child's stderr and status.

use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Output};

use racecheck::explore::{Config, FindingKind};
use racecheck::{Lock, Thread};

const CASE_VAR: &str = "ROBUSTNESS_CASE";

/// Runs this test binary's test `name` in a child process with `ROBUSTNESS_CASE=name`.
fn run_case(name: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE_VAR, name);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn is_case(name: &str) -> bool {
    std::env::var(CASE_VAR).as_deref() == Ok(name)
}

#[cfg(unix)]
fn signal_of(output: &Output) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    output.status.signal()
}

/// Held by every test that explores or swaps the panic hook: `panic_of` replaces the process's
/// hook for a while, which would hide explored panics' locations from racecheck's hook.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A panic's message and where it was raised.
fn panic_of(f: impl FnOnce()) -> (String, String) {
    let location = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = std::sync::Arc::clone(&location);
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if let Some(at) = info.location() {
            *seen.lock().unwrap() = format!("{}:{}", at.file(), at.line());
        }
    }));
    let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("a panic");
    panic::set_hook(previous);
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    let location = location.lock().unwrap().clone();
    (message, location)
}

fn recurse(depth: u64) -> u64 {
    let padding = std::hint::black_box([depth; 64]);
    if depth == 0 {
        return padding[0];
    }
    recurse(depth - 1) + std::hint::black_box(padding[1])
}

#[test]
fn overflowing_thread() {
    if !is_case("overflowing_thread") {
        return;
    }
    let config = Config::default().schedules(1).from_env().unwrap();
    racecheck::explore(config, || {
        let lock = Lock::new(());
        drop(lock.acquire());
        let deep = Thread::new(|| {
            let _ = recurse(u64::MAX);
        })
        .name("deep")
        .start();
        deep.join().unwrap();
    });
}

#[test]
fn overflowing_main() {
    if !is_case("overflowing_main") {
        return;
    }
    racecheck::explore(Config::default().schedules(1).stack_size(256 << 10), || {
        let _ = recurse(u64::MAX);
    });
}

#[cfg(unix)]
#[test]
fn a_stack_overflow_in_a_logical_thread_names_the_thread_and_aborts() {
    let output = run_case("overflowing_thread", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(signal_of(&output), Some(libc_sigabrt()), "{stderr}");
    assert!(
        stderr.contains(
            "racecheck: logical thread 'deep' has overflowed its stack of 2097152 bytes in \
             explored schedule 0, before its first racecheck operation\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Config::stack_size or RACECHECK_STACK_SIZE"),
        "{stderr}"
    );

    let output = run_case("overflowing_main", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(signal_of(&output), Some(libc_sigabrt()), "{stderr}");
    assert!(
        stderr.contains(
            "racecheck: logical thread 'MainThread' has overflowed its stack of 262144 bytes"
        ),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn the_stack_size_comes_from_the_environment() {
    let output = run_case("overflowing_thread", &[("RACECHECK_STACK_SIZE", "1048576")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("has overflowed its stack of 1048576 bytes"),
        "{stderr}"
    );
    // By default a logical thread gets what a real thread gets.
    let output = run_case("overflowing_thread", &[("RUST_MIN_STACK", "524288")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("has overflowed its stack of 524288 bytes"),
        "{stderr}"
    );
}

#[cfg(unix)]
fn libc_sigabrt() -> i32 {
    6
}

#[test]
fn settings_that_allow_no_exploration_panic_at_the_call() {
    let _serial = serial();
    let (message, location) = panic_of(|| {
        racecheck::explore(Config::default().schedules(0), || {});
    });
    assert_eq!(
        message,
        "racecheck: `schedules` is 0: explore at least one schedule"
    );
    assert!(
        location.starts_with("runtime/tests/explore_robustness.rs:"),
        "{location}"
    );

    let (message, _) = panic_of(|| {
        racecheck::explore(Config::default().max_steps(0), || {});
    });
    assert_eq!(
        message,
        "racecheck: `max_steps` is 0: a schedule needs at least one step"
    );
}

#[test]
fn a_token_with_no_steps_is_malformed() {
    assert_eq!(
        racecheck::explore::validate_token("rc1:AA").unwrap_err(),
        "its step limit is 0: no schedule records that"
    );
}

fn two_threads_take_a_lock() {
    let lock = std::sync::Arc::new(Lock::new(0));
    let other = {
        let lock = std::sync::Arc::clone(&lock);
        Thread::spawn(move || *lock.acquire() += 1)
    };
    *lock.acquire() += 1;
    other.join().unwrap();
}

#[test]
fn a_token_from_another_program_is_a_diverged_replay() {
    let _serial = serial();
    let report = racecheck::explore(Config::default().schedules(50).seed(3), || {
        let lock = Lock::new(0);
        let worker = Thread::spawn(|| {});
        drop(lock.acquire());
        worker.join().unwrap();
        two_threads_take_a_lock();
        panic!("found");
    });
    let token = &report.findings()[0].replay_token;
    // The token replays its own program …
    assert_eq!(
        racecheck::replay(token, || {
            let lock = Lock::new(0);
            let worker = Thread::spawn(|| {});
            drop(lock.acquire());
            worker.join().unwrap();
            two_threads_take_a_lock();
            panic!("found");
        })
        .findings()[0]
            .kind,
        FindingKind::Panic
    );
    // … and says so when given another.
    let (message, location) = panic_of(|| {
        racecheck::replay(token, || {});
    });
    assert!(
        message.starts_with("racecheck: the replay diverged from its token and reproduced nothing"),
        "{message}"
    );
    assert!(
        location.starts_with("runtime/tests/explore_robustness.rs:"),
        "{location}"
    );
}

#[test]
fn nested_explore_is_reported_at_the_users_call() {
    let _serial = serial();
    let report = racecheck::explore(Config::default().schedules(1), || {
        racecheck::explore(Config::default().schedules(1), || {});
    });
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::Panic);
    assert!(
        finding
            .message
            .contains("`explore` and `replay` cannot run inside an explored schedule"),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.locations[0].file, "runtime/tests/explore_robustness.rs",
        "{finding}"
    );
}

/// The line of `touch_a_lock`'s acquire.
const TOUCH_LINE: u32 = line!() + 3;

fn touch_a_lock() {
    drop(Lock::new(()).acquire());
}

static REAL_MUTEX: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn stalling_on_a_std_mutex() {
    if !is_case("stalling_on_a_std_mutex") {
        return;
    }
    let config = Config::default()
        .schedules(1)
        .stall_timeout(Some(std::time::Duration::from_millis(500)));
    racecheck::explore(config, || {
        let _real = REAL_MUTEX.lock().unwrap();
        let blocked = Thread::spawn(|| {
            touch_a_lock();
            let _real = REAL_MUTEX.lock().unwrap();
        });
        blocked.join().unwrap();
    });
}

#[test]
fn a_real_block_ends_with_a_message_naming_the_thread_and_its_last_operation() {
    let output = run_case("stalling_on_a_std_mutex", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "racecheck: no logical thread made progress for 0.5 s: Thread-1 is blocked outside \
             racecheck in explored schedule 0, after its racecheck operation at \
             runtime/tests/explore_robustness.rs:{TOUCH_LINE}:"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("RACECHECK_STALL_TIMEOUT"), "{stderr}");
}

#[test]
fn a_panicking_map_task_is_reported_at_the_map_call() {
    let _serial = serial();
    for unordered in [false, true] {
        let map_line = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let seen = std::sync::Arc::clone(&map_line);
        let report = racecheck::explore(Config::default().schedules(5), move || {
            let pool = racecheck::Pool::new(2);
            let task = |x: u32| if x == 2 { panic!("two") } else { x };
            if unordered {
                seen.store(line!() + 1, std::sync::atomic::Ordering::Relaxed);
                let _: Vec<u32> = pool.imap_unordered(task, 1..=3).collect();
            } else {
                seen.store(line!() + 1, std::sync::atomic::Ordering::Relaxed);
                let _ = pool.map(task, 1..=3);
            }
        });
        let finding = &report.findings()[0];
        assert_eq!(finding.kind, FindingKind::Panic, "{finding}");
        let line = map_line.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            (
                finding.locations[0].file.as_str(),
                finding.locations[0].line
            ),
            ("runtime/tests/explore_robustness.rs", line),
            "unordered: {unordered}: {finding}"
        );
    }
}

#[test]
fn a_malformed_replay_token_panics_at_the_replay_call() {
    let _serial = serial();
    // racecheck's panic hook goes in with the first exploration: before `panic_of` takes the
    // hook out and puts it back, or the hook would go in over `panic_of`'s and be lost with it.
    racecheck::explore(Config::default().schedules(1), || {});
    let replay_line = line!() + 2;
    let (message, location) = panic_of(|| {
        racecheck::replay("rc1:AA", || {});
    });
    assert!(
        message.starts_with("racecheck: invalid replay token"),
        "{message}"
    );
    assert_eq!(
        location,
        format!("runtime/tests/explore_robustness.rs:{replay_line}")
    );
}

#[test]
fn a_panicking_map_task_is_resumed_at_the_map_call_for_real_too() {
    let _serial = serial();
    let pool = racecheck::Pool::new(2);
    let (message, location) = panic_of(|| {
        let _ = pool.map(|x: u32| if x == 2 { panic!("two") } else { x }, 1..=3);
    });
    assert_eq!(message, "racecheck: a pool task panicked: two");
    assert!(
        location.starts_with("runtime/tests/explore_robustness.rs:"),
        "{location}"
    );
}

/// Panics when dropped: during a teardown's unwinding that would abort the process.
struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("drop failed");
    }
}

#[test]
fn a_destructor_panicking_in_teardown_keeps_the_deadlock() {
    let report = racecheck::explore(Config::default().schedules(20).workers(1), || {
        let lock = std::sync::Arc::new(Lock::new(()));
        let _held = lock.acquire();
        let waiter = {
            let lock = std::sync::Arc::clone(&lock);
            Thread::spawn(move || {
                let _bomb = PanicsOnDrop;
                let _never = lock.acquire();
            })
        };
        waiter.join().unwrap();
    });
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::Deadlock, "{finding}");
}

static ACCOUNTS: Lock<u64> = Lock::new(0);

struct Bank {
    ledger: Lock<Vec<u64>>,
}

#[test]
fn a_witness_names_locks_after_the_static_and_the_field_they_live_in() {
    let _serial = serial();
    let report = racecheck::explore(Config::default().schedules(200).seed(1), || {
        let bank = std::sync::Arc::new(Bank {
            ledger: Lock::new(Vec::new()),
        });
        let other = {
            let bank = std::sync::Arc::clone(&bank);
            Thread::spawn(move || {
                let _ledger = bank.ledger.acquire();
                let _accounts = ACCOUNTS.acquire();
            })
        };
        {
            let _accounts = ACCOUNTS.acquire();
            let _ledger = bank.ledger.acquire();
        }
        other.join().unwrap();
    });
    let deadlock = report
        .findings()
        .iter()
        .find(|finding| finding.kind == FindingKind::Deadlock)
        .expect("a deadlock");
    let message = &deadlock.message;
    assert!(
        message.starts_with("every live thread is blocked:\n"),
        "{deadlock}"
    );
    assert!(
        message.contains("MainThread waits for ledger, held by Thread-1"),
        "{deadlock}"
    );
    assert!(
        message.contains("waits for ACCOUNTS, held by MainThread"),
        "{deadlock}"
    );
    let operations: Vec<&str> = deadlock
        .trace
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert!(operations.contains(&"acquire ACCOUNTS"), "{deadlock}");
    assert!(
        operations.contains(&"acquire ledger (blocks)") || operations.contains(&"acquire ledger"),
        "{deadlock}"
    );
}

/// The line of the panic in [`a_spawned_threads_panic_is_reported_at_its_own_site`].
const THREAD_PANIC_LINE: u32 = line!() + 7;

#[test]
fn a_spawned_threads_panic_is_reported_at_its_own_site() {
    let _serial = serial();
    let report = racecheck::explore(Config::default().schedules(1), || {
        let worker = Thread::spawn(|| {
            panic!("worker failed");
        });
        worker.join().unwrap();
    });
    let finding = &report.findings()[0];
    assert_eq!(finding.kind, FindingKind::Panic);
    assert_eq!(finding.threads, ["Thread-1", "MainThread"], "{finding}");
    assert_eq!(
        (
            finding.locations[0].file.as_str(),
            finding.locations[0].line
        ),
        ("runtime/tests/explore_robustness.rs", THREAD_PANIC_LINE),
        "{finding}"
    );
    assert!(
        finding.message.contains(&format!(
            "\n  after Thread-1 panicked at runtime/tests/explore_robustness.rs:{THREAD_PANIC_LINE}:13: worker failed"
        )),
        "{finding}"
    );
}
