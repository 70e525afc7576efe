use racecheck::{Event, Lock};

pub struct Stages {
    catalog: Lock<Vec<u32>>,
    index: Lock<Vec<usize>>,
    loaded: Event,
}

impl Stages {
    pub fn new() -> Self {
        Stages { catalog: Lock::new(Vec::new()), index: Lock::new(Vec::new()), loaded: Event::new() }
    }
    /// catalog, then index; announces `loaded` only after both guards are gone.
    pub fn load(&self) {
        {
            let mut c = self.catalog.acquire();
            let mut i = self.index.acquire();
            c.extend([5, 3, 9]);
            i.extend([1, 0, 2]);
        }
        self.loaded.set();
    }
    /// index, then catalog: the opposite order, but only after `loaded`, when the loader
    /// holds neither lock and takes neither again.
    pub fn check(&self) -> bool {
        self.loaded.wait();
        let i = self.index.acquire();
        let c = self.catalog.acquire();
        i.iter().all(|&k| k < c.len())
    }
}
