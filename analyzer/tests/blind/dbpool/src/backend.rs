//! Backend abstraction: what a pooled connection actually talks to.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    ConnectRefused(String),
    Broken,
    Syntax(String),
}

pub trait RawConnection: Send {
    fn server_id(&self) -> u64;
    fn ping(&mut self) -> bool;
    fn execute(&mut self, sql: &str, params: &[i64]) -> Result<u64, BackendError>;
    fn close(&mut self);
}

pub trait Backend: Send + Sync {
    fn name(&self) -> &str;
    fn connect(&self) -> Result<Box<dyn RawConnection>, BackendError>;
}

/// A deterministic in-memory backend used for load testing the access layer.
pub struct FakeBackend {
    name: String,
    refuse_every: u64,
    break_after: u64,
    attempts: AtomicU64,
    opened: AtomicU64,
}

impl FakeBackend {
    pub fn new(name: &str, refuse_every: u64, break_after: u64) -> Self {
        FakeBackend {
            name: name.to_string(),
            refuse_every,
            break_after: break_after.max(1),
            attempts: AtomicU64::new(0),
            opened: AtomicU64::new(0),
        }
    }
}

impl Backend for FakeBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn connect(&self) -> Result<Box<dyn RawConnection>, BackendError> {
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        if self.refuse_every > 0 && attempt % self.refuse_every == 0 {
            return Err(BackendError::ConnectRefused(format!("attempt {attempt} rejected")));
        }
        let server_id = self.opened.fetch_add(1, Ordering::Relaxed) + 1;
        let break_after = self.break_after + server_id % 7;
        Ok(Box::new(FakeConnection { server_id, executed: 0, break_after, open: true }))
    }
}

struct FakeConnection {
    server_id: u64,
    executed: u64,
    break_after: u64,
    open: bool,
}

impl RawConnection for FakeConnection {
    fn server_id(&self) -> u64 {
        self.server_id
    }

    fn ping(&mut self) -> bool {
        self.open && self.executed < self.break_after
    }

    fn execute(&mut self, sql: &str, params: &[i64]) -> Result<u64, BackendError> {
        if !self.open {
            return Err(BackendError::Broken);
        }
        if sql.trim().is_empty() {
            return Err(BackendError::Syntax(sql.into()));
        }
        self.executed += 1;
        if self.executed >= self.break_after {
            self.open = false;
            return Err(BackendError::Broken);
        }
        let mut acc = sql.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
        for p in params {
            acc ^= *p as u64;
        }
        Ok(acc % 97)
    }

    fn close(&mut self) {
        self.open = false;
    }
}
