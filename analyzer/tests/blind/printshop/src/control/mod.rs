//! Run control shared by every thread: the shutdown flag and the pause switch.

pub mod heartbeat;
pub mod stats;

use std::time::{Duration, Instant};

use racecheck::Event;

pub use heartbeat::{HealthProbe, Heartbeat};

pub struct Control {
    shutdown: Event,
    running: Event,
    started_at: Instant,
}

impl Control {
    pub fn new() -> Self {
        Control { shutdown: Event::new(), running: Event::new(), started_at: Instant::now() }
    }

    /// Lets renderers take jobs.
    pub fn start(&self) {
        self.running.set();
    }

    /// Renderers finish the job in hand and then hold off until `resume`.
    pub fn pause(&self) {
        self.running.clear(); // CLEAN: event-clear-race: `running` is a level switched only by the main thread; waiters re-check it before every job
    }

    pub fn resume(&self) {
        self.running.set();
    }

    /// Blocks while the shop is paused.
    pub fn wait_until_running(&self) {
        self.running.wait(); // CLEAN: wait-never-signalled: set by start(), resume() and request_shutdown()
    }

    pub fn request_shutdown(&self) {
        self.shutdown.set();
        // Nobody may stay parked on the pause switch once we are stopping.
        self.running.set();
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutdown.is_set()
    }

    /// Sleeps for `d` unless shutdown is requested first; `true` means "stop now".
    pub fn sleep_unless_shutdown(&self, d: Duration) -> bool {
        self.shutdown.wait_timeout(d)
    }

    pub fn uptime(&self) -> Duration {
        self.started_at.elapsed()
    }
}

impl Default for Control {
    fn default() -> Self {
        Control::new()
    }
}
