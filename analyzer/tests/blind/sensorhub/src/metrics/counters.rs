//! Process-wide counters, kept as module-level variables like the hub's original Python did.

use racecheck::{Lock, Shared};

use crate::model::Round;

static SAMPLES_READ: Shared<u64> = Shared::new(0);
static UPLOADS_DONE: Shared<u64> = Shared::new(0);
static UPLOAD_FAILURES: Shared<u64> = Shared::new(0);
static UPLOAD_COUNTERS: Lock<()> = Lock::new(());
static LATEST_ROUND: Shared<Round> = Shared::new(0);
static SAMPLES_COLLECTED: Shared<u64> = Shared::new(0);

pub fn record_sample() {
    let seen = SAMPLES_READ.get();
    SAMPLES_READ.set(seen + 1); // PLANTED: unguarded-shared-counter: every reader thread does this get/set pair without a lock
}

pub fn record_upload(ok: bool) {
    let _counters = UPLOAD_COUNTERS.acquire();
    if ok {
        UPLOADS_DONE.set(UPLOADS_DONE.get() + 1); // CLEAN: unguarded-shared-counter: uploader threads update under UPLOAD_COUNTERS
    } else {
        UPLOAD_FAILURES.set(UPLOAD_FAILURES.get() + 1);
    }
}

/// Called by the collector for each sample it takes off the queue.
pub fn record_collected(round: Round) {
    SAMPLES_COLLECTED.set(SAMPLES_COLLECTED.get() + 1); // CLEAN: unguarded-shared-counter: the collector is the only writer
    if round > LATEST_ROUND.get() {
        LATEST_ROUND.set(round);
    }
}

pub fn samples_read() -> u64 {
    SAMPLES_READ.get()
}

pub fn samples_collected() -> u64 {
    SAMPLES_COLLECTED.get()
}

pub fn latest_round() -> Round {
    LATEST_ROUND.get()
}

pub fn uploads() -> (u64, u64) {
    let _counters = UPLOAD_COUNTERS.acquire();
    (UPLOADS_DONE.get(), UPLOAD_FAILURES.get())
}

/// One line with every counter, for the reporter.
pub fn render() -> String {
    let (done, failed) = uploads();
    format!(
        "read={} collected={} latest_round={} uploads={} failed={}",
        samples_read(),
        samples_collected(),
        latest_round(),
        done,
        failed
    )
}
