mod handler;
mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use crossbeam_channel::{unbounded, Receiver, Sender};
pub use handler::ChatHandler;
pub use worker::{CommandHandler, Flow, Limits, Worker};
use crate::delivery::{Outbox, PushDispatcher};
use crate::history::{self, HistoryStore};
use crate::protocol::{Command, Message};
use crate::rooms::{AuditTrail, RoomDirectory, UnreadCounter};
use crate::metrics;

#[derive(Debug, Clone)]
pub struct ServerConfig { pub workers: usize, pub max_body_len: usize, pub idle_timeout_ms: u64 }

impl Default for ServerConfig {
    fn default() -> Self { ServerConfig { workers: 4, max_body_len: 4096, idle_timeout_ms: 30_000 } }
}

pub struct Server {
    config: Arc<RwLock<ServerConfig>>,
    handler: Arc<ChatHandler>,
    commands: (Sender<Command>, Receiver<Command>),
    archive_rx: Mutex<Option<mpsc::Receiver<Message>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    background: Mutex<Vec<JoinHandle<()>>>,
    running: Arc<AtomicBool>,
    workers_stop: Arc<AtomicBool>,
}

impl Server {
    pub fn new(config: ServerConfig) -> Arc<Self> {
        let outbox = Arc::new(Outbox::new(256));
        let (archive_tx, archive_rx) = mpsc::channel();
        let rooms = Arc::new(RoomDirectory::new(outbox.clone(), archive_tx));
        rooms.add_listener(Box::new(UnreadCounter { table: rooms.table() }));
        rooms.add_listener(Box::new(AuditTrail::default()));
        let (users, history, push) = (Arc::default(), Arc::new(HistoryStore::new(500)), Arc::new(PushDispatcher::default()));
        Arc::new(Server {
            config: Arc::new(RwLock::new(config)),
            handler: Arc::new(ChatHandler { rooms, users, outbox, history, push }),
            commands: unbounded(),
            archive_rx: Mutex::new(Some(archive_rx)),
            workers: Mutex::new(Vec::new()),
            background: Mutex::new(Vec::new()),
            running: Arc::new(AtomicBool::new(false)),
            workers_stop: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn start(self: &Arc<Self>) {
        if self.running.swap(true, Ordering::SeqCst) { return; }
        let worker_count = self.config.read().unwrap().workers;
        self.spawn_workers(worker_count);
        let (history, push) = (self.handler.history.clone(), self.handler.push.clone());
        let mut background = self.background.lock().unwrap();
        if let Some(rx) = self.archive_rx.lock().unwrap().take() {
            background.push(history::spawn_archiver(Arc::clone(&history), rx, self.running.clone()));
        }
        background.push(thread::spawn(move || push.run()));
        let (users, config, running) = (self.handler.users.clone(), self.config.clone(), self.running.clone());
        background.push(thread::spawn(move || {
            while running.load(Ordering::Acquire) {
                let idle_ms = config.read().unwrap().idle_timeout_ms;
                thread::sleep(Duration::from_millis((idle_ms / 4).clamp(10, 1_000)));
                metrics::add("users.idle_swept", users.sweep_idle(idle_ms).len() as u64);
                metrics::add("history.compacted", history.compact() as u64);
            }
        }));
    }

    fn spawn_workers(&self, count: usize) {
        let mut workers = self.workers.lock().unwrap();
        for _ in 0..count {
            let handler = Arc::clone(&self.handler);
            let (config, stop) = (Arc::clone(&self.config), Arc::clone(&self.workers_stop));
            workers.push(Worker { handler, commands: self.commands.1.clone(), config, stop }.spawn());
        }
    }

    pub fn submit(&self, cmd: Command) -> bool { self.commands.0.send(cmd).is_ok() }
    pub fn outbox(&self) -> Arc<Outbox> { Arc::clone(&self.handler.outbox) }
    pub fn history(&self) -> Arc<HistoryStore> { Arc::clone(&self.handler.history) }

    /// Applies a new config; restarts the worker pool if its size changed.
    pub fn reload(&self, new_config: ServerConfig) {
        let mut config = self.config.write().unwrap();
        let resize = new_config.workers != config.workers;
        *config = new_config;
        if resize {
            self.workers_stop.store(true, Ordering::Release);
            let handles = std::mem::take(&mut *self.workers.lock().unwrap());
            for handle in handles {
                let _ = handle.join(); // PLANTED: blocking-while-holding: the config write guard is still held; a worker that already dequeued a command blocks in Worker::limits() on config.read() and never exits
            }
            self.workers_stop.store(false, Ordering::Release);
            self.spawn_workers(config.workers);
        }
    }

    pub fn shutdown(&self) {
        if !self.running.swap(false, Ordering::SeqCst) { return; }
        self.workers_stop.store(true, Ordering::Release);
        let mut workers = self.workers.lock().unwrap();
        for handle in workers.drain(..) {
            let _ = handle.join(); // CLEAN: blocking-while-holding: only the `workers` vector is locked here and no worker or background thread ever locks it
        }
        drop(workers);
        metrics::set_gauge("push.sent_at_shutdown", self.handler.push.stop_and_drain());
        for handle in std::mem::take(&mut *self.background.lock().unwrap()) {
            let _ = handle.join();
        }
    }
}
