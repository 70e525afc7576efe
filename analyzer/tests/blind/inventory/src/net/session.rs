use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::{Authenticator, Observer};

pub type SessionId = u64;
pub type Outgoing = (SessionId, String);

#[derive(Debug)]
pub enum SessionError {
    Unauthorized,
    UnknownSession(SessionId),
    InsufficientCredit,
    Poisoned,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub credit: i64,
    pub last_seen: u64,
}

pub struct SessionManager<A> {
    auth: A,
    sessions: Mutex<HashMap<SessionId, Session>>,
    outbox: Mutex<Vec<Outgoing>>,
    observers: RwLock<Vec<Arc<dyn Observer>>>,
    next_id: AtomicU64,
    peak: AtomicUsize,
}

impl<A: Authenticator + Send + Sync> SessionManager<A> {
    pub fn new(auth: A) -> Self {
        let (sessions, outbox, observers) = (Mutex::default(), Mutex::default(), RwLock::default());
        SessionManager { auth, sessions, outbox, observers, next_id: AtomicU64::new(1), peak: AtomicUsize::new(0) }
    }
    pub fn observe(&self, observer: Arc<dyn Observer>) {
        self.observers.write().unwrap().push(observer);
    }
    pub fn open(&self, user: &str, token: &str, credit: i64) -> Result<SessionId, SessionError> {
        if !self.auth.authenticate(user, token) {
            return Err(SessionError::Unauthorized);
        }
        let id = self.next_id.load(Ordering::Relaxed);
        self.next_id.store(id + 1, Ordering::Relaxed); // PLANTED: atomic-split: id allocated by load + store; two scanner threads can receive the same id
        let mut sessions = self.sessions.lock().map_err(|_| SessionError::Poisoned)?;
        sessions.insert(id, Session { user: user.to_string(), credit, last_seen: 0 });
        let live = sessions.len();
        drop(sessions);
        self.record_peak(live);
        self.observers.read().unwrap().iter().for_each(|o| o.on_open(id, user));
        Ok(id)
    }
    fn record_peak(&self, live: usize) {
        let mut seen = self.peak.load(Ordering::Relaxed);
        while live > seen {
            match self.peak.compare_exchange_weak(seen, live, Ordering::Relaxed, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange retry loop instead of load + store
                Ok(_) => break,
                Err(actual) => seen = actual,
            }
        }
    }
    /// Deduct the cost of a request from the session's credit.
    pub fn charge(&self, id: SessionId, cost: i64) -> Result<i64, SessionError> {
        let credit = {
            let sessions = self.sessions.lock().map_err(|_| SessionError::Poisoned)?;
            sessions.get(&id).map(|s| s.credit).ok_or(SessionError::UnknownSession(id))?
        };
        if credit < cost {
            return Err(SessionError::InsufficientCredit);
        }
        let mut sessions = self.sessions.lock().map_err(|_| SessionError::Poisoned)?;
        if let Some(session) = sessions.get_mut(&id) {
            session.credit = credit - cost; // PLANTED: stale-read: credit read under an earlier guard, written back under a new one; refund() from the billing thread is lost
        }
        Ok(credit - cost)
    }
    pub fn refund(&self, id: SessionId, amount: i64) -> Result<i64, SessionError> {
        let mut sessions = self.sessions.lock().map_err(|_| SessionError::Poisoned)?;
        let session = sessions.get_mut(&id).ok_or(SessionError::UnknownSession(id))?;
        session.credit += amount;
        Ok(session.credit)
    }
    pub fn send(&self, id: SessionId, body: &str) -> Result<(), SessionError> {
        let sessions = self.sessions.lock().map_err(|_| SessionError::Poisoned)?;
        if !sessions.contains_key(&id) {
            return Err(SessionError::UnknownSession(id));
        }
        let mut outbox = self.outbox.lock().map_err(|_| SessionError::Poisoned)?;
        outbox.push((id, body.to_string()));
        Ok(())
    }
    /// Hand queued messages to the dispatcher, touching last_seen when the table is free.
    pub fn drain_outbox(&self) -> Vec<Outgoing> {
        let mut outbox = self.outbox.lock().unwrap();
        let batch = std::mem::take(&mut *outbox);
        if let Ok(mut sessions) = self.sessions.try_lock() { // CLEAN: lock-order: outbox -> sessions is the reverse of send(), but try_lock never blocks
            for (id, _) in &batch {
                sessions.entry(*id).and_modify(|s| s.last_seen += 1);
            }
        }
        batch
    }
    pub fn close(&self, id: SessionId) -> Option<Session> {
        self.sessions.lock().unwrap().remove(&id)
    }
    pub fn live_ids(&self) -> Vec<SessionId> {
        self.sessions.lock().unwrap().keys().copied().collect()
    }
}
