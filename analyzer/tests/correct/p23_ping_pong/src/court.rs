use racecheck::{Event, Lock};

/// Strict alternation with two events: each side clears its own event right after waking,
/// and the other side sets it again only after the reply it waits for.
pub struct Court {
    ping: Event,
    pong: Event,
    count: Lock<u32>,
}

impl Court {
    pub fn new() -> Self {
        Court { ping: Event::new(), pong: Event::new(), count: Lock::new(0) }
    }
    pub fn ping_player(&self, n: u32) {
        for _ in 0..n {
            self.ping.set();
            self.pong.wait();
            self.pong.clear();
        }
    }
    pub fn pong_player(&self, n: u32) {
        for _ in 0..n {
            self.ping.wait();
            self.ping.clear();
            *self.count.acquire() += 1;
            self.pong.set();
        }
    }
    pub fn rallies(&self) -> u32 {
        *self.count.acquire()
    }
}
