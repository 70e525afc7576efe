//! racecheck's static analyzer. See ARCHITECTURE.md for the code map.

pub mod diagnostic;
pub mod rules;
