//! dbpool: an in-process database access layer (pool, statement cache, sharded router, migrations, WAL).

pub mod admin;
pub mod backend;
pub mod cache;
pub mod config;
pub mod context;
pub mod metrics;
pub mod migrate;
pub mod pool;
pub mod router;
pub mod wal;
pub mod worker;
