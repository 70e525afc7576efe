use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::fetch::queue::FetchQueue;
use crate::frontier::Frontier;
use crate::parse::ExtractorRegistry;
use crate::robots::RobotsCache;
use crate::shutdown::{spawn_named, Shutdown};

#[derive(Clone, Debug, Default)]
pub struct HousekeepingTotals {
    pub rounds: u64,
    pub retries_sent: usize,
    pub hosts_evicted: usize,
    pub fingerprints_released: usize,
    pub robots_evicted: usize,
    pub plugins_unloaded: Vec<String>,
}

/// Background housekeeping: re-sends due retries, forgets idle hosts,
/// expires robots entries and unloads extractors that keep failing.
pub struct Housekeeper {
    pub frontier: Arc<Frontier>,
    pub robots: Arc<RobotsCache>,
    pub registry: Arc<ExtractorRegistry>,
    pub queue: FetchQueue,
    pub interval: Duration,
    pub idle_after: Duration,
}

impl Housekeeper {
    pub fn spawn(self, shutdown: Arc<Shutdown>) -> JoinHandle<HousekeepingTotals> {
        spawn_named("housekeeper", move || {
            let mut totals = HousekeepingTotals::default();
            while !shutdown.sleep(self.interval) {
                self.run_once(&mut totals);
            }
            totals
        })
    }

    fn run_once(&self, totals: &mut HousekeepingTotals) {
        totals.rounds += 1;
        totals.retries_sent += self.frontier.flush_retries(&self.queue);
        let (hosts, fingerprints) = self.frontier.evict_idle(self.idle_after);
        totals.hosts_evicted += hosts;
        totals.fingerprints_released += fingerprints;
        totals.robots_evicted += self.robots.evict_expired();
        let unloaded = self.registry.prune_failed();
        if !unloaded.is_empty() {
            eprintln!("housekeeper: unloaded extractors {:?}", unloaded);
            totals.plugins_unloaded.extend(unloaded);
        }
    }
}
