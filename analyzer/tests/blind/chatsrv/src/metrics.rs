//! Process-wide counters and gauges.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

static NEXT_MESSAGE_ID: AtomicU64 = AtomicU64::new(1);
static MESSAGES_ROUTED: AtomicU64 = AtomicU64::new(0);
static BYTES_ROUTED: AtomicU64 = AtomicU64::new(0);
static PEAK_QUEUE_DEPTH: AtomicUsize = AtomicUsize::new(0);
static COUNTERS: OnceLock<Mutex<HashMap<&'static str, u64>>> = OnceLock::new();

fn counters() -> &'static Mutex<HashMap<&'static str, u64>> {
    COUNTERS.get_or_init(|| Mutex::new(HashMap::new()))
}

pub fn next_message_id() -> u64 { NEXT_MESSAGE_ID.fetch_add(1, Ordering::Relaxed) }
pub fn bump(name: &'static str) { add(name, 1) }
pub fn add(name: &'static str, amount: u64) { *counters().lock().unwrap().entry(name).or_insert(0) += amount }
pub fn set_gauge(name: &'static str, value: u64) { counters().lock().unwrap().insert(name, value); }

/// Called by every worker after a post has been fanned out.
pub fn record_routed(bytes: usize) {
    let routed = MESSAGES_ROUTED.load(Ordering::Relaxed);
    MESSAGES_ROUTED.store(routed + 1, Ordering::Relaxed); // PLANTED: atomic-split: load and store are separate; two workers routing at once lose an increment
    BYTES_ROUTED.fetch_add(bytes as u64, Ordering::Relaxed);
}

/// High-water mark of any single user's outbox queue.
pub fn observe_queue_depth(depth: usize) {
    let mut current = PEAK_QUEUE_DEPTH.load(Ordering::Relaxed);
    while depth > current {
        match PEAK_QUEUE_DEPTH.compare_exchange_weak(current, depth, Ordering::Relaxed, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange only stores if nobody changed the value since the load, otherwise retries with the fresh value
            Ok(_) => break,
            Err(actual) => current = actual,
        }
    }
}

pub fn report() -> String {
    let mut named: Vec<_> = counters().lock().unwrap().iter().map(|(k, v)| format!("{}={}", k, v)).collect();
    named.sort();
    format!("routed={} {}", MESSAGES_ROUTED.load(Ordering::Relaxed), named.join(" "))
}
