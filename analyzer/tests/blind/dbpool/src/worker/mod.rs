//! Client workers: each simulates an application thread issuing queries
//! through the access layer.

pub mod batch;
pub mod workload;

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::admin::{Command, Reply};
use crate::backend::BackendError;
use crate::context::AppContext;
use crate::pool::{PoolError, PooledConn};
use crate::router::RouteError;
use crate::wal::{Lsn, WalError};
use workload::{Rng, Step};

#[derive(Debug)]
pub enum WorkerError {
    Pool(PoolError),
    Backend(BackendError),
    Route(RouteError),
    Wal(WalError),
}

#[derive(Debug, Default)]
pub struct Session {
    pub ops: u64,
    pub last_lsn: Lsn,
    pub last_stats: Option<String>,
    pub refreshes: u32,
}

#[derive(Debug, Clone, Default)]
pub struct WorkerReport {
    pub worker: usize,
    pub ops: u64,
    pub errors: u64,
    pub commits: u64,
    pub transfers: u64,
    pub timeouts: u64,
}

pub struct Worker {
    id: usize,
    ctx: Arc<AppContext>,
    session: Mutex<Session>,
    bounded_waits: bool,
}

impl Worker {
    pub fn new(id: usize, ctx: Arc<AppContext>, bounded_waits: bool) -> Self {
        Worker { id, ctx, session: Mutex::new(Session::default()), bounded_waits }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    pub fn run(&self, iterations: usize, seed: u64) -> WorkerReport {
        self.ctx.migrations.gate().wait();
        let mut rng = Rng::seeded(seed ^ (self.id as u64 + 1));
        let mut report = WorkerReport { worker: self.id, ..Default::default() };
        for i in 0..iterations {
            let step = self.ctx.workload.next(&mut rng);
            match self.perform(&step, &mut report) {
                Ok(()) => report.ops += 1,
                Err(WorkerError::Pool(PoolError::Timeout(_))) => report.timeouts += 1,
                Err(_) => report.errors += 1,
            }
            if i % 200 == 199 {
                self.refresh_session();
            }
            thread::sleep(Duration::from_micros(rng.below(300)));
        }
        report
    }

    fn checkout(&self) -> Result<PooledConn<'_>, PoolError> {
        if self.bounded_waits {
            self.ctx.pool.checkout_timeout(self.ctx.cfg.pool.checkout_timeout)
        } else {
            self.ctx.pool.checkout()
        }
    }

    fn perform(&self, step: &Step, report: &mut WorkerReport) -> Result<(), WorkerError> {
        match step {
            Step::Transfer { from, to, amount } => {
                self.ctx.router.transfer(*from, *to, *amount).map_err(WorkerError::Route)?;
                report.transfers += 1;
                Ok(())
            }
            Step::Commit => {
                let payload = format!("commit worker={} op={}", self.id, report.ops).into_bytes();
                let lsn = self.ctx.wal.commit_sync(payload).map_err(WorkerError::Wal)?;
                self.session.lock().unwrap().last_lsn = lsn;
                report.commits += 1;
                Ok(())
            }
            Step::Explain { .. } => {
                self.ctx.cache.lookup(&self.ctx.workload.sql_for(step));
                Ok(())
            }
            Step::Refresh => {
                self.refresh_session();
                Ok(())
            }
            _ => self.run_statement(step),
        }
    }

    fn run_statement(&self, step: &Step) -> Result<(), WorkerError> {
        let Some((key, op)) = step.operation() else {
            return Ok(());
        };
        let started = Instant::now();
        let sql = self.ctx.workload.sql_for(step);
        let mut conn = self.checkout().map_err(WorkerError::Pool)?;
        let stmt = self.ctx.cache.prepare(&sql);
        let params = vec![key; stmt.param_count];
        let outcome = conn.execute(&stmt.sql, &params);
        drop(conn);
        if let Err(e) = outcome {
            self.ctx.metrics.record_query(started.elapsed(), false);
            return Err(WorkerError::Backend(e));
        }
        if step.is_write() {
            let lsn = self.ctx.wal.append(step.encode());
            self.session.lock().unwrap().last_lsn = lsn;
        }
        self.ctx.router.execute(key, &op).map_err(WorkerError::Route)?;
        self.ctx.metrics.record_query(started.elapsed(), true);
        self.session.lock().unwrap().ops += 1;
        Ok(())
    }

    /// Pull a fresh stats headline from the console into the session.
    fn refresh_session(&self) {
        let mut session = self.session.lock().unwrap();
        let pending = self.ctx.admin.submit(Command::Stats);
        let reply = pending.recv(); // CLEAN: blocking-while-holding: the session mutex is private to this worker; the console never touches it
        if let Ok(Reply::Stats(stats)) = reply {
            session.last_stats = Some(stats.headline());
            session.refreshes += 1;
        }
    }

    pub fn session_line(&self) -> String {
        let s = self.session.lock().unwrap();
        let last = s.last_stats.as_deref().unwrap_or("-");
        format!("worker {}: ops={} last_lsn={} refreshes={} last={last}", self.id, s.ops, s.last_lsn, s.refreshes)
    }
}
