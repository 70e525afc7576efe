//! Two writer functions race on one `Shared`: the race is reported once, at the first
//! read-modify-write, with the other writer as a label.
use racecheck::{Shared, Thread};

static HITS: Shared<u64> = Shared::new(0);

fn count_page() {
    HITS.set(HITS.get() + 1); //~ R001
}

fn count_api() {
    let seen = HITS.get();
    HITS.set(seen + 2);
}

fn main() {
    let pages = Thread::spawn(count_page);
    let api = Thread::spawn(count_api);
    pages.join().unwrap();
    api.join().unwrap();
}
