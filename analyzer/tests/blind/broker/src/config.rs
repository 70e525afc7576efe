//! Static broker configuration. A copy lives behind `Broker::config` so the
//! operations console can tune retention at run time.

use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct BrokerConfig {
    pub default_partitions: usize,
    pub dispatch_capacity: usize,
    pub ingress_capacity: usize,
    pub delivery_workers: usize,
    pub ack_timeout: Duration,
    pub max_attempts: u32,
    pub retention: Duration,
    pub max_partition_len: usize,
    pub dlq_capacity: usize,
    pub dlq_max_age: Duration,
    pub session_timeout: Duration,
    pub maintenance_tick: Duration,
    pub last_tuned: Option<Instant>,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        BrokerConfig {
            default_partitions: 3,
            dispatch_capacity: 64,
            ingress_capacity: 128,
            delivery_workers: 3,
            ack_timeout: Duration::from_millis(250),
            max_attempts: 3,
            retention: Duration::from_secs(5),
            max_partition_len: 512,
            dlq_capacity: 64,
            dlq_max_age: Duration::from_secs(2),
            session_timeout: Duration::from_millis(900),
            maintenance_tick: Duration::from_millis(40),
            last_tuned: None,
        }
    }
}

impl BrokerConfig {
    pub fn retention_policy(&self) -> RetentionPolicy {
        RetentionPolicy {
            ttl: self.retention,
            max_len: self.max_partition_len,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RetentionPolicy {
    pub ttl: Duration,
    pub max_len: usize,
}
