mod store;
mod traffic;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let s = Arc::new(store::ShardedStore::new(3));
    let mover = traffic::spawn_mover(Arc::clone(&s));
    let auditor = traffic::spawn_auditor(Arc::clone(&s));
    mover.join().unwrap();
    let seen = auditor.join().unwrap();
    assert_eq!(s.snapshot_total(), 30);
    println!("auditor saw {seen}");
}
