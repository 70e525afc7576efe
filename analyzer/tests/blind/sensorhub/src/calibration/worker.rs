use std::sync::Arc;

use racecheck::JoinableQueue;

use super::CalibrationStore;
use crate::model::{CalJob, CalRequest};
use crate::registry::DeviceRegistry;

/// Works out how much to move a device's offset given what it observed and what it should
/// have observed.
pub trait Estimator: Send + Sync + 'static {
    fn correction(&self, current_offset: f64, observed: f64, reference: f64) -> f64;
}

/// Moves part of the way towards the reference each time, so one outlier cannot swing a
/// device's calibration.
#[derive(Debug, Clone, Copy)]
pub struct Damped {
    pub factor: f64,
    pub max_step: f64,
}

impl Default for Damped {
    fn default() -> Self {
        Damped {
            factor: 0.4,
            max_step: 2.0,
        }
    }
}

impl Estimator for Damped {
    fn correction(&self, _current_offset: f64, observed: f64, reference: f64) -> f64 {
        let step = (reference - observed) * self.factor;
        step.clamp(-self.max_step, self.max_step)
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct WorkerReport {
    pub applied: u64,
    pub skipped: u64,
    pub negligible: u64,
}

/// Drains calibration jobs until it is told to stop.
pub struct CalibrationWorker<E: Estimator> {
    pub(crate) jobs: JoinableQueue<CalJob>,
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) store: Arc<CalibrationStore>,
    pub(crate) estimator: Arc<E>,
}

impl<E: Estimator> CalibrationWorker<E> {
    pub fn run(self) -> WorkerReport {
        let mut report = WorkerReport::default();
        loop {
            let request = match self.jobs.get() {
                CalJob::Stop => {
                    let _ = self.jobs.task_done();
                    break;
                }
                CalJob::Adjust(request) => request,
            };
            if !self.registry.status(request.device).accepts_calibration() {
                report.skipped += 1;
                continue;
            }
            if self.calibrate(&request) {
                report.applied += 1;
            } else {
                report.negligible += 1;
            }
            if self.jobs.task_done().is_err() {
                break;
            }
        }
        report
    }

    /// Applies one correction; `false` when it was too small to bother.
    fn calibrate(&self, request: &CalRequest) -> bool {
        let current = self.registry.offset(request.device);
        let correction = self
            .estimator
            .correction(current, request.observed, request.reference);
        if correction.abs() < 1e-3 {
            return false;
        }
        let updated = current + correction;
        self.registry.set_offset(request.device, updated); // PLANTED: stale-read: offset read earlier by offset(); another worker or the scheduler may have changed it since
        let device = self.registry.slot(request.device).acquire();
        self.store.record(&device, request.round);
        true
    }
}
