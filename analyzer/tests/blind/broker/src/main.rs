//! In-process publish/subscribe broker.
//!
//! Producers push into a bounded ingress queue, ingest workers append to
//! topic partitions, delivery workers fan messages out to consumer groups,
//! and maintenance threads take care of redelivery, retention and liveness.

mod admin;
mod broker;
mod config;
mod delivery;
mod ingress;
mod maintenance;
mod message;
mod metrics;
mod ops;
mod registry;
mod shutdown;
mod topic;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

use crossbeam_channel::unbounded;

use broker::Broker;
use config::BrokerConfig;
use ingress::IngressQueue;
use maintenance::Maintenance;
use message::Message;
use registry::handlers::{AckingHandler, FlakyHandler, InlineHandler, OfflineHandler};

const PRODUCERS: usize = 2;
const INGEST_WORKERS: usize = 2;
const MESSAGES_PER_PRODUCER: u64 = 4_000;

fn main() {
    let config = BrokerConfig::default();
    let broker = Broker::new(config.clone());
    broker.create_topic("orders", 4, false);
    broker.create_topic("payments", 2, true);

    let (ack_tx, ack_rx) = unbounded();
    let registry = &broker.registry;
    registry.subscribe("orders", "fulfilment", Arc::new(AckingHandler::new("fulfilment-a", ack_tx.clone())));
    registry.subscribe("orders", "fulfilment", Arc::new(AckingHandler::new("fulfilment-b", ack_tx.clone())));
    registry.subscribe("orders", "analytics", Arc::new(InlineHandler::new("analytics")));
    registry.subscribe("payments", "ledger", Arc::new(FlakyHandler::new("ledger", ack_tx.clone(), 7)));
    registry.subscribe("payments", "archive", Arc::new(OfflineHandler::new("archive-sink")));
    drop(ack_tx);

    let leases = ["orders/0", "orders/1", "orders/2", "orders/3", "payments/0", "payments/1"];
    for (i, lease) in leases.iter().enumerate() {
        broker.slots.assign(i % broker.slots.len(), lease);
    }

    // Delivery workers, then the maintenance threads and the admin thread.
    broker.start_delivery();
    let maintenance = Maintenance::start(&broker, ack_rx);
    let (admin, admin_thread) = admin::spawn(Arc::clone(&broker));

    let ingress = Arc::new(IngressQueue::new(config.ingress_capacity));
    let start = Arc::new(Barrier::new(PRODUCERS + 1));

    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let broker = Arc::clone(&broker);
            let ingress = Arc::clone(&ingress);
            let start = Arc::clone(&start);
            thread::Builder::new()
                .name(format!("producer-{p}"))
                .spawn(move || {
                    start.wait();
                    for i in 0..MESSAGES_PER_PRODUCER {
                        let id = broker.next_message_id();
                        let (topic, key) = if i % 5 == 0 {
                            ("payments", format!("account-{}", i % 13))
                        } else {
                            ("orders", format!("customer-{}", (i * 7 + p as u64) % 101))
                        };
                        let payload = format!("p{p}-{i}").into_bytes();
                        if ingress.push(Message::new(id, topic, Some(key), payload)).is_err() {
                            return;
                        }
                    }
                    // End-of-run record on the audit topic, created on first use.
                    let summary = format!("producer-{p} sent {MESSAGES_PER_PRODUCER}").into_bytes();
                    let _ = ingress.push(Message::new(broker.next_message_id(), "audit", None, summary));
                })
                .expect("spawn producer")
        })
        .collect();

    let ingesters: Vec<_> = (0..INGEST_WORKERS)
        .map(|w| {
            let broker = Arc::clone(&broker);
            let ingress = Arc::clone(&ingress);
            thread::Builder::new()
                .name(format!("ingest-{w}"))
                .spawn(move || {
                    let mut ingested = 0u64;
                    while let Some(message) = ingress.pop() {
                        broker.publish(message);
                        ingested += 1;
                    }
                    ingested
                })
                .expect("spawn ingest worker")
        })
        .collect();

    let history = Arc::new(Mutex::new(Vec::new()));
    let console_stop = Arc::new(AtomicBool::new(false));
    let console = {
        let broker = Arc::clone(&broker);
        let client = admin.clone();
        let history = Arc::clone(&history);
        let stop = Arc::clone(&console_stop);
        thread::Builder::new()
            .name("ops-console".to_string())
            .spawn(move || ops::run(broker, client, history, stop))
            .expect("spawn ops console")
    };

    start.wait();
    for producer in producers {
        let _ = producer.join();
    }
    ingress.close();
    let ingested: u64 = ingesters.into_iter().map(|h| h.join().unwrap_or(0)).sum();

    // Give the console a few more rounds against a quiet broker.
    thread::sleep(Duration::from_secs(2));
    console_stop.store(true, Ordering::SeqCst);
    let _ = console.join();

    // Graceful shutdown: let in-flight deliveries settle, stop background
    // threads, then the admin thread and the delivery pool.
    let unsettled = broker.drain.wait_idle();
    maintenance.stop();
    admin.shutdown();
    let _ = admin_thread.join();
    broker.shutdown();

    println!("ingested {ingested} messages, {unsettled} unsettled at shutdown");
    println!("{}", broker.metrics.summary());
    for (topic, stats) in broker.stats_snapshot() {
        println!("  {topic}: {stats:?}");
    }
    for line in history.lock().unwrap().iter() {
        println!("  ops: {line}");
    }
}
