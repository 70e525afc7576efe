mod store;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::{self, JoinHandle};
use std::time::Duration;
pub use store::HistoryStore;
use crate::protocol::Message;

/// Archiver thread: persists posted messages in arrival order.
pub fn spawn_archiver(store: Arc<HistoryStore>, rx: mpsc::Receiver<Message>, running: Arc<AtomicBool>) -> JoinHandle<()> {
    thread::spawn(move || {
        while running.load(Ordering::Acquire) {
            if let Ok(msg) = rx.recv_timeout(Duration::from_millis(100)) {
                store.append(msg);
            }
        }
        rx.try_iter().for_each(|msg| store.append(msg));
    })
}
