//! The end-to-end suites of racecheck that need both halves, the analyzer and the runtime: they
//! run `cargo racecheck confirm` and `replay` on the fixture programs, and the replay commands
//! failing programs print, as pasted. The package has no code of its own; its tests are in
//! `confirm.rs` and `replay_hints.rs` (whose failing tests are planted in `planted-bugs.rs`).
