use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::buffer::BoundedBuffer;

pub fn spawn_producer(buf: Arc<BoundedBuffer>, id: u64, n: u64) -> JoinHandle<()> {
    Thread::new(move || {
        for i in 0..n {
            buf.put(id * 100 + i);
        }
    })
    .name(format!("producer-{id}"))
    .start()
}

pub fn spawn_consumer(buf: Arc<BoundedBuffer>, n: usize) -> JoinHandle<u64> {
    Thread::new(move || (0..n).map(|_| buf.take()).sum()).name("consumer").start()
}
