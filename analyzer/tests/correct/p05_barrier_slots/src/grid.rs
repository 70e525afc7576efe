use racecheck::{Barrier, Lock};

pub struct Grid {
    pub cells: Vec<Lock<u64>>,
    pub sums: Vec<Lock<u64>>,
    pub phase: Barrier,
}

impl Grid {
    pub fn new(n: usize) -> Self {
        Grid {
            cells: (0..n).map(|i| Lock::new(i as u64 + 1)).collect(),
            sums: (0..n).map(|_| Lock::new(0)).collect(),
            phase: Barrier::new(n),
        }
    }
    pub fn snapshot(&self) -> Vec<u64> {
        self.cells.iter().map(|c| *c.acquire()).collect()
    }
}
