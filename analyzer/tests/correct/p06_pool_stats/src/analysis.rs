use std::sync::Arc;

use racecheck::{Lock, Pool};

pub struct Engine {
    pool: Pool,
    calls: Arc<Lock<u64>>,
}

impl Engine {
    pub fn new(n: usize) -> Self {
        Engine { pool: Pool::new(n), calls: Arc::new(Lock::new(0)) }
    }
    pub fn lengths(&self, words: Vec<String>) -> Vec<usize> {
        let calls = Arc::clone(&self.calls);
        self.pool.map(
            move |w: String| {
                *calls.acquire() += 1;
                w.len()
            },
            words,
        )
    }
    pub fn longest(&self, words: Vec<String>) -> String {
        let pending = self.pool.apply_async(move || words.into_iter().max_by_key(|w| w.len()).unwrap_or_default());
        pending.get()
    }
    pub fn finish(self) -> u64 {
        self.close_pool();
        self.pool.join().expect("closed above");
        let n = *self.calls.acquire();
        n
    }
    fn close_pool(&self) {
        self.pool.close();
    }
}
