mod station;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let st = Arc::new(station::Station::new());
    let w = station::spawn_worker(Arc::clone(&st));
    // main keeps the ledger locked only until the worker has signalled; the worker needs the
    // ledger only after its signal, so both waits end
    let mut ledger = st.ledger.acquire();
    st.ready.acquire().forget();
    st.phase.wait();
    ledger.push("main saw ready".into());
    drop(ledger);
    w.join().unwrap();
    println!("{:?}", st.ledger.acquire());
}
