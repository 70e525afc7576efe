use racecheck::{Event, Shared};

/// A baton race: the second runner starts only after the first hands over the baton.
pub struct Relay {
    distance: Shared<u64>,
    baton: Event,
}

impl Relay {
    pub fn new() -> Self {
        Relay { distance: Shared::new(0), baton: Event::new() }
    }
    pub fn first_leg(&self) {
        self.distance.set(self.distance.get() + 10);
        self.baton.set();
    }
    pub fn second_leg(&self) {
        self.baton.wait();
        self.distance.set(self.distance.get() + 20);
    }
    pub fn distance(&self) -> u64 {
        self.distance.get()
    }
}
