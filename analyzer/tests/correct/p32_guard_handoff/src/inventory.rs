use racecheck::{Lock, LockGuard};

pub struct Inventory {
    stock: Lock<u64>,
    log: Lock<Vec<String>>,
}

/// Consumes the guard: the lock is released when this returns.
fn commit(mut g: LockGuard<'_, u64>, n: u64) {
    *g -= n.min(*g);
}

impl Inventory {
    pub fn new() -> Self {
        Inventory { stock: Lock::new(5), log: Lock::new(Vec::new()) }
    }
    pub fn reserve(&self, n: u64) {
        let g = self.stock.acquire();
        commit(g, n);
        self.note(format!("reserved, now {}", self.level()));
    }
    pub fn restock_if_low(&self) {
        let g = self.stock.acquire();
        if *g < 3 {
            drop(g);
            self.restock(10);
            return;
        }
        println!("stock fine at {}", *g);
    }
    fn restock(&self, n: u64) {
        *self.stock.acquire() += n;
    }
    pub fn audit_then_log(&self) {
        let mut held: Option<LockGuard<'_, u64>> = Some(self.stock.acquire());
        let seen = **held.as_ref().unwrap();
        held = None;
        let _ = held;
        self.note(format!("audit saw {seen}, now {}", self.level()));
    }
    fn note(&self, s: String) {
        self.log.acquire().push(s);
    }
    pub fn level(&self) -> u64 {
        *self.stock.acquire()
    }
}
