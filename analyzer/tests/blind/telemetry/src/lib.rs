//! Telemetry aggregation service.
//!
//! Samples arrive on an ingest channel, are folded into a sharded in-memory
//! store, periodically snapshotted and exported to one or more sinks, and
//! evaluated against alert rules. Stale series are evicted in the background.

pub mod alert;
pub mod config;
pub mod evict;
pub mod flush;
pub mod ingest;
pub mod model;
pub mod service;
pub mod stats;
pub mod store;
pub mod tenants;

pub use config::Config;
pub use flush::sink::{FanoutSink, LineSink, MemorySink, Sink, SinkError};
pub use model::{now_ms, IngestMsg, MetricKind, Sample, SeriesKey, TenantId};
pub use service::{AdminCmd, Readiness, Service};
pub use stats::StatsSnapshot;
