use racecheck::Event;

pub struct Gate {
    open: Event,
}

impl Gate {
    pub fn new() -> Self {
        let open = Event::new();
        open.set();
        Gate { open }
    }
    pub fn pause(&self) {
        self.open.clear();
    }
    pub fn resume(&self) {
        self.open.set();
    }
    pub fn pass(&self) {
        self.open.wait();
    }
}
