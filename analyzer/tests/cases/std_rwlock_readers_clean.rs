//! Readers of two `RwLock`s in opposite orders do not wait for each other: no cycle. Writers in
//! one order, and `try_write`, which gives up, add none either.
use std::sync::RwLock;
use std::thread;

static ROUTES: RwLock<Vec<u32>> = RwLock::new(Vec::new());
static PEERS: RwLock<Vec<u32>> = RwLock::new(Vec::new());

fn lookup() -> usize {
    let routes = ROUTES.read().unwrap();
    let peers = PEERS.read().unwrap();
    routes.len() + peers.len()
}

fn report() -> usize {
    let peers = PEERS.read().unwrap();
    let routes = ROUTES.read().unwrap();
    if let Ok(mut more) = ROUTES.try_write() {
        more.push(1);
    }
    routes.len() + peers.len()
}

fn main() {
    let a = thread::spawn(lookup);
    let b = thread::spawn(report);
    a.join().unwrap();
    b.join().unwrap();
}
