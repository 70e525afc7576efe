use std::collections::HashMap;

use racecheck::Lock;

use super::DeviceLine;
use crate::model::{Device, DeviceId, DeviceSpec, DeviceStatus, Round, SensorKind};

/// Descriptive data about a device; changes rarely, read for labels and reports.
#[derive(Debug, Clone)]
pub struct DeviceMeta {
    pub name: String,
    pub location: String,
    pub paired_with: Option<DeviceId>,
    pub notes: Vec<String>,
}

/// Every device the hub knows, each behind its own lock so readers of different devices never
/// contend.
pub struct DeviceRegistry {
    devices: Vec<Lock<Device>>,
    meta: Lock<HashMap<DeviceId, DeviceMeta>>,
}

impl DeviceRegistry {
    pub fn new(specs: &[DeviceSpec]) -> Self {
        let devices = specs
            .iter()
            .enumerate()
            .map(|(id, spec)| Lock::new(Device::new(id, spec.kind)))
            .collect();
        let meta = specs
            .iter()
            .enumerate()
            .map(|(id, spec)| {
                (
                    id,
                    DeviceMeta {
                        name: spec.name.clone(),
                        location: spec.location.clone(),
                        paired_with: spec.paired_with,
                        notes: Vec::new(),
                    },
                )
            })
            .collect();
        DeviceRegistry {
            devices,
            meta: Lock::new(meta),
        }
    }

    pub fn len(&self) -> usize {
        self.devices.len()
    }

    pub fn ids(&self) -> impl Iterator<Item = DeviceId> {
        0..self.devices.len()
    }

    pub fn slot(&self, id: DeviceId) -> &Lock<Device> {
        &self.devices[id]
    }

    pub fn kind(&self, id: DeviceId) -> SensorKind {
        self.devices[id].acquire().kind
    }

    pub fn status(&self, id: DeviceId) -> DeviceStatus {
        self.devices[id].acquire().status
    }

    pub fn set_status(&self, id: DeviceId, status: DeviceStatus) {
        let mut device = self.devices[id].acquire(); // PLANTED: double-lock: escalate() still holds this device's lock when quarantine() lands here
        if device.status != status {
            device.status = status;
        }
    }

    /// Takes a device out of service until an operator looks at it.
    pub fn quarantine(&self, id: DeviceId, reason: &str) {
        self.set_status(id, DeviceStatus::Faulty);
        self.annotate(id, format!("quarantined: {reason}"));
    }

    pub fn offset(&self, id: DeviceId) -> f64 {
        self.devices[id].acquire().offset
    }

    pub fn set_offset(&self, id: DeviceId, offset: f64) {
        self.devices[id].acquire().offset = offset;
    }

    /// Nudges a device's offset by `delta` in one step.
    pub fn adjust_offset(&self, id: DeviceId, delta: f64) -> f64 {
        let mut device = self.devices[id].acquire();
        device.offset += delta; // CLEAN: stale-read: read and write-back of the offset happen under one guard
        device.offset
    }

    pub fn touch(&self, id: DeviceId, round: Round) {
        let mut device = self.devices[id].acquire();
        device.samples_seen += 1;
        if round > device.last_round {
            device.last_round = round;
        }
    }

    pub fn apply_profile(&self, id: DeviceId, offset: f64, gain: f64, round: Round) {
        let mut device = self.devices[id].acquire(); // PLANTED: lock-order: refresh_stale() holds the profile table here, calibration workers take device then table
        if device.status.accepts_calibration() {
            device.calibrate(offset, gain, round);
        }
    }

    /// Copies the calibration of one device onto the device it is paired with, both locked so
    /// neither changes in between.
    pub fn sync_pair(&self, a: DeviceId, b: DeviceId) -> bool {
        if a == b {
            return false;
        }
        let (first, second) = (a.min(b), a.max(b));
        let mut low = self.devices[first].acquire();
        let mut high = self.devices[second].acquire(); // CLEAN: lock-order: pairs are always locked lowest id first
        let (source, target) = if a == first {
            (&*low, &mut *high)
        } else {
            (&*high, &mut *low)
        };
        if source.kind != target.kind {
            return false;
        }
        let (offset, gain) = (source.offset, source.gain);
        let round = source.last_round.max(target.last_round);
        target.calibrate(offset, gain, round);
        true
    }

    pub fn label(&self, id: DeviceId) -> String {
        let meta = self.meta.acquire();
        match meta.get(&id) {
            Some(m) => format!("{}@{}", m.name, m.location),
            None => format!("device-{id}"),
        }
    }

    pub fn annotate(&self, id: DeviceId, note: String) {
        if let Some(meta) = self.meta.acquire().get_mut(&id) {
            meta.notes.push(note);
        }
    }

    /// A report line per device, each device locked on its own.
    pub fn lines(&self) -> Vec<DeviceLine> {
        self.ids()
            .map(|id| {
                let (status, offset, samples, errors) = {
                    let d = self.devices[id].acquire();
                    (d.status, d.offset, d.samples_seen, d.error_count)
                };
                DeviceLine {
                    id,
                    label: self.label(id),
                    status,
                    offset,
                    samples,
                    errors,
                }
            })
            .collect()
    }

    /// Marks every readable device silent for more than `limit` rounds as of `now` offline;
    /// returns their ids.
    pub fn mark_silent_offline(&self, now: Round, limit: u64) -> Vec<DeviceId> {
        self.ids()
            .filter(|&id| {
                let mut device = self.devices[id].acquire();
                let silent = device.status.is_readable() && device.silence(now) > limit;
                if silent {
                    device.status = DeviceStatus::Offline;
                }
                silent
            })
            .collect()
    }
}
