mod config;
mod admin;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let cfg = Arc::new(config::Config::new());
    let a1 = admin::spawn_admin(Arc::clone(&cfg), "timeout", 30);
    let a2 = admin::spawn_admin(Arc::clone(&cfg), "retries", 5);
    let reader = admin::spawn_reader(Arc::clone(&cfg));
    a1.join().unwrap();
    a2.join().unwrap();
    reader.join().unwrap();
    let snap = cfg.snapshot();
    assert_eq!(snap.len(), 2);
    println!("{snap:?}");
}
