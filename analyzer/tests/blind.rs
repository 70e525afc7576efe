//! Recall and precision on application crates written without reading the analyzer:
//! `tests/blind/<name>/` are packages (a chat server over `std::sync`, parking_lot and
//! crossbeam-channel, library and program; an inventory service over `std::sync`, one program;
//! a job scheduler over `std::sync` and parking_lot, one program; a bank ledger over the three,
//! library and daemon; a metrics service over the three, library and daemon; a publish/subscribe
//! broker over the three, one program; an API gateway over the three, one program; a trading
//! venue over the three, library and program; a database access layer over the three, library
//! and program; a game server over `std::sync` and parking_lot, library and program; a print
//! shop over racecheck's own primitives, library and program; a web crawler over the three; a
//! sensor hub over racecheck's threading and multiprocessing primitives; a replicated key-value
//! store over `std::sync` and parking_lot) whose author planted defects and safe look-alikes
//! and marked each on the line of its offending operation: `// PLANTED: <kind>: <why>` and
//! `// CLEAN: <kind>: <why>` (`MANIFEST.md` beside each lists both operations of every mark).
//! They were written before the model was tuned to them, and are kept as they were written.
//!
//! `cargo racecheck check` runs inside each package with no path, as a user would, with the
//! rules on by default. A finding counts for a planted mark when its primary span or one of its
//! labels is on the mark's line. The test asserts that every finding counts for some planted
//! mark (no false alarm), and that the planted marks found are exactly those not in [`MISSED`]:
//! it fails on a new miss and on a fixed one (then delete its entry; the list only shrinks).
//! Run with `--nocapture` for each crate's recall.
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The planted marks the analyzer misses today: crate, file, line, and why.
#[rustfmt::skip]
const MISSED: &[(&str, &str, usize, &str)] = &[
    ("crawler", "src/graph/mod.rs", 75,
     "`next_id` loaded in `alloc_slot` and stored in the same function, reached from `intern` by the parsers: not traced yet"),
    ("crawler", "src/robots/mod.rs", 117,
     "`recv` of the robots loader's reply while holding `pending`, which the loader takes in `finish` before replying: not traced yet"),
    ("dbpool", "src/migrate/mod.rs", 87,
     "a clone of `history` written back under a later guard after migrations applied unlocked: not traced yet"),
    ("gamesrv", "src/chat/mod.rs", 108,
     "lock order `rooms` then `subscribers` in a match thread against `subscribers` then `rooms` in a player's thread, which the matchmaker's reaper (it joins only the registered threads `is_finished()` says have ended) is taken to wait for: not traced yet"),
    ("gamesrv", "src/leaderboard.rs", 66,
     "lock order `sessions` then `scores` (a guest's disconnect) against `scores` then `sessions` through a resolver trait object in the persistence thread's ranking job: not traced yet"),
    ("gamesrv", "src/matchmaking/mod.rs", 62,
     "`recv` of the match reply while holding `sessions`, which the matchmaker takes through `assign_match` before it replies: not traced yet"),
    ("kvstore", "src/engine/counters.rs", 16,
     "a value read through `get` and written back through `put` of the sharded table, the shard taken by a hash of the key: not traced yet"),
    ("kvstore", "src/snapshot/mod.rs", 168,
     "lock order shard (write) then `state` through a `dyn ShardObserver` against `state` then the shard (read): not traced yet"),
    ("printshop", "src/billing/mod.rs", 132,
     "D005 (wait-never-signalled) is off by default, its precision on real crates being below 0.8: found with `--select D005`"),
    ("printshop", "src/control/heartbeat.rs", 34,
     "L001 (thread-never-joined) is off by default, its precision on real crates being below 0.8: found with `--select L001`"),
    ("sensorhub", "src/hub/mod.rs", 291,
     "L001 (thread-never-joined) is off by default, its precision on real crates being below 0.8"),
    ("sensorhub", "src/upload/archive.rs", 89,
     "D005 (wait-never-signalled) is off by default, its precision on real crates being below 0.8"),
    ("exchange", "src/risk/mod.rs", 80,
     "lock order between an order book and `exposure` through the risk monitor's revaluation: not traced yet"),
    ("ledger", "src/notify/mod.rs", 72,
     "`recv` of an acknowledgement while holding `outbox`: the sender travels to the dispatcher inside a command enum over a channel that also carries a ping's reply sender and batches of events, so what a receive gives is not known"),
];

