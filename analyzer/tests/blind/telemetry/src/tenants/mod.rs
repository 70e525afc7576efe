//! Tenant registry: quotas, per-tenant bookkeeping and usage credits.

mod credits;

use std::collections::HashMap;
use std::sync::RwLock;

use crate::model::{now_ms, TenantId};

pub use credits::{CreditLedger, UsageAccount};

/// Credits granted to tenants admitted on first contact.
const STARTING_CREDITS: i64 = 10_000;

/// Notified when tenant limits change (implemented by the rate limiter).
pub trait QuotaListener: Send + Sync {
    fn quota_changed(&self, tenant: TenantId, per_sec: u64);
    fn tenant_removed(&self, tenant: TenantId);
}

#[derive(Clone, Debug)]
pub struct TenantInfo {
    pub id: TenantId,
    pub quota_per_sec: u64,
    pub series: usize,
    pub samples: u64,
    pub created_ms: u64,
    pub last_seen_ms: u64,
}

impl TenantInfo {
    fn new(id: TenantId, quota_per_sec: u64, now: u64) -> Self {
        TenantInfo {
            id,
            quota_per_sec,
            series: 0,
            samples: 0,
            created_ms: now,
            last_seen_ms: now,
        }
    }
}

pub struct TenantRegistry {
    tenants: RwLock<HashMap<TenantId, TenantInfo>>,
    credits: CreditLedger,
    default_quota: u64,
}

impl TenantRegistry {
    pub fn new(default_quota: u64, credit_slots: usize) -> Self {
        TenantRegistry {
            tenants: RwLock::new(HashMap::new()),
            credits: CreditLedger::new(credit_slots),
            default_quota,
        }
    }

    /// Explicitly provisions a tenant with a quota.
    pub fn register(&self, id: TenantId, quota_per_sec: u64) -> TenantInfo {
        let now = now_ms();
        let mut tenants = self.tenants.write().unwrap();
        let info = tenants
            .entry(id)
            .or_insert_with(|| TenantInfo::new(id, quota_per_sec, now));
        info.quota_per_sec = quota_per_sec;
        info.clone()
    }

    /// Returns the tenant, admitting unknown tenants with the default quota.
    pub fn ensure_tenant(&self, id: TenantId) -> TenantInfo {
        let tenants = self.tenants.read().unwrap();
        match tenants.get(&id) {
            Some(info) => info.clone(),
            None => self.admit_new_tenant(id),
        }
    }

    fn admit_new_tenant(&self, id: TenantId) -> TenantInfo {
        let now = now_ms();
        let mut tenants = self.tenants.write().unwrap(); // PLANTED: double-lock: ensure_tenant still holds the read guard of the same RwLock when it calls this
        let info = tenants
            .entry(id)
            .or_insert_with(|| TenantInfo::new(id, self.default_quota, now))
            .clone();
        drop(tenants);
        self.credits.grant(id, STARTING_CREDITS);
        info
    }

    pub fn quota_for(&self, id: TenantId) -> u64 {
        self.tenants
            .read()
            .unwrap()
            .get(&id)
            .map_or(self.default_quota, |t| t.quota_per_sec)
    }

    pub fn set_quota(&self, id: TenantId, per_sec: u64, listener: &dyn QuotaListener) {
        let now = now_ms();
        let mut tenants = self.tenants.write().unwrap();
        let info = tenants
            .entry(id)
            .or_insert_with(|| TenantInfo::new(id, per_sec, now));
        info.quota_per_sec = per_sec;
        listener.quota_changed(id, per_sec);
    }

    pub fn remove_tenant(&self, id: TenantId, listener: &dyn QuotaListener) -> Option<TenantInfo> {
        let mut tenants = self.tenants.write().unwrap();
        let removed = tenants.remove(&id);
        drop(tenants);
        if removed.is_some() {
            listener.tenant_removed(id);
        }
        removed
    }

    pub fn series_count(&self, id: TenantId) -> usize {
        self.tenants
            .read()
            .unwrap()
            .get(&id)
            .map_or(0, |t| t.series)
    }

    pub fn note_new_series(&self, id: TenantId) {
        let current = self.series_count(id);
        let mut tenants = self.tenants.write().unwrap();
        if let Some(info) = tenants.get_mut(&id) {
            info.series = current + 1; // PLANTED: stale-read: count read under an earlier read guard; another ingest worker's increment in between is lost
        }
    }

    pub fn add_samples(&self, id: TenantId, n: u64, now: u64) {
        let mut tenants = self.tenants.write().unwrap();
        if let Some(info) = tenants.get_mut(&id) {
            let seen = info.samples;
            info.samples = seen + n; // CLEAN: stale-read: read and write-back under the same write guard
            info.last_seen_ms = info.last_seen_ms.max(now);
        }
    }

    /// Marks a tenant as seen by an operator; unknown tenants are ignored.
    pub fn touch(&self, id: TenantId, now: u64) -> bool {
        let known = self.tenants.read().unwrap().contains_key(&id);
        if !known {
            return false;
        }
        if let Some(info) = self.tenants.write().unwrap().get_mut(&id) { // CLEAN: double-lock: the read guard was a temporary dropped at the end of the `let known` statement
            info.last_seen_ms = info.last_seen_ms.max(now);
        }
        true
    }

    pub fn charge(&self, id: TenantId, units: u64) -> i64 {
        self.credits.charge(id, units)
    }

    pub fn transfer_credits(&self, from: TenantId, to: TenantId, amount: i64) -> Result<(), String> {
        self.credits.transfer(from, to, amount)
    }

    pub fn credits(&self, id: TenantId) -> UsageAccount {
        self.credits.account(id)
    }

    pub fn snapshot(&self) -> Vec<TenantInfo> {
        let mut all: Vec<TenantInfo> = self.tenants.read().unwrap().values().cloned().collect();
        all.sort_by_key(|t| t.id);
        all
    }
}
