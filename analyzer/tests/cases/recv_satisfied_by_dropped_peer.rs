//! A `recv` returns `Err(Disconnected)` once the other end is dropped: dropping the peer, or
//! letting the thread it was moved into end, satisfies the wait as a send would. A peer that
//! stays alive until after its owner has joined the receiving thread never does.
use racecheck::{Pipe, Thread};

fn dropped_explicitly() {
    let (a, b) = Pipe::new::<u8>();
    let receiver = Thread::spawn(move || b.recv());
    drop(a);
    let _ = receiver.join();
}

fn moved_into_a_thread_that_ends() {
    let (a, b) = Pipe::new::<u8>();
    let holder = Thread::spawn(move || {
        let _ = &a;
    });
    let receiver = Thread::spawn(move || b.recv());
    let _ = holder.join();
    let _ = receiver.join();
}

fn dropped_at_the_end_of_its_block() {
    let b = {
        let (a, b) = Pipe::new::<u8>();
        let _ = &a;
        b
    };
    let _ = b.recv();
}

fn outlives_the_wait() {
    let (a, b) = Pipe::new::<u8>();
    let receiver = Thread::spawn(move || b.recv()); //~ D005
    let _ = receiver.join();
    let _ = &a;
}

fn main() {
    dropped_explicitly();
    moved_into_a_thread_that_ends();
    dropped_at_the_end_of_its_block();
    outlives_the_wait();
}
