//! A semaphore of one permit, its permit held as a guard, is a mutex: taken in the opposite order
//! to a lock by another thread, it deadlocks like a lock. A semaphore of several permits is not
//! ordered against locks.
use racecheck::{Lock, Semaphore, Thread};

static REFILL: Semaphore = Semaphore::new(1);
static SLOTS: Semaphore = Semaphore::new(4);
static SHARD: Lock<u32> = Lock::new(0);

fn load() {
    let _refilling = REFILL.acquire();
    *SHARD.acquire() += 1; //~ D001
}

fn invalidate() {
    let _shard = SHARD.acquire();
    let _refilling = REFILL.acquire();
}

fn fetch() {
    let _slot = SLOTS.acquire();
    *SHARD.acquire() += 1;
}

fn evict() {
    let _shard = SHARD.acquire();
    drop(SLOTS.acquire());
}

fn main() {
    let t = Thread::spawn(|| {
        load();
        fetch();
    });
    invalidate();
    evict();
    t.join().unwrap();
}
