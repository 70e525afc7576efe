//! `#[racecheck::test]` and `#[racecheck::main]`: the attributes that put a test or a binary's
//! `main` under racecheck's schedule explorer.
//!
//! Both expand to thin calls into `racecheck::explore::harness`, which owns every runtime decision
//! (environment overrides, the findings report, exit codes). The macros only validate what they are
//! given and turn the attribute's arguments into a `racecheck::explore::Config` expression, so every
//! mistake is a compile error pointing at the offending token rather than a runtime surprise.

use proc_macro::TokenStream;

mod explore_args;
mod fn_shape;
mod main_attr;
mod target;
mod test_attr;

/// Runs the function as a `#[test]` under the schedule explorer.
///
/// Arguments (all optional): `schedules = N`,
/// `strategy = "portfolio" (the default) | "random" | "pct" | "targeted"`,
/// `depth = N` (only with `"pct"`; default `racecheck::explore::DEFAULT_PCT_DEPTH`), `seed = N`,
/// `max_steps = N`. The environment variables `RACECHECK_SCHEDULES`, `RACECHECK_SEED`,
/// `RACECHECK_STRATEGY` and `RACECHECK_REPLAY` override them at run time. The test fails when any
/// schedule yields a finding.
///
/// ```
/// use racecheck::{Lock, Thread};
/// use std::sync::Arc;
///
/// #[racecheck::test(schedules = 500, strategy = "pct", depth = 3)]
/// fn transfers_keep_the_total() {
///     let accounts = Arc::new([Lock::new(60_i64), Lock::new(40)]);
///     let worker = Arc::clone(&accounts);
///     let transfer = Thread::spawn(move || {
///         let (mut from, mut to) = (worker[0].acquire(), worker[1].acquire());
///         *from -= 10;
///         *to += 10;
///     });
///     let total = {
///         let (a, b) = (accounts[0].acquire(), accounts[1].acquire());
///         *a + *b
///     };
///     transfer.join().unwrap();
///     assert_eq!(total, 100);
/// }
/// ```
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    test_attr::expand(args.into(), item.into()).into()
}

/// Marks a binary's `fn main()` (or `fn main() -> Result<(), E>`): it runs once normally, and is
/// explored instead when the environment says `RACECHECK_EXPLORE=1`; any finding then makes the
/// process exit with code 101, like a panicking `main`.
///
/// ```
/// use racecheck::{Queue, Thread};
///
/// #[racecheck::main]
/// fn main() {
///     let jobs = Queue::new();
///     let consumer = jobs.clone();
///     let worker = Thread::spawn(move || consumer.get() * 2);
///     jobs.put(21);
///     assert_eq!(worker.join().unwrap(), 42);
/// }
/// ```
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    main_attr::expand(args.into(), item.into()).into()
}
