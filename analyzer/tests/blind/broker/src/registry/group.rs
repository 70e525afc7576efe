//! Consumer groups: fetch positions, committed offsets and member rotation.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Registry;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OffsetKey {
    pub group: String,
    pub topic: String,
    pub partition: usize,
}

impl OffsetKey {
    pub fn new(group: &str, topic: &str, partition: usize) -> Self {
        OffsetKey {
            group: group.to_string(),
            topic: topic.to_string(),
            partition,
        }
    }
}

pub struct GroupTable {
    /// Next offset to hand out, per group and partition.
    positions: Mutex<HashMap<OffsetKey, u64>>,
    /// Everything below this offset has been acknowledged.
    committed: Mutex<HashMap<OffsetKey, u64>>,
    /// Round-robin cursor per group.
    cursors: Mutex<HashMap<String, usize>>,
}

impl GroupTable {
    pub fn new() -> Self {
        GroupTable {
            positions: Mutex::new(HashMap::new()),
            committed: Mutex::new(HashMap::new()),
            cursors: Mutex::new(HashMap::new()),
        }
    }

    pub fn position(&self, key: &OffsetKey) -> u64 {
        self.positions.lock().unwrap().get(key).copied().unwrap_or(0)
    }

    pub fn set_position(&self, key: &OffsetKey, offset: u64) {
        self.positions.lock().unwrap().insert(key.clone(), offset);
    }

    /// Moves the committed offset forward, never backwards.
    pub fn commit_max(&self, key: &OffsetKey, offset: u64) -> u64 {
        let mut committed = self.committed.lock().unwrap();
        let entry = committed.entry(key.clone()).or_insert(0);
        if offset > *entry {
            *entry = offset; // CLEAN: stale-read: compared and written under the same `committed` guard
        }
        *entry
    }

    pub fn committed(&self, key: &OffsetKey) -> u64 {
        self.committed.lock().unwrap().get(key).copied().unwrap_or(0)
    }

    pub fn lag(&self, key: &OffsetKey, high_watermark: u64) -> u64 {
        high_watermark.saturating_sub(self.committed(key))
    }

    /// Index of the member that gets the next message of `group`.
    pub fn next_member(&self, group: &str, members: usize) -> usize {
        let mut cursors = self.cursors.lock().unwrap();
        let cursor = cursors.entry(group.to_string()).or_insert(0);
        let pick = *cursor % members.max(1);
        *cursor = cursor.wrapping_add(1);
        pick
    }

    /// Forgets a consumer group and detaches its members.
    pub fn delete_group(&self, group: &str, registry: &Registry) -> usize {
        let mut cursors = self.cursors.lock().unwrap();
        cursors.remove(group);
        // Keep the cursor table locked so nothing is routed to the group
        // while its members are being detached.
        let detached = registry.detach_group(group);
        drop(cursors);
        self.positions.lock().unwrap().retain(|k, _| k.group != group);
        self.committed.lock().unwrap().retain(|k, _| k.group != group);
        detached.len()
    }
}
