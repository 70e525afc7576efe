mod host_queue;
mod seen;

pub use host_queue::{HostQueue, QueuedUrl};
pub use seen::SeenSet;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::RwLock;

use crate::config::Config;
use crate::fetch::queue::{FetchQueue, FetchTask};
use crate::graph::PageId;
use crate::shutdown::{spawn_named, Shutdown};
use crate::stats::Stats;
use crate::url::{Host, Url};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Fetched,
    Failed,
    Skipped,
}

pub struct Frontier {
    hosts: Mutex<HashMap<Host, HostQueue>>,
    seen: SeenSet,
    retries: Mutex<Vec<FetchTask>>,
    budget: RwLock<usize>,
    politeness: Duration,
    per_host_cap: usize,
    max_depth: usize,
    max_host_errors: u32,
    stats: Arc<Stats>,
}

impl Frontier {
    pub fn new(cfg: &Config, stats: Arc<Stats>) -> Arc<Frontier> {
        Arc::new(Frontier {
            hosts: Mutex::new(HashMap::new()),
            seen: SeenSet::new(),
            retries: Mutex::new(Vec::new()),
            budget: RwLock::new(cfg.max_pages),
            politeness: cfg.politeness,
            per_host_cap: cfg.per_host_cap,
            max_depth: cfg.max_depth,
            max_host_errors: cfg.max_host_errors,
            stats,
        })
    }

