use racecheck::Semaphore;

use crate::stats::Stats;

pub struct Fetcher {
    slots: Semaphore,
    stats: Stats,
}

impl Fetcher {
    pub fn new(parallel: usize) -> Self {
        Fetcher { slots: Semaphore::bounded(parallel), stats: Stats::default() }
    }
    pub fn fetch(&self, url: &str) {
        let _permit = self.slots.acquire();
        self.stats.begin();
        let body = url.repeat(3);
        self.stats.end(body.len() as u64);
    }
    pub fn report(&self) -> String {
        self.stats.summary()
    }
}
