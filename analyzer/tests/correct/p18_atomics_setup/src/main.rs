mod metrics;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let m = Arc::new(metrics::Metrics::default());
    m.warm_up(5);
    let hs: Vec<_> = (0..2)
        .map(|i| {
            let m = Arc::clone(&m);
            racecheck::Thread::spawn(move || {
                for k in 0..3 {
                    m.observe(i * 10 + k);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    m.rescale();
    println!("{}", m.summary());
}
