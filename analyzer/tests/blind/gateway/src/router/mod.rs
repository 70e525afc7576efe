//! Prefix router. The table is swapped wholesale on config reload.

pub mod discovery;
pub mod route;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

pub use route::Route;

pub struct Router {
    routes: RwLock<Vec<Route>>,
    generation: AtomicU64,
}

impl Router {
    pub fn new(routes: Vec<Route>) -> Router {
        Router {
            routes: RwLock::new(routes),
            generation: AtomicU64::new(1),
        }
    }

    /// Longest enabled prefix wins.
    pub fn resolve(&self, path: &str) -> Option<Route> {
        let routes = self.routes.read().unwrap();
        routes
            .iter()
            .filter(|r| r.enabled && r.matches(path))
            .max_by_key(|r| r.prefix.len())
            .cloned()
    }

    /// Installs `table` if it differs from the live one. Returns whether the
    /// table changed.
    pub fn reload(&self, table: Vec<Route>) -> bool {
        let current = self.routes.read().unwrap();
        let changed = current.len() != table.len()
            || current.iter().zip(table.iter()).any(|(a, b)| !a.same_target(b));
        if !changed {
            return false;
        }
        self.install(table);
        true
    }

    fn install(&self, table: Vec<Route>) {
        let mut routes = self.routes.write().unwrap(); // PLANTED: double-lock: reload() still holds the read guard on `routes` when it calls install()
        *routes = table;
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Drops routes an operator retired; returns how many were removed.
    pub fn prune_disabled(&self) -> usize {
        let routes = self.routes.read().unwrap();
        let disabled = routes.iter().filter(|r| !r.enabled).count();
        drop(routes);
        if disabled == 0 {
            return 0;
        }
        let mut routes = self.routes.write().unwrap(); // CLEAN: double-lock: read guard explicitly dropped before the write lock
        routes.retain(|r| r.enabled);
        self.generation.fetch_add(1, Ordering::SeqCst);
        disabled
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn len(&self) -> usize {
        self.routes.read().unwrap().len()
    }
}
