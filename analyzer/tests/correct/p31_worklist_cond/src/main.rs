mod worklist;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let wl = Arc::new(worklist::WorkList::new());
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let wl = Arc::clone(&wl);
            racecheck::Thread::spawn(move || {
                let mut sum = 0;
                while let Some(v) = wl.next() {
                    sum += v;
                }
                sum
            })
        })
        .collect();
    for v in 1..=5 {
        wl.push(v);
    }
    wl.close();
    let total: u64 = hs.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 15);
    println!("{total}");
}
