//! No false alarm on correct programs written without reading the analyzer: `tests/correct/<name>/`
//! are 110 small packages, each a concurrent program free of deadlocks and races (worker pools,
//! pipelines, banks ordering accounts by id, condition-variable queues, barrier phases, scoped
//! threads, request/reply channels, lock families, guards dropped or parked before a wait…),
//! 70 over `std::sync` and 40 over racecheck's own primitives. Two reviewers wrote them to find
//! false alarms, checked each with `cargo check` and the racecheck ones with the explorer too,
//! and they are kept as written.
//!
//! `cargo racecheck check` runs inside each package with no path, as a user would, with the rules
//! on by default. The test asserts that the findings are exactly [`KNOWN`]: it fails on a new false
//! alarm and on a fixed one (then delete its entry; the list only shrinks).
mod support;

use std::collections::BTreeSet;
use std::path::Path;

/// The false alarms the analyzer still raises on these programs: package, file, line, code, and
/// why the program is correct.
#[rustfmt::skip]
const KNOWN: &[(&str, &str, usize, &str, &str)] = &[
    ("p15_global_order", "src/main.rs", 12, "D001",
     "a branch on constant ranks takes the lower rank first in every call"),
    ("p39_spsc_ring", "src/main.rs", 27, "R002",
     "a single-producer ring: only the producer stores `tail`"),
    ("p39_spsc_ring", "src/main.rs", 37, "R002",
     "a single-consumer ring: only the consumer stores `head`"),
    ("p21_barrier_leader", "src/sim.rs", 24, "R001",
     "only the round's leader (Barrier::wait returned true) updates, while the others wait at the next barrier"),
];

/// `(package, file, line, code)` of every finding in the package at `dir`.
fn findings(dir: &Path) -> Vec<(String, String, usize, String)> {
    let name = dir.file_name().expect("a package folder").to_string_lossy();
    support::check_in(dir)
        .iter()
        .map(|d| {
            let (file, line) = support::at(&d["primary"]);
            (
                name.clone().into_owned(),
                file,
                line,
                d["code"].as_str().expect("a code").to_owned(),
            )
        })
        .collect()
}

#[test]
fn correct_programs_raise_only_the_known_false_alarms() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/correct");
    let mut packages: Vec<_> = std::fs::read_dir(&root)
        .expect("the correct programs")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    packages.sort();
    assert_eq!(packages.len(), 110);
    let found: BTreeSet<_> = packages.iter().flat_map(|dir| findings(dir)).collect();
    let known: BTreeSet<_> = KNOWN
        .iter()
        .map(|&(p, f, l, c, _)| (p.to_owned(), f.to_owned(), l, c.to_owned()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let fixed: Vec<_> = known.difference(&found).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "new false alarms: {new:#?}\nno longer raised (delete from KNOWN): {fixed:#?}"
    );
}
