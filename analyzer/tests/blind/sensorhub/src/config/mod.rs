//! Hub settings, readable from every thread and changed at run time by the control thread.

use std::cell::RefCell;
use std::time::Duration;

use racecheck::RLock;

/// The tunables of a running hub.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rounds: u64,
    /// How far outside the nominal range a value may go before it triggers recalibration.
    pub drift_limit: f64,
    pub alert_threshold: f64,
    pub batch_size: usize,
    pub queue_capacity: usize,
    pub max_errors: u32,
    /// Rounds without news after which a device counts as gone.
    pub stale_after: u64,
    pub upload_slots: usize,
    pub archive_bundle: usize,
    pub calibration_workers: usize,
    pub upload_workers: usize,
    pub aggregate_workers: usize,
    /// Pause between rounds, to let slow sensors settle.
    pub round_pause: Duration,
    pub tick: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rounds: 40,
            drift_limit: 2.5,
            alert_threshold: 5.0,
            batch_size: 8,
            queue_capacity: 16,
            max_errors: 5,
            stale_after: 6,
            upload_slots: 2,
            archive_bundle: 4,
            calibration_workers: 2,
            upload_workers: 3,
            aggregate_workers: 2,
            round_pause: Duration::from_millis(5),
            tick: Duration::from_millis(20),
        }
    }
}

/// A change requested by an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigChange {
    DriftLimit(f64),
    AlertThreshold(f64),
    /// Multiply the alert threshold, e.g. to quiet a noisy site for a while.
    ScaleThreshold(f64),
    BatchSize(usize),
}

/// The hub's settings behind a reentrant lock, so helpers can read a value while a caller
/// already holds the lock to change several together.
pub struct HubConfig {
    inner: RLock<RefCell<Settings>>,
}

impl HubConfig {
    pub fn new(settings: Settings) -> Self {
        HubConfig {
            inner: RLock::new(RefCell::new(settings)),
        }
    }

    pub fn snapshot(&self) -> Settings {
        self.inner.acquire().borrow().clone()
    }

    pub fn drift_limit(&self) -> f64 {
        self.inner.acquire().borrow().drift_limit
    }

    pub fn alert_threshold(&self) -> f64 {
        let settings = self.inner.acquire(); // CLEAN: double-lock: RLock is reentrant, apply() may already hold it on this thread
        let threshold = settings.borrow().alert_threshold;
        threshold
    }

    pub fn batch_size(&self) -> usize {
        self.inner.acquire().borrow().batch_size
    }

    pub fn max_errors(&self) -> u32 {
        self.inner.acquire().borrow().max_errors
    }

    pub fn stale_after(&self) -> u64 {
        self.inner.acquire().borrow().stale_after
    }

    pub fn tick(&self) -> Duration {
        self.inner.acquire().borrow().tick
    }

    /// Applies an operator's change; returns a description of what changed.
    pub fn apply(&self, change: &ConfigChange) -> String {
        let settings = self.inner.acquire();
        match change {
            ConfigChange::DriftLimit(limit) => {
                let limit = limit.max(0.1);
                settings.borrow_mut().drift_limit = limit;
                format!("drift limit -> {limit:.2}")
            }
            ConfigChange::AlertThreshold(threshold) => {
                settings.borrow_mut().alert_threshold = *threshold;
                format!("alert threshold -> {threshold:.2}")
            }
            ConfigChange::ScaleThreshold(factor) => {
                let current = self.alert_threshold();
                let scaled = current * factor;
                settings.borrow_mut().alert_threshold = scaled; // CLEAN: stale-read: the outer RLock guard is held from before the read in alert_threshold() through this write
                format!("alert threshold {current:.2} -> {scaled:.2}")
            }
            ConfigChange::BatchSize(size) => {
                let size = (*size).clamp(1, 256);
                settings.borrow_mut().batch_size = size;
                format!("batch size -> {size}")
            }
        }
    }
}
