//! Schema migration runner.

pub mod gate;
pub mod steps;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cache::StatementCache;
use crate::pool::Pool;
use crate::router::Router;
pub use gate::ReadyGate;
pub use steps::{Migration, MigrationError, MigrationTarget};

#[derive(Debug, Clone)]
pub struct AppliedMigration {
    pub version: u32,
    pub name: String,
    pub took: Duration,
    pub runner: String,
}

pub struct MigrationRunner {
    plan: Vec<Box<dyn Migration>>,
    history: Mutex<Vec<AppliedMigration>>,
    version: Mutex<u32>,
    router: Arc<Router>,
    cache: Arc<StatementCache>,
    pool: Arc<Pool>,
    gate: ReadyGate,
}

impl MigrationRunner {
    pub fn new(
        plan: Vec<Box<dyn Migration>>,
        router: Arc<Router>,
        cache: Arc<StatementCache>,
        pool: Arc<Pool>,
    ) -> Self {
        MigrationRunner {
            plan,
            history: Mutex::new(Vec::new()),
            version: Mutex::new(0),
            router,
            cache,
            pool,
            gate: ReadyGate::new(),
        }
    }

    pub fn gate(&self) -> &ReadyGate {
        &self.gate
    }

    pub fn current_version(&self) -> u32 {
        *self.version.lock().unwrap()
    }


    /// Apply every migration newer than the current version. Returns how
    /// many were applied.
    pub fn run_pending(&self, runner: &str) -> Result<usize, MigrationError> {
        let seen = *self.version.lock().unwrap();
        let mut history = self.history.lock().unwrap().clone();
        let pending: Vec<&dyn Migration> =
            self.plan.iter().filter(|m| m.version() > seen).map(|m| m.as_ref()).collect();
        if pending.is_empty() {
            return Ok(0);
        }
        let _conn = self
            .pool
            .checkout_timeout(Duration::from_secs(2))
            .map_err(|e| MigrationError::NoConnection(format!("{e:?}")))?;
        let target = MigrationTarget { router: &self.router, cache: &self.cache };
        let mut reached = seen;
        for migration in &pending {
            let started = Instant::now();
            migration.apply(&target)?;
            history.push(AppliedMigration {
                version: migration.version(),
                name: migration.name().to_string(),
                took: started.elapsed(),
                runner: runner.to_string(),
            });
            reached = migration.version();
        }
        *self.history.lock().unwrap() = history; // PLANTED: stale-read: history was cloned under an earlier guard; a concurrent runner's entries are overwritten
        let mut version = self.version.lock().unwrap();
        if *version == seen {
            *version = reached; // CLEAN: stale-read: only written if the version is still the one read earlier (checked under the same guard)
        }
        Ok(pending.len())
    }
}
