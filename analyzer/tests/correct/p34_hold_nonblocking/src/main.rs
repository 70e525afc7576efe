mod stats;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let s = Arc::new(stats::Stats::new());
    let flusher = stats::spawn_flusher(Arc::clone(&s));
    // main keeps the table locked while the flusher runs; the flusher only try-locks it
    let mut table = s.table.acquire();
    table.push(1);
    let flushed = flusher.join().unwrap();
    table.push(2);
    drop(table);
    println!("flushed={flushed} rows={}", s.table.acquire().len());
}
