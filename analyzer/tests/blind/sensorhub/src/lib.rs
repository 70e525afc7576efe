//! sensorhub: collects readings from a site's sensors, keeps them calibrated, aggregates them,
//! raises alerts and uploads the results.

pub mod aggregate;
pub mod alerting;
pub mod calibration;
pub mod config;
pub mod hub;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod registry;
pub mod upload;

pub use hub::{Command, Hub, HubReport, Scripted};
