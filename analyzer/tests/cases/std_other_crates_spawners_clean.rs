//! Closures given to other crates' spawners (a runtime's `spawn_blocking`, a pool's `execute`)
//! run on other threads, not in line: holding a lock while handing over a closure that takes it
//! is no double lock. A barrier waited on in a closure another crate runs once per thread of its
//! pool has waiters the model cannot count against its parties.
use std::sync::{Arc, Barrier, Mutex};

fn blocking_tasks(rt: &tokio::runtime::Runtime) {
    let ready = Arc::new(Mutex::new(()));
    let guard = ready.lock().unwrap();
    let ready_cloned = ready.clone();
    let wait_until_ready = move || {
        let _unused = ready_cloned.lock().unwrap();
    };
    let _h = rt.spawn_blocking(wait_until_ready);
    drop(guard);
}

fn pool_start_handlers() {
    let n_threads = 4;
    let barrier = Arc::new(Barrier::new(5));
    let start_handler = {
        let barrier = barrier.clone();
        move |_| {
            barrier.wait();
        }
    };
    let _pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n_threads)
        .start_handler(start_handler)
        .build();
    barrier.wait();
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    blocking_tasks(&rt);
    pool_start_handlers();
}
