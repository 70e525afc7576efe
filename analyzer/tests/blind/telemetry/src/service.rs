//! Wiring of all components and the admin command loop.

use std::fmt::Write as _;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use crate::alert::rules::Rule;
use crate::alert::AlertEngine;
use crate::config::Config;
use crate::evict::Evictor;
use crate::flush::sink::Sink;
use crate::flush::Flusher;
use crate::ingest::{IngestPool, RateLimiter, WorkerContext};
use crate::model::{now_ms, IngestMsg, TenantId};
use crate::stats::{Stats, StatsSnapshot};
use crate::store::Store;
use crate::tenants::TenantRegistry;

/// Start-up barrier: service threads check in, the caller waits for all.
pub struct Readiness {
    arrived: Mutex<usize>,
    cv: Condvar,
}

impl Readiness {
    pub fn new() -> Self {
        Readiness {
            arrived: Mutex::new(0),
            cv: Condvar::new(),
        }
    }

    pub fn arrive(&self) {
        *self.arrived.lock().unwrap() += 1;
        self.cv.notify_all();
    }

    pub fn wait_for(&self, expected: usize) {
        let arrived = self.arrived.lock().unwrap();
        let _arrived = self.cv.wait_while(arrived, |n| *n < expected).unwrap(); // CLEAN: wait-without-loop: wait_while re-checks the predicate after every wakeup
    }
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness::new()
    }
}

/// Operator commands, sent to the admin thread.
pub enum AdminCmd {
    SetQuota { tenant: TenantId, per_sec: u64 },
    RemoveTenant(TenantId),
    TransferCredits { from: TenantId, to: TenantId, amount: i64 },
    Touch(TenantId),
    FlushNow,
    SinkHealth,
    PauseFlush(bool),
    Status(mpsc::Sender<String>),
}

pub struct Service {
    cfg: Config,
    store: Arc<Store>,
    registry: Arc<TenantRegistry>,
    limiter: Arc<RateLimiter>,
    stats: Arc<Stats>,
    ingest: IngestPool,
    flusher: Flusher,
    evictor: Evictor,
    alerts: AlertEngine,
    readiness: Arc<Readiness>,
    admin_tx: Mutex<Option<mpsc::Sender<AdminCmd>>>,
    admin_rx: Mutex<Option<mpsc::Receiver<AdminCmd>>>,
    alert_stop_tx: Sender<()>,
    alert_stop_rx: Receiver<()>,
    threads: Mutex<Vec<(&'static str, JoinHandle<()>)>>,
}

impl Service {
    pub fn new(cfg: Config, sink: Arc<dyn Sink>, rules: Vec<Rule>) -> Arc<Self> {
        let store = Arc::new(Store::new(cfg.shards, cfg.max_series));
        let registry = Arc::new(TenantRegistry::new(cfg.default_quota, cfg.credit_slots));
        let limiter = Arc::new(RateLimiter::new(Arc::clone(&registry), 2.0));
        let stats = Arc::new(Stats::new());
        let flusher = Flusher::new(Arc::clone(&store), sink, Arc::clone(&stats), cfg.export_queue);
        let evictor = Evictor::new(
            Arc::clone(&store),
            flusher.tombstones(),
            Arc::clone(&stats),
            cfg.stale_after,
            cfg.evict_interval,
        );
        let alerts = AlertEngine::new(
            rules,
            cfg.alert_partitions,
            cfg.history_retention.as_millis() as u64,
        );
        let (admin_tx, admin_rx) = mpsc::channel();
        let (alert_stop_tx, alert_stop_rx) = crossbeam_channel::bounded(1);
        Arc::new(Service {
            ingest: IngestPool::new(cfg.ingest_queue),
            cfg,
            store,
            registry,
            limiter,
            stats,
            flusher,
            evictor,
            alerts,
            readiness: Arc::new(Readiness::new()),
            admin_tx: Mutex::new(Some(admin_tx)),
            admin_rx: Mutex::new(Some(admin_rx)),
            alert_stop_tx,
            alert_stop_rx,
            threads: Mutex::new(Vec::new()),
        })
    }

    pub fn registry(&self) -> &TenantRegistry {
        &self.registry
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.stats.snapshot()
    }

    pub fn ingest_sender(&self) -> Sender<IngestMsg> {
        self.ingest.sender()
    }

    pub fn admin(&self) -> Option<mpsc::Sender<AdminCmd>> {
        self.admin_tx.lock().unwrap().clone()
    }

