//! Plain data carried between the hub's stages: samples, devices, alerts and jobs.

mod device;
mod sample;

pub use device::{Device, DeviceSpec, DeviceStatus};
pub use sample::{Alert, AlertMsg, CalJob, CalRequest, Sample, SensorKind, Severity};

pub type DeviceId = usize;

pub type Round = u64;

pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}
