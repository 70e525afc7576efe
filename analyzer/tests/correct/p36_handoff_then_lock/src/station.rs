use std::sync::Arc;

use racecheck::{Barrier, JoinHandle, Lock, Semaphore, Thread};

pub struct Station {
    pub ledger: Lock<Vec<String>>,
    pub ready: Semaphore,
    pub phase: Barrier,
}

impl Station {
    pub fn new() -> Self {
        Station { ledger: Lock::new(Vec::new()), ready: Semaphore::new(0), phase: Barrier::new(2) }
    }
}

pub fn spawn_worker(st: Arc<Station>) -> JoinHandle<()> {
    Thread::spawn(move || {
        st.ready.release().unwrap();
        st.phase.wait();
        st.ledger.acquire().push("worker done".into());
    })
}
