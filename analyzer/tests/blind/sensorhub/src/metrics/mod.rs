//! Hub-wide counters and running totals.

pub mod counters;
mod totals;

pub use totals::{Metrics, Totals, UploadStats};
