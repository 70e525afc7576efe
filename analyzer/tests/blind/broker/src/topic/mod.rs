//! Topics: a fixed set of partitions, each behind its own lock.

pub mod partition;

use std::sync::Mutex;
use std::time::Instant;

use crate::message::Message;
pub use partition::Partition;

pub struct Topic {
    pub name: String,
    partitions: Vec<Mutex<Partition>>,
    compacted: bool,
    created_at: Instant,
}

impl Topic {
    pub fn new(name: &str, partitions: usize, compacted: bool) -> Self {
        let partitions = partitions.max(1);
        Topic {
            name: name.to_string(),
            partitions: (0..partitions).map(|id| Mutex::new(Partition::new(id))).collect(),
            compacted,
            created_at: Instant::now(),
        }
    }

    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    pub fn partition(&self, index: usize) -> &Mutex<Partition> {
        &self.partitions[index % self.partitions.len()]
    }

    pub fn partitions(&self) -> &[Mutex<Partition>] {
        &self.partitions
    }

    pub fn is_compacted(&self) -> bool {
        self.compacted
    }

    pub fn age_secs(&self) -> u64 {
        self.created_at.elapsed().as_secs()
    }

    pub fn fetch(&self, partition: usize, from: u64, max: usize) -> Vec<(u64, Message)> {
        match self.partitions.get(partition) {
            Some(p) => p.lock().unwrap().fetch(from, max),
            None => Vec::new(),
        }
    }

    pub fn get(&self, partition: usize, offset: u64) -> Option<Message> {
        self.partitions
            .get(partition)
            .and_then(|p| p.lock().unwrap().get(offset))
    }

    pub fn depth(&self, partition: usize) -> usize {
        self.partitions
            .get(partition)
            .map_or(0, |p| p.lock().unwrap().depth())
    }

    pub fn total_depth(&self) -> usize {
        self.partitions.iter().map(|p| p.lock().unwrap().depth()).sum()
    }

    /// Moves up to `max` of the oldest backlog messages from one partition to
    /// another. The source stays locked until the messages are visible again.
    pub fn rebalance(&self, from: usize, to: usize, max: usize) -> usize {
        if from == to || from >= self.partitions.len() || to >= self.partitions.len() {
            return 0;
        }
        let mut source = self.partitions[from].lock().unwrap();
        let moved = source.take_oldest(max);
        let mut target = self.partitions[to].lock().unwrap(); // PLANTED: lock-order: admin Rebalance(0->3) holds partition 0 and waits for 3 while retention spill holds 3 and waits for 0
        let count = moved.len();
        for message in moved {
            target.append(message);
        }
        count
    }
}
