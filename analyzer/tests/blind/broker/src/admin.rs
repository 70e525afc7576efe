//! Admin commands. Everything that changes broker topology goes through the
//! single admin thread; callers get answers on per-request reply channels.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{bounded, unbounded, Receiver, Sender};

use crate::broker::Broker;
use crate::maintenance::retention;

pub enum AdminCommand {
    CreateTopic {
        name: String,
        partitions: usize,
        reply: Sender<bool>,
    },
    DeleteGroup {
        group: String,
        reply: Sender<usize>,
    },
    Rebalance {
        topic: String,
        from: usize,
        to: usize,
        max: usize,
        reply: Sender<usize>,
    },
    Reassign {
        from: usize,
        to: usize,
        count: usize,
        reply: Sender<usize>,
    },
    ReplayDeadLetters {
        limit: usize,
        reply: Sender<usize>,
    },
    ApplyRetention {
        reply: Sender<usize>,
    },
    Pause,
    Resume,
    Stats {
        reply: Sender<StatsReport>,
    },
    Shutdown,
}

#[derive(Clone, Debug, Default)]
pub struct StatsReport {
    pub topics: usize,
    pub backlog: usize,
    pub subscribers: usize,
    pub outstanding: usize,
    pub dead_letters: usize,
    pub evicted_dead_letters: u64,
    pub dispatch_backlog: usize,
    pub paused: bool,
    pub metrics: String,
}

#[derive(Clone)]
pub struct AdminClient {
    tx: Sender<AdminCommand>,
}

impl AdminClient {
    fn call<T>(&self, build: impl FnOnce(Sender<T>) -> AdminCommand) -> Option<T> {
        let (reply_tx, reply_rx) = bounded(1);
        self.tx.send(build(reply_tx)).ok()?;
        reply_rx.recv().ok() // CLEAN: blocking-while-holding: the console calls stats() holding only its own history lock, which the admin thread never touches
    }

    pub fn create_topic(&self, name: &str, partitions: usize) -> bool {
        self.call(|reply| AdminCommand::CreateTopic {
            name: name.to_string(),
            partitions,
            reply,
        })
        .unwrap_or(false)
    }

    pub fn delete_group(&self, group: &str) -> usize {
        self.call(|reply| AdminCommand::DeleteGroup {
            group: group.to_string(),
            reply,
        })
        .unwrap_or(0)
    }

    pub fn rebalance(&self, topic: &str, from: usize, to: usize, max: usize) -> usize {
        self.call(|reply| AdminCommand::Rebalance {
            topic: topic.to_string(),
            from,
            to,
            max,
            reply,
        })
        .unwrap_or(0)
    }

    pub fn reassign(&self, from: usize, to: usize, count: usize) -> usize {
        self.call(|reply| AdminCommand::Reassign {
            from,
            to,
            count,
            reply,
        })
        .unwrap_or(0)
    }

    pub fn replay_dead_letters(&self, limit: usize) -> usize {
        self.call(|reply| AdminCommand::ReplayDeadLetters { limit, reply })
            .unwrap_or(0)
    }

    pub fn stats(&self) -> Option<StatsReport> {
        self.call(|reply| AdminCommand::Stats { reply })
    }

    /// Runs retention now with whatever policy is configured.
    pub fn apply_retention(&self) -> Option<usize> {
        let (reply_tx, reply_rx) = bounded(1);
        self.tx
            .send(AdminCommand::ApplyRetention { reply: reply_tx })
            .ok()?;
        reply_rx.recv().ok() // PLANTED: blocking-while-holding: the console waits here while holding Broker::config; the admin thread answering needs Broker::config in retention_policy()
    }

    pub fn pause(&self) {
        let _ = self.tx.send(AdminCommand::Pause);
    }

    pub fn resume(&self) {
        let _ = self.tx.send(AdminCommand::Resume);
    }

    pub fn shutdown(&self) {
        let _ = self.tx.send(AdminCommand::Shutdown);
    }
}

pub fn spawn(broker: Arc<Broker>) -> (AdminClient, JoinHandle<()>) {
    let (tx, rx) = unbounded();
    let handle = thread::Builder::new()
        .name("admin".to_string())
        .spawn(move || serve(&broker, &rx))
        .expect("spawn admin thread");
    (AdminClient { tx }, handle)
}

fn serve(broker: &Broker, commands: &Receiver<AdminCommand>) {
    for command in commands.iter() {
        match command {
            AdminCommand::CreateTopic {
                name,
                partitions,
                reply,
            } => {
                let _ = reply.send(broker.create_topic(&name, partitions, false));
            }
            AdminCommand::DeleteGroup { group, reply } => {
                let detached = broker.groups.delete_group(&group, &broker.registry);
                let _ = reply.send(detached);
            }
            AdminCommand::Rebalance {
                topic,
                from,
                to,
                max,
                reply,
            } => {
                let moved = broker
                    .topic(&topic)
                    .map_or(0, |topic| topic.rebalance(from, to, max));
                let _ = reply.send(moved);
            }
            AdminCommand::Reassign {
                from,
                to,
                count,
                reply,
            } => {
                let _ = reply.send(broker.slots.transfer(from, to, count));
            }
            AdminCommand::ReplayDeadLetters { limit, reply } => {
                let _ = reply.send(broker.dlq.replay(&broker.acks, limit));
            }
            AdminCommand::ApplyRetention { reply } => {
                let policy = broker.retention_policy();
                let _ = reply.send(retention::apply(broker, policy));
            }
            AdminCommand::Pause => broker.gate.pause(),
            AdminCommand::Resume => broker.gate.resume(),
            AdminCommand::Stats { reply } => {
                let _ = reply.send(stats(broker));
            }
            AdminCommand::Shutdown => break,
        }
    }
}

fn stats(broker: &Broker) -> StatsReport {
    let topics = broker.topics_snapshot();
    StatsReport {
        topics: topics.len(),
        backlog: topics.iter().map(|t| t.total_depth()).sum(),
        subscribers: broker.registry.len(),
        outstanding: broker.acks.outstanding(),
        dead_letters: broker.dlq.len(),
        evicted_dead_letters: broker.dlq.evicted(),
        dispatch_backlog: broker.dispatcher.backlog(),
        paused: broker.gate.is_paused(),
        metrics: broker.metrics.summary(),
    }
}
