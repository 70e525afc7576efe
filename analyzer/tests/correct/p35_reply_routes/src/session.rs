use racecheck::{Lock, Queue};

use crate::servers::CacheReq;

pub struct Sessions {
    table: Lock<Vec<u64>>,
}

impl Sessions {
    pub fn new() -> Self {
        Sessions { table: Lock::new(vec![1, 2]) }
    }
    pub fn count(&self) -> usize {
        self.table.acquire().len()
    }
    pub fn refresh_with(&self, cache: &Queue<CacheReq>, key: u64) -> u64 {
        let mut t = self.table.acquire();
        let reply = Queue::new();
        cache.put(CacheReq { key, reply: reply.clone() });
        let v = reply.get();
        t.push(v);
        v
    }
}
