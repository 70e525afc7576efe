mod chain;
mod walkers;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let chain = Arc::new(chain::Chain::new(4));
    let a = walkers::spawn(Arc::clone(&chain), 1);
    let b = walkers::spawn(Arc::clone(&chain), 10);
    a.join().unwrap();
    b.join().unwrap();
    println!("{:?}", chain.values());
}
