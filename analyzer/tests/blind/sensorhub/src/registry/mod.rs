//! The device registry: one lock per device, indexed by id, plus descriptive metadata.

mod devices;

pub use devices::{DeviceMeta, DeviceRegistry};

use crate::model::{DeviceId, DeviceStatus};

#[derive(Debug, Clone)]
pub struct DeviceLine {
    pub id: DeviceId,
    pub label: String,
    pub status: DeviceStatus,
    pub offset: f64,
    pub samples: u64,
    pub errors: u32,
}

impl std::fmt::Display for DeviceLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = format!("{:?}", self.status);
        write!(f, "{:>3} {:<24} {status:<9} offset {:+7.3} samples {:>5} errors {:>3}", self.id, self.label, self.offset, self.samples, self.errors)
    }
}
