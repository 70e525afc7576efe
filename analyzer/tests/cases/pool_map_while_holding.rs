//! `Pool::map` waits for its tasks: holding the lock they take while it waits is a deadlock.
use racecheck::{Lock, Pool};

static TOTAL: Lock<u64> = Lock::new(0);

fn main() {
    let pool = Pool::new(2);
    let total = TOTAL.acquire();
    let _ = pool.map(|x: u64| *TOTAL.acquire() += x, 0..4u64); //~ D003
    drop(total);
    pool.close();
    pool.join().unwrap();
}
