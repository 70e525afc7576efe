use std::sync::Arc;

use racecheck::Event;

use super::CalibrationStore;
use crate::config::HubConfig;
use crate::metrics::counters;
use crate::model::{DeviceId, Round};
use crate::registry::DeviceRegistry;

/// Re-applies stored calibration profiles whenever someone asks for a recalibration.
pub struct RecalScheduler {
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) store: Arc<CalibrationStore>,
    pub(crate) recalibrate: Arc<Event>,
    pub(crate) shutdown: Arc<Event>,
    pub(crate) config: Arc<HubConfig>,
}

impl RecalScheduler {
    pub fn run(self) -> u64 {
        let mut passes = 0;
        while !self.shutdown.is_set() {
            if !self.recalibrate.wait_timeout(self.config.tick()) {
                continue;
            }
            let round = counters::latest_round();
            let refreshed = self.store.refresh_stale(&self.registry, round, self.config.stale_after());
            let drifting = self.drifting(round);
            for id in refreshed.iter().chain(drifting.iter()) {
                self.registry
                    .annotate(*id, format!("recalibration pass {} at round {round}", passes + 1));
            }
            passes += 1;
            self.recalibrate.clear(); // PLANTED: event-clear-race: a set() from the collector or control thread during this pass is wiped out
        }
        passes
    }

    /// Devices whose live offset has moved away from their stored profile.
    fn drifting(&self, _round: Round) -> Vec<DeviceId> {
        let stored: Vec<(DeviceId, f64)> = {
            let table = self.store.profiles().acquire();
            table.iter().map(|(id, profile)| (*id, profile.offset)).collect()
        };
        let mut drifting = Vec::new();
        for (id, offset) in stored {
            let device = self.registry.slot(id).acquire(); // CLEAN: lock-order: the profile table guard ended with the block above
            if (device.offset - offset).abs() > 0.5 {
                drifting.push(id);
            }
        }
        drifting
    }
}
