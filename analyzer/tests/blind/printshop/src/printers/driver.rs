//! Device drivers for the simulated printers.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::model::{print_time, ColorMode, JobSpec, PaperSize, PrintJob};

#[derive(Debug, Clone)]
pub struct PrintReceipt {
    pub sheets: u32,
    pub impressions: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverError {
    Jam { after_sheets: u32 },
    Unsupported(&'static str),
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriverError::Jam { after_sheets } => write!(f, "paper jam after {after_sheets} sheets"),
            DriverError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

pub trait PrinterDriver: Send + Sync {
    fn model(&self) -> &str;
    fn supports(&self, spec: &JobSpec) -> bool;
    fn print(&self, job: &PrintJob, sheets: u32) -> Result<PrintReceipt, DriverError>;
}

/// A simulated device: prints at `ppm` (half speed for colour) and jams every `jam_every` jobs.
pub struct SimulatedDriver {
    model: String,
    ppm: u32,
    jam_every: u64,
    color: bool,
    wide: bool,
    jobs: AtomicU64,
}

impl SimulatedDriver {
    pub fn new(model: impl Into<String>, ppm: u32, jam_every: u64, color: bool, wide: bool) -> Self {
        SimulatedDriver { model: model.into(), ppm, jam_every, color, wide, jobs: AtomicU64::new(0) }
    }
}

impl PrinterDriver for SimulatedDriver {
    fn model(&self) -> &str {
        &self.model
    }

    fn supports(&self, spec: &JobSpec) -> bool {
        (self.color || spec.color == ColorMode::Mono) && (self.wide || spec.paper != PaperSize::A3)
    }

    fn print(&self, job: &PrintJob, sheets: u32) -> Result<PrintReceipt, DriverError> {
        if !self.supports(&job.spec) {
            return Err(DriverError::Unsupported("colour or A3 on this device"));
        }
        let n = self.jobs.fetch_add(1, Ordering::SeqCst) + 1;
        if self.jam_every > 0 && n % self.jam_every == 0 {
            return Err(DriverError::Jam { after_sheets: sheets / 2 });
        }
        let ppm = if job.spec.color == ColorMode::Color { self.ppm / 2 } else { self.ppm };
        std::thread::sleep(print_time(job.spec.impressions(), ppm));
        Ok(PrintReceipt { sheets, impressions: job.spec.impressions() })
    }
}

/// Builds a driver from the short names used in the shop configuration.
pub fn build(kind: &str) -> Arc<dyn PrinterDriver> {
    match kind {
        "laser" => Arc::new(SimulatedDriver::new("LX-9000 laser", 60, 7, false, false)),
        "laser-heavy" => Arc::new(SimulatedDriver::new("LX-9900 heavy duty", 90, 11, false, false)),
        "inkjet" => Arc::new(SimulatedDriver::new("WF-300 inkjet", 30, 9, true, true)),
        other => {
            eprintln!("printers: unknown kind {other:?}, using a basic inkjet");
            Arc::new(SimulatedDriver::new("WF-100 inkjet", 20, 0, true, false))
        }
    }
}
