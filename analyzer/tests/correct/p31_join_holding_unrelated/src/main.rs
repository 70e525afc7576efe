use std::sync::{Arc, Mutex};
use std::thread;

struct Supervisor {
    audit: Mutex<Vec<String>>,
    work: Arc<Mutex<Vec<u32>>>,
}

impl Supervisor {
    fn run_batch(&self, n: u32) {
        let w = Arc::clone(&self.work);
        let h = thread::spawn(move || {
            for i in 0..n {
                w.lock().unwrap().push(i);
            }
        });
        let mut audit = self.audit.lock().unwrap();
        audit.push(format!("batch {} started", n));
        h.join().unwrap();
        audit.push(format!("batch {} done", n));
    }
}

fn main() {
    let s = Supervisor { audit: Mutex::new(Vec::new()), work: Arc::new(Mutex::new(Vec::new())) };
    s.run_batch(5);
    s.run_batch(7);
    println!("{} {}", s.audit.lock().unwrap().len(), s.work.lock().unwrap().len());
}
