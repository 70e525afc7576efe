//! Runtime support for `#[racecheck::test]` and `#[racecheck::main]` (not public API).
//! SKELETON: filled by the macro work.
use super::Config;

/// What `#[racecheck::test]` expands to call.
#[track_caller]
pub fn run_test<F: Fn() + Send + Sync + 'static>(_test_name: &str, _config: Config, body: F) {
    body()
}

/// What `#[racecheck::main]` expands to call.
pub fn run_main<F: Fn() + Send + Sync + 'static>(body: F) {
    body()
}
