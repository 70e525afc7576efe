use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::ratelimit::RateLimiter;
use crate::model::{now_ms, IngestMsg, Sample, TenantId};
use crate::stats::Stats;
use crate::store::Store;
use crate::tenants::TenantRegistry;

/// Everything an ingest worker needs; cheap to clone into each thread.
#[derive(Clone)]
pub struct WorkerContext {
    pub store: Arc<Store>,
    pub registry: Arc<TenantRegistry>,
    pub limiter: Arc<RateLimiter>,
    pub stats: Arc<Stats>,
}

/// Worker main loop. Returns the number of samples accepted.
pub fn run(id: usize, rx: &Receiver<IngestMsg>, ctx: &WorkerContext) -> u64 {
    let mut accepted = 0u64;
    while let Ok(msg) = rx.recv() {
        match msg {
            IngestMsg::Stop => break,
            IngestMsg::Batch(samples) => accepted += handle_batch(ctx, samples),
            IngestMsg::Rename { from, to } => {
                if ctx.store.rename_series(&from, &to) {
                    ctx.stats.renames.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    if std::env::var_os("TELEMETRYD_DEBUG").is_some() {
        eprintln!("ingest-{id}: exiting after {accepted} samples");
    }
    accepted
}

fn handle_batch(ctx: &WorkerContext, samples: Vec<Sample>) -> u64 {
    ctx.stats.observe_batch(samples.len());
    let now = now_ms();

    let mut by_tenant: BTreeMap<TenantId, Vec<Sample>> = BTreeMap::new();
    let mut malformed = 0u64;
    for s in samples {
        if s.value.is_finite() && !s.key.name.is_empty() {
            by_tenant.entry(s.key.tenant).or_default().push(s);
        } else {
            malformed += 1;
        }
    }
    if malformed > 0 {
        ctx.stats.record_dropped(malformed);
    }

    let mut accepted = 0;
    for (tenant, group) in by_tenant {
        let info = ctx.registry.ensure_tenant(tenant);
        let cost = group.len() as u64;
        if info.quota_per_sec == 0 || !ctx.limiter.admit(tenant, cost, now) {
            ctx.stats.record_dropped(cost);
            continue;
        }
        ctx.registry.charge(tenant, cost);
        for sample in &group {
            if ctx.store.record(sample) {
                ctx.registry.note_new_series(tenant);
                ctx.store.reserve_series(1);
            }
        }
        ctx.registry.add_samples(tenant, cost, now);
        ctx.stats.record_accepted(cost);
        accepted += cost;
    }
    accepted
}
