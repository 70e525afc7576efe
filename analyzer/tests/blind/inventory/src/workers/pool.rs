use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

pub type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Debug, Default)]
struct PoolState {
    accepting: bool,
    active: usize,
    completed: u64,
}

/// Fixed-size pool used for report generation and other background jobs.
pub struct WorkerPool {
    state: Arc<Mutex<PoolState>>,
    sender: Option<Sender<Job>>,
    handles: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    pub fn new(size: usize) -> Self {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let state = Arc::new(Mutex::new(PoolState { accepting: true, ..PoolState::default() }));
        let handles = (0..size)
            .map(|_| {
                let (rx, st) = (Arc::clone(&receiver), Arc::clone(&state));
                thread::spawn(move || worker_loop(rx, st))
            })
            .collect();
        WorkerPool { state, sender: Some(sender), handles }
    }
    pub fn submit(&self, job: Job) -> Result<(), &'static str> {
        if !self.state.lock().map_err(|_| "pool state poisoned")?.accepting {
            return Err("pool closed");
        }
        self.sender.as_ref().ok_or("pool closed")?.send(job).map_err(|_| "pool closed")
    }
    /// Stop accepting work and wait for the workers to exit.
    pub fn shutdown(&mut self) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.accepting = false;
        drop(self.sender.take());
        for handle in self.handles.drain(..) {
            let _ = handle.join(); // PLANTED: blocking-while-holding: joins workers while holding `state`; a worker finishing a job locks state before it can exit
        }
        state.completed
    }
    pub fn shutdown_graceful(&mut self) -> u64 {
        {
            let mut state = self.state.lock().unwrap();
            state.accepting = false;
        }
        drop(self.sender.take());
        for handle in self.handles.drain(..) {
            let _ = handle.join(); // CLEAN: blocking-while-holding: state guard released at end of the block above
        }
        self.state.lock().map(|s| s.completed).unwrap_or(0)
    }
}

fn worker_loop(receiver: Arc<Mutex<Receiver<Job>>>, state: Arc<Mutex<PoolState>>) {
    loop {
        let next = receiver.lock().unwrap().recv(); // CLEAN: blocking-while-holding: only the receiver mutex is held; submit() sends without touching it
        let Ok(job) = next else { break };
        state.lock().unwrap().active += 1;
        job();
        let mut st = match state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        st.active -= 1;
        st.completed += 1;
    }
}
