use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;

struct Gate {
    open: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    fn sleep<'a>(&self, g: MutexGuard<'a, bool>) -> MutexGuard<'a, bool> {
        self.cv.wait(g).unwrap()
    }
    fn pass(&self) {
        let mut g = self.open.lock().unwrap();
        while !*g {
            g = self.sleep(g);
        }
    }
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.cv.notify_all();
    }
}

fn main() {
    let gate = Arc::new(Gate { open: Mutex::new(false), cv: Condvar::new() });
    let hs: Vec<_> = (0..3)
        .map(|_| {
            let g = Arc::clone(&gate);
            thread::spawn(move || g.pass())
        })
        .collect();
    gate.open();
    for h in hs {
        h.join().unwrap();
    }
    println!("all passed");
}
