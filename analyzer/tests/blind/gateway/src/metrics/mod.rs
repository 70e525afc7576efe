//! Process-wide counters and per-route latency statistics.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct RouteStats {
    pub count: u64,
    pub errors: u64,
    pub total_micros: u64,
    pub max_micros: u64,
}

impl RouteStats {
    pub fn mean_micros(&self) -> u64 {
        if self.count == 0 {
            0
        } else {
            self.total_micros / self.count
        }
    }
}

#[derive(Default)]
pub struct Metrics {
    requests: AtomicU64,
    inflight: AtomicUsize,
    peak_inflight: AtomicUsize,
    status_classes: [AtomicU64; 6],
    routes: Mutex<HashMap<String, RouteStats>>,
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics::default()
    }

    pub fn count_request(&self) {
        let seen = self.requests.load(Ordering::Relaxed);
        self.requests.store(seen + 1, Ordering::Relaxed); // PLANTED: atomic-split: load then store of load+1; concurrent workers lose increments
    }

    pub fn enter(&self) {
        let now = self.inflight.fetch_add(1, Ordering::AcqRel) + 1;
        self.raise_peak(now);
    }

    pub fn leave(&self) {
        self.inflight.fetch_sub(1, Ordering::AcqRel);
    }

    fn raise_peak(&self, value: usize) {
        let mut current = self.peak_inflight.load(Ordering::Relaxed);
        while value > current {
            match self.peak_inflight.compare_exchange_weak(current, value, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange loop retries with the freshly observed value
                Ok(_) => break,
                Err(observed) => current = observed,
            }
        }
    }

    pub fn record_status(&self, status: u16) {
        let class = (status / 100).min(5) as usize;
        self.status_classes[class].fetch_add(1, Ordering::Relaxed);
    }

    pub fn route_stats(&self, prefix: &str) -> RouteStats {
        self.routes
            .lock()
            .unwrap()
            .get(prefix)
            .cloned()
            .unwrap_or_default()
    }

    pub fn record_latency(&self, prefix: &str, elapsed: Duration) {
        let micros = elapsed.as_micros() as u64;
        let mut stats = self.route_stats(prefix);
        stats.count += 1;
        stats.total_micros += micros;
        stats.max_micros = stats.max_micros.max(micros);
        self.routes.lock().unwrap().insert(prefix.to_string(), stats); // PLANTED: stale-read: stats copied by route_stats() under an earlier guard; concurrent updates to this route are overwritten
    }

    pub fn record_error(&self, prefix: &str) {
        let mut routes = self.routes.lock().unwrap();
        let stats = routes.entry(prefix.to_string()).or_default();
        stats.errors += 1; // CLEAN: stale-read: read-modify-write under a single guard
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "requests={} inflight={} peak_inflight={}",
            self.requests(),
            self.inflight.load(Ordering::Relaxed),
            self.peak_inflight.load(Ordering::Relaxed)
        );
        for (class, counter) in self.status_classes.iter().enumerate().skip(1) {
            let _ = write!(out, "{}xx={} ", class, counter.load(Ordering::Relaxed));
        }
        out.push('\n');
        let routes = self.routes.lock().unwrap();
        let mut prefixes: Vec<&String> = routes.keys().collect();
        prefixes.sort();
        for p in prefixes {
            let s = &routes[p];
            let _ = writeln!(
                out,
                "  {p:<12} n={} err={} mean={}us max={}us",
                s.count,
                s.errors,
                s.mean_micros(),
                s.max_micros
            );
        }
        out
    }
}
