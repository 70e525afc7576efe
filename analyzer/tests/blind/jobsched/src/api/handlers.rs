use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use parking_lot::{RwLock as FastRwLock, RwLockUpgradableReadGuard};

use super::{Command, Request};
use crate::jobs::{registry::Registry, Job, JobId, JobState};
use crate::{queue::JobQueue, stats::Stats, workers::Pool};

pub struct ApiConfig { pub max_inflight: usize, pub default_quota: u64 }

pub struct Handlers {
    config: RwLock<ApiConfig>,
    quotas: FastRwLock<HashMap<String, u64>>,
    usage: Mutex<HashMap<String, u64>>,
    registry: Arc<Registry>,
    queue: Arc<JobQueue>,
    pool: Arc<Pool>,
    stats: Arc<Stats>,
}

impl Handlers {
    pub fn new(config: ApiConfig, registry: Arc<Registry>, queue: Arc<JobQueue>, pool: Arc<Pool>, stats: Arc<Stats>) -> Self {
        let (config, quotas, usage) = (RwLock::new(config), FastRwLock::default(), Mutex::default());
        Handlers { config, quotas, usage, registry, queue, pool, stats }
    }

    pub fn dispatch(&self, request: Request) {
        match request.command {
            Command::Submit(job) => self.submit(job),
            Command::Cancel(id) => self.cancel(id),
            Command::Reprioritize { id, priority } => self.reprioritize(id, priority),
            Command::SetLimit(limit) => self.set_max_inflight(limit),
            Command::MergeStats { from, to } => self.stats.fold_into(from, to),
        }
    }

    pub fn max_inflight(&self) -> usize {
        self.config.read().unwrap().max_inflight
    }

    fn set_max_inflight(&self, limit: usize) {
        let config = self.config.read().unwrap();
        if config.max_inflight != limit {
            println!("max_inflight {} -> {limit}", config.max_inflight);
            self.config.write().unwrap().max_inflight = limit; // PLANTED: double-lock: write() while this thread's read guard `config` is still alive
        }
    }

    fn quota_for(&self, tenant: &str) -> u64 {
        let default_quota = self.config.read().unwrap().default_quota;
        let quotas = self.quotas.upgradable_read();
        if let Some(quota) = quotas.get(tenant) {
            return *quota;
        }
        let mut quotas = RwLockUpgradableReadGuard::upgrade(quotas); // CLEAN: double-lock: the upgradable guard is upgraded in place, not locked a second time
        *quotas.entry(tenant.to_string()).or_insert(default_quota)
    }

    fn charge(&self, tenant: &str, cost: u64) -> bool {
        let quota = self.quota_for(tenant);
        let used = self.usage.lock().unwrap().get(tenant).copied().unwrap_or(0);
        if used + cost > quota {
            return false;
        }
        self.usage.lock().unwrap().insert(tenant.to_string(), used + cost); // PLANTED: stale-read: `used` came from an earlier lock; concurrent submits overwrite each other's charge
        true
    }

    fn refund(&self, tenant: &str, cost: u64) {
        let mut usage = self.usage.lock().unwrap();
        if let Some(used) = usage.get_mut(tenant) {
            *used = used.saturating_sub(cost); // CLEAN: stale-read: read and write-back under the same guard
        }
    }

    fn submit(&self, job: Job) {
        if !self.charge(&job.tenant, job.cost) {
            return println!("rejected {} for {}: over quota", job.name, job.tenant);
        }
        let job = self.registry.register(job);
        match job.affinity {
            Some(worker) => self.pool.submit_to(worker, job),
            None => self.queue.push(job),
        }
    }

    fn cancel(&self, id: JobId) {
        let mut jobs = self.registry.lock_jobs();
        let Some(entry) = jobs.get_mut(&id).filter(|e| e.state == JobState::Pending) else { return };
        entry.state = JobState::Cancelled;
        let (tenant, cost) = (entry.job.tenant.clone(), entry.job.cost);
        self.queue.withdraw(id);
        drop(jobs);
        self.refund(&tenant, cost);
        self.registry.notify(id, JobState::Cancelled);
    }

    fn reprioritize(&self, id: JobId, priority: u8) {
        let pending = {
            let jobs = self.registry.lock_jobs();
            matches!(jobs.get(&id).map(|e| e.state), Some(JobState::Pending))
        };
        if pending {
            self.queue.update_priority(id, priority);
        }
    }
}
