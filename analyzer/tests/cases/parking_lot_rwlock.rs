//! parking_lot's `RwLock::read` waits behind a queued writer (its documentation warns that a
//! recursive read may deadlock): a second `read` on one thread is reported; `read_recursive`
//! is the way to read again.
use parking_lot::RwLock;

struct Cache {
    entries: RwLock<Vec<u32>>,
}

impl Cache {
    fn total(&self) -> usize {
        let entries = self.entries.read();
        entries.len() + self.count()
    }

    fn count(&self) -> usize {
        self.entries.read().len() //~ D002
    }

    fn total_recursive(&self) -> usize {
        let entries = self.entries.read();
        entries.len() + self.entries.read_recursive().len()
    }
}

fn main() {
    let cache = Cache {
        entries: RwLock::new(Vec::new()),
    };
    cache.total();
    cache.total_recursive();
}
