//! Admin console protocol.

use std::fmt;
use std::time::Duration;

use crossbeam_channel::Sender;

use crate::metrics::MetricsSnapshot;
use crate::pool::{ConnInfo, HealthSummary, PoolStats};
use crate::router::{ShardSummary, SlowQuery};
use crate::wal::{Lsn, WalStats};

#[derive(Debug, Clone)]
pub enum Command {
    Stats,
    Health,
    ListConnections,
    SetIdleTimeout(Duration),
    Rebalance { from: usize, to: usize, buckets: usize },
    Trim { shard: usize, budget: u64 },
    Compact { shard: usize },
    Checkpoint,
    Migrate,
    SlowQuery(SlowQuery),
    Shutdown,
}

#[derive(Debug, Clone)]
pub struct StatsReport {
    pub pool: PoolStats,
    pub wal: WalStats,
    pub metrics: MetricsSnapshot,
    pub cached_statements: usize,
    pub schema_version: u32,
    pub topology_epoch: u64,
}

impl StatsReport {
    pub fn headline(&self) -> String {
        format!(
            "q={} pool[{:?}] cache={} schema=v{} epoch={}",
            self.metrics.get("queries"), self.pool, self.cached_statements, self.schema_version, self.topology_epoch
        )
    }
}

#[derive(Debug, Clone)]
pub enum Reply {
    Stats(Box<StatsReport>),
    Health(HealthSummary),
    Connections(Vec<ConnInfo>),
    IdleTimeout { previous: Duration },
    Moved(usize),
    Freed(u64),
    Checkpointed(Lsn),
    Migrated(usize),
    ShardSummary(ShardSummary),
    Ack,
    Error(String),
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Stats(s) => write!(f, "stats: {}", s.headline()),
            Reply::Health(h) => write!(f, "health: {h:?}"),
            Reply::Connections(c) => write!(f, "{} connections", c.len()),
            Reply::ShardSummary(s) => write!(f, "{s:?}"),
            other => write!(f, "{other:?}"),
        }
    }
}

pub struct AdminRequest {
    pub command: Command,
    pub reply: Sender<Reply>,
}
