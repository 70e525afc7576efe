use std::collections::HashSet;
use std::sync::Arc;

use racecheck::{JoinHandle, JoinableQueue, Lock, Thread};

pub struct Indexer {
    docs: JoinableQueue<Option<String>>,
    words: Arc<Lock<HashSet<String>>>,
    workers: Vec<JoinHandle<()>>,
}

impl Indexer {
    pub fn start(n: usize) -> Self {
        let docs = JoinableQueue::new();
        let words = Arc::new(Lock::new(HashSet::new()));
        let workers = (0..n)
            .map(|_| {
                let (docs, words) = (docs.clone(), Arc::clone(&words));
                Thread::spawn(move || index_loop(docs, words))
            })
            .collect();
        Indexer { docs, words, workers }
    }
    pub fn add(&self, doc: String) {
        self.docs.put(Some(doc));
    }
    /// Waits until every document added so far is indexed.
    pub fn flush(&self) {
        self.docs.join();
    }
    /// Called after the last flush: the stop markers are never joined on, so workers need not
    /// mark them done (Python's usual `q.join()` then `None` sentinels).
    pub fn stop(self) -> usize {
        for _ in &self.workers {
            self.docs.put(None);
        }
        for w in self.workers {
            w.join().unwrap();
        }
        let n = self.words.acquire().len();
        n
    }
}

fn index_loop(docs: JoinableQueue<Option<String>>, words: Arc<Lock<HashSet<String>>>) {
    while let Some(doc) = docs.get() {
        let mut w = words.acquire();
        for word in doc.split_whitespace() {
            w.insert(word.to_string());
        }
        drop(w);
        docs.task_done().unwrap();
    }
}
