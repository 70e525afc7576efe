//! The end-to-end suites of racecheck that need both halves, the analyzer and the runtime: they
//! run `cargo racecheck confirm` and `replay` on the fixture programs. The package has no code of
//! its own; its tests are in `confirm.rs`.
