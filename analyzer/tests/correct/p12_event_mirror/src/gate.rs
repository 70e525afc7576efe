use racecheck::{Event, Lock};

/// `has_work` mirrors `!pending.is_empty()`: both change together under `pending`'s lock.
pub struct Backlog {
    pending: Lock<Vec<u32>>,
    has_work: Event,
}

impl Backlog {
    pub fn new() -> Self {
        Backlog { pending: Lock::new(Vec::new()), has_work: Event::new() }
    }
    pub fn push(&self, v: u32) {
        let mut p = self.pending.acquire();
        p.push(v);
        self.has_work.set();
    }
    /// Blocks until an item is available and takes it.
    pub fn pop(&self) -> u32 {
        loop {
            self.has_work.wait();
            let mut p = self.pending.acquire();
            if let Some(v) = p.pop() {
                if p.is_empty() {
                    self.has_work.clear();
                }
                return v;
            }
        }
    }
}
