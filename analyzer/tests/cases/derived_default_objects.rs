//! `S::default()` of a `#[derive(Default)]` struct is one new object: clones of the `Arc` it
//! goes into share its fields with every struct and thread they are moved into. Objects of two
//! structs pushed into one collection are trait objects of the trait both implement.
use racecheck::{Condition, Lock, Thread};
use std::sync::Arc;

#[derive(Default)]
struct InFlight {
    count: Lock<usize>,
    drained: Condition,
}

#[derive(Default)]
struct Pair {
    left: Lock<u32>,
    right: Lock<u32>,
}

struct Router {
    in_flight: Arc<InFlight>,
}

impl Router {
    fn run(self) {
        *self.in_flight.count.acquire() -= 1;
        self.in_flight.drained.notify_all();
    }
}

fn drained_by_a_router() {
    let in_flight = Arc::new(InFlight::default());
    *in_flight.count.acquire() += 1;
    let router = Router {
        in_flight: Arc::clone(&in_flight),
    };
    let t = Thread::spawn(move || router.run());
    let mut count = in_flight.count.acquire();
    while *count > 0 {
        count = in_flight.drained.wait(count);
    }
    drop(count);
    t.join().unwrap();
}

fn crossed_pair() {
    let pair = Arc::new(Pair::default());
    let other = Arc::clone(&pair);
    let t = Thread::spawn(move || {
        let _r = other.right.acquire();
        let _l = other.left.acquire(); //~ D001
    });
    let _l = pair.left.acquire();
    let _r = pair.right.acquire();
    drop(_r);
    drop(_l);
    t.join().unwrap();
}

trait Listener {
    fn on_trade(&self);
}

#[derive(Default)]
struct Tape {
    entries: Lock<Vec<u64>>,
}

impl Listener for Tape {
    fn on_trade(&self) {
        self.entries.acquire().push(1);
    }
}

struct Audit {
    book: Arc<Lock<u64>>,
}

impl Listener for Audit {
    fn on_trade(&self) {
        let _book = self.book.acquire(); //~ D002
    }
}

struct Feed {
    listeners: Lock<Vec<Arc<dyn Listener>>>,
}

fn listeners_of_two_types() {
    let book = Arc::new(Lock::new(0));
    let feed = Feed {
        listeners: Lock::new(Vec::new()),
    };
    feed.listeners.acquire().push(Arc::new(Tape::default()));
    feed.listeners.acquire().push(Arc::new(Audit {
        book: Arc::clone(&book),
    }));
    let _book = book.acquire();
    for listener in feed.listeners.acquire().iter() {
        listener.on_trade();
    }
}

fn main() {
    drained_by_a_router();
    crossed_pair();
    listeners_of_two_types();
}
