use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct Worker {
    handle: Option<thread::JoinHandle<()>>,
}

impl Worker {
    fn new(rx: Arc<Mutex<Receiver<Job>>>) -> Worker {
        let handle = thread::spawn(move || loop {
            let msg = rx.lock().unwrap().recv();
            match msg {
                Ok(job) => job(),
                Err(_) => break,
            }
        });
        Worker { handle: Some(handle) }
    }
}

struct ThreadPool {
    workers: Vec<Worker>,
    sender: Option<Sender<Job>>,
}

impl ThreadPool {
    fn new(n: usize) -> ThreadPool {
        let (tx, rx) = channel();
        let rx = Arc::new(Mutex::new(rx));
        let workers = (0..n).map(|_| Worker::new(Arc::clone(&rx))).collect();
        ThreadPool { workers, sender: Some(tx) }
    }
    fn execute<F: FnOnce() + Send + 'static>(&self, f: F) {
        self.sender.as_ref().unwrap().send(Box::new(f)).unwrap();
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take());
        for w in &mut self.workers {
            if let Some(h) = w.handle.take() {
                h.join().unwrap();
            }
        }
    }
}

fn main() {
    let results = Arc::new(Mutex::new(Vec::new()));
    {
        let pool = ThreadPool::new(4);
        for i in 0..20 {
            let r = Arc::clone(&results);
            pool.execute(move || r.lock().unwrap().push(i * i));
        }
    }
    println!("{}", results.lock().unwrap().len());
}
