//! A cycle made through helpers: `report` holds `COUNTERS` and calls `pending`, which takes
//! `ENTRIES`; `complete` holds `ENTRIES` and calls `update`, which takes `COUNTERS`. It is
//! reported once, at the second acquisition that comes first in the source (file, line,
//! column): `update`'s, although the reporter thread's `COUNTERS` is held first.
use racecheck::{Lock, Thread};

static COUNTERS: Lock<u64> = Lock::new(0);
static ENTRIES: Lock<Vec<u64>> = Lock::new(Vec::new());

fn update() {
    *COUNTERS.acquire() += 1; //~ D001
}

fn pending() -> usize {
    ENTRIES.acquire().len()
}

fn report() -> String {
    let counters = COUNTERS.acquire();
    format!("{} done, {} pending", *counters, pending())
}

fn complete(id: u64) {
    let mut entries = ENTRIES.acquire();
    entries.push(id);
    update();
}

fn main() {
    let reporter = Thread::spawn(report);
    complete(1);
    reporter.join().unwrap();
}