    /// Spawns every service thread.
    pub fn start(self: &Arc<Self>) {
        let ctx = WorkerContext {
            store: Arc::clone(&self.store),
            registry: Arc::clone(&self.registry),
            limiter: Arc::clone(&self.limiter),
            stats: Arc::clone(&self.stats),
        };
        self.ingest
            .start(self.cfg.ingest_workers, ctx, Arc::clone(&self.readiness));
        self.flusher.start(
            self.cfg.flush_interval,
            self.cfg.exporters,
            Arc::clone(&self.readiness),
        );
        self.evictor.start(Arc::clone(&self.readiness));

        let svc = Arc::clone(self);
        let alert_thread = thread::spawn(move || {
            svc.readiness.arrive();
            loop {
                match svc.alert_stop_rx.recv_timeout(svc.cfg.alert_interval) {
                    Err(RecvTimeoutError::Timeout) => {
                        svc.alerts.evaluate_round(&svc.store, now_ms());
                    }
                    _ => break,
                }
            }
        });

        let rx = self
            .admin_rx
            .lock()
            .unwrap()
            .take()
            .expect("service started twice");
        let svc = Arc::clone(self);
        let admin_thread = thread::spawn(move || {
            svc.readiness.arrive();
            while let Ok(cmd) = rx.recv() {
                svc.handle_admin(cmd);
            }
        });

        let mut threads = self.threads.lock().unwrap();
        threads.push(("alerts", alert_thread));
        threads.push(("admin", admin_thread));
    }

    pub fn wait_ready(&self) {
        self.readiness.wait_for(self.cfg.service_threads());
    }

    fn handle_admin(&self, cmd: AdminCmd) {
        match cmd {
            AdminCmd::SetQuota { tenant, per_sec } => {
                self.registry.set_quota(tenant, per_sec, self.limiter.as_ref());
            }
            AdminCmd::RemoveTenant(tenant) => {
                if self
                    .registry
                    .remove_tenant(tenant, self.limiter.as_ref())
                    .is_some()
                {
                    let tombstones = self.flusher.tombstones();
                    let n = self.store.expire_tenant(tenant, tombstones.as_ref());
                    eprintln!("admin: removed tenant {tenant} ({n} series)");
                }
            }
            AdminCmd::TransferCredits { from, to, amount } => {
                if let Err(e) = self.registry.transfer_credits(from, to, amount) {
                    eprintln!("admin: transfer failed: {e}");
                }
            }
            AdminCmd::Touch(tenant) => {
                self.registry.touch(tenant, now_ms());
            }
            AdminCmd::FlushNow => match self.flusher.flush_now() {
                Ok(r) => eprintln!("admin: flushed epoch {} ({} points)", r.epoch, r.points),
                Err(e) => eprintln!("admin: flush failed: {e}"),
            },
            AdminCmd::SinkHealth => match self.flusher.sink_health() {
                Ok(h) if !h.healthy => eprintln!("admin: sink {} unhealthy", h.sink),
                Ok(_) => {}
                Err(e) => eprintln!("admin: health check failed: {e}"),
            },
            AdminCmd::PauseFlush(paused) => self.flusher.set_paused(paused),
            AdminCmd::Status(reply) => {
                let _ = reply.send(self.status());
            }
        }
    }

    pub fn status(&self) -> String {
        let mut out = String::new();
        let (used, limit) = self.store.capacity_used();
        let _ = writeln!(out, "stats: {}", self.stats.snapshot());
        let _ = writeln!(
            out,
            "store: {} series ({used}/{limit} reserved), {} bytes",
            self.store.series_total(),
            self.store.memory_used()
        );
        for t in self.registry.snapshot() {
            let credits = self.registry.credits(t.id);
            let _ = writeln!(
                out,
                "tenant {}: quota={}/s series={} samples={} credits={}",
                t.id, t.quota_per_sec, t.series, t.samples, credits.balance
            );
        }
        let (fired, resolved) = self.alerts.totals();
        let _ = writeln!(
            out,
            "alerts: active={:?} fired={fired} resolved={resolved} history={}",
            self.alerts.active_alerts(),
            self.alerts.history_len()
        );
        if let Some(r) = self.flusher.last_report() {
            let _ = writeln!(out, "last manual flush: epoch {} ({} points)", r.epoch, r.points);
        }
        let _ = write!(out, "ingest workers alive: {}", self.ingest.live_workers());
        out
    }

    /// Stops every thread, in dependency order.
    pub fn shutdown(&self) -> u64 {
        let admin_tx = self.admin_tx.lock().unwrap().take();
        drop(admin_tx);
        let _ = self.alert_stop_tx.try_send(());
        let threads = std::mem::take(&mut *self.threads.lock().unwrap());
        for (name, handle) in threads {
            if handle.join().is_err() {
                eprintln!("{name} thread panicked");
            }
        }
        let accepted = self.ingest.shutdown();
        self.evictor.shutdown();
        self.flusher.shutdown();
        accepted
    }
}
