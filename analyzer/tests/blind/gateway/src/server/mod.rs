//! The gateway process: owns every subsystem, the worker threads and the
//! background threads, and tears them down in order on shutdown.

pub mod dispatch;
pub mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::cache::ResponseCache;
use crate::config::{Config, ConfigStore, ReloadRequest};
use crate::health::{HealthBoard, HealthChecker};
use crate::metrics::Metrics;
use crate::middleware::builtin::{AccessLog, ApiKeyAuth, RateLimit};
use crate::middleware::Chain;
use crate::ratelimit::RateLimiter;
use crate::router::Router;
use crate::upstream::{BreakerSet, UpstreamRegistry};

pub use dispatch::{Dispatcher, InflightGate, Job};
pub use worker::WorkerStats;

#[derive(Debug, Default)]
pub struct GatewayStats {
    pub served: u64,
    pub failed: u64,
    pub cache_hits: u64,
    pub workers_exited: usize,
    pub shutting_down: bool,
}

pub struct Gateway {
    pub config: Arc<ConfigStore>,
    pub router: Arc<Router>,
    pub registry: Arc<UpstreamRegistry>,
    pub breakers: Arc<BreakerSet>,
    pub limiter: Arc<RateLimiter>,
    pub cache: Arc<ResponseCache>,
    pub metrics: Arc<Metrics>,
    pub chain: Arc<Chain>,
    pub auth: Arc<ApiKeyAuth>,
    pub dispatcher: Arc<Dispatcher>,
    pub gate: Arc<InflightGate>,
    pub board: Arc<HealthBoard>,
    stats: Mutex<GatewayStats>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    background: Mutex<Vec<(&'static str, JoinHandle<()>)>>,
    jobs: Mutex<Option<Receiver<Job>>>,
    reloads: Mutex<Option<std::sync::mpsc::Receiver<ReloadRequest>>>,
    stop: Arc<AtomicBool>,
}

impl Gateway {
    pub fn build(cfg: Config) -> Arc<Gateway> {
        let (config, reload_rx) = ConfigStore::new(cfg.clone());
        let registry = Arc::new(UpstreamRegistry::new(&cfg.upstreams));
        let metrics = Arc::new(Metrics::new());
        let limiter = Arc::new(RateLimiter::new(4, 6, cfg.burst, cfg.rate_per_sec));
        let auth = Arc::new(ApiKeyAuth::new(cfg.api_keys.iter().cloned()));
        let chain = Arc::new(Chain::new());
        chain.push(auth.clone());
        chain.push(Arc::new(RateLimit::new(limiter.clone())));
        chain.push(Arc::new(AccessLog::new(metrics.clone(), false)));
        let (dispatcher, jobs) = Dispatcher::new(cfg.queue_depth);
        Arc::new(Gateway {
            config,
            router: Arc::new(Router::new(cfg.routes.clone())),
            breakers: Arc::new(BreakerSet::new(cfg.upstreams.len(), 3, Duration::from_millis(30))),
            registry,
            limiter,
            cache: Arc::new(ResponseCache::new(cfg.cache_capacity)),
            metrics,
            chain,
            auth,
            dispatcher,
            gate: Arc::new(InflightGate::new()),
            board: Arc::new(HealthBoard::new()),
            stats: Mutex::new(GatewayStats::default()),
            workers: Mutex::new(Vec::new()),
            background: Mutex::new(Vec::new()),
            jobs: Mutex::new(Some(jobs)),
            reloads: Mutex::new(Some(reload_rx)),
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Spawns `n` request workers; each waits on `ready` before serving.
    pub fn start_workers(self: &Arc<Self>, n: usize, ready: Arc<Barrier>) {
        let jobs = self.jobs.lock().unwrap().take().expect("workers already started");
        let mut handles = Vec::with_capacity(n);
        for idx in 0..n {
            let gw = Arc::clone(self);
            let jobs = jobs.clone();
            let ready = Arc::clone(&ready);
            let handle = thread::Builder::new()
                .name(format!("worker-{idx}"))
                .spawn(move || worker::run(gw, idx, jobs, ready))
                .expect("spawn worker");
            handles.push(handle);
        }
        self.workers.lock().unwrap().extend(handles);
    }

    /// Health checker, cache evictor, rate-limit janitor, route discovery and
    /// the config applier.
    pub fn start_background(self: &Arc<Self>) {
        let health = HealthChecker::new(
            self.registry.clone(),
            self.board.clone(),
            Duration::from_millis(15),
            self.stop.clone(),
        )
        .spawn();
        let evictor = self.cache.spawn_evictor(Duration::from_millis(10), self.stop.clone());
        let janitor = self.limiter.spawn_janitor(Duration::from_millis(25), self.stop.clone());
        let discovery = crate::router::discovery::spawn(
            self.router.clone(),
            self.config.current().routes,
            Duration::from_millis(20),
            self.stop.clone(),
        );
        let rx = self.reloads.lock().unwrap().take().expect("applier already started");
        let applier = self.config.spawn_applier(rx, self.router.clone(), self.auth.clone());
        let mut bg = self.background.lock().unwrap();
        bg.push(("health", health));
        bg.push(("evictor", evictor));
        bg.push(("janitor", janitor));
        bg.push(("discovery", discovery));
        bg.push(("applier", applier));
    }

    /// Called by each worker on its way out.
    pub fn merge_worker_stats(&self, local: &WorkerStats) {
        let mut stats = self.stats.lock().unwrap();
        stats.served += local.served;
        stats.failed += local.failed;
        stats.cache_hits += local.cache_hits;
        stats.workers_exited += 1;
    }

    pub fn shutdown(&self) {
        self.gate.close_and_drain();
        self.stop.store(true, Ordering::Release);
        self.config.stop_applier();

        let background = std::mem::take(&mut *self.background.lock().unwrap());
        for (name, handle) in background {
            if handle.join().is_err() { // CLEAN: blocking-while-holding: the `background` guard was a temporary; no lock is held while joining
                eprintln!("[shutdown] {name} thread panicked");
            }
        }

        let handles = std::mem::take(&mut *self.workers.lock().unwrap());
        self.dispatcher.stop_workers(handles.len());
        let mut stats = self.stats.lock().unwrap();
        stats.shutting_down = true;
        for handle in handles {
            let _ = handle.join(); // PLANTED: blocking-while-holding: joins workers while holding `stats`; each worker locks `stats` in merge_worker_stats() before exiting
        }
        eprintln!("[shutdown] {:?}", *stats);
    }
}
