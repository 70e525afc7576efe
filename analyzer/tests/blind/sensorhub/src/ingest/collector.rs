use std::sync::Arc;
use std::time::Duration;

use racecheck::{Connection, Event, JoinableQueue};

use super::{SampleBuffer, SampleIngest};
use crate::calibration::CalibrationStore;
use crate::config::HubConfig;
use crate::metrics::counters;
use crate::model::{Alert, AlertMsg, CalJob, Sample, Severity};
use crate::registry::DeviceRegistry;

#[derive(Debug, Default, Clone, Copy)]
pub struct CollectorReport {
    pub collected: u64,
    pub drifted: u64,
    pub alerts: u64,
}

/// Takes samples off the ingest queue, books them against their device, spots drift and
/// hands the samples to the buffer.
pub struct Collector {
    pub(crate) ingest: SampleIngest,
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) store: Arc<CalibrationStore>,
    pub(crate) buffer: Arc<SampleBuffer>,
    pub(crate) cal_jobs: JoinableQueue<CalJob>,
    pub(crate) alerts: Arc<Connection<AlertMsg>>,
    pub(crate) recalibrate: Arc<Event>,
    pub(crate) shutdown: Arc<Event>,
    pub(crate) config: Arc<HubConfig>,
}

impl Collector {
    /// Runs until shutdown is signalled and the queue is empty.
    pub fn run(self) -> CollectorReport {
        let mut report = CollectorReport::default();
        let poll = Duration::from_millis(10);
        loop {
            let sample = match self.ingest.queue().get_timeout(poll) {
                Ok(sample) => sample,
                Err(_) if self.shutdown.is_set() => break,
                Err(_) => continue,
            };
            report.collected += 1;
            counters::record_collected(sample.round);
            self.registry.touch(sample.device, sample.round);
            if self.check_drift(&sample) {
                report.drifted += 1;
            }
            if let Some(alert) = self.check_excursion(&sample) {
                report.alerts += 1;
                let sent = self.alerts.send(AlertMsg::Raise(alert)); // CLEAN: blocking-while-holding: the device guard ended with the inner block in check_excursion
                if sent.is_err() {
                    break;
                }
            }
            self.buffer.push(sample);
        }
        report
    }

    /// Queues a calibration job when a sample has wandered outside its range.
    fn check_drift(&self, sample: &Sample) -> bool {
        let limit = self.config.drift_limit();
        let excursion = sample.excursion();
        let reference = self.store.reference_for(sample.kind);
        let off_reference = (sample.value - reference).abs() > limit * 4.0;
        if excursion <= limit && !off_reference {
            return false;
        }
        self.cal_jobs
            .put(CalJob::adjust(sample.device, sample.round, sample.value, reference));
        self.recalibrate.set();
        true
    }

    /// An alert for a sample that is far outside its range on a device that was already
    /// misbehaving.
    fn check_excursion(&self, sample: &Sample) -> Option<Alert> {
        let threshold = self.config.alert_threshold();
        let excursion = sample.excursion();
        if excursion <= threshold {
            return None;
        }
        let alert = {
            let device = self.registry.slot(sample.device).acquire();
            let severity = if device.error_count > 0 || excursion > threshold * 2.0 {
                Severity::Critical
            } else {
                Severity::Warning
            };
            Alert::new(
                sample.device,
                severity,
                sample.round,
                sample.value,
                format!("value {:.2} {} out of range", sample.value, sample.kind.unit()),
            )
        };
        Some(alert)
    }
}
