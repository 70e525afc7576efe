//! The dashboard thread: pushes printer changes to the monitor and redraws the board.

use std::sync::Arc;
use std::time::{Duration, Instant};

use racecheck::{Event, JoinHandle, Thread};

use super::{MonitorLink, StatusBoard, StatusMsg};
use crate::control::Control;
use crate::printers::PrinterBank;

pub struct Dashboard {
    link: MonitorLink,
    board: Arc<StatusBoard>,
    bank: Arc<PrinterBank>,
    dirty: Arc<Event>,
    control: Arc<Control>,
    refresh_every: Duration,
    quiet: bool,
}

impl Dashboard {
    pub fn new(
        link: MonitorLink,
        board: Arc<StatusBoard>,
        bank: Arc<PrinterBank>,
        dirty: Arc<Event>,
        control: Arc<Control>,
        refresh_every: Duration,
    ) -> Self {
        Dashboard {
            link,
            board,
            bank,
            dirty,
            control,
            refresh_every,
            quiet: std::env::var_os("PRINTSHOP_QUIET").is_some(),
        }
    }

    pub fn spawn(self) -> JoinHandle<()> {
        Thread::new(move || self.run()).name("dashboard").start()
    }

    fn run(mut self) {
        let mut last_refresh = Instant::now();
        while !self.control.is_shutting_down() {
            if self.dirty.wait_timeout(Duration::from_millis(20)) && !self.publish_changes() {
                break;
            }
            if last_refresh.elapsed() >= self.refresh_every {
                self.refresh();
                last_refresh = Instant::now();
            }
        }
        self.link.close();
        let (pushed, requests) = self.link.counters();
        if !self.quiet {
            eprintln!("dashboard: {pushed} pushes, {requests} polls");
        }
    }

    /// Sends the current printer states to the monitor; `false` once the pipe is gone.
    fn publish_changes(&mut self) -> bool {
        let statuses = self.bank.statuses();
        let sent = self.link.push(statuses).is_ok();
        self.dirty.clear(); // PLANTED: event-clear-race: a feeder that sets `dirty` after statuses() was read has its signal wiped here, so that change is never published
        sent
    }

    fn refresh(&mut self) {
        let mut board = self.board.view();
        if board.is_stale(self.refresh_every) {
            match self.link.request(StatusMsg::Poll) {
                Ok(report) => board.merge(report),
                Err(_) => return,
            }
        }
        let frame = board.render();
        drop(board);
        if !self.quiet {
            eprintln!("dashboard: {frame}");
        }
    }
}
