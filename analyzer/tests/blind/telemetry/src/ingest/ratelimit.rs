use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::model::TenantId;
use crate::tenants::{QuotaListener, TenantRegistry};

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    last_refill_ms: u64,
}

/// Token-bucket admission control per tenant. The refill rate is the
/// tenant's current quota in the registry.
pub struct RateLimiter {
    buckets: Mutex<HashMap<TenantId, Bucket>>,
    registry: Arc<TenantRegistry>,
    burst_secs: f64,
}

impl RateLimiter {
    pub fn new(registry: Arc<TenantRegistry>, burst_secs: f64) -> Self {
        RateLimiter {
            buckets: Mutex::new(HashMap::new()),
            registry,
            burst_secs,
        }
    }

    /// Takes `cost` tokens from the tenant's bucket; false if over quota.
    pub fn admit(&self, tenant: TenantId, cost: u64, now_ms: u64) -> bool {
        let mut buckets = self.buckets.lock();
        let rate = self.registry.quota_for(tenant) as f64;
        let burst = (rate * self.burst_secs).max(1.0);
        let bucket = buckets.entry(tenant).or_insert(Bucket {
            tokens: burst,
            last_refill_ms: now_ms,
        });
        let elapsed = now_ms.saturating_sub(bucket.last_refill_ms) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.last_refill_ms = bucket.last_refill_ms.max(now_ms);
        if bucket.tokens >= cost as f64 {
            bucket.tokens -= cost as f64;
            true
        } else {
            false
        }
    }

    pub fn tokens(&self, tenant: TenantId) -> Option<f64> {
        self.buckets.lock().get(&tenant).map(|b| b.tokens)
    }
}

impl QuotaListener for RateLimiter {
    fn quota_changed(&self, tenant: TenantId, per_sec: u64) {
        let mut buckets = self.buckets.lock(); // PLANTED: lock-order: set_quota holds tenants.write() here, while admit() holds buckets and then takes tenants.read() via quota_for
        if let Some(b) = buckets.get_mut(&tenant) {
            b.tokens = b.tokens.min(per_sec as f64 * self.burst_secs);
        }
    }

    fn tenant_removed(&self, tenant: TenantId) {
        let mut buckets = self.buckets.lock(); // CLEAN: lock-order: remove_tenant drops its tenants write guard before notifying
        buckets.remove(&tenant);
    }
}
