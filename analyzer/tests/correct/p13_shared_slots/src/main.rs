mod tally;
mod workers;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let tally = Arc::new(tally::Tally::new(3));
    let hs: Vec<_> = (0..3).map(|i| workers::spawn(Arc::clone(&tally), i)).collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("total {}", tally.total());
}
