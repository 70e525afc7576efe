//! The graphs the rules query: the lock-order graph (which lock is taken while which is held, by
//! which thread) and the happens-before graph (which operations are ordered across threads).
pub(crate) mod happens_before;
pub(crate) mod lock_order;
