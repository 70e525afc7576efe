//! Main waits for an event that only a thread started after the wait sets: nothing can set it
//! while main waits. The second event is set by a thread started before its wait: fine.
use racecheck::{Event, Thread};

static LATE: Event = Event::new();
static EARLY: Event = Event::new();

fn main() {
    let early = Thread::spawn(|| EARLY.set());
    EARLY.wait();
    LATE.wait(); //~ D005
    let late = Thread::spawn(|| LATE.set());
    early.join().unwrap();
    late.join().unwrap();
}
