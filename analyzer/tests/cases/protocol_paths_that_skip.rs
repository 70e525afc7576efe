//! The protocol rules follow paths: a consumer whose `continue` skips `task_done` for one kind
//! of item leaves that item unfinished, so `join` never returns, even though the other path calls
//! it; a producer whose early `return` skips `set` leaves its waiter blocked. The clean twins
//! signal on every path.
use racecheck::{Event, JoinableQueue, Thread};

static READY: Event = Event::new();
static LOADED: Event = Event::new();

fn consume(jobs: &JoinableQueue<u32>) {
    for _ in 0..4 {
        let job = jobs.get();
        if job % 2 == 0 {
            continue;
        }
        jobs.task_done().unwrap();
    }
}

fn consume_clean(jobs: &JoinableQueue<u32>) {
    for _ in 0..4 {
        let job = jobs.get();
        if job % 2 == 0 {
            jobs.task_done().unwrap();
            continue;
        }
        jobs.task_done().unwrap();
    }
}

fn prepare(input: u32) {
    if input == 0 {
        return;
    }
    READY.set();
}

fn load(input: u32) {
    if input == 0 {
        LOADED.set();
        return;
    }
    LOADED.set();
}

fn main() {
    let jobs = JoinableQueue::new();
    let skipping = jobs.clone();
    let consumer = Thread::spawn(move || consume(&skipping));
    let clean = JoinableQueue::new();
    let finishing = clean.clone();
    let finisher = Thread::spawn(move || consume_clean(&finishing));
    for n in 0..4 {
        jobs.put(n);
        clean.put(n);
    }
    jobs.join(); //~ D004
    clean.join();
    let input = std::env::args().count() as u32;
    let preparer = Thread::spawn(move || prepare(input));
    let loader = Thread::spawn(move || load(input));
    READY.wait(); //~ D005
    LOADED.wait();
    for t in [consumer, finisher, preparer, loader] {
        t.join().unwrap();
    }
}
