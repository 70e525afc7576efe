use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::Listener;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: u64,
    pub action: String,
    pub subject: u64,
    pub remaining: u32,
}

#[derive(Default)]
pub struct AuditLog {
    entries: Mutex<Vec<Entry>>,
    listeners: RwLock<Vec<Box<dyn Listener>>>,
    archive: Mutex<Vec<String>>,
    seq: AtomicU64,
    stopping: AtomicBool,
    flusher: Mutex<Option<JoinHandle<()>>>,
}

impl AuditLog {
    pub fn subscribe(&self, listener: Box<dyn Listener>) {
        self.listeners.write().unwrap().push(listener);
    }
    pub fn record(&self, action: &str, subject: u64, remaining: u32) -> u64 {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst);
        let entry = Entry { seq, action: action.to_string(), subject, remaining };
        match self.listeners.read() {
            Ok(listeners) => listeners.iter().for_each(|l| l.on_entry(&entry)),
            Err(poisoned) => poisoned.into_inner().iter().for_each(|l| l.on_entry(&entry)),
        }
        self.append(entry);
        seq
    }
    fn append(&self, entry: Entry) {
        let mut entries = self.entries.lock().unwrap(); // PLANTED: lock-order: reached from OrderService::fulfil holding store.stock (fulfil -> journal -> record -> append); flush_with_totals takes entries -> stock
        entries.push(entry);
    }
    /// Move buffered entries to the archive, stamping the current stock level.
    pub fn flush_with_totals(&self, store: &Store) -> Result<usize, &'static str> {
        let mut entries = self.entries.lock().map_err(|_| "audit entries poisoned")?;
        if entries.is_empty() {
            return Ok(0);
        }
        let units = store.total_units();
        let mut lines: Vec<String> = entries.drain(..).map(|e| format!("#{} {} {} left={}", e.seq, e.action, e.subject, e.remaining)).collect();
        drop(entries);
        lines.push(format!("-- units on hand: {}", units));
        let mut archive = self.archive.lock().map_err(|_| "audit archive poisoned")?;
        archive.extend(lines);
        Ok(archive.len())
    }
    pub fn start_flusher(self: &Arc<Self>, store: Arc<Store>) {
        let log = Arc::clone(self);
        let handle = thread::spawn(move || {
            while !log.stopping.load(Ordering::Acquire) {
                if let Err(e) = log.flush_with_totals(&store) {
                    eprintln!("audit flush failed: {}", e);
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
        });
        *self.flusher.lock().unwrap() = Some(handle);
    }
    pub fn stop_flusher(&self) -> usize {
        let left = self.entries.lock().unwrap().len();
        self.stopping.store(true, Ordering::Release);
        let handle = self.flusher.lock().unwrap().take();
        if let Some(handle) = handle {
            let _ = handle.join(); // CLEAN: blocking-while-holding: entries/flusher guards were temporaries, released before the join
        }
        left + self.archive.lock().unwrap().len()
    }
}
