//! What a lock protects is followed through its guard: trait objects kept in a
//! `Lock<Vec<Arc<dyn Listener>>>` and called while iterating the guard reach every implementor
//! (here one that calls back into the lock its caller holds), and a thread handle kept in a
//! table entry is joined while holding the table, which the thread needs. The clean twins copy
//! the handles out and join after releasing the table, and call listeners without the book. A
//! handle kept inside a lock (`Lock<Option<JoinHandle>>`) has left the model's sight: not L001.
use racecheck::{JoinHandle, Lock, Thread};
use std::collections::BTreeMap;
use std::sync::Arc;

trait Listener: Send + Sync {
    fn on_trade(&self, price: u64);
}

struct Surveillance {
    book: Arc<Lock<u64>>,
}

impl Listener for Surveillance {
    fn on_trade(&self, price: u64) {
        let spread = *self.book.acquire(); //~ D002
        assert!(spread <= price || spread > price);
    }
}

struct Entry {
    thread: Option<JoinHandle<()>>,
}

struct Feed {
    book: Arc<Lock<u64>>,
    listeners: Lock<Vec<Arc<dyn Listener>>>,
    table: Arc<Lock<BTreeMap<u32, Entry>>>,
}

impl Feed {
    fn submit(&self, price: u64) {
        let mut book = self.book.acquire();
        *book = price;
        for listener in self.listeners.acquire().iter() {
            listener.on_trade(price);
        }
    }

    fn submit_clean(&self, price: u64) {
        *self.book.acquire() = price;
        let listeners = self.listeners.acquire();
        for listener in listeners.iter() {
            listener.on_trade(price);
        }
    }

    fn subscribe(&self, id: u32) {
        let table = Arc::clone(&self.table);
        let thread = Thread::spawn(move || {
            table.acquire().remove(&id);
        });
        self.table.acquire().insert(
            id,
            Entry {
                thread: Some(thread),
            },
        );
    }

    fn unsubscribe(&self, id: u32) {
        let mut table = self.table.acquire();
        if let Some(entry) = table.get_mut(&id) {
            if let Some(thread) = entry.thread.take() {
                thread.join().unwrap(); //~ D003
            }
        }
    }

    fn close(&self) {
        let mut threads = Vec::new();
        for entry in self.table.acquire().values_mut() {
            threads.extend(entry.thread.take());
        }
        for thread in threads {
            thread.join().unwrap();
        }
    }
}

struct Alerter {
    thread: Lock<Option<JoinHandle<()>>>,
}

fn start_alerter() -> Alerter {
    let thread = Thread::spawn(|| {});
    Alerter {
        thread: Lock::new(Some(thread)),
    }
}

fn main() {
    let _alerter = start_alerter();
    let book = Arc::new(Lock::new(0));
    let surveillance: Arc<dyn Listener> = Arc::new(Surveillance {
        book: Arc::clone(&book),
    });
    let feed = Feed {
        book,
        listeners: Lock::new(Vec::new()),
        table: Arc::new(Lock::new(BTreeMap::new())),
    };
    feed.listeners.acquire().push(surveillance);
    feed.submit_clean(3);
    feed.submit(5);
    feed.subscribe(1);
    feed.unsubscribe(1);
    feed.subscribe(2);
    feed.close();
}
