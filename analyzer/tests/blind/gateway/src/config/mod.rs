//! Gateway configuration and hot reload. Reloads are applied by a dedicated
//! applier thread; callers send a request and wait on a reply channel.

pub mod reload;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::middleware::builtin::ApiKeyAuth;
use crate::router::{Route, Router};

pub use reload::{Applier, ReloadRequest};

#[derive(Debug, Clone)]
pub struct UpstreamSpec {
    pub name: String,
    pub addr: String,
    pub pool_size: usize,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub version: u64,
    pub upstreams: Vec<UpstreamSpec>,
    pub routes: Vec<Route>,
    pub api_keys: Vec<String>,
    pub workers: usize,
    pub queue_depth: usize,
    pub cache_capacity: usize,
    pub burst: f64,
    pub rate_per_sec: f64,
}

impl Config {
    pub fn initial() -> Config {
        let upstream = |name: &str, port: u16, pool_size| UpstreamSpec {
            name: name.to_string(),
            addr: format!("10.0.0.{}:{port}", port % 7 + 1),
            pool_size,
        };
        Config {
            version: 1,
            upstreams: vec![
                upstream("users-svc", 8080, 2),
                upstream("orders-svc", 8081, 2),
                upstream("assets-svc", 8082, 3),
            ],
            routes: vec![
                Route::to("/api/", 0).with_fallback(1),
                Route::to("/legacy/", 1).with_fallback(0),
                Route::to("/static/", 2).cached(Duration::from_millis(40)),
                Route::to("/aggregate/", 0).fan_out(),
                Route::to("/beta/", 2).disabled(),
            ],
            api_keys: vec!["k-alpha".into(), "k-beta".into(), "k-gamma".into()],
            workers: 4,
            queue_depth: 16,
            cache_capacity: 8,
            burst: 20.0,
            rate_per_sec: 200.0,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.upstreams.is_empty() {
            return Err("no upstreams".into());
        }
        for r in &self.routes {
            if r.primary >= self.upstreams.len() {
                return Err(format!("route {} points at unknown upstream {}", r.prefix, r.primary));
            }
            if let Some(fb) = r.fallback {
                if fb >= self.upstreams.len() || fb == r.primary {
                    return Err(format!("route {} has a bad fallback", r.prefix));
                }
            }
        }
        if self.api_keys.is_empty() {
            return Err("refusing to run with no api keys".into());
        }
        Ok(())
    }
}

pub struct ConfigStore {
    current: Mutex<Config>,
    audit: Mutex<Vec<String>>,
    requests: mpsc::Sender<ReloadRequest>,
}

impl ConfigStore {
    pub fn new(initial: Config) -> (Arc<ConfigStore>, mpsc::Receiver<ReloadRequest>) {
        let (tx, rx) = mpsc::channel();
        let store = ConfigStore {
            current: Mutex::new(initial),
            audit: Mutex::new(Vec::new()),
            requests: tx,
        };
        (Arc::new(store), rx)
    }

    pub fn current(&self) -> Config {
        self.current.lock().unwrap().clone()
    }

    pub fn version(&self) -> u64 {
        self.current.lock().unwrap().version
    }

    /// Asks the applier to install `next` and waits for its verdict.
    pub fn reload(&self, next: Config) -> Result<u64, String> {
        let current = self.current.lock().unwrap();
        if next.version <= current.version {
            return Err(format!(
                "stale config v{} (running v{})",
                next.version, current.version
            ));
        }
        let (reply_tx, reply_rx) = mpsc::channel();
        self.requests
            .send(ReloadRequest::Apply {
                config: next,
                reply: reply_tx,
            })
            .map_err(|_| "config applier is gone".to_string())?;
        reply_rx.recv().map_err(|_| "applier dropped the reply".to_string())? // PLANTED: blocking-while-holding: waits for the applier while holding `current`; the applier needs `current` in commit()
    }

    /// Validates a candidate on the applier without installing it.
    pub fn dry_run(&self, candidate: Config) -> Result<(), String> {
        let mut audit = self.audit.lock().unwrap();
        audit.push(format!("dry-run v{}", candidate.version));
        let (reply_tx, reply_rx) = mpsc::channel();
        self.requests
            .send(ReloadRequest::Validate {
                config: candidate,
                reply: reply_tx,
            })
            .map_err(|_| "config applier is gone".to_string())?;
        let verdict = reply_rx.recv().map_err(|_| "applier dropped the reply".to_string())?; // CLEAN: blocking-while-holding: holds only `audit`, which the applier thread never locks
        audit.push(format!("dry-run result: {verdict:?}"));
        verdict
    }

    /// Called by the applier once the new config is live everywhere.
    pub(crate) fn commit(&self, cfg: Config) -> u64 {
        let mut current = self.current.lock().unwrap();
        *current = cfg;
        current.version
    }

    pub fn audit_log(&self) -> Vec<String> {
        self.audit.lock().unwrap().clone()
    }

    pub fn stop_applier(&self) {
        let _ = self.requests.send(ReloadRequest::Shutdown);
    }

    pub fn spawn_applier(
        self: &Arc<Self>,
        rx: mpsc::Receiver<ReloadRequest>,
        router: Arc<Router>,
        auth: Arc<ApiKeyAuth>,
    ) -> JoinHandle<()> {
        let applier = Applier::new(Arc::clone(self), router, auth);
        thread::Builder::new()
            .name("config-applier".into())
            .spawn(move || applier.run(rx))
            .expect("spawn config applier")
    }
}
