use std::sync::{Arc, Mutex};
use std::thread;

struct Registry {
    handles: Mutex<Vec<thread::JoinHandle<u32>>>,
    results: Mutex<Vec<u32>>,
}

impl Registry {
    fn spawn_job(self: &Arc<Self>, n: u32) {
        let me = Arc::clone(self);
        let h = thread::spawn(move || {
            let v = n * 2;
            me.results.lock().unwrap().push(v);
            v
        });
        self.handles.lock().unwrap().push(h);
    }
    fn join_all(&self) -> u32 {
        let hs: Vec<_> = std::mem::take(&mut *self.handles.lock().unwrap());
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    }
}

fn main() {
    let r = Arc::new(Registry { handles: Mutex::new(Vec::new()), results: Mutex::new(Vec::new()) });
    for i in 0..8 {
        r.spawn_job(i);
    }
    let s = r.join_all();
    println!("{} {}", s, r.results.lock().unwrap().len());
}
