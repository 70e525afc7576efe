use racecheck::Lock;

/// Only the janitor thread ever holds two of these at once; everyone else takes one at a time.
pub struct Maintenance {
    index: Lock<u32>,
    data: Lock<u32>,
}

impl Maintenance {
    pub fn new() -> Self {
        Maintenance { index: Lock::new(0), data: Lock::new(0) }
    }
    pub fn janitor(&self) {
        {
            let mut i = self.index.acquire();
            let mut d = self.data.acquire();
            *i += 1;
            *d += 1;
        }
        {
            let d = self.data.acquire();
            let mut i = self.index.acquire();
            *i = *d;
        }
    }
    pub fn touch_index(&self) {
        *self.index.acquire() += 1;
    }
    pub fn touch_data(&self) {
        *self.data.acquire() += 1;
    }
}
