mod sim;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let world = Arc::new(sim::World::new(3));
    let hs: Vec<_> = (0..3)
        .map(|i| {
            let w = Arc::clone(&world);
            racecheck::Thread::spawn(move || sim::step_loop(&w, i, 2))
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("ticks {}", world.ticks());
}
