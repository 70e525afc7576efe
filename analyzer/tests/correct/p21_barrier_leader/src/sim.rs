use racecheck::{Barrier, Lock, Shared};

pub struct World {
    tick: Shared<u64>,
    positions: Vec<Lock<i64>>,
    sync: Barrier,
}

impl World {
    pub fn new(n: usize) -> Self {
        World { tick: Shared::new(0), positions: (0..n).map(|_| Lock::new(0)).collect(), sync: Barrier::new(n) }
    }
    pub fn ticks(&self) -> u64 {
        self.tick.get()
    }
}

pub fn step_loop(w: &World, me: usize, rounds: usize) {
    for _ in 0..rounds {
        *w.positions[me].acquire() += 1;
        // exactly one thread per round is the leader; the second wait keeps the others
        // from starting the next round before it has advanced the clock
        if w.sync.wait() {
            w.tick.set(w.tick.get() + 1);
        }
        w.sync.wait();
    }
}
