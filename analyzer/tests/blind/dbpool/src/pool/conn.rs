use std::time::{Duration, Instant};

use crate::backend::{BackendError, RawConnection};

pub type ConnId = u64;

/// A live backend connection owned by the pool.
pub struct Connection {
    id: ConnId,
    raw: Box<dyn RawConnection>,
    created: Instant,
    last_used: Instant,
    broken: bool,
}

impl Connection {
    pub fn new(id: ConnId, raw: Box<dyn RawConnection>) -> Self {
        let now = Instant::now();
        Connection { id, raw, created: now, last_used: now, broken: false }
    }

    pub fn id(&self) -> ConnId {
        self.id
    }

    pub fn server_id(&self) -> u64 {
        self.raw.server_id()
    }

    pub fn age(&self) -> Duration {
        self.created.elapsed()
    }

    pub fn idle_for(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.last_used)
    }

    pub fn touch(&mut self) {
        self.last_used = Instant::now();
    }

    pub fn is_broken(&self) -> bool {
        self.broken
    }

    pub fn ping(&mut self) -> bool {
        let ok = !self.broken && self.raw.ping();
        self.broken = !ok;
        ok
    }

    pub fn execute(&mut self, sql: &str, params: &[i64]) -> Result<u64, BackendError> {
        let result = self.raw.execute(sql, params);
        if result == Err(BackendError::Broken) {
            self.broken = true;
        }
        result
    }

    pub fn close(&mut self) {
        self.raw.close();
        self.broken = true;
    }
}

/// Bookkeeping kept in the pool registry for every open connection.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub id: ConnId,
    pub server_id: u64,
    pub opened_at: Instant,
    pub checkouts: u64,
    pub checkins: u64,
}

impl ConnInfo {
    pub fn new(conn: &Connection) -> Self {
        ConnInfo { id: conn.id(), server_id: conn.server_id(), opened_at: Instant::now(), checkouts: 0, checkins: 0 }
    }
}
