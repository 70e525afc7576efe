mod config;
mod readers;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let store = Arc::new(config::ConfigStore::new());
    let readers: Vec<_> = (0..2).map(|_| readers::spawn(Arc::clone(&store))).collect();
    // main is the only writer of the version: read, compute, publish
    for _ in 0..3 {
        store.bump();
    }
    for r in readers {
        r.join().unwrap();
    }
    println!("version {}", store.version());
}
