//! Regression cases: single crates of the corpus that were once far slower to model than to
//! parse, each measured alone, modelled against parse-only, as whole processes.

use std::path::{Path, PathBuf};

/// Crates (by name, any version) measured alone. The first six were 18–48x slower modelled than
/// parsed (the model's budgets multiplied along call chains); windows-sys and tokio are the two
/// biggest crates after linux-raw-sys, whose trees dominate the modelled run's peak memory. The
/// last five spend most of their modelled time expanding or reading macros: syn's tests
/// (recursive `spanless_eq_enum!`, cut at the depth bound), zerocopy and bitflags (cut at the
/// expansion's token bound), aho-corasick (its `debug!` once expanded into itself), tracing
/// (arguments of thousands of macro calls parsed as expressions). crossbeam-channel was 6x
/// (0.68 s modelled, 0.11 s parsed): rule D003 looked for the wakers of every blocking wait,
/// holding a lock or not, each time scanning every event on the waited primitive.
pub const CASES: &[&str] = &[
    "regex-automata",
    "regex-syntax",
    "clap_builder",
    "serde_json",
    "insta",
    "linux-raw-sys",
    "windows-sys",
    "tokio",
    "syn",
    "zerocopy",
    "bitflags",
    "aho-corasick",
    "tracing",
    "crossbeam-channel",
];

/// The corpus folder of crate `name` (`name-VERSION`); the newest when several versions are in.
pub fn folder(corpus: &Path, name: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(corpus)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    found.sort();
    found.pop()
}
