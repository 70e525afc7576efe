//! The applier thread: receives reload requests and installs them.

use std::sync::mpsc;
use std::sync::Arc;

use super::{Config, ConfigStore};
use crate::middleware::builtin::ApiKeyAuth;
use crate::router::Router;

pub enum ReloadRequest {
    Apply {
        config: Config,
        reply: mpsc::Sender<Result<u64, String>>,
    },
    Validate {
        config: Config,
        reply: mpsc::Sender<Result<(), String>>,
    },
    Shutdown,
}

pub struct Applier {
    store: Arc<ConfigStore>,
    router: Arc<Router>,
    auth: Arc<ApiKeyAuth>,
    applied: u64,
}

impl Applier {
    pub fn new(store: Arc<ConfigStore>, router: Arc<Router>, auth: Arc<ApiKeyAuth>) -> Applier {
        Applier {
            store,
            router,
            auth,
            applied: 0,
        }
    }

    pub fn run(mut self, rx: mpsc::Receiver<ReloadRequest>) {
        for msg in rx {
            match msg {
                ReloadRequest::Apply { config, reply } => {
                    let result = self.apply(config);
                    let _ = reply.send(result);
                }
                ReloadRequest::Validate { config, reply } => {
                    let _ = reply.send(config.validate());
                }
                ReloadRequest::Shutdown => break,
            }
        }
        eprintln!("[config] applier exiting after {} reloads", self.applied);
    }

    fn apply(&mut self, cfg: Config) -> Result<u64, String> {
        cfg.validate()?;
        let routes_changed = self.router.reload(cfg.routes.clone());
        self.auth.replace_keys(cfg.api_keys.iter().cloned());
        let version = self.store.commit(cfg);
        self.applied += 1;
        eprintln!(
            "[config] v{version} live (routes changed: {routes_changed}, keys: {})",
            self.auth.key_count()
        );
        Ok(version)
    }
}
