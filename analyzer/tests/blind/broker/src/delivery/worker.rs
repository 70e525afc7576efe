//! Delivery workers and their bookkeeping slots.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use crate::broker::Broker;
use crate::message::{Dispatch, Envelope};
use crate::registry::group::OffsetKey;
use crate::registry::Outcome;

const MAX_BATCH: usize = 32;

pub struct DeliveryWorker {
    id: usize,
    broker: Arc<Broker>,
    rx: Receiver<Dispatch>,
}

impl DeliveryWorker {
    pub fn new(id: usize, broker: Arc<Broker>, rx: Receiver<Dispatch>) -> Self {
        DeliveryWorker { id, broker, rx }
    }

    pub fn run(self) {
        while self.broker.is_running() {
            let dispatch = match self.rx.recv_timeout(Duration::from_millis(50)) {
                Ok(dispatch) => dispatch,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            self.broker.gate.wait_open();
            match dispatch.group.clone() {
                Some(group) => self.redeliver(&group, &dispatch),
                None => self.fan_out(&dispatch),
            }
        }
        self.broker.worker_exited(self.id);
    }

    /// Delivers everything a group has not seen yet on the woken partition.
    fn fan_out(&self, dispatch: &Dispatch) {
        let topic = match self.broker.topic(&dispatch.topic) {
            Some(topic) => topic,
            None => return,
        };
        for group in self.broker.registry.groups_for(&dispatch.topic) {
            let key = OffsetKey::new(&group, &dispatch.topic, dispatch.partition);
            let start = self.broker.groups.position(&key);
            if start > dispatch.offset {
                continue; // an earlier wake-up already covered this one
            }
            let batch = topic.fetch(dispatch.partition, start, MAX_BATCH);
            let skipped = batch.first().map_or(0, |(offset, _)| offset - start);
            let mut delivered = 0u64;
            for (offset, message) in batch {
                let envelope = self
                    .broker
                    .acks
                    .track(&group, dispatch.partition, offset, message, 0);
                if !self.deliver(envelope) {
                    break;
                }
                delivered += 1;
            }
            if delivered > 0 {
                self.broker.groups.set_position(&key, start + skipped + delivered); // PLANTED: stale-read: `start` was read by position() in an earlier acquisition; another delivery worker handling the same partition may have advanced it meanwhile, and this write moves it back
            }
        }
    }

    fn redeliver(&self, group: &str, dispatch: &Dispatch) {
        let topic = match self.broker.topic(&dispatch.topic) {
            Some(topic) => topic,
            None => return,
        };
        // The message may have been trimmed by retention in the meantime.
        if let Some(message) = topic.get(dispatch.partition, dispatch.offset) {
            let envelope = self.broker.acks.track(
                group,
                dispatch.partition,
                dispatch.offset,
                message,
                dispatch.attempt,
            );
            self.deliver(envelope);
        }
    }

    /// Returns false when the group has no members left.
    fn deliver(&self, envelope: Envelope) -> bool {
        let tag = envelope.tag;
        self.broker
            .metrics
            .observe_inflight(self.broker.acks.outstanding());
        match self.broker.registry.deliver(&envelope) {
            None => {
                self.broker.acks.forget(tag);
                false
            }
            Some((_, Outcome::Ack)) => {
                self.broker.acks.ack(tag);
                self.record();
                true
            }
            Some((subscriber, Outcome::Nack(reason))) => {
                self.broker.acks.nack(tag, subscriber, &reason);
                true
            }
            Some((_, Outcome::Pending)) => {
                self.record();
                true
            }
        }
    }

    fn record(&self) {
        self.broker
            .metrics
            .delivered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.broker.slots.record(self.id, 1);
    }
}

/// Per-worker bookkeeping: which partition leases a worker owns and how much it delivered.
pub struct WorkerSlot {
    pub worker: usize,
    pub leases: Vec<String>,
    pub delivered: u64,
}

pub struct WorkerSlots {
    slots: Vec<Mutex<WorkerSlot>>,
}

impl WorkerSlots {
    pub fn new(workers: usize) -> Self {
        WorkerSlots {
            slots: (0..workers.max(1))
                .map(|worker| {
                    Mutex::new(WorkerSlot {
                        worker,
                        leases: Vec::new(),
                        delivered: 0,
                    })
                })
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn assign(&self, worker: usize, lease: &str) {
        if let Some(slot) = self.slots.get(worker) {
            slot.lock().unwrap().leases.push(lease.to_string());
        }
    }

    pub fn record(&self, worker: usize, delivered: u64) {
        if let Some(slot) = self.slots.get(worker) {
            slot.lock().unwrap().delivered += delivered;
        }
    }

    /// (most leases, fewest leases) when they differ by two or more.
    pub fn imbalance(&self) -> Option<(usize, usize)> {
        let counts: Vec<usize> = self
            .slots
            .iter()
            .map(|slot| slot.lock().unwrap().leases.len())
            .collect();
        let busiest = (0..counts.len()).max_by_key(|&i| counts[i])?;
        let idlest = (0..counts.len()).min_by_key(|&i| counts[i])?;
        if counts[busiest] >= counts[idlest] + 2 {
            Some((busiest, idlest))
        } else {
            None
        }
    }

    /// Moves up to `count` leases from one worker to another.
    pub fn transfer(&self, from: usize, to: usize, count: usize) -> usize {
        if from == to || from >= self.slots.len() || to >= self.slots.len() {
            return 0;
        }
        // Lock in index order.
        let (low, high) = (from.min(to), from.max(to));
        let mut first = self.slots[low].lock().unwrap();
        let mut second = self.slots[high].lock().unwrap(); // CLEAN: lock-order: both callers (admin Reassign, heartbeat balancer) lock the lower slot index first, whatever the direction
        let (source, target) = if from == low {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };
        let n = count.min(source.leases.len());
        for _ in 0..n {
            if let Some(lease) = source.leases.pop() {
                target.leases.push(lease);
            }
        }
        n
    }
}
