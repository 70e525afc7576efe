mod job;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let state = Arc::new(job::JobState::new());
    let worker = job::spawn_worker(Arc::clone(&state));
    // The guard in the `if` condition is a temporary, dropped before the block runs.
    if *state.enabled.acquire() {
        worker.join().unwrap();
    } else {
        worker.join().unwrap();
    }
    println!("progress {}", state.progress());
}
