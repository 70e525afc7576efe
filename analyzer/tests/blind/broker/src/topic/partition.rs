//! A single append-only partition log.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use crate::message::Message;

pub struct Partition {
    id: usize,
    log: VecDeque<(u64, Message)>,
    next_offset: u64,
    bytes: usize,
}

impl Partition {
    pub fn new(id: usize) -> Self {
        Partition {
            id,
            log: VecDeque::new(),
            next_offset: 0,
            bytes: 0,
        }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    pub fn append(&mut self, message: Message) -> u64 {
        let offset = self.next_offset;
        self.next_offset += 1;
        self.bytes += message.size();
        self.log.push_back((offset, message));
        offset
    }

    /// Up to `max` messages at or after `from`, oldest first.
    pub fn fetch(&self, from: u64, max: usize) -> Vec<(u64, Message)> {
        self.log
            .iter()
            .filter(|(offset, _)| *offset >= from)
            .take(max)
            .cloned()
            .collect()
    }

    pub fn get(&self, offset: u64) -> Option<Message> {
        self.log
            .iter()
            .find(|(o, _)| *o == offset)
            .map(|(_, m)| m.clone())
    }

    pub fn depth(&self) -> usize {
        self.log.len()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn high_watermark(&self) -> u64 {
        self.next_offset
    }

    /// Removes the oldest `n` messages so they can be appended elsewhere.
    pub fn take_oldest(&mut self, n: usize) -> Vec<Message> {
        let n = n.min(self.log.len());
        let moved: Vec<Message> = self.log.drain(..n).map(|(_, m)| m).collect();
        self.bytes -= moved.iter().map(Message::size).sum::<usize>();
        moved
    }

    pub fn expire_before(&mut self, cutoff: Instant) -> usize {
        let mut removed = 0;
        while self
            .log
            .front()
            .map_or(false, |(_, m)| m.published_at < cutoff)
        {
            if let Some((_, m)) = self.log.pop_front() {
                self.bytes -= m.size();
                removed += 1;
            }
        }
        removed
    }

    pub fn truncate_to(&mut self, max_len: usize) -> usize {
        let excess = self.log.len().saturating_sub(max_len);
        for _ in 0..excess {
            if let Some((_, m)) = self.log.pop_front() {
                self.bytes -= m.size();
            }
        }
        excess
    }

    /// Keeps only the newest message per key; unkeyed messages are kept.
    pub fn compact(&mut self) -> usize {
        let mut latest: HashMap<String, u64> = HashMap::new();
        for (offset, message) in &self.log {
            if let Some(key) = &message.key {
                latest.insert(key.clone(), *offset);
            }
        }
        let before = self.log.len();
        self.log.retain(|(offset, message)| match &message.key {
            Some(key) => latest.get(key) == Some(offset),
            None => true,
        });
        self.bytes = self.log.iter().map(|(_, m)| m.size()).sum();
        before - self.log.len()
    }
}
