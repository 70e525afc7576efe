//! Subscriber liveness and worker lease balancing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use crate::broker::Broker;

pub fn run(broker: &Broker, stop: &AtomicBool, tick: Duration) {
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(tick);
        let timeout = broker.config.lock().unwrap().session_timeout;

        // Ping outside the registry lock: handlers may be slow.
        for (id, handler) in broker.registry.handlers() {
            if handler.ping() {
                broker.registry.heartbeat(id);
            }
        }

        let expired = broker.registry.expire_idle(timeout);
        if !expired.is_empty() {
            eprintln!("[heartbeat] expired subscribers {expired:?}");
        }

        if let Some((busiest, idlest)) = broker.slots.imbalance() {
            broker.slots.transfer(busiest, idlest, 1);
        }
    }
}
