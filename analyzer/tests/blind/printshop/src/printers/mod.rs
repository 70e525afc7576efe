//! The printer bank: every device behind its own lock, addressed by `PrinterId`.

mod driver;
pub mod maintenance;
pub mod spooler;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use racecheck::Lock;

use crate::intake::JobIntake;
use crate::model::{JobSpec, PrinterId};

pub use driver::{build as build_driver, DriverError, PrintReceipt, PrinterDriver};
pub use maintenance::Maintenance;
pub use spooler::{SpoolConfig, SpoolJob, Spooler};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterState {
    Idle,
    Printing,
    Jammed,
    Servicing,
}

pub struct Printer {
    pub id: PrinterId,
    pub driver: Arc<dyn PrinterDriver>,
    pub queue: VecDeque<SpoolJob>,
    pub state: PrinterState,
    pub jobs_done: u64,
    pub sheets_used: u64,
    pub jams: u32,
    pub calibration: i32,
    pub last_seen: Instant,
}

impl Printer {
    fn new(id: PrinterId, driver: Arc<dyn PrinterDriver>) -> Self {
        Printer {
            id,
            driver,
            queue: VecDeque::new(),
            state: PrinterState::Idle,
            jobs_done: 0,
            sheets_used: 0,
            jams: 0,
            calibration: (id.0 as i32 * 7) % 5 - 2,
            last_seen: Instant::now(),
        }
    }

    fn load(&self) -> usize {
        self.queue.len() + usize::from(self.state == PrinterState::Printing)
    }

    fn accepts_work(&self) -> bool {
        matches!(self.state, PrinterState::Idle | PrinterState::Printing)
    }
}

#[derive(Debug, Clone)]
pub struct PrinterStatus {
    pub id: PrinterId,
    pub model: String,
    pub state: PrinterState,
    pub queued: usize,
    pub jobs_done: u64,
    pub jams: u32,
}

impl PrinterStatus {
    fn of(printer: &Printer) -> Self {
        PrinterStatus {
            id: printer.id,
            model: printer.driver.model().to_owned(),
            state: printer.state,
            queued: printer.queue.len(),
            jobs_done: printer.jobs_done,
            jams: printer.jams,
        }
    }
}

pub struct PrinterBank {
    printers: Vec<Lock<Printer>>,
}

impl PrinterBank {
    pub fn new(drivers: Vec<Arc<dyn PrinterDriver>>) -> Self {
        let printers = drivers
            .into_iter()
            .enumerate()
            .map(|(i, driver)| Lock::new(Printer::new(PrinterId(i), driver)))
            .collect();
        PrinterBank { printers }
    }

    pub fn len(&self) -> usize {
        self.printers.len()
    }

    pub fn ids(&self) -> impl Iterator<Item = PrinterId> {
        (0..self.printers.len()).map(PrinterId)
    }

    /// The least loaded printer that can take the job.
    pub fn pick_printer(&self, spec: &JobSpec) -> Option<PrinterId> {
        let mut best: Option<(usize, PrinterId)> = None;
        for slot in &self.printers {
            let printer = slot.acquire();
            if !printer.accepts_work() || !printer.driver.supports(spec) {
                continue;
            }
            let load = printer.load();
            if best.map_or(true, |(lowest, _)| load < lowest) {
                best = Some((load, printer.id));
            }
        }
        best.map(|(_, id)| id)
    }

    pub fn assign(&self, id: PrinterId, job: SpoolJob) {
        self.printers[id.0].acquire().queue.push_back(job);
    }

    /// The next job for a working printer, with the driver to print it on.
    pub fn take_next(&self, id: PrinterId) -> Option<(SpoolJob, Arc<dyn PrinterDriver>)> {
        let mut printer = self.printers[id.0].acquire();
        if !printer.accepts_work() {
            return None;
        }
        match printer.queue.pop_front() {
            Some(job) => {
                printer.state = PrinterState::Printing;
                Some((job, Arc::clone(&printer.driver)))
            }
            None => {
                printer.state = PrinterState::Idle;
                None
            }
        }
    }

    pub fn record_printed(&self, id: PrinterId, receipt: &PrintReceipt) {
        let mut printer = self.printers[id.0].acquire();
        printer.jobs_done += 1;
        printer.sheets_used += receipt.sheets as u64;
        if printer.queue.is_empty() {
            printer.state = PrinterState::Idle;
        }
        drop(printer);
        self.touch(id);
    }