    fn queue_for<'a>(&self, hosts: &'a mut HashMap<Host, HostQueue>, host: &Host) -> &'a mut HostQueue {
        hosts
            .entry(host.clone())
            .or_insert_with(|| HostQueue::new(host.clone(), self.politeness, self.per_host_cap))
    }

    pub fn seed(&self, raw: &[String]) -> usize {
        let mut added = 0;
        for s in raw {
            let Ok(url) = Url::parse(s) else {
                eprintln!("skipping malformed seed {}", s);
                continue;
            };
            if !self.seen.insert(&url) {
                continue;
            }
            let mut hosts = self.hosts.lock().unwrap(); // CLEAN: lock-order: the seen-set guard ended inside insert(), so hosts is taken on its own
            if self.queue_for(&mut hosts, url.host()).push(QueuedUrl::new(url.clone(), 0, None)) {
                added += 1;
            }
        }
        added
    }

    /// Admits newly discovered links. Returns how many were queued.
    pub fn push_links(&self, referrer: Option<PageId>, depth: usize, links: &[Url]) -> usize {
        if depth > self.max_depth || links.is_empty() {
            return 0;
        }
        let mut hosts = self.hosts.lock().unwrap();
        let mut added = 0;
        for url in links {
            if !self.seen.insert(url) {
                continue;
            }
            if self.queue_for(&mut hosts, url.host()).push(QueuedUrl::new(url.clone(), depth, referrer)) {
                added += 1;
            }
        }
        added
    }

    /// Moves one URL from each host that is due into the fetch queue, never
    /// more than the queue has room for.
    pub fn dispatch_ready(&self, queue: &FetchQueue) -> usize {
        let room = queue.room();
        if room == 0 {
            return 0;
        }
        let now = Instant::now();
        let mut hosts = self.hosts.lock().unwrap();
        let mut sent = 0;
        for q in hosts.values_mut() {
            if sent == room {
                break;
            }
            if !q.is_ready(now) {
                continue;
            }
            let Some(item) = q.take(now) else { continue };
            if let Err(task) = queue.push_blocking(FetchTask::new(item)) {
                q.release(task.into_queued());
                break;
            }
            sent += 1;
        }
        sent
    }

    pub fn complete(&self, host: &Host, outcome: Outcome) {
        let now = Instant::now();
        let mut hosts = self.hosts.lock().unwrap();
        let Some(q) = hosts.get_mut(host) else {
            return;
        };
        q.finish(now, outcome == Outcome::Failed);
        if q.consecutive_errors() >= self.max_host_errors && !q.is_abandoned() {
            q.abandon();
            self.report_unreachable(host);
        }
    }

    fn report_unreachable(&self, host: &Host) {
        let remaining = self.backlog();
        self.stats.host_abandoned(host, remaining);
    }

    pub fn backlog(&self) -> usize {
        self.hosts.lock().unwrap().values().map(|q| q.len()).sum() // PLANTED: double-lock: reached from complete() via report_unreachable() while complete() still holds hosts
    }

    pub fn apply_crawl_delay(&self, host: &Host, delay: Duration) {
        if let Some(q) = self.hosts.lock().unwrap().get_mut(host) {
            q.raise_delay(delay);
        }
    }

    pub fn take_budget(&self) -> bool {
        let left = *self.budget.read();
        if left == 0 {
            return false;
        }
        *self.budget.write() = left - 1; // PLANTED: stale-read: `left` was read under a read guard that is gone; concurrent fetchers write back the same value
        true
    }

    pub fn refund_budget(&self) {
        let mut left = self.budget.write();
        let current = *left;
        *left = current + 1; // CLEAN: stale-read: read and write-back happen under the same write guard
    }

    pub fn budget_left(&self) -> usize {
        *self.budget.read()
    }

    pub fn push_retry(&self, task: FetchTask) {
        self.retries.lock().unwrap().push(task);
    }

    /// Sends retries whose back-off has elapsed straight to the fetchers.
    pub fn flush_retries(&self, queue: &FetchQueue) -> usize {
        let now = Instant::now();
        let due: Vec<FetchTask> = {
            let mut retries = self.retries.lock().unwrap();
            let (due, later): (Vec<FetchTask>, Vec<FetchTask>) =
                retries.drain(..).partition(|t| t.not_before <= now);
            *retries = later;
            due
        };
        if due.is_empty() {
            return 0;
        }
        {
            let mut hosts = self.hosts.lock().unwrap();
            for task in &due {
                self.queue_for(&mut hosts, task.host()).begin_retry(now);
            }
        }
        let tx = queue.sender();
        let mut sent = 0;
        for task in due {
            if tx.send(task).is_err() { // CLEAN: blocking-while-holding: retries and hosts guards both ended with their blocks above
                break;
            }
            sent += 1;
        }
        sent
    }

    /// Forgets hosts that have been quiet for a while, together with their
    /// fingerprints. Returns (hosts removed, fingerprints released).
    pub fn evict_idle(&self, idle_after: Duration) -> (usize, usize) {
        let now = Instant::now();
        let hosts = self.hosts.lock().unwrap();
        let candidates: Vec<Host> = hosts
            .values()
            .filter(|q| q.is_idle(now, idle_after))
            .map(|q| q.host().clone())
            .collect();
        drop(hosts);
        if candidates.is_empty() {
            return (0, 0);
        }
        let mut hosts = self.hosts.lock().unwrap(); // CLEAN: double-lock: the first guard was dropped explicitly just above
        let mut removed = 0;
        for host in &candidates {
            let still_idle = hosts.get(host).map(|q| q.is_idle(now, idle_after)).unwrap_or(false);
            if still_idle {
                hosts.remove(host);
                removed += 1;
            }
        }
        drop(hosts);
        if removed == 0 {
            return (0, 0);
        }
        let released = self.seen.retain_hosts(|h| self.is_tracked(h));
        (removed, released)
    }

    fn is_tracked(&self, host: &Host) -> bool {
        self.hosts.lock().unwrap().contains_key(host) // PLANTED: lock-order: called under the seen-set write lock (retain_hosts); push_links takes hosts then the seen-set
    }

    pub fn is_drained(&self) -> bool {
        let hosts_quiet = {
            let hosts = self.hosts.lock().unwrap();
            hosts.values().all(|q| q.is_empty() && !q.is_busy())
        };
        hosts_quiet && self.retries.lock().unwrap().is_empty()
    }

    pub fn host_count(&self) -> usize {
        self.hosts.lock().unwrap().len()
    }

    pub fn seen_count(&self) -> usize {
        self.seen.len()
    }

    pub fn spawn_dispatcher(self: &Arc<Self>, queue: FetchQueue, shutdown: Arc<Shutdown>) -> JoinHandle<()> {
        let frontier = Arc::clone(self);
        spawn_named("dispatcher", move || {
            let mut idle_rounds = 0u64;
            while !shutdown.is_triggered() {
                let sent = if frontier.budget_left() > 0 { frontier.dispatch_ready(&queue) } else { 0 };
                idle_rounds = if sent > 0 { 0 } else { (idle_rounds + 1).min(20) };
                if idle_rounds > 0 && shutdown.sleep(Duration::from_millis(idle_rounds)) {
                    break;
                }
            }
        })
    }
}
