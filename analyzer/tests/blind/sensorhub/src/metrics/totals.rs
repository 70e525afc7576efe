use std::collections::HashMap;

use racecheck::Lock;

use crate::model::DeviceId;

/// Running totals of what the hub has produced.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub bytes_uploaded: u64,
    pub batches_uploaded: u64,
    pub aggregates: u64,
    pub alerts_by_device: HashMap<DeviceId, u32>,
}

/// What the upload side tells the reporter about itself.
pub trait UploadStats: Send + Sync {
    fn recent_count(&self) -> usize;
    fn endpoint(&self) -> String;
}

pub struct Metrics {
    totals: Lock<Totals>,
}

impl Metrics {
    pub fn new() -> Self {
        Metrics {
            totals: Lock::new(Totals::default()),
        }
    }

    pub fn totals(&self) -> &Lock<Totals> {
        &self.totals
    }

    pub fn add_upload(&self, bytes: usize) {
        let mut totals = self.totals.acquire();
        totals.bytes_uploaded += bytes as u64;
        totals.batches_uploaded += 1;
    }

    pub fn add_aggregate(&self) {
        self.totals.acquire().aggregates += 1;
    }

    pub fn add_alert(&self, device: DeviceId) {
        *self.totals.acquire().alerts_by_device.entry(device).or_insert(0) += 1;
    }

    /// Totals and upload activity, consistent with each other.
    pub fn summary(&self, uploads: &dyn UploadStats) -> String {
        let totals = self.totals.acquire();
        let recent = uploads.recent_count();
        let noisiest = totals.alerts_by_device.iter().max_by_key(|(id, n)| (**n, usize::MAX - **id));
        let mut line = format!(
            "uploaded {} B in {} batches to {} ({recent} recent), {} aggregates",
            totals.bytes_uploaded,
            totals.batches_uploaded,
            uploads.endpoint(),
            totals.aggregates
        );
        if let Some((device, alerts)) = noisiest {
            line.push_str(&format!(", noisiest dev{device} ({alerts} alerts)"));
        }
        line
    }
}
