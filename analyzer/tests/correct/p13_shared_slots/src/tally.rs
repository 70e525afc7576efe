use racecheck::Shared;

/// One counter per worker: each worker only ever touches its own slot.
pub struct Tally {
    slots: Vec<Shared<u64>>,
}

impl Tally {
    pub fn new(n: usize) -> Self {
        Tally { slots: (0..n).map(|_| Shared::new(0)).collect() }
    }
    pub fn bump(&self, me: usize) {
        let slot = &self.slots[me];
        slot.set(slot.get() + 1);
    }
    pub fn total(&self) -> u64 {
        self.slots.iter().map(|s| s.get()).sum()
    }
}
