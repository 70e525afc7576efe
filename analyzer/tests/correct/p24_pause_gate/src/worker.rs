use std::sync::Arc;

use racecheck::{JoinHandle, Queue, Thread};

use crate::gate::Gate;

pub fn spawn(g: Arc<Gate>, acks: Queue<u32>) -> JoinHandle<()> {
    Thread::new(move || {
        let mut done = 0;
        for _ in 0..2 {
            g.pass();
            done += 1;
        }
        g.pause();
        acks.put(done);
        for _ in 0..2 {
            g.pass();
            done += 1;
        }
        acks.put(done);
    })
    .name("batcher")
    .start()
}
