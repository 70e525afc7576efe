//! Retention: expires old messages, caps partition length, compacts keyed
//! topics and spills backlog away from hot partitions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::broker::Broker;
use crate::config::RetentionPolicy;

pub fn run(broker: &Broker, stop: &AtomicBool, tick: Duration) {
    let mut rounds = 0u64;
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(tick);
        rounds += 1;
        let policy = broker.retention_policy();
        let removed = apply(broker, policy);
        let spilled = spill_hot_partitions(broker, policy.max_len);
        let max_age = broker.config.lock().unwrap().dlq_max_age;
        let purged = broker.dlq.purge(max_age);
        if rounds % 25 == 0 {
            eprintln!("[retention] removed={removed} spilled={spilled} purged={purged}");
        }
    }
}

/// One retention pass over every topic; partitions are processed in parallel.
pub fn apply(broker: &Broker, policy: RetentionPolicy) -> usize {
    let cutoff = Instant::now().checked_sub(policy.ttl);
    let mut total = 0;
    for topic in broker.topics_snapshot() {
        let compacted = topic.is_compacted();
        let removed: usize = thread::scope(|scope| {
            let passes: Vec<_> = topic
                .partitions()
                .iter()
                .map(|partition| {
                    scope.spawn(move || {
                        let mut log = partition.lock().unwrap();
                        let mut removed = cutoff.map_or(0, |c| log.expire_before(c));
                        removed += log.truncate_to(policy.max_len);
                        if compacted {
                            removed += log.compact();
                        }
                        removed
                    })
                })
                .collect();
            passes.into_iter().map(|p| p.join().unwrap_or(0)).sum()
        });
        if removed > 0 {
            broker.record_expired(&topic.name, removed);
        }
        total += removed;
    }
    total
}

/// Keyed traffic tends to pile up on the last partition; move part of its
/// backlog to the first one.
fn spill_hot_partitions(broker: &Broker, max_len: usize) -> usize {
    let mut moved = 0;
    for topic in broker.topics_snapshot() {
        let count = topic.partition_count();
        if count < 2 {
            continue;
        }
        let last = count - 1;
        let backlog = topic.depth(last);
        if backlog > max_len / 2 {
            moved += topic.rebalance(last, 0, backlog / 4);
        }
    }
    moved
}
