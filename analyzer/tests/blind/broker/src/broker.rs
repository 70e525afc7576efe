//! The broker core: topic table, publish path and the delivery worker pool.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};

use crate::config::{BrokerConfig, RetentionPolicy};
use crate::delivery::ack::AckTracker;
use crate::delivery::dlq::DeadLetterQueue;
use crate::delivery::worker::{DeliveryWorker, WorkerSlots};
use crate::delivery::{Dispatcher, FlowGate};
use crate::message::{Dispatch, Message, MessageId};
use crate::metrics::Metrics;
use crate::registry::group::GroupTable;
use crate::registry::Registry;
use crate::shutdown::Drain;
use crate::topic::Topic;

#[derive(Clone, Copy, Debug, Default)]
pub struct TopicStats {
    pub messages: u64,
    pub bytes: u64,
    pub expired: u64,
}

struct WorkerSet {
    handles: Vec<JoinHandle<()>>,
    alive: usize,
}

pub struct Broker {
    pub config: Mutex<BrokerConfig>,
    default_partitions: usize,
    topics: RwLock<HashMap<String, Arc<Topic>>>,
    stats: Mutex<HashMap<String, TopicStats>>,
    next_id: AtomicU64,
    running: AtomicBool,
    workers: Mutex<WorkerSet>,
    pub registry: Arc<Registry>,
    pub groups: Arc<GroupTable>,
    pub acks: Arc<AckTracker>,
    pub dlq: Arc<DeadLetterQueue>,
    pub dispatcher: Dispatcher,
    pub gate: FlowGate,
    pub slots: WorkerSlots,
    pub metrics: Metrics,
    pub drain: Arc<Drain>,
}

impl Broker {
    pub fn new(config: BrokerConfig) -> Arc<Self> {
        let groups = Arc::new(GroupTable::new());
        let drain = Arc::new(Drain::new());
        let dlq = Arc::new(DeadLetterQueue::new(config.dlq_capacity));
        let acks = Arc::new(AckTracker::new(
            Arc::clone(&groups),
            Arc::clone(&dlq),
            Arc::clone(&drain),
            config.ack_timeout,
            config.max_attempts,
        ));
        let registry = Arc::new(Registry::new(Arc::clone(&groups)));
        Arc::new(Broker {
            default_partitions: config.default_partitions,
            dispatcher: Dispatcher::new(config.dispatch_capacity),
            slots: WorkerSlots::new(config.delivery_workers),
            config: Mutex::new(config),
            topics: RwLock::new(HashMap::new()),
            stats: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            running: AtomicBool::new(true),
            workers: Mutex::new(WorkerSet {
                handles: Vec::new(),
                alive: 0,
            }),
            registry,
            groups,
            acks,
            dlq,
            gate: FlowGate::new(),
            metrics: Metrics::default(),
            drain,
        })
    }

    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    pub fn next_message_id(&self) -> MessageId {
        let id = self.next_id.load(Ordering::Acquire);
        self.next_id.store(id + 1, Ordering::Release); // PLANTED: atomic-split: two producer threads can load the same id and both store id+1, handing out duplicate message ids
        id
    }

    pub fn topic(&self, name: &str) -> Option<Arc<Topic>> {
        self.topics.read().unwrap().get(name).cloned()
    }

    pub fn topics_snapshot(&self) -> Vec<Arc<Topic>> {
        self.topics.read().unwrap().values().cloned().collect()
    }

    /// Producers may publish to topics nobody created; those get the default layout.
    pub fn topic_or_create(&self, name: &str) -> Arc<Topic> {
        let topics = self.topics.read().unwrap();
        if let Some(topic) = topics.get(name) {
            return Arc::clone(topic);
        }
        let partitions = self.default_partitions;
        let mut topics_mut = self.topics.write().unwrap(); // PLANTED: double-lock: the read guard `topics` is still alive, so the ingest thread waits on its own read lock forever
        topics_mut
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(Topic::new(name, partitions, false)))
            .clone()
    }

    pub fn create_topic(&self, name: &str, partitions: usize, compacted: bool) -> bool {
        {
            let topics = self.topics.read().unwrap();
            if topics.contains_key(name) {
                return false;
            }
        }
        let mut topics = self.topics.write().unwrap(); // CLEAN: double-lock: the read guard lived in the inner block and is gone before write()
        if topics.contains_key(name) {
            return false;
        }
        topics.insert(
            name.to_string(),
            Arc::new(Topic::new(name, partitions, compacted)),
        );
        true
    }

    /// Appends a message and wakes the delivery workers. Returns the offset.
    pub fn publish(&self, message: Message) -> u64 {
        let topic = self.topic_or_create(&message.topic);
        let name = topic.name.clone();
        let size = message.size() as u64;
        let partition = message.partition_for(topic.partition_count());
        let mut log = topic.partition(partition).lock().unwrap();
        let offset = log.append(message);
        // Notify before unlocking so wake-ups for one partition leave in offset order.
        self.dispatcher.notify(Dispatch::fresh(&name, partition, offset));
        drop(log);
        self.record_publish(&name, size);
        self.metrics.published.fetch_add(1, Ordering::Relaxed);
        offset
    }

    fn record_publish(&self, topic: &str, bytes: u64) {
        let current = self
            .stats
            .lock()
            .unwrap()
            .get(topic)
            .copied()
            .unwrap_or_default();
        let updated = TopicStats {
            messages: current.messages + 1,
            bytes: current.bytes + bytes,
            ..current
        };
        self.stats.lock().unwrap().insert(topic.to_string(), updated); // PLANTED: stale-read: both ingest threads copy the same counters, then each inserts its own +1 and one publish is lost
    }

    pub fn record_expired(&self, topic: &str, removed: usize) {
        let mut stats = self.stats.lock().unwrap();
        let entry = stats.entry(topic.to_string()).or_default();
        entry.expired += removed as u64;
    }

    pub fn stats_snapshot(&self) -> HashMap<String, TopicStats> {
        self.stats.lock().unwrap().clone()
    }

    pub fn retention_policy(&self) -> RetentionPolicy {
        self.config.lock().unwrap().retention_policy()
    }

    /// Starts one delivery worker per slot; handles are kept for shutdown.
    pub fn start_delivery(self: &Arc<Self>) -> usize {
        let count = self.slots.len();
        let mut set = self.workers.lock().unwrap();
        for id in 0..count {
            let worker = DeliveryWorker::new(id, Arc::clone(self), self.dispatcher.receiver());
            let handle = thread::Builder::new()
                .name(format!("delivery-{id}"))
                .spawn(move || worker.run())
                .expect("spawn delivery worker");
            set.handles.push(handle);
            set.alive += 1;
        }
        count
    }

    pub(crate) fn worker_exited(&self, id: usize) {
        let mut set = self.workers.lock().unwrap();
        set.alive = set.alive.saturating_sub(1);
        eprintln!("[broker] delivery-{id} stopped, {} still running", set.alive);
    }

    pub fn shutdown(&self) {
        self.running.store(false, Ordering::SeqCst);
        // Workers parked on a paused gate must get to see the flag.
        self.gate.resume();
        let mut set = self.workers.lock().unwrap();
        for handle in set.handles.drain(..) {
            let _ = handle.join(); // PLANTED: blocking-while-holding: joins a delivery worker while holding `workers`; the worker's exit path (worker_exited) locks `workers`
        }
    }
}
