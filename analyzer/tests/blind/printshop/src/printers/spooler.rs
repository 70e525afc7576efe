//! The spooler: rendered jobs wait here for paper and a feeder thread.

use std::collections::VecDeque;
use std::sync::Arc;

use racecheck::{Barrier, Condition, Event, JoinHandle, Lock, Thread};

use super::{DriverError, PrinterBank};
use crate::control::{stats, Control, HealthProbe};
use crate::model::{PrintJob, PrinterId};

/// A rendered job on its way to a printer.
#[derive(Debug, Clone)]
pub struct SpoolJob {
    pub job: PrintJob,
    pub printer: PrinterId,
    pub sheets: u32,
}

#[derive(Debug, Clone)]
pub struct SpoolConfig {
    pub tray_capacity: u32,
    pub ream: u32,
    pub low_water: u32,
    pub high_water: usize,
}

impl Default for SpoolConfig {
    fn default() -> Self {
        SpoolConfig { tray_capacity: 250, ream: 100, low_water: 50, high_water: 20 }
    }
}

struct SpoolState {
    pending: VecDeque<SpoolJob>,
    sheets: u32,
    /// Feeders waiting for paper since the last load.
    starved: u32,
    in_flight: usize,
    printed: u64,
    loads: u32,
}

pub struct Spooler {
    state: Lock<SpoolState>,
    job_ready: Condition,
    paper_loaded: Condition,
    tray_low: Condition,
    drained: Condition,
    warmup: Barrier,
    config: SpoolConfig,
    bank: Arc<PrinterBank>,
    control: Arc<Control>,
    dirty: Arc<Event>,
}

impl Spooler {
    pub fn new(
        config: SpoolConfig,
        feeders: usize,
        bank: Arc<PrinterBank>,
        control: Arc<Control>,
        dirty: Arc<Event>,
    ) -> Self {
        Spooler {
            state: Lock::new(SpoolState {
                pending: VecDeque::new(),
                sheets: 0,
                starved: 0,
                in_flight: 0,
                printed: 0,
                loads: 0,
            }),
            job_ready: Condition::new(),
            paper_loaded: Condition::new(),
            tray_low: Condition::new(),
            drained: Condition::new(),
            warmup: Barrier::new(feeders + 1),
            config,
            bank,
            control,
            dirty,
        }
    }

    pub fn enqueue(&self, job: SpoolJob) {
        let mut state = self.state.acquire();
        state.pending.push_back(job);
        let depth = state.pending.len();
        stats::note_backlog(depth);
        if depth > self.config.high_water {
            self.warn_backlog(depth);
        }
        self.job_ready.notify();
    }

    fn warn_backlog(&self, depth: usize) {
        let summary = self.backlog_summary();
        eprintln!("spooler: {depth} jobs waiting, over the high-water mark ({summary})");
    }

    fn backlog_summary(&self) -> String {
        let queued = self.pending_len();
        let limit = self.config.high_water;
        format!("{queued}/{limit} queued")
    }

    pub fn pending_len(&self) -> usize {
        self.state.acquire().pending.len() // PLANTED: double-lock: reached from enqueue -> warn_backlog -> backlog_summary while enqueue still holds `state`
    }

    pub fn status_line(&self) -> String {
        let queued = self.state.acquire().pending.len();
        let sheets = self.state.acquire().sheets; // CLEAN: double-lock: the first guard was a temporary, released at the `;` of the line above
        format!("{queued} queued, {sheets} sheets in tray")
    }

    pub fn spawn_feeder(self: &Arc<Self>, n: usize) -> JoinHandle<()> {
        let spooler = Arc::clone(self);
        Thread::new(move || spooler.feed(n)).name(format!("feeder-{n}")).start()
    }

    pub fn spawn_loader(self: &Arc<Self>) -> JoinHandle<()> {
        let spooler = Arc::clone(self);
        Thread::new(move || spooler.load_paper()).name("paper-loader").start()
    }

    fn feed(&self, n: usize) {
        self.warmup.wait();
        let mut jobs = 0u64;
        while let Some(job) = self.next_job() {
            self.draw_paper(job.sheets);
            let printer = job.printer;
            self.bank.assign(printer, job);
            self.drain_printer(printer);
            self.sweep(printer);
            self.finish_one();
            jobs += 1;
        }
        if std::env::var_os("PRINTSHOP_QUIET").is_none() {
            eprintln!("feeder-{n}: fed {jobs} jobs");
        }
    }

