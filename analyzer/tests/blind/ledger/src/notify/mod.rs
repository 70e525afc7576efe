mod hooks;

use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;
use crate::accounts::AccountId;
pub use hooks::{FeedObserver, Hooks, LargeTransferPager, Observer};

#[derive(Debug, Clone)]
pub enum Event {
    Transferred { from: AccountId, to: AccountId, amount: i64 },
    Rejected(String),
    BatchSettled { batch: u64, fees: i64 },
    InterestPosted { run: u64, total: i64 },
}

enum Command { Deliver(Vec<Event>), Flush(mpsc::Sender<usize>), Ping(mpsc::Sender<Instant>), Stop }

pub struct Notifier {
    hooks: Arc<Hooks>,
    batch_size: usize,
    outbox: Mutex<Vec<Event>>,
    commands: Sender<Command>,
    last_rtt: Mutex<Option<Duration>>,
    dispatcher: Mutex<Option<JoinHandle<()>>>,
}

impl Notifier {
    pub fn start(hooks: Arc<Hooks>, batch_size: usize) -> Arc<Self> {
        let (commands, rx) = crossbeam_channel::unbounded();
        let (outbox, last_rtt, dispatcher) = (Mutex::default(), Mutex::default(), Mutex::default());
        let notifier = Arc::new(Notifier { hooks, batch_size, outbox, commands, last_rtt, dispatcher });
        let worker = Arc::clone(&notifier);
        let handle = crate::spawn_named("notify-dispatch", move || worker.dispatch(rx));
        *notifier.dispatcher.lock() = Some(handle);
        notifier
    }

    fn dispatch(&self, rx: Receiver<Command>) {
        for command in rx {
            match command {
                Command::Deliver(batch) => batch.iter().for_each(|event| self.hooks.broadcast(event)),
                Command::Flush(ack) => {
                    let batch = std::mem::take(&mut *self.outbox.lock());
                    batch.iter().for_each(|event| self.hooks.broadcast(event));
                    let _ = ack.send(batch.len());
                }
                Command::Ping(reply) => drop(reply.send(Instant::now())),
                Command::Stop => break,
            }
        }
    }

    pub fn publish(&self, event: Event) {
        let mut outbox = self.outbox.lock();
        outbox.push(event);
        if outbox.len() >= self.batch_size {
            let batch = std::mem::take(&mut *outbox);
            drop(outbox);
            let _ = self.commands.send(Command::Deliver(batch));
        }
    }

    pub fn flush_sync(&self) -> usize {
        let outbox = self.outbox.lock();
        let (ack_tx, ack_rx) = mpsc::channel();
        if self.commands.send(Command::Flush(ack_tx)).is_err() {
            return outbox.len();
        }
        ack_rx.recv().unwrap_or(0) // PLANTED: blocking-while-holding: outbox is held while waiting for the dispatcher, which locks outbox before it acks
    }

    pub fn ping(&self) -> Option<Duration> {
        let mut last = self.last_rtt.lock();
        let (reply_tx, reply_rx) = mpsc::channel();
        let started = Instant::now();
        self.commands.send(Command::Ping(reply_tx)).ok()?;
        reply_rx.recv().ok()?; // CLEAN: blocking-while-holding: the dispatcher answers a ping without touching last_rtt
        *last = Some(started.elapsed());
        *last
    }

    pub fn stop(&self) {
        let _ = self.commands.send(Command::Stop);
        let handle = self.dispatcher.lock().take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}
