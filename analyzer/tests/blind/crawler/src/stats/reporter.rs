use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Snapshot, Stats};
use crate::frontier::Frontier;
use crate::graph::LinkGraph;
use crate::robots::RobotsCache;
use crate::shutdown::{spawn_named, Shutdown};

const HOST_TABLE_EVERY: u64 = 8;
const HOST_TABLE_ROWS: usize = 6;

/// Periodic progress reporter.
pub struct Reporter {
    pub stats: Arc<Stats>,
    pub frontier: Arc<Frontier>,
    pub robots: Arc<RobotsCache>,
    pub graph: Arc<LinkGraph>,
    pub interval: Duration,
}

impl Reporter {
    pub fn spawn(self, shutdown: Arc<Shutdown>) -> JoinHandle<u64> {
        spawn_named("reporter", move || {
            let mut round = 0u64;
            loop {
                let stopping = shutdown.sleep(self.interval);
                round += 1;
                let snapshot = self.collect(round);
                println!("{}", snapshot.render());
                self.stats.push_history(snapshot);
                if round % HOST_TABLE_EVERY == 0 {
                    for row in self.host_table() {
                        println!("    {}", row);
                    }
                }
                if stopping {
                    break;
                }
            }
            round
        })
    }

    fn collect(&self, round: u64) -> Snapshot {
        let mut snapshot = self.stats.snapshot(round);
        snapshot.backlog = self.frontier.backlog();
        snapshot.hosts = self.frontier.host_count();
        snapshot.graph_pages = self.graph.len();
        snapshot.graph_edges = self.graph.edge_count();
        snapshot.robots_cached = self.robots.cached_hosts();
        snapshot.budget_left = self.frontier.budget_left();
        snapshot
    }

    fn host_table(&self) -> Vec<String> {
        let table = self.stats.per_host_table();
        let mut rows: Vec<(u64, String)> = Vec::with_capacity(table.len());
        for (host, hs) in table.iter() {
            let robots = if self.robots.has_rules(host) { "cached" } else { "-" };
            rows.push((
                hs.fetched,
                format!(
                    "{:<14} fetched={:<4} failed={:<3} bytes={:<7} robots={} ({} rules){}",
                    host.as_str(),
                    hs.fetched,
                    hs.failed,
                    hs.bytes,
                    robots,
                    hs.robots_rules,
                    if hs.abandoned { " ABANDONED" } else { "" }
                ),
            ));
        }
        drop(table);
        rows.sort_by(|a, b| b.0.cmp(&a.0));
        rows.into_iter().take(HOST_TABLE_ROWS).map(|(_, r)| r).collect()
    }
}
