//! Scripted operator: periodically issues maintenance commands to the
//! admin console, the way a cron-driven ops tool would.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::client::AdminClient;
use super::commands::{Command, Reply};

pub struct Operator {
    client: AdminClient,
    interval: Duration,
    stop: Arc<AtomicBool>,
    shard_count: usize,
    byte_budget: u64,
}

impl Operator {
    pub fn new(client: AdminClient, interval: Duration, stop: Arc<AtomicBool>, shard_count: usize, byte_budget: u64) -> Self {
        Operator { client, interval, stop, shard_count: shard_count.max(1), byte_budget }
    }

    pub fn spawn(self) -> JoinHandle<Vec<String>> {
        thread::Builder::new().name("operator".into()).spawn(move || self.run()).expect("spawn operator thread")
    }

    fn command_for(&self, step: usize) -> Command {
        let n = self.shard_count;
        match step % 10 {
            0 => Command::Stats,
            1 => Command::Migrate,
            2 => Command::Health,
            3 => Command::SetIdleTimeout(if step % 20 == 3 {
                Duration::from_millis(250)
            } else {
                Duration::from_millis(500)
            }),
            4 => Command::Rebalance { from: step % n, to: (step + 1) % n, buckets: 2 },
            5 => Command::Trim { shard: step % n, budget: self.byte_budget },
            6 => Command::Compact { shard: step % n },
            7 => Command::Checkpoint,
            8 => Command::ListConnections,
            _ => Command::Health,
        }
    }

    fn run(&self) -> Vec<String> {
        let mut log = Vec::new();
        let mut step = 0;
        while !self.stop.load(Ordering::Acquire) {
            thread::sleep(self.interval);
            let command = self.command_for(step);
            let reply = self.client.call(command);
            if step % 10 == 0 || matches!(reply, Reply::Error(_)) {
                log.push(format!("#{step}: {reply}"));
            }
            step += 1;
        }
        log
    }
}