    fn touch(&self, id: PrinterId) {
        self.printers[id.0].acquire().last_seen = Instant::now(); // CLEAN: double-lock: record_printed drops its guard before calling touch
    }

    pub fn release(&self, id: PrinterId) {
        let mut printer = self.printers[id.0].acquire();
        if printer.state == PrinterState::Printing {
            printer.state = PrinterState::Idle;
        }
    }

    /// Puts the failed job back at the head of the queue and takes the device offline.
    pub fn mark_jammed(&self, id: PrinterId, job: SpoolJob) {
        let mut printer = self.printers[id.0].acquire();
        printer.state = PrinterState::Jammed;
        printer.jams += 1;
        printer.queue.push_front(job);
    }

    pub fn fallback_for(&self, id: PrinterId) -> PrinterId {
        PrinterId((id.0 + 1) % self.printers.len())
    }

    /// Moves up to `max` queued jobs from the tail of one printer's queue to another printer.
    pub fn move_jobs(&self, from: PrinterId, to: PrinterId, max: usize) -> usize {
        if from == to {
            return 0;
        }
        let mut source = self.printers[from.0].acquire();
        let mut target = self.printers[to.0].acquire(); // PLANTED: lock-order: printers[from] then printers[to]; feeder (jam -> fallback) and maintenance (busiest -> idlest) take the pair in opposite orders
        let mut moved = 0;
        while moved < max {
            match source.queue.pop_back() {
                Some(job) if target.driver.supports(&job.job.spec) => {
                    target.queue.push_front(job);
                    moved += 1;
                }
                Some(job) => {
                    source.queue.push_back(job);
                    break;
                }
                None => break,
            }
        }
        moved
    }

    /// The most and the least loaded working printers, when the gap is worth a move.
    pub fn busiest_and_idlest(&self) -> Option<(PrinterId, PrinterId)> {
        let loads: Vec<(PrinterId, usize, bool)> = self
            .printers
            .iter()
            .map(|slot| {
                let printer = slot.acquire();
                (printer.id, printer.queue.len(), printer.accepts_work())
            })
            .collect();
        let busiest = loads.iter().max_by_key(|(_, load, _)| *load)?;
        let idlest = loads.iter().filter(|(_, _, working)| *working).min_by_key(|(_, load, _)| *load)?;
        (busiest.1 > idlest.1 + 1).then_some((busiest.0, idlest.0))
    }

    pub fn first_jammed(&self) -> Option<PrinterId> {
        self.ids().find(|id| self.printers[id.0].acquire().state == PrinterState::Jammed)
    }

    /// Clears a jam. The device is held for the whole visit so nothing is queued on it
    /// while the engineer has the covers open.
    pub fn service_printer(&self, id: PrinterId, intake: &JobIntake) -> bool {
        let mut printer = self.printers[id.0].acquire();
        if printer.state != PrinterState::Jammed {
            return false;
        }
        printer.state = PrinterState::Servicing;
        intake.quiesce();
        printer.calibration = 0;
        printer.state = PrinterState::Idle;
        true
    }

    /// Averages the calibration of two twin devices.
    pub fn sync_calibration(&self, a: PrinterId, b: PrinterId) -> bool {
        if a == b {
            return false;
        }
        for attempt in 0..5u32 {
            let mut first = self.printers[a.0].acquire();
            let second = self.printers[b.0].try_acquire(); // CLEAN: lock-order: second lock only tried; on failure the first is released and we back off
            match second {
                Some(mut second) => {
                    let mean = (first.calibration + second.calibration) / 2;
                    first.calibration = mean;
                    second.calibration = mean;
                    return true;
                }
                None => {
                    drop(first);
                    std::thread::sleep(Duration::from_micros(200 << attempt));
                }
            }
        }
        false
    }

    pub fn statuses(&self) -> Vec<PrinterStatus> {
        self.printers.iter().map(|slot| PrinterStatus::of(&slot.acquire())).collect()
    }

    pub fn totals(&self) -> (u64, u64, u32) {
        self.printers.iter().fold((0, 0, 0), |(jobs, sheets, jams), slot| {
            let printer = slot.acquire();
            (jobs + printer.jobs_done, sheets + printer.sheets_used, jams + printer.jams)
        })
    }
}
