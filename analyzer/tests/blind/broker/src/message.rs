//! Message, envelope and acknowledgement types shared by every broker component.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Instant;

pub type MessageId = u64;
pub type SubscriberId = u32;
pub type DeliveryTag = u64;

#[derive(Clone, Debug)]
pub struct Message {
    pub id: MessageId,
    pub topic: String,
    pub key: Option<String>,
    pub payload: Vec<u8>,
    pub published_at: Instant,
}

impl Message {
    pub fn new(id: MessageId, topic: &str, key: Option<String>, payload: Vec<u8>) -> Self {
        Message {
            id,
            topic: topic.to_string(),
            key,
            payload,
            published_at: Instant::now(),
        }
    }

    pub fn size(&self) -> usize {
        self.payload.len() + self.key.as_ref().map_or(0, |k| k.len())
    }

    /// Messages with the same key always land on the same partition.
    pub fn partition_for(&self, partitions: usize) -> usize {
        if partitions == 0 {
            return 0;
        }
        match &self.key {
            Some(key) => {
                let mut hasher = DefaultHasher::new();
                key.hash(&mut hasher);
                (hasher.finish() % partitions as u64) as usize
            }
            None => (self.id % partitions as u64) as usize,
        }
    }
}

/// Wake-up for the delivery workers: "partition `partition` of `topic` has data up to `offset`".
#[derive(Clone, Debug)]
pub struct Dispatch {
    pub topic: String,
    pub partition: usize,
    pub offset: u64,
    /// Set for redeliveries: only this consumer group gets the message again.
    pub group: Option<String>,
    pub attempt: u32,
}

impl Dispatch {
    pub fn fresh(topic: &str, partition: usize, offset: u64) -> Self {
        Dispatch {
            topic: topic.to_string(),
            partition,
            offset,
            group: None,
            attempt: 0,
        }
    }

    pub fn retry(envelope: &Envelope) -> Self {
        Dispatch {
            topic: envelope.message.topic.clone(),
            partition: envelope.partition,
            offset: envelope.offset,
            group: Some(envelope.group.clone()),
            attempt: envelope.attempt + 1,
        }
    }
}

/// A message on its way to one consumer group.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub tag: DeliveryTag,
    pub group: String,
    pub partition: usize,
    pub offset: u64,
    pub attempt: u32,
    pub message: Message,
}

#[derive(Clone, Debug)]
pub struct DeadLetter {
    pub envelope: Envelope,
    pub subscriber: Option<SubscriberId>,
    pub reason: String,
    pub buried_at: Instant,
}

#[derive(Clone, Debug)]
pub enum AckKind {
    Ack,
    Nack(String),
}

/// Sent by subscribers that settle deliveries asynchronously.
#[derive(Clone, Debug)]
pub struct AckEvent {
    pub tag: DeliveryTag,
    pub subscriber: SubscriberId,
    pub kind: AckKind,
}
