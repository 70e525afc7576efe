//! The bug programs of racecheck's exploration benchmarks, as racecheck code: shared by
//! `explore_vs_shuttle` (which has their shuttle twins), `strategies`, `exhaustive_vs_loom` and
//! `shards`, and by the `explore_exhaustive` and `explore_partition` tests (`lock_rounds_with`).
//!
//! Each bench or test compiles its own copy of this module and uses a different part of it; `env_number`
//! reads the benches' settings, and `Stopwatch` times them.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use racecheck::{Lock, Shared, Thread};

/// A numeric bench setting from the environment, or `default` when unset.
pub fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
        Err(_) => default,
    }
}

/// The running thread's CPU time (racecheck and loom run every execution on the calling thread),
/// so that a shared machine's load does not count: the first field of
/// `/proc/thread-self/schedstat`.
pub fn thread_cpu_time() -> Duration {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("the bench reads its CPU time from /proc/thread-self/schedstat (Linux)");
    let nanos = schedstat
        .split_whitespace()
        .next()
        .and_then(|field| field.parse().ok())
        .expect("schedstat starts with the CPU time in nanoseconds");
    Duration::from_nanos(nanos)
}

/// Wall time and the thread's CPU time since it started.
pub struct Stopwatch {
    wall: Instant,
    cpu: Duration,
}

impl Stopwatch {
    pub fn start() -> Self {
        Stopwatch {
            wall: Instant::now(),
            cpu: thread_cpu_time(),
        }
    }

    /// Wall time and CPU time.
    pub fn elapsed(&self) -> (Duration, Duration) {
        (self.wall.elapsed(), thread_cpu_time() - self.cpu)
    }
}

/// Threads of the clean throughput program.
pub const CLEAN_THREADS: usize = 4;
/// Lock rounds per thread: one acquire and one release each, so 20 sync operations per thread.
pub const CLEAN_ROUNDS: usize = 10;
pub const PHILOSOPHERS: usize = 5;

/// `CLEAN_THREADS` threads each take one lock `CLEAN_ROUNDS` times to bump a counter.
pub fn clean_counter() {
    let counter = lock_rounds(CLEAN_THREADS, CLEAN_ROUNDS);
    assert_eq!(*counter.acquire(), (CLEAN_THREADS * CLEAN_ROUNDS) as u64);
}

/// `threads` threads each take one lock `rounds` times to bump a counter; the main thread
/// spawns them and joins them, and returns the counter.
pub fn lock_rounds(threads: usize, rounds: usize) -> Arc<Lock<u64>> {
    lock_rounds_with(threads, rounds, |_| {})
}

