//! In-memory trading venue.
//!
//! The venue is assembled from a handful of services that share state through
//! `Arc`s: per-symbol order books, matching engines (one thread per symbol
//! group), pre-trade risk, member accounts, a settlement pool, a market-data
//! publisher and the session clock. [`Venue`] wires them together.

pub mod accounts;
pub mod book;
pub mod engine;
pub mod marketdata;
pub mod risk;
pub mod session;
pub mod settlement;
pub mod snapshot;
pub mod stats;
pub mod types;
mod venue;

pub use accounts::account::{Account, AccountView, Vault};
pub use accounts::AccountStore;
pub use book::{BookRegistry, OrderBook, SharedBook};
pub use engine::request::{AmendAck, CancelAck, EngineRequest, MdEvent};
pub use marketdata::sink::MarketDataSink;
pub use marketdata::MarketDataHub;
pub use risk::limits::Limits;
pub use risk::RiskEngine;
pub use session::{Phase, SessionGate};
pub use snapshot::EodReport;
pub use stats::SessionStats;
pub use types::*;
pub use venue::{Venue, VenueConfig};
