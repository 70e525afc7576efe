//! Built-in subscriber implementations used by the demo service.

use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::Sender;

use super::{Handler, Outcome};
use crate::message::{AckEvent, AckKind, Envelope, SubscriberId};

/// Processes messages elsewhere and acknowledges through the ack channel.
pub struct AckingHandler {
    name: String,
    acks: Sender<AckEvent>,
    handled: AtomicU64,
}

impl AckingHandler {
    pub fn new(name: &str, acks: Sender<AckEvent>) -> Self {
        AckingHandler {
            name: name.to_string(),
            acks,
            handled: AtomicU64::new(0),
        }
    }
}

impl Handler for AckingHandler {
    fn name(&self) -> &str {
        &self.name
    }

    fn handle(&self, subscriber: SubscriberId, envelope: &Envelope) -> Outcome {
        self.handled.fetch_add(1, Ordering::Relaxed);
        let _ = self.acks.send(AckEvent {
            tag: envelope.tag,
            subscriber,
            kind: AckKind::Ack,
        });
        Outcome::Pending
    }
}

/// Settles every message on the spot.
pub struct InlineHandler {
    name: String,
    handled: AtomicU64,
}

impl InlineHandler {
    pub fn new(name: &str) -> Self {
        InlineHandler {
            name: name.to_string(),
            handled: AtomicU64::new(0),
        }
    }
}

impl Handler for InlineHandler {
    fn name(&self) -> &str {
        &self.name
    }

    fn handle(&self, _subscriber: SubscriberId, _envelope: &Envelope) -> Outcome {
        self.handled.fetch_add(1, Ordering::Relaxed);
        Outcome::Ack
    }
}

/// A downstream that sometimes rejects and sometimes never answers.
pub struct FlakyHandler {
    name: String,
    acks: Sender<AckEvent>,
    every: u64,
    seen: AtomicU64,
}

impl FlakyHandler {
    pub fn new(name: &str, acks: Sender<AckEvent>, every: u64) -> Self {
        FlakyHandler {
            name: name.to_string(),
            acks,
            every: every.max(2),
            seen: AtomicU64::new(0),
        }
    }
}

impl Handler for FlakyHandler {
    fn name(&self) -> &str {
        &self.name
    }

    fn handle(&self, subscriber: SubscriberId, envelope: &Envelope) -> Outcome {
        let n = self.seen.fetch_add(1, Ordering::Relaxed) + 1;
        if n % self.every == 0 {
            // Lost on the way; the ack timer will notice.
            return Outcome::Pending;
        }
        if n % self.every == 1 && envelope.attempt == 0 {
            return Outcome::Nack("ledger rejected entry".to_string());
        }
        let _ = self.acks.send(AckEvent {
            tag: envelope.tag,
            subscriber,
            kind: AckKind::Ack,
        });
        Outcome::Pending
    }
}

/// A sink that went away: never answers and fails health checks.
pub struct OfflineHandler {
    name: String,
}

impl OfflineHandler {
    pub fn new(name: &str) -> Self {
        OfflineHandler {
            name: name.to_string(),
        }
    }
}

impl Handler for OfflineHandler {
    fn name(&self) -> &str {
        &self.name
    }

    fn handle(&self, _subscriber: SubscriberId, _envelope: &Envelope) -> Outcome {
        Outcome::Pending
    }

    fn ping(&self) -> bool {
        false
    }
}
