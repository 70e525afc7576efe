use std::collections::HashMap;

use racecheck::Lock;

use crate::model::{Device, DeviceId, Round, SensorKind};
use crate::registry::DeviceRegistry;

/// The calibration last worked out for a device.
#[derive(Debug, Clone, PartialEq)]
pub struct CalProfile {
    pub kind: SensorKind,
    pub offset: f64,
    pub gain: f64,
    pub recorded_round: Round,
    pub applied_round: Round,
    pub observations: u32,
}

/// Calibration profiles by device, and the reference values they are derived against.
pub struct CalibrationStore {
    table: Lock<HashMap<DeviceId, CalProfile>>,
    references: HashMap<SensorKind, f64>,
}

impl CalibrationStore {
    pub fn new() -> Self {
        let references = [SensorKind::Temperature, SensorKind::Humidity, SensorKind::Pressure]
            .into_iter()
            .map(|kind| (kind, kind.reference_point()))
            .collect();
        CalibrationStore {
            table: Lock::new(HashMap::new()),
            references,
        }
    }

    pub fn reference_for(&self, kind: SensorKind) -> f64 {
        self.references
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.reference_point())
    }

    pub fn profiles(&self) -> &Lock<HashMap<DeviceId, CalProfile>> {
        &self.table
    }

    /// Stores the calibration a device carries now.
    pub fn record(&self, device: &Device, round: Round) {
        let mut table = self.table.acquire();
        let profile = table.entry(device.id).or_insert_with(|| CalProfile {
            kind: device.kind,
            offset: device.offset,
            gain: device.gain,
            recorded_round: round,
            applied_round: round,
            observations: 0,
        });
        profile.offset = device.offset;
        profile.gain = device.gain;
        profile.recorded_round = profile.recorded_round.max(round);
        profile.observations += 1;
    }

    /// Re-installs every profile not applied for `stale_after` rounds; returns the devices
    /// refreshed.
    pub fn refresh_stale(&self, registry: &DeviceRegistry, round: Round, stale_after: u64) -> Vec<DeviceId> {
        let mut refreshed = Vec::new();
        let mut table = self.table.acquire();
        for (id, profile) in table.iter_mut() {
            if round < profile.applied_round + stale_after {
                continue;
            }
            registry.apply_profile(*id, profile.offset, profile.gain, round);
            profile.applied_round = round;
            refreshed.push(*id);
        }
        refreshed.sort_unstable();
        refreshed
    }
}
