//! Bucket -> shard assignment.

/// Stable bucket for a key.
pub fn bucket_of(key: i64, buckets: usize) -> usize {
    let h = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((h >> 32) as usize) % buckets.max(1)
}

#[derive(Debug, Clone)]
pub struct Topology {
    owners: Vec<usize>,
    shard_count: usize,
    epoch: u64,
}

impl Topology {
    pub fn uniform(shard_count: usize, buckets: usize) -> Self {
        let shard_count = shard_count.max(1);
        let owners = (0..buckets.max(1)).map(|b| b % shard_count).collect();
        Topology { owners, shard_count, epoch: 1 }
    }

    pub fn bucket_count(&self) -> usize {
        self.owners.len()
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn owner(&self, bucket: usize) -> usize {
        self.owners[bucket % self.owners.len()]
    }

    pub fn owner_of_key(&self, key: i64) -> usize {
        self.owner(bucket_of(key, self.owners.len()))
    }

    pub fn buckets_owned_by(&self, shard: usize) -> Vec<usize> {
        self.owners.iter().enumerate().filter(|(_, o)| **o == shard).map(|(b, _)| b).collect()
    }

    pub fn assign(&mut self, bucket: usize, shard: usize) {
        let n = self.owners.len();
        self.owners[bucket % n] = shard % self.shard_count;
    }

    pub fn bump_epoch(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }
}
