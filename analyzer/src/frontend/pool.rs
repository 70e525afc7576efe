//! The thread pool every pass of the analysis runs on.
//!
//! syn parses recursively, and so do the model's passes: a 10,000-deep expression needs far more
//! stack than a default thread has. Every task that touches a syntax tree (parsing, walking it,
//! dropping it) therefore runs on these threads, whose stacks are large enough for any nesting a
//! source file can realistically hold.
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::OnceLock;

/// Stack of each analysis thread. Only the touched pages are committed, so this costs address
/// space, not memory.
const STACK_SIZE: usize = 256 << 20;

/// The shared analysis pool, built on first use.
pub(crate) fn analysis_pool() -> &'static ThreadPool {
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("racecheck-analysis-{i}"))
            .build()
            .or_else(|_| {
                // Fall back to a single big-stack thread rather than giving up on analysis.
                ThreadPoolBuilder::new()
                    .num_threads(1)
                    .stack_size(STACK_SIZE)
                    .build()
            })
            .expect("cannot start any analysis thread")
    })
}
