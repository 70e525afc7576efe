mod latch;

use std::sync::Arc;

use racecheck::Pool;

#[racecheck::main]
fn main() {
    let latch = Arc::new(latch::CountDown::new(3));
    let pool = Pool::new(2);
    let pending: Vec<_> = (0..3u64)
        .map(|i| {
            let l = Arc::clone(&latch);
            pool.apply_async(move || {
                let r = i * i;
                l.count_down();
                r
            })
        })
        .collect();
    latch.wait();
    pool.close();
    let total: u64 = pending.into_iter().map(|p| p.get()).sum();
    pool.join().unwrap();
    println!("{total}");
}
