use std::sync::{Arc, Mutex};
use std::thread;

struct Doc {
    version: u64,
    body: String,
}

fn expensive_render(body: &str) -> String {
    body.chars().rev().collect()
}

fn update(doc: &Mutex<Doc>, suffix: &str) {
    loop {
        let (ver, body) = {
            let g = doc.lock().unwrap();
            (g.version, g.body.clone())
        };
        let new_body = expensive_render(&(body + suffix));
        let mut g = doc.lock().unwrap();
        if g.version == ver {
            g.body = new_body;
            g.version = ver + 1;
            return;
        }
    }
}

fn main() {
    let doc = Arc::new(Mutex::new(Doc { version: 0, body: String::new() }));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let d = Arc::clone(&doc);
            thread::spawn(move || {
                for _ in 0..25 {
                    update(&d, &i.to_string());
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", doc.lock().unwrap().version);
}
