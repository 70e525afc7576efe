use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use super::MessageSink;
use crate::metrics;
use crate::protocol::{Message, RoomId, UserId};

pub type Queues = HashMap<UserId, VecDeque<Message>>;

/// Per-user mail queues read by long-polling clients.
#[derive(Default)]
pub struct Outbox {
    queues: Mutex<Queues>,
    quota: Mutex<HashMap<UserId, usize>>,
    ready: Condvar,
    max_backlog: usize,
}

impl Outbox {
    pub fn new(max_backlog: usize) -> Self { Outbox { max_backlog, ..Default::default() } }

    fn charge(&self, user: UserId) -> bool {
        let mut quota = self.quota.lock().unwrap();
        let used = quota.entry(user).or_insert(0);
        if *used >= self.max_backlog { return false; }
        *used += 1;
        true
    }

    fn release(&self, user: UserId, count: usize) {
        self.quota.lock().unwrap().entry(user).and_modify(|used| *used = used.saturating_sub(count));
    }

    pub fn push(&self, user: UserId, msg: Message) {
        if !self.charge(user) { return metrics::bump("outbox.dropped"); }
        let mut queues = self.queues.lock().unwrap();
        let queue = queues.entry(user).or_default();
        queue.push_back(msg);
        let depth = queue.len();
        drop(queues);
        metrics::observe_queue_depth(depth);
        self.ready.notify_all();
    }

    /// Exposes the queue table for bulk edits (purges on leave).
    pub fn lock_queues(&self) -> MutexGuard<'_, Queues> { self.queues.lock().unwrap() }
    pub fn pending_total(&self) -> usize { self.queues.lock().unwrap().values().map(VecDeque::len).sum() }

    pub fn purge_room(queues: &mut Queues, user: UserId, room: RoomId) -> usize {
        let Some(queue) = queues.get_mut(&user) else { return 0 };
        let before = queue.len();
        queue.retain(|m| m.room != room);
        before - queue.len()
    }

    /// Non-blocking poll used by clients that reconnect.
    pub fn drain_for(&self, user: UserId) -> Vec<Message> {
        let mut queues = self.queues.lock().unwrap();
        let batch: Vec<Message> = queues.get_mut(&user).map(|q| q.drain(..).collect()).unwrap_or_default();
        let remaining = self.pending_total(); // PLANTED: double-lock: `queues` guard is still alive and pending_total() locks the same std Mutex
        drop(queues);
        self.release(user, batch.len());
        metrics::set_gauge("outbox.pending", remaining as u64);
        batch
    }

    /// Blocking read of the next message for `user`.
    pub fn next_message(&self, user: UserId) -> Message {
        let mut queues = self.queues.lock().unwrap();
        if queues.get(&user).map_or(true, VecDeque::is_empty) {
            queues = self.ready.wait(queues).unwrap(); // PLANTED: wait-without-loop: notify_all wakes every reader (and wakeups may be spurious), so this user's queue can still be empty
        }
        let msg = queues.get_mut(&user).and_then(VecDeque::pop_front).expect("woken with mail");
        drop(queues);
        self.release(user, 1);
        msg
    }

    /// Long-poll: block until something is queued, resetting the user's backlog budget.
    pub fn wait_for_mail(&self, user: UserId) -> usize {
        let mut quota = self.quota.lock().unwrap();
        quota.insert(user, 0);
        let mut queues = self.queues.lock().unwrap();
        while queues.get(&user).map_or(true, VecDeque::is_empty) {
            queues = self.ready.wait(queues).unwrap(); // PLANTED: blocking-while-holding: `quota` stays locked during the wait; push() must lock quota in charge() before it can enqueue and notify
        }
        queues.get(&user).map_or(0, VecDeque::len)
    }
}

impl MessageSink for Outbox {
    fn deliver(&self, to: UserId, msg: &Message) { self.push(to, msg.clone()) }
}
