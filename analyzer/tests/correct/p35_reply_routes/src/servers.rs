use std::sync::Arc;

use racecheck::{JoinHandle, Queue, Thread};

use crate::session::Sessions;

pub struct CacheReq {
    pub key: u64,
    pub reply: Queue<u64>,
}

pub struct AuditReq {
    pub reply: Queue<usize>,
}

pub fn spawn_cache(inbox: Queue<CacheReq>) -> JoinHandle<()> {
    Thread::new(move || loop {
        let req = inbox.get();
        if req.key == u64::MAX {
            return;
        }
        req.reply.put(req.key * 2);
    })
    .name("cache")
    .start()
}

pub fn spawn_audit(inbox: Queue<AuditReq>, sessions: Arc<Sessions>) -> JoinHandle<()> {
    Thread::new(move || {
        let first = inbox.get();
        let n = sessions.count();
        first.reply.put(n);
        let _stop = inbox.get();
    })
    .name("audit")
    .start()
}
