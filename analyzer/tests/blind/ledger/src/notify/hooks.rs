use std::sync::{mpsc, Mutex};

use super::Event;

pub trait Observer: Send {
    /// Returns false once the observer wants no further events.
    fn on_event(&mut self, event: &Event) -> bool;

    fn is_closed(&self) -> bool { false }
}

struct Registered { name: String, observer: Box<dyn Observer> }

#[derive(Default)]
pub struct Hooks {
    observers: Mutex<Vec<Registered>>,
}

impl Hooks {
    pub fn subscribe<O: Observer + 'static>(&self, name: &str, observer: O) {
        let entry = Registered { name: name.to_string(), observer: Box::new(observer) };
        self.observers.lock().unwrap().push(entry);
    }

    pub fn unsubscribe(&self, name: &str) {
        self.observers.lock().unwrap().retain(|r| r.name != name);
    }

    pub fn broadcast(&self, event: &Event) {
        let mut observers = self.observers.lock().unwrap();
        for entry in observers.iter_mut() {
            if !entry.observer.on_event(event) {
                self.unsubscribe(&entry.name); // PLANTED: double-lock: observers guard is still held by this loop and unsubscribe locks it again
            }
        }
    }

    pub fn sweep(&self) -> usize {
        let closed: Vec<String> = {
            let observers = self.observers.lock().unwrap();
            observers.iter().filter(|r| r.observer.is_closed()).map(|r| r.name.clone()).collect()
        };
        for name in &closed {
            self.unsubscribe(name); // CLEAN: double-lock: the observers guard lived only inside the block above
        }
        closed.len()
    }
}

pub struct LargeTransferPager(pub i64);

impl Observer for LargeTransferPager {
    fn on_event(&mut self, event: &Event) -> bool {
        let Event::Transferred { amount, .. } = event else { return true };
        if *amount >= self.0 {
            eprintln!("PAGE: large transfer {event:?}");
        }
        *amount < self.0
    }
}

pub struct FeedObserver(pub mpsc::Sender<Event>, pub bool);

impl Observer for FeedObserver {
    fn on_event(&mut self, event: &Event) -> bool {
        self.1 = self.1 || self.0.send(event.clone()).is_err();
        true
    }

    fn is_closed(&self) -> bool { self.1 }
}
