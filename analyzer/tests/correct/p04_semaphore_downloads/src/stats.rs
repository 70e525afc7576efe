use racecheck::Lock;

#[derive(Default)]
pub struct Stats {
    in_flight: Lock<usize>,
    peak: Lock<usize>,
    bytes: Lock<u64>,
}

impl Stats {
    pub fn begin(&self) {
        let mut n = self.in_flight.acquire();
        *n += 1;
        let mut peak = self.peak.acquire();
        if *n > *peak {
            *peak = *n;
        }
    }
    pub fn end(&self, bytes: u64) {
        *self.in_flight.acquire() -= 1;
        *self.bytes.acquire() += bytes;
    }
    pub fn summary(&self) -> String {
        let peak = *self.peak.acquire();
        let bytes = *self.bytes.acquire();
        format!("peak {peak} bytes {bytes}")
    }
}
