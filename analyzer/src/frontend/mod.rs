//! Source files in, crates out: parsing (in parallel, on big-stack threads), crate discovery,
//! item indexes and name resolution.
pub(crate) mod bodies;
pub(crate) mod compact;
pub(crate) mod crates;
pub(crate) mod index;
pub(crate) mod macro_rules;
pub(crate) mod macros;
pub(crate) mod outline;
pub(crate) mod parse;
pub(crate) mod pool;
pub(crate) mod resolve;
pub(crate) mod scan;
pub(crate) mod span;
pub(crate) mod sync_items;
