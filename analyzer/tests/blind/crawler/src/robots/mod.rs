mod rules;

pub use rules::RobotsRules;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};
use parking_lot::{Mutex, RwLock};

use crate::config::Config;
use crate::fetch::rate_limit::RateLimiter;
use crate::fetch::simulated::Web;
use crate::shutdown::{spawn_named, Shutdown};
use crate::stats::Stats;
use crate::url::{Host, Url};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    Allowed { crawl_delay: Option<Duration> },
    Disallowed,
}

struct CachedRules {
    rules: Arc<RobotsRules>,
    loaded_at: Instant,
}

type Reply = Sender<Arc<RobotsRules>>;

#[derive(Default)]
struct Pending {
    waiters: HashMap<Host, Vec<Reply>>,
    closed: bool,
}

/// robots.txt cache. Misses are queued to a single loader thread; callers
/// wait on a per-request reply channel.
pub struct RobotsCache {
    entries: RwLock<HashMap<Host, CachedRules>>,
    pending: Mutex<Pending>,
    requests: Sender<Host>,
    incoming: Receiver<Host>,
    ttl: Duration,
    user_agent: String,
    stats: Arc<Stats>,
}

impl RobotsCache {
    pub fn new(cfg: &Config, stats: Arc<Stats>) -> Arc<RobotsCache> {
        let (requests, incoming) = unbounded();
        Arc::new(RobotsCache {
            entries: RwLock::new(HashMap::new()),
            pending: Mutex::new(Pending::default()),
            requests,
            incoming,
            ttl: cfg.robots_ttl,
            user_agent: cfg.user_agent.clone(),
            stats,
        })
    }

    pub fn check(&self, url: &Url) -> Verdict {
        let host = url.host();
        let rules = match self.lookup(host) {
            Some((rules, true)) => rules,
            Some((_, false)) => self.revalidate(host),
            None => self.rules_for(host),
        };
        if rules.allows(url.path()) {
            Verdict::Allowed { crawl_delay: rules.crawl_delay() }
        } else {
            Verdict::Disallowed
        }
    }

    /// Cached rules and whether they are still fresh.
    fn lookup(&self, host: &Host) -> Option<(Arc<RobotsRules>, bool)> {
        let entries = self.entries.read();
        entries
            .get(host)
            .map(|e| (Arc::clone(&e.rules), e.loaded_at.elapsed() < self.ttl))
    }

    fn rules_for(&self, host: &Host) -> Arc<RobotsRules> {
        let (tx, rx) = bounded(1);
        {
            let mut pending = self.pending.lock();
            if pending.closed {
                return Arc::new(RobotsRules::allow_all());
            }
            let waiters = pending.waiters.entry(host.clone()).or_default();
            waiters.push(tx);
            if waiters.len() == 1 {
                let _ = self.requests.send(host.clone());
            }
        }
        rx.recv().unwrap_or_else(|_| Arc::new(RobotsRules::allow_all())) // CLEAN: blocking-while-holding: the pending guard ended with the block, so the loader can take it in finish()
    }

    fn revalidate(&self, host: &Host) -> Arc<RobotsRules> {
        let mut pending = self.pending.lock();
        if pending.closed {
            return Arc::new(RobotsRules::allow_all());
        }
        if let Some((rules, true)) = self.lookup(host) {
            return rules;
        }
        let (tx, rx) = bounded(1);
        let waiters = pending.waiters.entry(host.clone()).or_default();
        waiters.push(tx);
        if waiters.len() == 1 {
            let _ = self.requests.send(host.clone());
        }
        rx.recv().unwrap_or_else(|_| Arc::new(RobotsRules::allow_all())) // PLANTED: blocking-while-holding: waits for the loader's reply while holding pending; the loader must lock pending in finish() before it replies
    }

    pub fn spawn_loader(
        self: &Arc<Self>,
        web: Arc<dyn Web>,
        limiter: Arc<RateLimiter>,
        shutdown: Arc<Shutdown>,
    ) -> JoinHandle<usize> {
        let cache = Arc::clone(self);
        spawn_named("robots-loader", move || cache.loader_loop(web.as_ref(), &limiter, &shutdown))
    }

    fn loader_loop(&self, web: &dyn Web, limiter: &RateLimiter, shutdown: &Shutdown) -> usize {
        let mut loaded = 0;
        while !shutdown.is_triggered() {
            let host = match self.incoming.recv_timeout(Duration::from_millis(50)) {
                Ok(host) => host,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let _ = limiter.acquire_timeout(Duration::from_millis(200));
            let rules = Arc::new(self.load(web, &host));
            self.store(&host, Arc::clone(&rules));
            self.finish(&host, rules);
            loaded += 1;
        }
        let mut pending = self.pending.lock();
        pending.closed = true;
        pending.waiters.clear();
        loaded
    }

    fn load(&self, web: &dyn Web, host: &Host) -> RobotsRules {
        let url = match Url::parse(&format!("http://{}/robots.txt", host)) {
            Ok(url) => url,
            Err(_) => return RobotsRules::allow_all(),
        };
        let response = web.get(&url);
        match response.status {
            200..=299 => RobotsRules::parse(&response.body, &self.user_agent),
            400..=499 => RobotsRules::allow_all(),
            _ => RobotsRules::disallow_all(),
        }
    }

    fn store(&self, host: &Host, rules: Arc<RobotsRules>) {
        let mut entries = self.entries.write();
        let count = rules.rule_count();
        entries.insert(
            host.clone(),
            CachedRules { rules, loaded_at: Instant::now() },
        );
        self.stats.robots_loaded(host, count);
    }

    fn finish(&self, host: &Host, rules: Arc<RobotsRules>) {
        let waiters = self.pending.lock().waiters.remove(host).unwrap_or_default();
        for waiter in waiters {
            let _ = waiter.send(Arc::clone(&rules));
        }
    }

    pub fn has_rules(&self, host: &Host) -> bool {
        self.entries.read().contains_key(host) // PLANTED: lock-order: the reporter calls this holding the stats per-host table; store() holds entries (write) and then locks that table
    }

    pub fn cached_hosts(&self) -> usize {
        self.entries.read().len()
    }

    /// Drops entries far past their TTL, keeping the per-host stats in step.
    pub fn evict_expired(&self) -> usize {
        let horizon = self.ttl * 4;
        for attempt in 0..5u32 {
            let mut entries = self.entries.write();
            let expired: Vec<Host> = entries
                .iter()
                .filter(|(_, e)| e.loaded_at.elapsed() > horizon)
                .map(|(h, _)| h.clone())
                .collect();
            if expired.is_empty() {
                return 0;
            }
            if self.stats.try_forget_robots(&expired) {
                for host in &expired {
                    entries.remove(host);
                }
                return expired.len();
            }
            drop(entries);
            thread::sleep(Duration::from_millis(2 << attempt));
        }
        0
    }
}
