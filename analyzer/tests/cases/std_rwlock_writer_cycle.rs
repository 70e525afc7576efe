//! A reader and a writer of two `RwLock`s in opposite orders: the writer excludes the reader,
//! so each can hold its first lock while waiting for the other's.
use std::sync::RwLock;
use std::thread;

static ROUTES: RwLock<Vec<u32>> = RwLock::new(Vec::new());
static PEERS: RwLock<Vec<u32>> = RwLock::new(Vec::new());

fn lookup() -> usize {
    let routes = ROUTES.read().unwrap();
    let peers = PEERS.read().unwrap(); //~ D001
    routes.len() + peers.len()
}

fn rebalance() {
    let mut peers = PEERS.write().unwrap();
    let mut routes = ROUTES.write().unwrap();
    routes.push(1);
    peers.push(1);
}

fn main() {
    let a = thread::spawn(lookup);
    let b = thread::spawn(rebalance);
    a.join().unwrap();
    b.join().unwrap();
}
