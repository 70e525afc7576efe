use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;

#[derive(Clone)]
struct Config {
    threshold: u32,
    name: String,
}

struct App {
    cfg: RwLock<Config>,
    stop: AtomicBool,
}

impl App {
    fn handle(&self, v: u32) -> bool {
        let cfg = self.cfg.read().unwrap();
        v > cfg.threshold && !cfg.name.is_empty()
    }
    fn reload(&self, t: u32) {
        let mut cfg = self.cfg.write().unwrap();
        cfg.threshold = t;
        cfg.name = format!("v{}", t);
    }
}

fn main() {
    let app = Arc::new(App { cfg: RwLock::new(Config { threshold: 10, name: "v0".into() }), stop: AtomicBool::new(false) });
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let app = Arc::clone(&app);
            thread::spawn(move || {
                let mut n = 0u64;
                let mut v = 0u32;
                while !app.stop.load(Ordering::Relaxed) {
                    if app.handle(v % 100) {
                        n += 1;
                    }
                    v = v.wrapping_add(1);
                    if v > 100_000 {
                        break;
                    }
                }
                n
            })
        })
        .collect();
    for t in 0..20 {
        app.reload(t * 5);
    }
    let snapshot = app.cfg.read().unwrap().clone();
    app.stop.store(true, Ordering::Relaxed);
    let total: u64 = workers.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{} {}", total, snapshot.name);
}
