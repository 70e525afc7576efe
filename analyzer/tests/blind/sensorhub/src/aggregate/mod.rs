//! Aggregation: per-device and overall statistics computed on a worker pool from batches
//! drained out of the sample buffer.

mod engine;
mod stats;

pub use engine::{AggState, AggregateEngine, DeviceAggregate};
pub use stats::{Overall, Statistic, TrimmedMean};
