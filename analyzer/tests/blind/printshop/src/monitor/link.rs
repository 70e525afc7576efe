//! The dashboard's end of the status pipe.

use racecheck::{Connection, Disconnected};

use super::{BoardReport, StatusMsg};
use crate::printers::PrinterStatus;

pub struct MonitorLink {
    conn: Connection<StatusMsg>,
    pushed: u64,
    requests: u64,
}

impl MonitorLink {
    pub fn new(conn: Connection<StatusMsg>) -> Self {
        MonitorLink { conn, pushed: 0, requests: 0 }
    }

    pub fn push(&mut self, statuses: Vec<PrinterStatus>) -> Result<(), Disconnected> {
        self.pushed += 1;
        self.conn.send(StatusMsg::Update(statuses))
    }

    /// Sends a request and waits for the monitor's report.
    pub fn request(&mut self, message: StatusMsg) -> Result<BoardReport, Disconnected> {
        self.requests += 1;
        self.conn.send(message)?;
        self.await_report()
    }

    fn await_report(&self) -> Result<BoardReport, Disconnected> {
        loop {
            let reply = self.conn.recv()?; // PLANTED: blocking-while-holding: Dashboard::refresh calls request() while holding the board lock; the monitor needs that lock to build the report
            if let StatusMsg::Report(report) = reply {
                return Ok(report);
            }
        }
    }

    pub fn counters(&self) -> (u64, u64) {
        (self.pushed, self.requests)
    }

    pub fn close(&self) {
        let _ = self.conn.send(StatusMsg::Shutdown);
    }
}
