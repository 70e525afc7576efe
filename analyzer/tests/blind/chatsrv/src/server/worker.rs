use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use crossbeam_channel::Receiver;
use super::ServerConfig;
use crate::protocol::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow { Continue, Stop }

/// Per-request limits snapshotted from the live config.
#[derive(Debug, Clone, Copy)]
pub struct Limits { pub max_body_len: usize }

pub trait CommandHandler: Send + Sync {
    fn handle(&self, cmd: Command, limits: Limits) -> Flow;
}

pub struct Worker<H> { pub handler: Arc<H>, pub commands: Receiver<Command>, pub config: Arc<RwLock<ServerConfig>>, pub stop: Arc<AtomicBool> }

impl<H: CommandHandler + 'static> Worker<H> {
    pub fn spawn(self) -> JoinHandle<()> { thread::spawn(move || self.run()) }

    fn limits(&self) -> Limits {
        let config = self.config.read().unwrap();
        Limits { max_body_len: config.max_body_len }
    }

    fn run(self) {
        while !self.stop.load(Ordering::Acquire) {
            let Ok(cmd) = self.commands.recv_timeout(Duration::from_millis(50)) else { continue };
            if self.handler.handle(cmd, self.limits()) == Flow::Stop {
                break;
            }
        }
    }
}
