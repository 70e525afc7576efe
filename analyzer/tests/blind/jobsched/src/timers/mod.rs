use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::jobs::{retry::RetryPolicy, Job};
use crate::queue::JobQueue;

enum Command { FireAll(Sender<usize>), Stop }

#[derive(Default)]
struct TickerState {
    handle: Option<JoinHandle<()>>,
    ticks: u64,
}

pub struct Timers {
    wheel: Mutex<BTreeMap<Instant, Vec<Job>>>,
    state: Mutex<TickerState>,
    commands: Sender<Command>,
    inbox: Mutex<Option<Receiver<Command>>>,
    tick: Duration,
    queue: Arc<JobQueue>,
    retry: Arc<RetryPolicy>,
}

impl Timers {
    pub fn new(tick: Duration, queue: Arc<JobQueue>, retry: Arc<RetryPolicy>) -> Arc<Self> {
        let (commands, inbox) = mpsc::channel();
        let (wheel, state, inbox) = (Mutex::default(), Mutex::default(), Mutex::new(Some(inbox)));
        Arc::new(Timers { wheel, state, commands, inbox, tick, queue, retry })
    }

    pub fn start(self: &Arc<Self>) {
        let mut state = self.state.lock().unwrap();
        if let Some(inbox) = self.inbox.lock().unwrap().take() {
            let timers = Arc::clone(self);
            state.handle = Some(thread::spawn(move || timers.run_ticker(inbox)));
        }
    }

    pub fn schedule(&self, job: Job, delay: Duration) {
        self.wheel.lock().unwrap().entry(Instant::now() + delay).or_default().push(job);
    }

    pub fn ticks(&self) -> u64 {
        self.state.lock().unwrap().ticks
    }

    fn take_due(&self, fire_all: bool) -> Vec<Job> {
        let mut wheel = self.wheel.lock().unwrap();
        let later = if fire_all { BTreeMap::new() } else { wheel.split_off(&Instant::now()) };
        std::mem::replace(&mut *wheel, later).into_values().flatten().collect()
    }

    fn run_ticker(&self, inbox: Receiver<Command>) {
        loop {
            let reply = match inbox.recv_timeout(self.tick) {
                Ok(Command::FireAll(reply)) => Some(reply),
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => None,
            };
            let due = self.take_due(reply.is_some());
            let fired = due.len();
            for job in due {
                let id = job.id;
                self.queue.push(job);
                self.retry.release(id);
            }
            self.state.lock().unwrap().ticks += 1;
            if let Some(reply) = reply {
                let _ = reply.send(fired);
            }
        }
    }

    pub fn flush(&self) -> usize {
        let wheel = self.wheel.lock().unwrap();
        if wheel.is_empty() {
            return 0;
        }
        let (reply_tx, reply_rx) = mpsc::channel();
        let _ = self.commands.send(Command::FireAll(reply_tx));
        reply_rx.recv().unwrap_or(0) // PLANTED: blocking-while-holding: `wheel` guard still alive; the ticker locks the wheel in take_due() before it replies
    }

    pub fn stop(&self) {
        let _ = self.commands.send(Command::Stop);
        let handle = self.state.lock().unwrap().handle.take();
        if let Some(handle) = handle {
            let _ = handle.join(); // CLEAN: blocking-while-holding: the state guard was a temporary dropped before the join; the ticker locks state every tick
        }
    }
}
