//! Background maintenance threads: redelivery timer, retention, heartbeats
//! and the ack collector.

pub mod heartbeat;
pub mod retention;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::broker::Broker;
use crate::delivery::ack;
use crate::message::AckEvent;

pub struct Maintenance {
    stop: Arc<AtomicBool>,
    handles: Mutex<Vec<JoinHandle<()>>>,
}

impl Maintenance {
    pub fn start(broker: &Arc<Broker>, ack_events: Receiver<AckEvent>) -> Self {
        let maintenance = Maintenance {
            stop: Arc::new(AtomicBool::new(false)),
            handles: Mutex::new(Vec::new()),
        };
        let tick = broker.config.lock().unwrap().maintenance_tick;

        let (b, stop) = (Arc::clone(broker), Arc::clone(&maintenance.stop));
        maintenance.spawn("redelivery", move || redelivery_loop(&b, &stop, tick));

        let (b, stop) = (Arc::clone(broker), Arc::clone(&maintenance.stop));
        maintenance.spawn("retention", move || retention::run(&b, &stop, tick * 3));

        let (b, stop) = (Arc::clone(broker), Arc::clone(&maintenance.stop));
        maintenance.spawn("heartbeat", move || heartbeat::run(&b, &stop, tick * 2));

        let (b, stop) = (Arc::clone(broker), Arc::clone(&maintenance.stop));
        maintenance.spawn("ack-collector", move || ack::collect(&b, &ack_events, &stop));

        maintenance
    }

    fn spawn<F>(&self, name: &str, body: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let handle = thread::Builder::new()
            .name(name.to_string())
            .spawn(body)
            .expect("spawn maintenance thread");
        self.handles.lock().unwrap().push(handle);
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let handles = std::mem::take(&mut *self.handles.lock().unwrap());
        for handle in handles {
            let _ = handle.join(); // CLEAN: blocking-while-holding: the handles were moved out and the `handles` guard dropped before joining; maintenance threads never lock it anyway
        }
    }
}

/// Re-dispatches deliveries whose ack deadline passed.
fn redelivery_loop(broker: &Broker, stop: &AtomicBool, tick: Duration) {
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(tick);
        let due = broker.acks.scan_expired();
        if due.is_empty() {
            continue;
        }
        broker
            .metrics
            .redelivered
            .fetch_add(due.len() as u64, Ordering::Relaxed);
        broker.dispatcher.redeliver(due);
    }
}
