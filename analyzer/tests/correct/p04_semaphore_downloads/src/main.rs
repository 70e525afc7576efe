mod fetcher;
mod stats;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let f = Arc::new(fetcher::Fetcher::new(2));
    let urls = ["a", "bb", "ccc", "dddd", "eeeee"];
    let handles: Vec<_> = urls
        .iter()
        .map(|u| {
            let f = Arc::clone(&f);
            let u = u.to_string();
            racecheck::Thread::spawn(move || f.fetch(&u))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    println!("{}", f.report());
}
