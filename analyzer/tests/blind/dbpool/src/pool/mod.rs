//! Connection pool: bounded set of backend connections handed out to
//! workers, with a condition variable for callers that find it exhausted.

pub mod conn;
pub mod health;
pub mod reaper;

use std::collections::{HashMap, VecDeque};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

use crate::backend::{Backend, BackendError};
use crate::config::PoolConfig;
use crate::metrics::Metrics;

pub use conn::{ConnId, ConnInfo, Connection};
pub use health::{HealthEventKind, HealthMonitor, HealthSummary};
pub use reaper::Reaper;

#[derive(Debug)]
pub enum PoolError {
    Closed,
    Timeout(Duration),
    Backend(BackendError),
}

pub struct PoolState {
    idle: VecDeque<Connection>,
    total: usize,
    in_use: usize,
    max_size: usize,
    pub idle_timeout: Duration,
    closed: bool,
    retired: u64,
}

#[derive(Debug, Clone)]
pub struct PoolStats {
    pub idle: usize,
    pub total: usize,
    pub in_use: usize,
    pub max_size: usize,
    pub retired: u64,
}

pub struct Pool {
    backend: Arc<dyn Backend>,
    cfg: PoolConfig,
    state: Mutex<PoolState>,
    available: Condvar,
    registry: Mutex<HashMap<ConnId, ConnInfo>>,
    health: HealthMonitor,
    metrics: Arc<Metrics>,
    next_id: AtomicU64,
}

/// A connection on loan from the pool; returned on drop.
pub struct PooledConn<'a> {
    pool: &'a Pool,
    conn: Option<Connection>,
}

impl Deref for PooledConn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("returned")
    }
}

impl DerefMut for PooledConn<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("returned")
    }
}

impl Drop for PooledConn<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.checkin(conn);
        }
    }
}

impl Pool {
    pub fn new(backend: Arc<dyn Backend>, cfg: PoolConfig, metrics: Arc<Metrics>) -> Arc<Pool> {
        let state = PoolState {
            idle: VecDeque::with_capacity(cfg.max_size),
            total: 0,
            in_use: 0,
            max_size: cfg.max_size,
            idle_timeout: cfg.idle_timeout,
            closed: false,
            retired: 0,
        };
        Arc::new(Pool {
            backend,
            cfg,
            state: Mutex::new(state),
            available: Condvar::new(),
            registry: Mutex::new(HashMap::new()),
            health: HealthMonitor::default(),
            metrics,
            next_id: AtomicU64::new(0),
        })
    }

    /// Exclusive access to the pool state, for maintenance tasks that must
    /// change settings atomically with respect to checkouts.
    pub fn lock_state(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap()
    }

    fn open_connection(&self) -> Result<Connection, BackendError> {
        let raw = self.backend.connect()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let conn = Connection::new(id, raw);
        self.registry.lock().unwrap().insert(id, ConnInfo::new(&conn));
        Ok(conn)
    }

