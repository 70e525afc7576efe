use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ingest::SampleBuffer;
use crate::model::{DeviceId, Sample};
use crate::registry::DeviceRegistry;

/// Keeps the latest value per device for the hub's status display.
pub struct LiveView {
    pub(crate) buffer: Arc<SampleBuffer>,
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) every: u64,
}

impl LiveView {
    pub fn run(self) -> u64 {
        let mut latest: BTreeMap<DeviceId, Sample> = BTreeMap::new();
        let mut shown = 0;
        while let Some(sample) = self.buffer.next_sample() {
            shown += 1;
            latest.insert(sample.device, sample);
            if shown % self.every.max(1) == 0 {
                println!("{}", self.render(&latest));
            }
        }
        shown
    }

    fn render(&self, latest: &BTreeMap<DeviceId, Sample>) -> String {
        let cells: Vec<String> = latest
            .values()
            .map(|s| format!("{}={:.1}{}", self.registry.label(s.device), s.value, s.kind.unit()))
            .collect();
        format!("live: {}", cells.join("  "))
    }
}
