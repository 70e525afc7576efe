//! The status monitor: a thread at the far end of a pipe that keeps the status board.

mod dashboard;
mod link;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use racecheck::{Connection, JoinHandle, Lock, LockGuard, Pipe, Thread};

use crate::model::PrinterId;
use crate::printers::PrinterStatus;

pub use dashboard::Dashboard;
pub use link::MonitorLink;

#[derive(Debug, Clone)]
pub enum StatusMsg {
    Update(Vec<PrinterStatus>),
    Poll,
    Report(BoardReport),
    Shutdown,
}

#[derive(Debug, Clone, Default)]
pub struct BoardReport {
    pub printers: Vec<PrinterStatus>,
    pub updates: u64,
}

pub struct BoardState {
    printers: BTreeMap<PrinterId, PrinterStatus>,
    updates: u64,
    polls: u64,
    last_update: Option<Instant>,
    last_polled: Option<Instant>,
    frames: u64,
}

impl BoardState {
    fn new() -> Self {
        BoardState {
            printers: BTreeMap::new(),
            updates: 0,
            polls: 0,
            last_update: None,
            last_polled: None,
            frames: 0,
        }
    }

    pub fn apply(&mut self, statuses: Vec<PrinterStatus>) {
        for status in statuses {
            self.printers.insert(status.id, status);
        }
        self.updates += 1;
        self.last_update = Some(Instant::now());
    }

    pub fn is_stale(&self, max_age: Duration) -> bool {
        self.last_update.map_or(true, |at| at.elapsed() > max_age)
    }

    fn mark_polled(&mut self) {
        self.polls += 1;
        self.last_polled = Some(Instant::now());
    }

    pub fn report(&self) -> BoardReport {
        BoardReport { printers: self.printers.values().cloned().collect(), updates: self.updates }
    }

    pub fn merge(&mut self, report: BoardReport) {
        for status in report.printers {
            self.printers.entry(status.id).or_insert(status);
        }
        self.updates = self.updates.max(report.updates);
    }

    pub fn render(&mut self) -> String {
        self.frames += 1;
        let mut out = format!("frame {} ({} updates, {} polls):", self.frames, self.updates, self.polls);
        for status in self.printers.values() {
            let (id, queued, done) = (status.id, status.queued, status.jobs_done);
            out.push_str(&format!(" [{id} {:?} q={queued} done={done} jams={}]", status.state, status.jams));
        }
        out
    }
}

pub struct StatusBoard {
    state: Lock<BoardState>,
}

impl StatusBoard {
    pub fn new() -> Self {
        StatusBoard { state: Lock::new(BoardState::new()) }
    }

    pub fn view(&self) -> LockGuard<'_, BoardState> {
        self.state.acquire()
    }

    pub fn apply(&self, statuses: Vec<PrinterStatus>) {
        self.state.acquire().apply(statuses);
    }
}

impl Default for StatusBoard {
    fn default() -> Self {
        StatusBoard::new()
    }
}

/// The monitor end of the status pipe.
pub struct StatusMonitor {
    conn: Connection<StatusMsg>,
    board: Arc<StatusBoard>,
    handled: u64,
}

/// Opens the status pipe: the link for the dashboard and the monitor serving the other end.
pub fn open(board: Arc<StatusBoard>) -> (MonitorLink, StatusMonitor) {
    let (near, far) = Pipe::new();
    (MonitorLink::new(near), StatusMonitor { conn: far, board, handled: 0 })
}

impl StatusMonitor {
    pub fn spawn(self) -> JoinHandle<()> {
        Thread::new(move || self.serve()).name("status-monitor").start()
    }

    fn serve(mut self) {
        while let Ok(message) = self.conn.recv() {
            self.handled += 1;
            match message {
                StatusMsg::Update(statuses) => self.board.apply(statuses),
                StatusMsg::Poll => {
                    let report = {
                        let mut board = self.board.view();
                        board.mark_polled();
                        board.report()
                    };
                    let sent = self.conn.send(StatusMsg::Report(report)); // CLEAN: blocking-while-holding: the board guard ended with the inner block above
                    if sent.is_err() {
                        break;
                    }
                }
                StatusMsg::Shutdown => break,
                StatusMsg::Report(_) => {}
            }
        }
        if std::env::var_os("PRINTSHOP_QUIET").is_none() {
            eprintln!("status-monitor: handled {} messages", self.handled);
        }
    }
}
