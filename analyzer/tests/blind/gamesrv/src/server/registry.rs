use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// Owns the join handles of the long-running service threads and of the
/// per-match host threads.
#[derive(Default)]
pub struct ThreadRegistry {
    handles: Mutex<Vec<(String, JoinHandle<()>)>>,
    panicked: AtomicUsize,
}

impl ThreadRegistry {
    pub fn new() -> Self {
        ThreadRegistry::default()
    }

    pub fn register(&self, name: impl Into<String>, handle: JoinHandle<()>) {
        self.handles.lock().unwrap().push((name.into(), handle));
    }

    /// Joins the threads that have already finished, leaving the rest.
    pub fn reap_finished(&self) -> usize {
        let finished: Vec<(String, JoinHandle<()>)> = {
            let mut handles = self.handles.lock().unwrap();
            let mut done = Vec::new();
            let mut i = 0;
            while i < handles.len() {
                if handles[i].1.is_finished() {
                    done.push(handles.swap_remove(i));
                } else {
                    i += 1;
                }
            }
            done
        };
        let count = finished.len();
        for (name, handle) in finished {
            if handle.join().is_err() { // CLEAN: blocking-while-holding: finished handles were moved out and the handles guard dropped with the block
                self.note_panic(&name);
            }
        }
        count
    }

    pub fn join_all(&self) -> usize {
        let mut handles = self.handles.lock().unwrap();
        let mut joined = 0;
        for (name, handle) in handles.drain(..) {
            if handle.join().is_err() { // PLANTED: blocking-while-holding: joins with the handles lock held; the matchmaker registers match hosts (register/reap_finished) before it can exit
                self.note_panic(&name);
            }
            joined += 1;
        }
        joined
    }

    fn note_panic(&self, name: &str) {
        self.panicked.fetch_add(1, Ordering::Relaxed);
        eprintln!("[server] thread {} panicked", name);
    }

    pub fn panicked(&self) -> usize {
        self.panicked.load(Ordering::Relaxed)
    }
}
