//! Follower replicas: each one owns a private copy of the table and applies
//! the leader's change stream to it.

use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::protocol::{Ack, FollowerId, ReplMsg};
use super::Replicator;
use crate::config::Config;
use crate::store::{Entry, ShardedTable};
use crate::wal::{Change, Record};

pub struct Follower {
    id: FollowerId,
    replica: ShardedTable,
    rx: Receiver<ReplMsg>,
    ack_tx: Sender<Ack>,
    leader: Arc<Replicator>,
    applied_lsn: u64,
    applied: u64,
    checkpoint_every: u64,
    fail_after: Option<u64>,
}

#[derive(Debug)]
pub struct FollowerReport {
    pub id: FollowerId,
    pub applied: u64,
    pub applied_lsn: u64,
    pub keys: usize,
    pub crashed: bool,
}

impl Follower {
    /// Connects a new follower to `leader` and starts its apply thread. The
    /// last follower is configured to drop out after `follower_fail_after`
    /// records, which exercises the leader's failure handling.
    pub fn spawn(leader: &Arc<Replicator>, id: FollowerId, cfg: &Config) -> JoinHandle<FollowerReport> {
        let (rx, ack_tx) = leader.connect(id);
        let fail_after = cfg.follower_fail_after.filter(|_| id + 1 == cfg.followers);
        let follower = Follower {
            id,
            replica: ShardedTable::new(cfg.shards),
            rx,
            ack_tx,
            leader: Arc::clone(leader),
            applied_lsn: leader.head(),
            applied: 0,
            checkpoint_every: cfg.checkpoint_every,
            fail_after,
        };
        thread::Builder::new()
            .name(format!("follower-{id}"))
            .spawn(move || follower.run())
            .expect("failed to spawn follower")
    }

    fn run(mut self) -> FollowerReport {
        let mut crashed = false;
        while let Ok(msg) = self.rx.recv() {
            let keep_going = match msg {
                ReplMsg::Apply(record) => self.accept(record),
                ReplMsg::Resync(records) => records.into_iter().all(|r| self.accept(r)),
                ReplMsg::Shutdown => false,
            };
            if !keep_going {
                break;
            }
            if let Some(limit) = self.fail_after {
                if self.applied >= limit {
                    crashed = true;
                    break;
                }
            }
        }
        FollowerReport {
            id: self.id,
            applied: self.applied,
            applied_lsn: self.applied_lsn,
            keys: self.replica.len(),
            crashed,
        }
    }

    fn accept(&mut self, record: Record) -> bool {
        if record.lsn <= self.applied_lsn {
            return true;
        }
        self.apply(&record.change);
        self.applied_lsn = record.lsn;
        self.applied += 1;
        if record.lsn % self.checkpoint_every == 0 {
            self.leader.note_checkpoint(self.id, record.lsn);
        }
        self.ack_tx
            .send(Ack {
                follower: self.id,
                lsn: record.lsn,
            })
            .is_ok()
    }

    fn apply(&self, change: &Change) {
        match change {
            Change::Put { key, value, ttl_ms } => {
                let ttl = ttl_ms.map(Duration::from_millis);
                let entry = Entry::with_ttl(value.clone(), self.applied_lsn + 1, ttl, Instant::now());
                self.replica.insert(key.clone(), entry);
            }
            Change::Delete { key } => {
                self.replica.remove(key);
            }
        }
    }
}
