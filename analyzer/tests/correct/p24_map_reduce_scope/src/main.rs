use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;

fn main() {
    let text = "the quick brown fox jumps over the lazy dog the end".repeat(100);
    let words: Vec<&str> = text.split_whitespace().collect();
    let (tx, rx) = mpsc::channel::<HashMap<&str, usize>>();
    thread::scope(|s| {
        for chunk in words.chunks(64) {
            let tx = tx.clone();
            s.spawn(move || {
                let mut m = HashMap::new();
                for w in chunk {
                    *m.entry(*w).or_insert(0) += 1;
                }
                tx.send(m).unwrap();
            });
        }
        drop(tx);
        let mut total: HashMap<&str, usize> = HashMap::new();
        for m in rx {
            for (k, v) in m {
                *total.entry(k).or_insert(0) += v;
            }
        }
        println!("{:?}", total.get("the"));
    });
}