    fn next_job(&self) -> Option<SpoolJob> {
        let mut state = self.state.acquire();
        while state.pending.is_empty() {
            if self.control.is_shutting_down() {
                return None;
            }
            state = self.job_ready.wait(state); // CLEAN: wait-without-loop: re-checks `pending` (and shutdown) after every wake-up
        }
        state.in_flight += 1;
        state.pending.pop_front()
    }

    fn draw_paper(&self, sheets: u32) {
        let mut state = self.state.acquire();
        if state.sheets < sheets {
            state.starved += 1;
            self.tray_low.notify();
            state = self.paper_loaded.wait(state); // PLANTED: wait-without-loop: `if`, not `while`: after notify_all the other feeder may take the new paper first (or shutdown wakes us) and the subtraction below underflows
        }
        state.sheets -= sheets;
        if state.sheets < self.config.low_water {
            self.tray_low.notify();
        }
    }

    /// Prints everything queued on one printer; returns how many jobs came out.
    fn drain_printer(&self, printer: PrinterId) -> usize {
        let mut printed = 0;
        while let Some((job, driver)) = self.bank.take_next(printer) {
            match driver.print(&job.job, job.sheets) {
                Ok(receipt) => {
                    self.bank.record_printed(printer, &receipt);
                    stats::add_pages_printed(receipt.impressions as u64);
                    printed += 1;
                }
                Err(DriverError::Jam { after_sheets }) => {
                    eprintln!("{printer}: jam on {} after {after_sheets} sheets", job.job.id);
                    self.bank.mark_jammed(printer, job);
                    let fallback = self.bank.fallback_for(printer);
                    let moved = self.bank.move_jobs(printer, fallback, usize::MAX);
                    if moved > 0 {
                        eprintln!("{printer}: moved {moved} jobs to {fallback}");
                    }
                    self.dirty.set();
                    break;
                }
                Err(err) => {
                    eprintln!("{printer}: {} failed: {err}", job.job.id);
                    self.bank.release(printer);
                }
            }
            self.dirty.set();
        }
        printed
    }

    /// Picks up work other feeders left behind (moved after a jam, or queued on a printer
    /// that came back from service).
    fn sweep(&self, skip: PrinterId) {
        for printer in self.bank.ids().filter(|id| *id != skip) {
            self.drain_printer(printer);
        }
    }

    fn finish_one(&self) {
        let mut state = self.state.acquire();
        state.in_flight -= 1;
        state.printed += 1;
        if state.pending.is_empty() && state.in_flight == 0 {
            self.drained.notify_all();
        }
    }

    /// Blocks until nothing is queued and no feeder is busy; returns jobs fed so far.
    pub fn wait_drained(&self) -> u64 {
        let busy = |s: &mut SpoolState| !s.pending.is_empty() || s.in_flight > 0;
        let state = self.drained.wait_while(self.state.acquire(), busy); // CLEAN: wait-without-loop: wait_while re-checks the predicate after each wake-up
        state.printed
    }

    fn load_paper(&self) {
        self.top_up();
        self.warmup.wait();
        loop {
            let mut state = self.state.acquire();
            while state.sheets >= self.config.low_water
                && state.starved == 0
                && !self.control.is_shutting_down()
            {
                state = self.tray_low.wait(state); // CLEAN: wait-without-loop: predicate loop, including the shutdown check
            }
            if self.control.is_shutting_down() {
                break;
            }
            let room = self.config.tray_capacity.saturating_sub(state.sheets);
            state.sheets += room.min(self.config.ream);
            state.starved = 0;
            state.loads += 1;
            drop(state);
            self.paper_loaded.notify_all();
        }
    }

    fn top_up(&self) {
        let mut state = self.state.acquire();
        state.sheets = self.config.tray_capacity;
        state.loads += 1;
    }

    /// Wakes every thread parked on the spooler so it can see the shutdown flag.
    pub fn shutdown(&self) {
        let _state = self.state.acquire();
        self.job_ready.notify_all();
        self.tray_low.notify_all();
        self.paper_loaded.notify_all();
        self.drained.notify_all();
    }
}

impl HealthProbe for Spooler {
    fn component(&self) -> &'static str {
        "spooler"
    }

    fn health(&self) -> String {
        self.status_line()
    }
}
