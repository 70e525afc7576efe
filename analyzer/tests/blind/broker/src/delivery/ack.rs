//! Acknowledgement tracking: every delivery stays pending until it is acked,
//! rejected, or times out and is handed back for redelivery.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::dlq::DeadLetterQueue;
use crate::broker::Broker;
use crate::message::{
    AckEvent, AckKind, DeadLetter, DeliveryTag, Dispatch, Envelope, Message, SubscriberId,
};
use crate::registry::group::{GroupTable, OffsetKey};
use crate::shutdown::Drain;

struct PendingDelivery {
    envelope: Envelope,
    subscriber: Option<SubscriberId>,
    deadline: Instant,
}

pub struct AckTracker {
    pending: Mutex<HashMap<DeliveryTag, PendingDelivery>>,
    next_tag: AtomicU64,
    groups: Arc<GroupTable>,
    dlq: Arc<DeadLetterQueue>,
    drain: Arc<Drain>,
    timeout: Duration,
    max_attempts: u32,
}

impl AckTracker {
    pub fn new(
        groups: Arc<GroupTable>,
        dlq: Arc<DeadLetterQueue>,
        drain: Arc<Drain>,
        timeout: Duration,
        max_attempts: u32,
    ) -> Self {
        AckTracker {
            pending: Mutex::new(HashMap::new()),
            next_tag: AtomicU64::new(1),
            groups,
            dlq,
            drain,
            timeout,
            max_attempts: max_attempts.max(1),
        }
    }

    pub fn track(
        &self,
        group: &str,
        partition: usize,
        offset: u64,
        message: Message,
        attempt: u32,
    ) -> Envelope {
        let tag = self.next_tag.fetch_add(1, Ordering::Relaxed);
        let envelope = Envelope {
            tag,
            group: group.to_string(),
            partition,
            offset,
            attempt,
            message,
        };
        let entry = PendingDelivery {
            envelope: envelope.clone(),
            subscriber: None,
            deadline: Instant::now() + self.timeout,
        };
        self.pending.lock().unwrap().insert(tag, entry);
        self.drain.enter();
        envelope
    }

    /// Settles a delivery. Returns how many are still outstanding, or None
    /// if the tag was unknown (already acked or timed out).
    pub fn ack(&self, tag: DeliveryTag) -> Option<usize> {
        let settled = self.pending.lock().unwrap().remove(&tag);
        let remaining = self.pending.lock().unwrap().len(); // CLEAN: double-lock: the guard from the previous statement was a temporary and ended at its `;`
        let entry = settled?;
        let envelope = &entry.envelope;
        let key = OffsetKey::new(&envelope.group, &envelope.message.topic, envelope.partition);
        self.groups.commit_max(&key, envelope.offset + 1);
        self.drain.leave(1);
        Some(remaining)
    }

    /// Drops a delivery that could not be handed to anyone.
    pub fn forget(&self, tag: DeliveryTag) {
        let removed = self.pending.lock().unwrap().remove(&tag);
        if removed.is_some() {
            self.drain.leave(1);
        }
    }

    /// A subscriber rejected the delivery: retry soon, or dead-letter it.
    pub fn nack(&self, tag: DeliveryTag, subscriber: SubscriberId, reason: &str) {
        let exhausted = {
            let mut pending = self.pending.lock().unwrap();
            let retry = match pending.get(&tag) {
                Some(entry) => entry.envelope.attempt + 1 < self.max_attempts,
                None => return,
            };
            if retry {
                if let Some(entry) = pending.get_mut(&tag) {
                    entry.subscriber = Some(subscriber);
                    entry.deadline = Instant::now();
                }
                None
            } else {
                pending.remove(&tag)
            }
        };
        if let Some(entry) = exhausted {
            self.drain.leave(1);
            self.dlq.push(DeadLetter {
                envelope: entry.envelope,
                subscriber: Some(subscriber),
                reason: reason.to_string(),
                buried_at: Instant::now(),
            });
        }
    }

    /// Collects deliveries whose deadline passed. Those with attempts left
    /// are returned for redelivery; the rest go to the dead-letter queue.
    pub fn scan_expired(&self) -> Vec<Dispatch> {
        let now = Instant::now();
        let mut retries = Vec::new();
        let mut settled = 0;
        {
            let mut pending = self.pending.lock().unwrap();
            let due: Vec<DeliveryTag> = pending
                .iter()
                .filter(|(_, p)| p.deadline <= now)
                .map(|(tag, _)| *tag)
                .collect();
            for tag in due {
                let entry = match pending.remove(&tag) {
                    Some(entry) => entry,
                    None => continue,
                };
                settled += 1;
                if entry.envelope.attempt + 1 >= self.max_attempts {
                    self.dlq.bury(entry.envelope, entry.subscriber, "ack timeout");
                } else {
                    retries.push(Dispatch::retry(&entry.envelope));
                }
            }
        }
        self.drain.leave(settled);
        retries
    }

    /// Puts a dead letter back into circulation with a fresh attempt budget.
    pub fn requeue(&self, mut envelope: Envelope) {
        envelope.attempt = 0;
        let tag = envelope.tag;
        let entry = PendingDelivery {
            envelope,
            subscriber: None,
            deadline: Instant::now(),
        };
        self.pending.lock().unwrap().insert(tag, entry);
        self.drain.enter();
    }

    pub fn outstanding(&self) -> usize {
        self.pending.lock().unwrap().len()
    }
}

/// Body of the ack-collector thread: applies acks sent by asynchronous subscribers.
pub fn collect(broker: &Broker, events: &Receiver<AckEvent>, stop: &AtomicBool) {
    let mut applied = 0u64;
    loop {
        let event = match events.recv_timeout(Duration::from_millis(50)) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        match event.kind {
            AckKind::Ack => {
                if let Some(remaining) = broker.acks.ack(event.tag) {
                    applied += 1;
                    if applied % 500 == 0 {
                        eprintln!("[acks] {applied} applied, {remaining} outstanding");
                    }
                }
                broker.registry.heartbeat(event.subscriber);
            }
            AckKind::Nack(reason) => broker.acks.nack(event.tag, event.subscriber, &reason),
        }
    }
}
