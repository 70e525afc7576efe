//! Calibration: the stored profiles, the workers that compute corrections from queued jobs,
//! and the scheduler that re-applies stored profiles when asked to.

mod scheduler;
mod store;
mod worker;

pub use scheduler::RecalScheduler;
pub use store::{CalProfile, CalibrationStore};
pub use worker::{CalibrationWorker, Damped, Estimator, WorkerReport};
