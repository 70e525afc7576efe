use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

struct Status {
    version: u64,
    label: String,
}

fn main() {
    let status = Arc::new(Mutex::new(Status { version: 0, label: "init".into() }));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let s = Arc::clone(&status);
            let d = Arc::clone(&done);
            thread::spawn(move || {
                let mut seen = 0;
                while !d.load(Ordering::Acquire) {
                    let g = s.lock().unwrap();
                    seen = seen.max(g.version);
                    let _ = g.label.len();
                }
                seen
            })
        })
        .collect();
    // main is the only writer of status
    for _ in 0..100 {
        let v = status.lock().unwrap().version;
        let label = format!("v{}", v + 1);
        let mut g = status.lock().unwrap();
        g.version = v + 1;
        g.label = label;
    }
    done.store(true, Ordering::Release);
    for r in readers {
        r.join().unwrap();
    }
    println!("{}", status.lock().unwrap().version);
}
