use racecheck::Lock;

/// Stages of a conveyor; an item moves from stage i to stage i + 1 with both held.
pub struct Chain {
    stages: Vec<Lock<u64>>,
}

impl Chain {
    pub fn new(n: usize) -> Self {
        Chain { stages: (0..n).map(|_| Lock::new(0)).collect() }
    }

    /// Hand-over-hand: always the lower index first, then the next one.
    pub fn push_through(&self, amount: u64) {
        *self.stages[0].acquire() += amount;
        for i in 0..self.stages.len() - 1 {
            let mut here = self.stages[i].acquire();
            let mut next = self.stages[i + 1].acquire();
            let moved = *here / 2;
            *here -= moved;
            *next += moved;
        }
    }

    pub fn values(&self) -> Vec<u64> {
        self.stages.iter().map(|s| *s.acquire()).collect()
    }
}
