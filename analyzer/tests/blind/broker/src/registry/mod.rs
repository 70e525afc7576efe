//! Subscriber registry: who is subscribed to what, in which consumer group,
//! and when each subscriber was last seen alive.

pub mod group;
pub mod handlers;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

use crate::message::{Envelope, SubscriberId};
use group::GroupTable;

pub enum Outcome {
    /// Settled synchronously.
    Ack,
    /// Rejected; the broker retries or dead-letters it.
    Nack(String),
    /// The subscriber will send an `AckEvent` later.
    Pending,
}

pub trait Handler: Send + Sync {
    fn name(&self) -> &str;
    fn handle(&self, subscriber: SubscriberId, envelope: &Envelope) -> Outcome;
    fn ping(&self) -> bool {
        true
    }
}

struct Subscription {
    id: SubscriberId,
    topic: String,
    group: String,
    handler: Arc<dyn Handler>,
}

pub struct Registry {
    subscribers: Mutex<HashMap<SubscriberId, Subscription>>,
    sessions: Mutex<HashMap<SubscriberId, Instant>>,
    groups: Arc<GroupTable>,
    next_id: AtomicU32,
}

impl Registry {
    pub fn new(groups: Arc<GroupTable>) -> Self {
        Registry {
            subscribers: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            groups,
            next_id: AtomicU32::new(1),
        }
    }

    pub fn subscribe(&self, topic: &str, group: &str, handler: Arc<dyn Handler>) -> SubscriberId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let subscription = Subscription {
            id,
            topic: topic.to_string(),
            group: group.to_string(),
            handler,
        };
        self.subscribers.lock().unwrap().insert(id, subscription);
        self.sessions.lock().unwrap().insert(id, Instant::now());
        id
    }

    pub fn len(&self) -> usize {
        self.subscribers.lock().unwrap().len()
    }

    /// Consumer groups with at least one member on `topic`.
    pub fn groups_for(&self, topic: &str) -> Vec<String> {
        let subscribers = self.subscribers.lock().unwrap();
        let mut groups: Vec<String> = subscribers
            .values()
            .filter(|s| s.topic == topic)
            .map(|s| s.group.clone())
            .collect();
        groups.sort();
        groups.dedup();
        groups
    }

    pub fn handlers(&self) -> Vec<(SubscriberId, Arc<dyn Handler>)> {
        self.subscribers
            .lock()
            .unwrap()
            .values()
            .map(|s| (s.id, Arc::clone(&s.handler)))
            .collect()
    }

    /// Hands the envelope to one member of its consumer group (round robin).
    pub fn deliver(&self, envelope: &Envelope) -> Option<(SubscriberId, Outcome)> {
        let subscribers = self.subscribers.lock().unwrap();
        let mut members: Vec<&Subscription> = subscribers
            .values()
            .filter(|s| s.group == envelope.group && s.topic == envelope.message.topic)
            .collect();
        if members.is_empty() {
            return None;
        }
        members.sort_by_key(|s| s.id);
        let pick = self.groups.next_member(&envelope.group, members.len());
        let member = members[pick];
        let outcome = member.handler.handle(member.id, envelope);
        self.touch(member.id);
        Some((member.id, outcome))
    }

    fn touch(&self, id: SubscriberId) {
        self.sessions.lock().unwrap().insert(id, Instant::now());
    }

    /// Records a sign of life; returns how long the subscriber had been quiet.
    pub fn heartbeat(&self, id: SubscriberId) -> Option<Duration> {
        let last_seen = self.sessions.lock().unwrap().get(&id).copied();
        let now = Instant::now();
        self.sessions.lock().unwrap().insert(id, now); // CLEAN: stale-read: the stored value is the current time, not derived from `last_seen`; last writer wins by design
        last_seen.map(|t| now.saturating_duration_since(t))
    }

    /// Removes every member of `group`; used when the group is deleted.
    pub fn detach_group(&self, group: &str) -> Vec<SubscriberId> {
        let mut subscribers = self.subscribers.lock().unwrap(); // PLANTED: lock-order: admin holds group cursors (delete_group) and waits here, while a delivery worker in deliver() holds subscribers and waits for cursors
        let ids: Vec<SubscriberId> = subscribers
            .values()
            .filter(|s| s.group == group)
            .map(|s| s.id)
            .collect();
        for id in &ids {
            subscribers.remove(id);
        }
        ids
    }

    /// Drops subscribers that have not been seen for `timeout`.
    pub fn expire_idle(&self, timeout: Duration) -> Vec<SubscriberId> {
        loop {
            let mut sessions = self.sessions.lock().unwrap();
            let stale: Vec<SubscriberId> = sessions
                .iter()
                .filter(|(_, seen)| seen.elapsed() > timeout)
                .map(|(id, _)| *id)
                .collect();
            if stale.is_empty() {
                return stale;
            }
            match self.subscribers.try_lock() { // CLEAN: lock-order: sessions->subscribers is only attempted with try_lock; on contention the sessions guard is dropped and we retry
                Ok(mut subscribers) => {
                    for id in &stale {
                        sessions.remove(id);
                        subscribers.remove(id);
                    }
                    return stale;
                }
                Err(TryLockError::WouldBlock) => {
                    drop(sessions);
                    thread::sleep(Duration::from_millis(1));
                }
                Err(TryLockError::Poisoned(_)) => return Vec::new(),
            }
        }
    }
}
