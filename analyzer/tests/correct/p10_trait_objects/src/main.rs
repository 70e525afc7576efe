use std::sync::{Arc, Mutex};
use std::thread;

trait Sink: Send + Sync {
    fn write(&self, line: &str);
    fn flushed(&self) -> usize;
}

struct MemSink {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Sink for MemSink {
    fn write(&self, line: &str) {
        self.lines.lock().unwrap().push(line.to_string());
    }
    fn flushed(&self) -> usize {
        self.lines.lock().unwrap().len()
    }
}

struct CountSink {
    n: Mutex<usize>,
}

impl Sink for CountSink {
    fn write(&self, _line: &str) {
        *self.n.lock().unwrap() += 1;
    }
    fn flushed(&self) -> usize {
        *self.n.lock().unwrap()
    }
}

struct Logger {
    sinks: Vec<Arc<dyn Sink>>,
}

impl Logger {
    fn log(&self, msg: &str) {
        for s in &self.sinks {
            s.write(msg);
        }
    }
}

fn main() {
    let mem = Arc::new(MemSink { lines: Arc::new(Mutex::new(Vec::new())) });
    let cnt = Arc::new(CountSink { n: Mutex::new(0) });
    let logger = Arc::new(Logger { sinks: vec![mem.clone(), cnt.clone()] });
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let l = Arc::clone(&logger);
            thread::spawn(move || {
                for j in 0..10 {
                    l.log(&format!("t{} m{}", i, j));
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{} {}", mem.flushed(), cnt.flushed());
}
