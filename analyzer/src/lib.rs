//! racecheck's static analyzer. See ARCHITECTURE.md for the code map.

pub mod analysis;
pub mod diagnostic;
pub mod driver;
mod frontend;
mod graph;
pub mod lock_facts;
pub mod lsp;
mod model;
pub mod rules;

pub use analysis::{analyze, analyze_targets, Analysis, Targets};
