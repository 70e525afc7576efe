//! Periodic one-line health output for operators tailing the log.

use std::sync::Arc;
use std::time::Duration;

use racecheck::Thread;

use super::{stats, Control};

/// Anything that can describe its own health in one short line.
pub trait HealthProbe: Send + Sync {
    fn component(&self) -> &'static str;
    fn health(&self) -> String;
}

pub struct Heartbeat {
    probes: Vec<Arc<dyn HealthProbe>>,
    control: Arc<Control>,
    every: Duration,
    quiet: bool,
}

impl Heartbeat {
    pub fn new(control: Arc<Control>, every: Duration) -> Self {
        Heartbeat { probes: Vec::new(), control, every, quiet: std::env::var_os("PRINTSHOP_QUIET").is_some() }
    }

    pub fn watch(mut self, probe: Arc<dyn HealthProbe>) -> Self {
        self.probes.push(probe);
        self
    }

    pub fn start(self) {
        Thread::new(move || self.beat()).name("heartbeat").start(); // PLANTED: thread-never-joined: handle dropped, the thread outlives shutdown and still prints after main reports
    }

    fn beat(self) {
        let mut beats = 0u64;
        while !self.control.sleep_unless_shutdown(self.every) {
            beats += 1;
            if self.quiet {
                continue;
            }
            let parts: Vec<String> = self
                .probes
                .iter()
                .map(|probe| format!("{}: {}", probe.component(), probe.health()))
                .collect();
            eprintln!(
                "[heartbeat {beats} @{:?}] {} | {}",
                self.control.uptime(),
                stats::snapshot(),
                parts.join(" | ")
            );
        }
        if !self.quiet {
            eprintln!("[heartbeat] stopped after {beats} beats: {}", stats::snapshot());
        }
    }
}