/// `(file, line)` of each mark of `kind` (`PLANTED` or `CLEAN`) in the package's sources.
fn marks(dir: &Path, kind: &str) -> BTreeSet<(String, usize)> {
    let mut files = Vec::new();
    rust_files(&dir.join("src"), &mut files);
    let needle = format!("// {kind}: ");
    let mut marks = BTreeSet::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a test source reads");
        let relative = path
            .strip_prefix(dir)
            .expect("under the package")
            .to_string_lossy()
            .into_owned();
        for (i, line) in text.lines().enumerate() {
            if line.contains(&needle) {
                marks.insert((relative.clone(), i + 1));
            }
        }
    }
    marks
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a test folder reads") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each finding's code and the `(file, line)` of its primary span and labels.
fn findings(dir: &Path) -> Vec<(String, Vec<(String, usize)>)> {
    support::check_in(dir)
        .iter()
        .map(|d| {
            let places = std::iter::once(support::at(&d["primary"]))
                .chain(
                    d["secondary"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|label| support::at(&label["span"])),
                )
                .collect();
            (d["code"].as_str().expect("a code").to_owned(), places)
        })
        .collect()
}

fn scored(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/blind")
        .join(name);
    let planted = marks(&dir, "PLANTED");
    let clean = marks(&dir, "CLEAN");
    assert!(planted.len() >= 10 && clean.len() >= 10, "{name}: marks");
    let mut found = BTreeSet::new();
    for (code, places) in findings(&dir) {
        let hits: Vec<_> = places.iter().filter(|p| planted.contains(*p)).collect();
        assert!(
            !hits.is_empty(),
            "{name}: false alarm {code} at {places:?} (no planted mark on its lines)"
        );
        found.extend(hits.into_iter().cloned());
    }
    let expected: BTreeSet<(String, usize)> = planted
        .iter()
        .filter(|(file, line)| {
            !MISSED
                .iter()
                .any(|&(c, f, l, _)| c == name && f == file && l == *line)
        })
        .cloned()
        .collect();
    println!(
        "{name}: {} of {} planted defects found, no false alarm ({} clean look-alikes)",
        found.len(),
        planted.len(),
        clean.len()
    );
    assert_eq!(found, expected, "{name}: planted marks found");
}

#[test]
fn chat_server_over_std_parking_lot_and_crossbeam() {
    scored("chatsrv");
}

#[test]
fn inventory_service_over_std() {
    scored("inventory");
}

#[test]
fn job_scheduler_over_std_and_parking_lot() {
    scored("jobsched");
}

#[test]
fn bank_ledger_library_and_daemon() {
    scored("ledger");
}

#[test]
fn metrics_service_library_and_daemon() {
    scored("telemetry");
}

#[test]
fn message_broker_over_std_parking_lot_and_crossbeam() {
    scored("broker");
}

#[test]
fn api_gateway_over_std_parking_lot_and_crossbeam() {
    scored("gateway");
}

#[test]
fn trading_venue_library_and_program() {
    scored("exchange");
}

#[test]
fn database_access_layer_library_and_program() {
    scored("dbpool");
}

#[test]
fn game_server_over_std_and_parking_lot() {
    scored("gamesrv");
}

#[test]
fn print_shop_over_racecheck_primitives() {
    scored("printshop");
}

#[test]
fn web_crawler_over_std_parking_lot_and_crossbeam() {
    scored("crawler");
}

#[test]
fn sensor_hub_over_racecheck_primitives() {
    scored("sensorhub");
}

#[test]
fn key_value_store_over_std_and_parking_lot() {
    scored("kvstore");
}
