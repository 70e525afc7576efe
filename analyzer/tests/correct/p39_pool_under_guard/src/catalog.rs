use std::sync::Arc;

use racecheck::{Lock, Pool};

pub struct Catalog {
    prices: Arc<Lock<Vec<u64>>>,
    pool: Pool,
}

impl Catalog {
    pub fn new() -> Self {
        Catalog { prices: Arc::new(Lock::new(vec![10, 20])), pool: Pool::new(2) }
    }
    /// Submits the repricing while still holding the prices, then lets go before waiting:
    /// the task blocks on the lock only until the guard is dropped.
    pub fn reprice(&self) -> u64 {
        let mut prices = self.prices.acquire();
        prices.push(30);
        let p = Arc::clone(&self.prices);
        let pending = self.pool.apply_async(move || p.acquire().iter().map(|x| x * 2).sum::<u64>());
        drop(prices);
        let total = pending.get();
        self.pool.close();
        self.pool.join().unwrap();
        total
    }
}
