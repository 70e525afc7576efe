use std::sync::Arc;

use racecheck::{JoinHandle, Lock, Thread};

#[derive(Default)]
struct Book {
    running: Vec<JoinHandle<()>>,
    finished: usize,
}

pub struct Supervisor {
    book: Arc<Lock<Book>>,
}

impl Supervisor {
    pub fn new() -> Self {
        Supervisor { book: Arc::new(Lock::new(Book::default())) }
    }
    pub fn launch(&self, n: usize) {
        for _ in 0..n {
            let book = Arc::clone(&self.book);
            let h = Thread::spawn(move || {
                // each worker records its completion in the same book
                book.acquire().finished += 1;
            });
            self.book.acquire().running.push(h);
        }
    }
    pub fn shutdown(&self) -> usize {
        // the guard is a temporary of this statement: released before the joins
        let handles = std::mem::take(&mut self.book.acquire().running);
        for h in handles {
            h.join().unwrap();
        }
        let n = self.book.acquire().finished;
        n
    }
}
