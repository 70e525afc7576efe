mod inventory;
mod orders;

use std::sync::Arc;
use std::thread;

fn main() {
    let inv = Arc::new(inventory::Inventory::new());
    let book = Arc::new(orders::OrderBook::new());
    inv.restock("apple", 100);
    inv.restock("pear", 50);
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let inv = Arc::clone(&inv);
            let book = Arc::clone(&book);
            thread::spawn(move || {
                for j in 0..20 {
                    let item = if (i + j) % 2 == 0 { "apple" } else { "pear" };
                    if inv.take(item, 1) {
                        book.record(item, i);
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{} {}", book.count(), inv.stock("apple"));
}
