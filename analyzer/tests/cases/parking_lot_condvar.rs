//! parking_lot's `Condvar` takes `&mut guard`: a wait under `if` is L002, one under `while` is
//! not; a mapped guard still holds its mutex (D002 when locked again).
use parking_lot::{Condvar, Mutex, MutexGuard};
use std::thread;

struct Slot {
    value: Mutex<Option<u32>>,
    filled: Condvar,
}

impl Slot {
    fn take_once(&self) -> Option<u32> {
        let mut value = self.value.lock();
        if value.is_none() {
            self.filled.wait(&mut value); //~ L002
        }
        value.take()
    }

    fn take(&self) -> u32 {
        let mut value = self.value.lock();
        while value.is_none() {
            self.filled.wait(&mut value);
        }
        value.take().unwrap_or_default()
    }

    fn put(&self, v: u32) {
        *self.value.lock() = Some(v);
        self.filled.notify_one();
    }

    fn peek_twice(&self) -> bool {
        let mapped = MutexGuard::map(self.value.lock(), |v| v);
        let again = self.value.lock(); //~ D002
        mapped.is_some() && again.is_some()
    }
}

fn main() {
    let slot = std::sync::Arc::new(Slot {
        value: Mutex::new(None),
        filled: Condvar::new(),
    });
    let taker = {
        let slot = slot.clone();
        thread::spawn(move || (slot.take_once(), slot.take()))
    };
    slot.put(1);
    slot.put(2);
    taker.join().unwrap();
    slot.peek_twice();
}
