//! Per-upstream connection pool: idle connections in a mutex-protected stack,
//! a condition variable to park callers when every connection is checked out.

pub mod conn;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

pub use conn::Conn;

pub struct Pool {
    upstream: usize,
    addr: String,
    capacity: usize,
    idle: Mutex<Vec<Conn>>,
    available: Condvar,
    next_conn_id: AtomicU64,
    opened: AtomicU64,
}

impl Pool {
    pub fn new(upstream: usize, addr: &str, capacity: usize) -> Pool {
        let pool = Pool {
            upstream,
            addr: addr.to_string(),
            capacity,
            idle: Mutex::new(Vec::with_capacity(capacity)),
            available: Condvar::new(),
            next_conn_id: AtomicU64::new(1),
            opened: AtomicU64::new(0),
        };
        pool.refill();
        pool
    }

    fn open_conn(&self) -> Conn {
        let id = self.next_conn_id.fetch_add(1, Ordering::Relaxed);
        self.opened.fetch_add(1, Ordering::Relaxed);
        Conn::open(self.upstream, &self.addr, id)
    }

    /// Blocks until a connection is available.
    pub fn checkout(&self) -> Conn {
        let mut idle = self.idle.lock().unwrap();
        if idle.is_empty() {
            idle = self.available.wait(idle).unwrap(); // PLANTED: wait-without-loop: `if` not `while`; a spurious wakeup or a competing checkout leaves the stack empty and pop() panics
        }
        idle.pop().expect("pool signalled but no idle connection")
    }

    /// Like `checkout` but gives up after `timeout`; used by probes that
    /// must never stall the health loop.
    pub fn checkout_timeout(&self, timeout: Duration) -> Option<Conn> {
        let deadline = Instant::now() + timeout;
        let mut idle = self.idle.lock().unwrap();
        while idle.is_empty() {
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            let (guard, _res) = self.available.wait_timeout(idle, deadline - now).unwrap(); // CLEAN: wait-without-loop: emptiness re-checked by the enclosing while loop
            idle = guard;
        }
        idle.pop()
    }

    pub fn checkin(&self, conn: Conn) {
        let conn = if conn.is_reusable() {
            conn
        } else {
            self.open_conn()
        };
        self.idle.lock().unwrap().push(conn);
        self.available.notify_one();
    }

    /// Closes every idle connection; returns how many were dropped.
    pub fn drain(&self) -> usize {
        let mut idle = self.idle.lock().unwrap();
        let n = idle.len();
        idle.clear();
        n
    }

    /// Tops the idle stack back up to capacity and wakes waiters.
    pub fn refill(&self) {
        let mut idle = self.idle.lock().unwrap();
        while idle.len() < self.capacity {
            let conn = self.open_conn();
            idle.push(conn);
        }
        drop(idle);
        self.available.notify_all();
    }

    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap().len()
    }

    pub fn opened_total(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    pub fn addr(&self) -> &str {
        &self.addr
    }
}
