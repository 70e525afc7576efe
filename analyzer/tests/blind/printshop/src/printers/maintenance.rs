//! The maintenance round: rebalancing queues, clearing jams, keeping twins calibrated.

use std::sync::Arc;
use std::time::Duration;

use racecheck::{JoinHandle, Thread};

use super::PrinterBank;
use crate::control::Control;
use crate::intake::JobIntake;
use crate::model::PrinterId;

#[derive(Debug, Default, Clone)]
pub struct MaintenanceLog {
    pub rounds: u64,
    pub moved: usize,
    pub serviced: u32,
    pub calibrations: u32,
}

pub struct Maintenance {
    bank: Arc<PrinterBank>,
    intake: Arc<JobIntake>,
    control: Arc<Control>,
    interval: Duration,
    log: MaintenanceLog,
}

impl Maintenance {
    pub fn new(
        bank: Arc<PrinterBank>,
        intake: Arc<JobIntake>,
        control: Arc<Control>,
        interval: Duration,
    ) -> Self {
        Maintenance { bank, intake, control, interval, log: MaintenanceLog::default() }
    }

    pub fn spawn(self) -> JoinHandle<()> {
        Thread::new(move || self.run()).name("maintenance").start()
    }

    fn run(mut self) {
        while !self.control.sleep_unless_shutdown(self.interval) {
            self.log.rounds += 1;
            self.rebalance();
            self.clear_jams();
            if self.log.rounds % 4 == 0 {
                self.calibrate_twins();
            }
        }
        if std::env::var_os("PRINTSHOP_QUIET").is_none() {
            eprintln!("maintenance: {:?}", self.log);
        }
    }

    fn rebalance(&mut self) {
        if let Some((busiest, idlest)) = self.bank.busiest_and_idlest() {
            let moved = self.bank.move_jobs(busiest, idlest, 2);
            self.log.moved += moved;
        }
    }

    fn clear_jams(&mut self) {
        if let Some(printer) = self.bank.first_jammed() {
            if self.bank.service_printer(printer, &self.intake) {
                self.log.serviced += 1;
            }
        }
    }

    fn calibrate_twins(&mut self) {
        if self.bank.len() < 2 {
            return;
        }
        if self.bank.sync_calibration(PrinterId(0), PrinterId(1)) {
            self.log.calibrations += 1;
        }
    }
}
