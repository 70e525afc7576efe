//! The concrete schema migrations shipped with the application.

use std::thread;
use std::time::Duration;

use crate::cache::StatementCache;
use crate::router::{Operation, Router};

#[derive(Debug)]
pub enum MigrationError {
    Failed { version: u32, reason: String },
    NoConnection(String),
}

/// What a migration is allowed to touch.
pub struct MigrationTarget<'a> {
    pub router: &'a Router,
    pub cache: &'a StatementCache,
}

pub trait Migration: Send + Sync {
    fn version(&self) -> u32;
    fn name(&self) -> &str;
    fn apply(&self, target: &MigrationTarget<'_>) -> Result<(), MigrationError>;
}

struct AddColumn {
    version: u32,
    column: &'static str,
}

impl Migration for AddColumn {
    fn version(&self) -> u32 {
        self.version
    }

    fn name(&self) -> &str {
        self.column
    }

    fn apply(&self, target: &MigrationTarget<'_>) -> Result<(), MigrationError> {
        target.router.add_column(self.column, self.version);
        target.cache.invalidate_matching("select");
        Ok(())
    }
}

/// Writes a seed row into every bucket range, throttled so it does not
/// starve foreground traffic.
struct Backfill {
    version: u32,
    keys: Vec<i64>,
    pause: Duration,
}

impl Migration for Backfill {
    fn version(&self) -> u32 {
        self.version
    }

    fn name(&self) -> &str {
        "backfill-seed-rows"
    }

    fn apply(&self, target: &MigrationTarget<'_>) -> Result<(), MigrationError> {
        for chunk in self.keys.chunks(16) {
            for key in chunk {
                let op = Operation::Put { value: 1_000, payload: b"seed".to_vec() };
                target
                    .router
                    .seed(*key, &op)
                    .map_err(|e| MigrationError::Failed { version: self.version, reason: format!("{e:?}") })?;
            }
            thread::sleep(self.pause);
        }
        Ok(())
    }
}

pub fn default_plan(key_space: i64) -> Vec<Box<dyn Migration>> {
    let step = (key_space / 256).max(1);
    vec![
        Box::new(AddColumn { version: 1, column: "created_at" }),
        Box::new(Backfill { version: 2, keys: (0..256).map(|i| i * step).collect(), pause: Duration::from_millis(10) }),
        Box::new(AddColumn { version: 3, column: "owner" }),
    ]
}
