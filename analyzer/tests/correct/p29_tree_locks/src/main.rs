mod tree;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let root = tree::Node::build(2, 2);
    let hs: Vec<_> = (0..2u64)
        .map(|i| {
            let root = Arc::clone(&root);
            racecheck::Thread::spawn(move || root.add_all(i + 1))
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("sum {}", root.sum());
}
