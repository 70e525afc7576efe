use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::gate::Backlog;

pub fn spawn_producer(b: Arc<Backlog>, n: u32) -> JoinHandle<()> {
    Thread::spawn(move || (0..n).for_each(|i| b.push(i)))
}

pub fn spawn_consumer(b: Arc<Backlog>, n: u32) -> JoinHandle<u32> {
    Thread::spawn(move || (0..n).map(|_| b.pop()).count() as u32)
}
