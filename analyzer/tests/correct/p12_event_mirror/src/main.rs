mod gate;
mod workers;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let gate = Arc::new(gate::Backlog::new());
    let producer = workers::spawn_producer(Arc::clone(&gate), 3);
    let consumer = workers::spawn_consumer(Arc::clone(&gate), 3);
    producer.join().unwrap();
    let got = consumer.join().unwrap();
    println!("consumed {got}");
}
