mod gate;
mod worker;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let g = Arc::new(gate::Gate::new());
    let acks = racecheck::Queue::new();
    let w = worker::spawn(Arc::clone(&g), acks.clone());
    // the worker pauses itself after its first batch and tells us; only then do we resume it
    let paused_at: u32 = acks.get();
    g.resume();
    let done: u32 = acks.get();
    w.join().unwrap();
    println!("paused at {paused_at}, done {done}");
}
