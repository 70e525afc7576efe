mod registry;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let r = Arc::new(registry::Registry::new());
    let hs: Vec<_> = (0..2)
        .map(|i| {
            let r = Arc::clone(&r);
            racecheck::Thread::spawn(move || r.register_many(&[format!("svc{i}"), format!("db{i}")]))
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", r.count());
}