    fn wrap(&self, conn: Connection) -> PooledConn<'_> {
        if let Some(info) = self.registry.lock().unwrap().get_mut(&conn.id()) {
            info.checkouts += 1;
        }
        self.metrics.checkouts.fetch_add(1, Ordering::Relaxed);
        PooledConn { pool: self, conn: Some(conn) }
    }

    /// Open a connection for a slot the caller already reserved in `total`.
    fn open_reserved(&self) -> Result<PooledConn<'_>, PoolError> {
        match self.open_connection() {
            Ok(conn) => Ok(self.wrap(conn)),
            Err(e) => {
                let mut st = self.state.lock().unwrap(); // CLEAN: double-lock: every caller drop()s its state guard before calling open_reserved
                st.total -= 1;
                st.in_use -= 1;
                drop(st);
                self.available.notify_one();
                Err(PoolError::Backend(e))
            }
        }
    }

    pub fn checkout(&self) -> Result<PooledConn<'_>, PoolError> {
        let mut st = self.state.lock().unwrap();
        if st.closed {
            return Err(PoolError::Closed);
        }
        self.evict_expired(&mut st);
        if st.idle.is_empty() {
            if st.total < st.max_size {
                st.total += 1;
                st.in_use += 1;
                drop(st);
                return self.open_reserved();
            }
            self.metrics.pool_waits.fetch_add(1, Ordering::Relaxed);
            st = self.available.wait(st).unwrap(); // PLANTED: wait-without-loop: `if` not `while`; a spurious wakeup or a checkout that grabs the returned conn first leaves idle empty
        }
        let conn = st.idle.pop_back().expect("woken with an idle connection");
        st.in_use += 1;
        let in_use = st.in_use;
        drop(st);
        self.metrics.observe_in_use(in_use);
        Ok(self.wrap(conn))
    }

    pub fn checkout_timeout(&self, timeout: Duration) -> Result<PooledConn<'_>, PoolError> {
        let deadline = Instant::now() + timeout;
        let mut st = self.state.lock().unwrap();
        while st.idle.is_empty() && st.total >= st.max_size && !st.closed {
            let now = Instant::now();
            if now >= deadline {
                self.metrics.pool_timeouts.fetch_add(1, Ordering::Relaxed);
                return Err(PoolError::Timeout(timeout));
            }
            self.metrics.pool_waits.fetch_add(1, Ordering::Relaxed);
            let (guard, _) = self.available.wait_timeout(st, deadline - now).unwrap(); // CLEAN: wait-without-loop: predicate re-checked by the enclosing while
            st = guard;
        }
        if st.closed {
            return Err(PoolError::Closed);
        }
        if let Some(conn) = st.idle.pop_back() {
            st.in_use += 1;
            let in_use = st.in_use;
            drop(st);
            self.metrics.observe_in_use(in_use);
            return Ok(self.wrap(conn));
        }
        st.total += 1;
        st.in_use += 1;
        drop(st);
        self.open_reserved()
    }

    /// Run `f` with a pooled connection, returning it afterwards.
    pub fn with_conn<F, R>(&self, timeout: Duration, f: F) -> Result<R, PoolError>
    where
        F: FnOnce(&mut Connection) -> R,
    {
        let mut conn = self.checkout_timeout(timeout)?;
        Ok(f(&mut conn))
    }

    fn evict_expired(&self, st: &mut PoolState) {
        let max_life = self.cfg.max_lifetime;
        let mut i = 0;
        while i < st.idle.len() {
            if st.idle[i].age() >= max_life {
                let conn = st.idle.remove(i).expect("index checked");
                self.retire(conn);
            } else {
                i += 1;
            }
        }
    }

    fn retire(&self, mut conn: Connection) {
        conn.close();
        self.registry.lock().unwrap().remove(&conn.id());
        let mut st = self.state.lock().unwrap(); // PLANTED: double-lock: retire is reached from checkout via evict_expired while checkout still holds the state guard
        st.total -= 1;
        st.retired += 1;
    }

    pub(crate) fn checkin(&self, mut conn: Connection) {
        conn.touch();
        let id = conn.id();
        let mut st = self.state.lock().unwrap();
        st.in_use = st.in_use.saturating_sub(1);
        if let Some(info) = self.registry.lock().unwrap().get_mut(&id) { // CLEAN: lock-order: registry is always taken after state, never the other way round
            info.checkins += 1;
        }
        if conn.is_broken() || st.closed {
            st.total -= 1;
            drop(st);
            conn.close();
            self.registry.lock().unwrap().remove(&id);
        } else {
            st.idle.push_back(conn);
            drop(st);
        }
        self.available.notify_one();
    }

    /// Close idle connections that exceeded the idle timeout, keeping
    /// `min_idle` around. Returns how many were closed.
    pub fn reap_idle(&self) -> usize {
        let now = Instant::now();
        let mut st = self.state.lock().unwrap();
        let timeout = st.idle_timeout;
        let mut reaped = 0;
        while st.idle.len() > self.cfg.min_idle {
            let stale = st.idle.front().map(|c| c.idle_for(now) >= timeout).unwrap_or(false);
            if !stale {
                break;
            }
            let mut conn = st.idle.pop_front().expect("front checked");
            st.total -= 1;
            conn.close();
            self.registry.lock().unwrap().remove(&conn.id());
            self.health.record(conn.id(), HealthEventKind::Reaped);
            reaped += 1;
        }
        reaped
    }

    /// Ping idle connections that have not been used for a while and drop
    /// the ones that fail. Skips the pass if checkouts are busy.
    pub fn health_sweep(&self) -> usize {
        let now = Instant::now();
        let mut log = self.health.lock_log();
        log.sweeps += 1;
        let mut st = match self.state.try_lock() { // CLEAN: lock-order: try_lock under the health log never blocks, sweep backs off instead
            Ok(st) => st,
            Err(TryLockError::WouldBlock) => {
                log.skipped_sweeps += 1;
                return 0;
            }
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        let stale = st.idle.iter_mut().filter(|c| c.idle_for(now) >= self.cfg.validate_after);
        let probed: Vec<(ConnId, bool)> = stale.map(|c| (c.id(), c.ping())).collect();
        let failed: Vec<ConnId> = probed.iter().filter(|(_, ok)| !ok).map(|(id, _)| *id).collect();
        log.probes += probed.len() as u64;
        log.failed_probes += failed.len() as u64;
        if failed.is_empty() {
            return 0;
        }
        st.idle.retain(|c| !c.is_broken());
        st.total -= failed.len();
        drop(st);
        for id in &failed {
            log.push(health::HealthEvent { conn: *id, kind: HealthEventKind::ProbeFailed, at: now });
        }
        drop(log);
        self.registry.lock().unwrap().retain(|id, _| !failed.contains(id));
        self.available.notify_all();
        failed.len()
    }

    /// Open connections until `min_idle` are idle (bounded by `max_size`).
    pub fn top_up(&self) -> usize {
        let wanted = {
            let mut st = self.state.lock().unwrap();
            if st.closed {
                return 0;
            }
            let room = st.max_size.saturating_sub(st.total);
            let want = self.cfg.min_idle.saturating_sub(st.idle.len()).min(room);
            st.total += want;
            want
        };
        let mut opened = 0;
        for _ in 0..wanted {
            match self.open_connection() {
                Ok(conn) => {
                    self.state.lock().unwrap().idle.push_back(conn);
                    opened += 1;
                }
                Err(_) => self.state.lock().unwrap().total -= 1,
            }
        }
        self.available.notify_all();
        opened
    }

    pub fn idle_count(&self) -> usize {
        self.state.lock().unwrap().idle.len()
    }

    pub fn health_summary(&self) -> HealthSummary {
        let log = self.health.lock_log();
        let idle_now = self.idle_count();
        HealthSummary::build(&log, idle_now)
    }

    pub fn stats(&self) -> PoolStats {
        let idle = self.state.lock().unwrap().idle.len();
        let total = self.state.lock().unwrap().total; // CLEAN: double-lock: the previous guard was a temporary dropped at the end of its statement
        let (in_use, max_size, retired) = {
            let st = self.state.lock().unwrap();
            (st.in_use, st.max_size, st.retired)
        };
        PoolStats { idle, total, in_use, max_size, retired }
    }

    pub fn list_connections(&self) -> Vec<ConnInfo> {
        let mut infos: Vec<ConnInfo> = self.registry.lock().unwrap().values().cloned().collect();
        infos.sort_by_key(|i| i.id);
        infos
    }

    pub fn close(&self) {
        let drained: Vec<Connection> = {
            let mut st = self.state.lock().unwrap();
            st.closed = true;
            let drained: Vec<Connection> = st.idle.drain(..).collect();
            st.total -= drained.len();
            drained
        };
        for mut conn in drained {
            conn.close();
            self.registry.lock().unwrap().remove(&conn.id());
        }
        self.available.notify_all();
    }
}
