mod doc;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let d = Arc::new(doc::Document::new());
    let hs: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|who| {
            let d = Arc::clone(&d);
            racecheck::Thread::spawn(move || d.append_line(who))
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let (v, text) = d.read();
    assert_eq!(v, 2);
    println!("{v}: {text:?}");
}
