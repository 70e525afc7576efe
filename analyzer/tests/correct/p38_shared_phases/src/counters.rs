use racecheck::{Lock, Shared};

static EPOCH: Shared<u64> = Shared::new(0);
static HITS: Shared<u64> = Shared::new(0);
static HITS_LOCK: Lock = Lock::new(());

/// Main only, before the workers start.
pub fn reset_epoch() {
    EPOCH.set(EPOCH.get() + 1);
}
/// Main only, after every worker is joined.
pub fn advance_epoch() {
    EPOCH.set(EPOCH.get() + 1);
}
pub fn worker() {
    let _e = EPOCH.get();
    for _ in 0..3 {
        let _g = HITS_LOCK.acquire();
        HITS.set(HITS.get() + 1);
    }
}
pub fn epoch() -> u64 {
    EPOCH.get()
}
pub fn hits() -> u64 {
    let _g = HITS_LOCK.acquire();
    HITS.get()
}
