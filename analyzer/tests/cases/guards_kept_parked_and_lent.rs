//! Where a guard lives besides a `let`: kept in a struct field (the object owns it until it is
//! dropped or taken apart), parked in an `Option` and moved out by `take()` (released by the
//! `drop` that follows), or lent by reference to an untyped closure parameter (it stays with
//! the caller).
use racecheck::{Lock, LockGuard, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
static SHARDS: [Lock<u32>; 2] = [Lock::new(0), Lock::new(0)];

struct Batch<'a> {
    shard: LockGuard<'a, u32>,
    written: u32,
}

fn batch(index: usize) -> Batch<'static> {
    Batch {
        shard: SHARDS[index].acquire(),
        written: 0,
    }
}

fn total() -> u32 {
    SHARDS.iter().map(|shard| *shard.acquire()).sum() //~ D002
}

impl Batch<'_> {
    fn insert(&mut self, value: u32) {
        *self.shard += value;
        self.written += 1;
        assert!(total() > 0);
    }

    fn finish(self) -> u32 {
        let Batch { shard, written } = self;
        drop(shard);
        written + total()
    }
}

fn parked() {
    let mut slot = None;
    slot = Some(A.acquire());
    if let Some(guard) = slot.take() {
        drop(guard);
    }
    let _b = B.acquire();
}

fn lent() {
    let a = A.acquire();
    let check = |guard| {
        assert!(guard != &a || guard == &a);
    };
    check(&a);
    let _b = B.acquire(); //~ D001
}

fn other() {
    let _b = B.acquire();
    let _a = A.acquire();
}

fn main() {
    let t = Thread::spawn(other);
    let mut b = batch(0);
    b.insert(1);
    b.finish();
    parked();
    lent();
    t.join().unwrap();
}
