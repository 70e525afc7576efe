//! The exploration engine: runs a closure under many deterministic schedules of its logical
//! threads and reports deadlocks, data races, lock-order cycles, panics, livelocks and hangs, each
//! with a witness trace and a replay token.
//!
//! Data flow: [`explore`] → `runner` (schedules over worker threads) → `execution` (one schedule:
//! coroutines, one per logical thread) ↔ primitives, which branch on `context()` and call the
//! `model`s through `Cx` → `state` (per-schedule side table of `side_table` entries keyed by each
//! primitive's `Stamp`, vector clocks, trace) → `detect` (findings). `scheduler` picks who runs at
//! every step; `token` records its choices for `replay`. `join_handle` is the explored side of
//! `JoinHandle`.
//!
//! Layers, each importing only those below it: `ids` (with `clock`, `rng`, `object`, `finding`,
//! `token`, `config`, `watchdog`, `stack_guard`) → `trace` → `scheduler`, `detect::lock_order`, `side_table` → `state` →
//! `context` → `model`, `join_handle`, `detect` → `execution` → `runner` → this module and
//! `harness`. The engine names no primitive: what it shares with them (`Panicked`, `ThreadInfo`,
//! `SourceLocation`) is the crate's leaf vocabulary.

mod clock;
mod config;
mod context;
mod detect;
#[cfg(test)]
mod engine_tests;
mod execution;
mod finding;
#[doc(hidden)]
pub mod harness;
mod ids;
mod join_handle;
mod merge;
mod model;
mod naming;
mod object;
mod partition;
mod progress;
mod quiet_stdout;
mod rng;
mod runner;
mod scheduler;
mod side_table;
mod stack_guard;
mod state;
mod token;
mod trace;
mod watchdog;

use std::sync::Arc;

pub use config::{Config, Strategy, DEFAULT_PCT_DEPTH, MAX_STACK_SIZE, MIN_STACK_SIZE};
pub use finding::{
    Coverage, Finding, FindingKind, Report, TraceEvent, Unit, Witnesses, SERIALIZED_TRACE_EVENTS,
};
pub use merge::merge;
pub use partition::Partition;
pub use token::{read_token, replay_argument, INLINE_TOKEN_LIMIT};

pub(crate) use context::{context, on_behalf_of, on_behalf_of_taking, Cx};
pub(crate) use join_handle::ExploredJoinHandle;
pub(crate) use model::{ChannelEnd, Ended, Patience, QueueInit};
pub(crate) use object::{is_static_address, Stamp};

/// Runs `body` under `config.schedules` schedules and reports the findings of the first failing
/// one (by index), or none.
///
/// Panics, at the caller, if called from inside an explored schedule or with settings that allow
/// no exploration (`schedules(0)`, `max_steps(0)`), and if the program misuses racecheck in a
/// way no schedule can make sense of (a primitive shared between schedules).
///
/// ```
/// use racecheck::explore::{Config, FindingKind};
/// use racecheck::{Shared, Thread};
///
/// static HITS: Shared<u64> = Shared::new(0);
///
/// fn two_increments() {
///     let other = Thread::spawn(|| HITS.set(HITS.get() + 1));
///     HITS.set(HITS.get() + 1);
///     other.join().unwrap();
/// }
///
/// let report = racecheck::explore(Config::default().schedules(100), two_increments);
/// let race = &report.findings()[0];
/// assert_eq!(race.kind, FindingKind::DataRace);
/// // The same interleaving, event for event:
/// let again = racecheck::replay(&race.replay_token, two_increments);
/// assert_eq!(again.findings()[0].trace, race.trace);
/// ```
#[track_caller]
pub fn explore<F>(config: Config, body: F) -> Report
where
    F: Fn() + Send + Sync + 'static,
{
    runner::run(config, Arc::new(body))
}

/// Re-runs the schedule a replay token names, event for event.
///
/// Panics on a malformed token (check one first with [`validate_token`]), and when the program
/// does not follow the token (it was recorded from another program, or the program changed)
/// without reproducing any finding.
#[track_caller]
pub fn replay<F>(token: &str, body: F) -> Report
where
    F: Fn() + Send + Sync + 'static,
{
    explore(
        Config::default()
            .schedules(1)
            .strategy(Strategy::Replay(token.trim().to_owned())),
        body,
    )
}

/// `Ok` if `token` is a well-formed replay token, else what is wrong with it.
pub fn validate_token(token: &str) -> Result<(), String> {
    token::decode(token).map(drop)
}
