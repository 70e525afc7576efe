mod buffer;
mod roles;

use std::sync::Arc;

use buffer::BoundedBuffer;

#[racecheck::main]
fn main() {
    let buf = Arc::new(BoundedBuffer::new(2));
    let producers: Vec<_> = (0..2).map(|p| roles::spawn_producer(Arc::clone(&buf), p, 4)).collect();
    let consumer = roles::spawn_consumer(Arc::clone(&buf), 8);
    for p in producers {
        p.join().unwrap();
    }
    let total = consumer.join().unwrap();
    println!("total {total}");
}
