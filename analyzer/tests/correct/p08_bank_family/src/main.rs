mod bank;
mod teller;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let bank = Arc::new(bank::Bank::new(4, 100));
    let t1 = teller::spawn(Arc::clone(&bank), vec![(0, 1, 10), (2, 3, 5), (3, 0, 7)]);
    let t2 = teller::spawn(Arc::clone(&bank), vec![(1, 0, 20), (3, 2, 1), (0, 3, 4)]);
    t1.join().unwrap();
    t2.join().unwrap();
    assert_eq!(bank.total(), 400);
    println!("ok");
}
