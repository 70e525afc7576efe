mod inventory;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let inv = Arc::new(inventory::Inventory::new());
    let hs: Vec<_> = (0..2)
        .map(|i| {
            let inv = Arc::clone(&inv);
            racecheck::Thread::spawn(move || {
                inv.reserve(i + 1);
                inv.restock_if_low();
                inv.audit_then_log();
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", inv.level());
}
