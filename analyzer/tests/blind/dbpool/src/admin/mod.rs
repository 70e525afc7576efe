//! Admin console: a dedicated thread that serves maintenance and
//! inspection commands received over a channel, answering each request on
//! its own reply channel.

pub mod client;
pub mod commands;
pub mod operator;

use std::collections::VecDeque;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{unbounded, Receiver};

use crate::cache::StatementCache;
use crate::metrics::Metrics;
use crate::migrate::MigrationRunner;
use crate::pool::{Pool, Reaper};
use crate::router::Router;
use crate::wal::{Lsn, Wal, WalEvent};

pub use client::AdminClient;
pub use commands::{AdminRequest, Command, Reply, StatsReport};

const SLOW_LOG_CAPACITY: usize = 64;

/// Create the request channel. The client half can be handed out before
/// the console itself is constructed.
pub fn channel() -> (AdminClient, Receiver<AdminRequest>) {
    let (tx, rx) = unbounded();
    (AdminClient::new(tx), rx)
}

fn reply_or_error<T, E: std::fmt::Debug>(result: Result<T, E>, ok: impl FnOnce(T) -> Reply) -> Reply {
    result.map_or_else(|e| Reply::Error(format!("{e:?}")), ok)
}

pub struct Services {
    pub pool: Arc<Pool>,
    pub reaper: Arc<Reaper>,
    pub router: Arc<Router>,
    pub cache: Arc<StatementCache>,
    pub wal: Arc<Wal>,
    pub metrics: Arc<Metrics>,
    pub migrations: Arc<MigrationRunner>,
}

#[derive(Debug, Clone, Default)]
pub struct ConsoleReport {
    pub handled: u64,
    pub slow_queries: usize,
    pub last_durable: Lsn,
    pub truncations: usize,
}

pub struct AdminConsole {
    requests: Receiver<AdminRequest>,
    services: Services,
    wal_events: Receiver<WalEvent>,
    slow_log: VecDeque<String>,
    report: ConsoleReport,
}

impl AdminConsole {
    pub fn new(requests: Receiver<AdminRequest>, services: Services) -> Self {
        let wal_events = services.wal.subscribe();
        AdminConsole { requests, services, wal_events, slow_log: VecDeque::new(), report: ConsoleReport::default() }
    }

    pub fn spawn(self) -> JoinHandle<ConsoleReport> {
        thread::Builder::new()
            .name("admin-console".into())
            .spawn(move || self.serve())
            .expect("spawn admin console")
    }

    fn serve(mut self) -> ConsoleReport {
        while let Ok(request) = self.requests.recv() {
            self.drain_wal_events();
            let shutdown = matches!(request.command, Command::Shutdown);
            let reply = self.handle(request.command);
            let _ = request.reply.send(reply);
            self.report.handled += 1;
            if shutdown {
                break;
            }
        }
        self.report.slow_queries = self.slow_log.len();
        self.report
    }

    fn drain_wal_events(&mut self) {
        for event in self.wal_events.try_iter() {
            match event {
                WalEvent::Durable(lsn) => self.report.last_durable = self.report.last_durable.max(lsn),
                WalEvent::Truncated { segments, .. } => self.report.truncations += segments,
            }
        }
    }

    fn handle(&mut self, command: Command) -> Reply {
        let s = &self.services;
        match command {
            Command::Stats => Reply::Stats(Box::new(StatsReport {
                pool: s.pool.stats(),
                wal: s.wal.stats(),
                metrics: s.metrics.snapshot(),
                cached_statements: s.cache.len(),
                schema_version: s.migrations.current_version(),
                topology_epoch: s.router.topology_epoch(),
            })),
            Command::Health => Reply::Health(s.pool.health_summary()),
            Command::ListConnections => Reply::Connections(s.pool.list_connections()),
            Command::SetIdleTimeout(timeout) => {
                let previous = s.reaper.reconfigure(timeout);
                Reply::IdleTimeout { previous }
            }
            Command::Rebalance { from, to, buckets } => reply_or_error(s.router.rebalance(from, to, buckets), Reply::Moved),
            Command::Trim { shard, budget } => reply_or_error(s.router.trim(shard, budget), Reply::Freed),
            Command::Compact { shard } => reply_or_error(s.router.compact(shard), Reply::Freed),
            Command::Checkpoint => Reply::Checkpointed(s.wal.checkpoint()),
            Command::Migrate => reply_or_error(s.migrations.run_pending("admin"), Reply::Migrated),
            Command::SlowQuery(report) => match s.router.shard_summary(report.shard) {
                Ok(summary) => {
                    if self.slow_log.len() == SLOW_LOG_CAPACITY {
                        self.slow_log.pop_front();
                    }
                    self.slow_log.push_back(format!(
                        "key={} {} took {:?} on {:?}",
                        report.key, report.what, report.elapsed, summary
                    ));
                    Reply::ShardSummary(summary)
                }
                Err(e) => Reply::Error(format!("{e:?}")),
            },
            Command::Shutdown => Reply::Ack,
        }
    }
}