/// [`lock_rounds`], calling `taken(n)` while thread `n` (from 0) holds the lock.
pub fn lock_rounds_with(
    threads: usize,
    rounds: usize,
    taken: impl Fn(usize) + Clone + Send + 'static,
) -> Arc<Lock<u64>> {
    let counter = Arc::new(Lock::new(0_u64));
    let handles: Vec<_> = (0..threads)
        .map(|n| {
            let counter = Arc::clone(&counter);
            let taken = taken.clone();
            Thread::spawn(move || {
                for _ in 0..rounds {
                    let mut count = counter.acquire();
                    *count += 1;
                    taken(n);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("no thread panics");
    }
    counter
}

/// The clean program's rounds, each pushing to a static lock's `Vec`: the memory a schedule
/// allocated in the static's data must be freed when the schedule ends.
pub fn static_log() {
    static LOG: Lock<Vec<u64>> = Lock::new(Vec::new());
    let threads: Vec<_> = (0..CLEAN_THREADS)
        .map(|_| {
            Thread::spawn(|| {
                for round in 0..CLEAN_ROUNDS {
                    LOG.acquire().push(round as u64);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
    assert_eq!(LOG.acquire().len(), CLEAN_THREADS * CLEAN_ROUNDS);
}

/// Two threads take two locks in opposite orders.
pub fn abba() {
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
    first.join().expect("no thread panics");
    second.join().expect("no thread panics");
}

/// Two threads increment a `Shared` by an unguarded read-modify-write.
pub fn lost_update_shared() {
    let counter = Arc::new(Shared::new(0_u64));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            Thread::spawn(move || counter.set(counter.get() + 1))
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
    assert_eq!(counter.get(), 2, "an update was lost");
}

/// The same lost update without a data race: the read and the write each hold the lock, but
/// not across both, so only the final assertion can catch it.
pub fn lost_update_split_lock() {
    let counter = Arc::new(Lock::new(0_u64));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            Thread::spawn(move || {
                let read = *counter.acquire();
                *counter.acquire() = read + 1;
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
    assert_eq!(*counter.acquire(), 2, "an update was lost");
}

/// Philosopher i takes fork i, then fork i+1.
pub fn dining_philosophers() {
    let forks: Arc<Vec<Lock<()>>> = Arc::new((0..PHILOSOPHERS).map(|_| Lock::new(())).collect());
    let philosophers: Vec<_> = (0..PHILOSOPHERS)
        .map(|i| {
            let forks = Arc::clone(&forks);
            Thread::spawn(move || {
                let _left = forks[i].acquire();
                let _right = forks[(i + 1) % PHILOSOPHERS].acquire();
            })
        })
        .collect();
    for philosopher in philosophers {
        philosopher.join().expect("no philosopher panics");
    }
}

/// Fails only when the threads' steps run in `BAD_ORDER`; each thread first does unrelated
/// lock work, so the order is rare.
pub fn three_thread_order() {
    let stage = Arc::new(Lock::new(0_usize));
    let noise = Arc::new(Lock::new(()));
    let threads: Vec<_> = (0..BAD_ORDER.len())
        .map(|me| {
            let (stage, noise) = (Arc::clone(&stage), Arc::clone(&noise));
            Thread::spawn(move || {
                for _ in 0..ORDER_NOISE_ROUNDS {
                    drop(noise.acquire());
                }
                order_step(me, &mut stage.acquire());
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
}

/// Unrelated lock rounds each thread of `three_thread_order` does before its step.
pub const ORDER_NOISE_ROUNDS: usize = 3;

/// The order of `three_thread_order`'s steps that fails: neither the order the threads are
/// started in nor its reverse, so running threads oldest- or newest-first does not stumble on it.
pub const BAD_ORDER: [usize; 3] = [2, 0, 1];

/// Thread `me`'s step of `three_thread_order`: advances the shared stage when `me` is next in
/// `BAD_ORDER`, and fails when the last thread of `BAD_ORDER` finds the other two done.
pub fn order_step(me: usize, stage: &mut usize) {
    let position = BAD_ORDER
        .iter()
        .position(|&thread| thread == me)
        .expect("every thread is in BAD_ORDER");
    assert!(
        !(position == BAD_ORDER.len() - 1 && *stage == position),
        "threads ran in the one bad order"
    );
    if *stage == position {
        *stage += 1;
    }
}

/// Lock rounds each thread of `serial_order` does.
pub const SERIAL_ROUNDS: usize = 5;

/// Three threads each log their id `SERIAL_ROUNDS` times, every access under one lock; the
/// program fails only when they ran one after another, whole, in `BAD_ORDER`. Neither clocks nor
/// lock order predict it; a random scheduler rarely keeps two threads off the lock that long,
/// while PCT runs threads by priority and needs only the right ranking.
pub fn serial_order() {
    let log = Arc::new(Lock::new(Vec::new()));
    let threads: Vec<_> = (0..BAD_ORDER.len())
        .map(|me| {
            let log = Arc::clone(&log);
            Thread::spawn(move || {
                for _ in 0..SERIAL_ROUNDS {
                    log.acquire().push(me);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no thread panics");
    }
    let serial: Vec<usize> = BAD_ORDER
        .iter()
        .flat_map(|&me| [me; SERIAL_ROUNDS])
        .collect();
    assert_ne!(
        *log.acquire(),
        serial,
        "threads ran whole, in the one bad order"
    );
}
