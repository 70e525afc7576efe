mod outbox;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use crossbeam_channel::{bounded, Sender};
use parking_lot::{Condvar, Mutex};
pub use outbox::{Outbox, Queues};
use crate::protocol::{Message, UserId};

/// Where the room directory hands messages for members.
pub trait MessageSink: Send + Sync {
    fn deliver(&self, to: UserId, msg: &Message);
}

enum Job { Notify { user: UserId, preview: String }, Flush(Sender<u64>), Stop }

/// Mobile push notifications for mentions, sent from a dedicated thread.
#[derive(Default)]
pub struct PushDispatcher {
    pending: Mutex<Vec<Job>>,
    wakeup: Condvar,
    devices: Mutex<HashMap<UserId, String>>,
    revoked: Mutex<Vec<String>>,
    sent: AtomicU64,
}

impl PushDispatcher {
    pub fn register_device(&self, user: UserId, token: String) {
        if let Some(previous) = self.devices.lock().get(&user).cloned() {
            if previous != token {
                self.revoked.lock().push(previous);
                self.devices.lock().insert(user, token); // PLANTED: double-lock: the scrutinee's temporary devices guard lives until the end of the `if let` block (edition 2021)
            }
            return;
        }
        self.devices.lock().insert(user, token);
    }

    pub fn unregister_device(&self, user: UserId) {
        let token = self.devices.lock().get(&user).cloned();
        if let Some(token) = token {
            self.revoked.lock().push(token);
            self.devices.lock().remove(&user); // CLEAN: double-lock: the first guard was a temporary of the `let` statement and was dropped at its semicolon
        }
    }

    pub fn submit(&self, user: UserId, preview: String) {
        self.pending.lock().push(Job::Notify { user, preview });
        self.wakeup.notify_one();
    }

    fn next_batch(&self) -> Vec<Job> {
        let mut pending = self.pending.lock();
        while pending.is_empty() {
            self.wakeup.wait(&mut pending); // CLEAN: wait-without-loop: the emptiness check is re-evaluated in a while loop after every wakeup
        }
        std::mem::take(&mut *pending)
    }

    /// Body of the push thread.
    pub fn run(&self) {
        loop {
            for job in self.next_batch() {
                match job {
                    Job::Notify { user, preview } => {
                        let device = self.devices.lock().get(&user).cloned();
                        if device.is_some() && !preview.is_empty() {
                            self.sent.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Job::Flush(ack) => drop(ack.send(self.sent.load(Ordering::Relaxed))),
                    Job::Stop => return,
                }
            }
        }
    }

    /// Admin command: wait until the push thread has processed everything queued so far.
    pub fn flush_now(&self) -> u64 {
        let (ack_tx, ack_rx) = bounded(1);
        let mut pending = self.pending.lock();
        pending.push(Job::Flush(ack_tx));
        self.wakeup.notify_one();
        ack_rx.recv().unwrap_or(0) // PLANTED: blocking-while-holding: `pending` is still locked; the push thread must lock pending in next_batch() before it can send the ack
    }

    /// Shutdown path: flush, then ask the push thread to exit.
    pub fn stop_and_drain(&self) -> u64 {
        let (ack_tx, ack_rx) = bounded(1);
        let mut pending = self.pending.lock();
        pending.extend([Job::Flush(ack_tx), Job::Stop]);
        drop(pending);
        self.wakeup.notify_one();
        ack_rx.recv().unwrap_or(0) // CLEAN: blocking-while-holding: the pending guard was dropped before waiting for the ack
    }
}
