use std::sync::Arc;

use racecheck::Event;

use crate::config::HubConfig;
use crate::metrics::counters;
use crate::registry::DeviceRegistry;

/// Marks devices that have gone quiet as offline.
pub struct Watchdog {
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) config: Arc<HubConfig>,
    pub(crate) shutdown: Arc<Event>,
}

impl Watchdog {
    pub fn run(self) {
        let tick = self.config.tick() * 5;
        while !self.shutdown.wait_timeout(tick) {
            let now = counters::latest_round();
            if now == 0 {
                continue;
            }
            for id in self.registry.mark_silent_offline(now, self.config.stale_after()) {
                self.registry
                    .annotate(id, format!("offline: nothing heard since before round {now}"));
            }
        }
    }
}
