//! kvstore: an in-memory replicated key-value store with a write-ahead log,
//! follower replication, snapshots, TTL expiry and log compaction.

pub mod compaction;
pub mod config;
pub mod engine;
pub mod metrics;
pub mod replication;
pub mod server;
pub mod snapshot;
pub mod store;
pub mod txn;
pub mod wal;

pub use config::Config;
pub use engine::Engine;
