//! Stock middleware layers.

use std::collections::HashSet;
use std::sync::Arc;

use parking_lot::RwLock;

use super::{Middleware, Verdict};
use crate::http::{Request, Response};
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;

/// Rejects requests without a known API key. Keys are rotated on reload.
pub struct ApiKeyAuth {
    keys: RwLock<HashSet<String>>,
    public_prefixes: Vec<String>,
}

impl ApiKeyAuth {
    pub fn new<I: IntoIterator<Item = String>>(keys: I) -> ApiKeyAuth {
        ApiKeyAuth {
            keys: RwLock::new(keys.into_iter().collect()),
            public_prefixes: vec!["/static/".to_string()],
        }
    }

    pub fn replace_keys<I: IntoIterator<Item = String>>(&self, keys: I) {
        let fresh: HashSet<String> = keys.into_iter().collect();
        *self.keys.write() = fresh;
    }

    pub fn key_count(&self) -> usize {
        self.keys.read().len()
    }
}

impl Middleware for ApiKeyAuth {
    fn name(&self) -> &str {
        "auth"
    }

    fn on_request(&self, req: &mut Request) -> Verdict {
        if self.public_prefixes.iter().any(|p| req.path.starts_with(p)) {
            return Verdict::Continue;
        }
        match &req.api_key {
            Some(k) if self.keys.read().contains(k) => Verdict::Continue,
            Some(_) => Verdict::Reject(Response::error(403, "unknown api key")),
            None => Verdict::Reject(Response::error(401, "missing api key")),
        }
    }
}

/// Token-bucket admission per client id.
pub struct RateLimit {
    limiter: Arc<RateLimiter>,
}

impl RateLimit {
    pub fn new(limiter: Arc<RateLimiter>) -> RateLimit {
        RateLimit { limiter }
    }
}

impl Middleware for RateLimit {
    fn name(&self) -> &str {
        "ratelimit"
    }

    fn on_request(&self, req: &mut Request) -> Verdict {
        if self.limiter.check(req.client) {
            Verdict::Continue
        } else {
            Verdict::Reject(Response::error(429, "slow down"))
        }
    }
}

/// Counts responses by status class.
pub struct AccessLog {
    metrics: Arc<Metrics>,
    verbose: bool,
}

impl AccessLog {
    pub fn new(metrics: Arc<Metrics>, verbose: bool) -> AccessLog {
        AccessLog { metrics, verbose }
    }
}

impl Middleware for AccessLog {
    fn name(&self) -> &str {
        "access-log"
    }

    fn on_request(&self, _req: &mut Request) -> Verdict {
        Verdict::Continue
    }

    fn on_response(&self, req: &Request, resp: &mut Response) {
        self.metrics.record_status(resp.status);
        if self.verbose {
            println!(
                "{} {} {} client={} {}us",
                req.method,
                req.path,
                resp.status,
                req.client,
                req.received_at.elapsed().as_micros()
            );
        }
    }
}
