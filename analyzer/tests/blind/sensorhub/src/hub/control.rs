use std::collections::VecDeque;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use racecheck::{Event, JoinableQueue};

use crate::calibration::CalibrationStore;
use crate::config::{ConfigChange, HubConfig};
use crate::model::{CalJob, DeviceId};
use crate::registry::DeviceRegistry;

/// An operator command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Config(ConfigChange),
    Recalibrate(DeviceId),
    Nudge(DeviceId, f64),
    /// Copy a device's calibration onto its paired neighbour.
    SyncPair(DeviceId, DeviceId),
    Flush,
    Pause(Duration),
}

/// Where operator commands come from: a console, a management API, a script.
pub trait CommandSource: Send {
    fn next_command(&mut self) -> Option<Command>;
}

/// A fixed list of commands, for unattended runs.
pub struct Scripted {
    commands: VecDeque<Command>,
}

impl Scripted {
    pub fn new(commands: Vec<Command>) -> Self {
        Scripted {
            commands: commands.into(),
        }
    }
}

impl CommandSource for Scripted {
    fn next_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }
}

/// Carries out operator commands once the hub is fully started.
pub struct ControlThread {
    pub(crate) source: Box<dyn CommandSource>,
    pub(crate) config: Arc<HubConfig>,
    pub(crate) registry: Arc<DeviceRegistry>,
    pub(crate) store: Arc<CalibrationStore>,
    pub(crate) cal_jobs: JoinableQueue<CalJob>,
    pub(crate) recalibrate: Arc<Event>,
    pub(crate) flush_now: Arc<Event>,
    pub(crate) started: Arc<Event>,
}

impl ControlThread {
    pub fn run(mut self) -> Vec<String> {
        self.started.wait(); // CLEAN: wait-never-signalled: Hub::start sets started once every thread is running
        let mut log = Vec::new();
        while let Some(command) = self.source.next_command() {
            if let Some(line) = self.execute(command) {
                log.push(line);
            }
        }
        log
    }

    fn execute(&self, command: Command) -> Option<String> {
        match command {
            Command::Config(change) => Some(self.config.apply(&change)),
            Command::Recalibrate(id) if id < self.registry.len() => {
                let kind = self.registry.kind(id);
                let reference = self.store.reference_for(kind);
                let (observed, round) = {
                    let device = self.registry.slot(id).acquire();
                    (device.last_value.unwrap_or(reference), device.last_round)
                };
                self.cal_jobs.put(CalJob::adjust(id, round, observed, reference));
                self.recalibrate.set();
                Some(format!("recalibrate dev{id} (observed {observed:.2}, reference {reference:.2})"))
            }
            Command::Recalibrate(id) => Some(format!("no such device {id}")),
            Command::Nudge(id, delta) if id < self.registry.len() => {
                let offset = self.registry.adjust_offset(id, delta);
                Some(format!("nudged dev{id} by {delta:+.2} to {offset:+.3}"))
            }
            Command::Nudge(id, _) => Some(format!("no such device {id}")),
            Command::SyncPair(a, b) if a < self.registry.len() && b < self.registry.len() => {
                let synced = self.registry.sync_pair(a, b);
                Some(format!("sync dev{a} -> dev{b}: {}", if synced { "done" } else { "skipped" }))
            }
            Command::SyncPair(a, b) => Some(format!("no such pair {a}/{b}")),
            Command::Flush => {
                self.flush_now.set();
                Some("flush requested".to_owned())
            }
            Command::Pause(pause) => {
                thread::sleep(pause);
                None
            }
        }
    }
}
