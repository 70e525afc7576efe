mod servers;
mod session;

use std::sync::Arc;

use racecheck::Queue;

use servers::{AuditReq, CacheReq};

#[racecheck::main]
fn main() {
    let sessions = Arc::new(session::Sessions::new());
    let cache_q: Queue<CacheReq> = Queue::new();
    let audit_q: Queue<AuditReq> = Queue::new();
    let cache = servers::spawn_cache(cache_q.clone());
    let audit = servers::spawn_audit(audit_q.clone(), Arc::clone(&sessions));

    // a client: looks a value up while keeping its session table locked; the cache server
    // never touches sessions
    let client = {
        let sessions = Arc::clone(&sessions);
        let cache_q = cache_q.clone();
        racecheck::Thread::spawn(move || sessions.refresh_with(&cache_q, 7))
    };

    // main asks the auditor (which does lock sessions) without holding anything
    let reply = Queue::new();
    audit_q.put(AuditReq { reply: reply.clone() });
    let n = reply.get();

    let v = client.join().unwrap();
    cache_q.put(CacheReq { key: u64::MAX, reply: Queue::new() });
    audit_q.put(AuditReq { reply: Queue::new() });
    cache.join().unwrap();
    audit.join().unwrap();
    println!("sessions={n} value={v}");
}
