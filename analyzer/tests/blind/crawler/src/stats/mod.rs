mod reporter;

pub use reporter::Reporter;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::url::Host;

#[derive(Clone, Debug, Default)]
pub struct Latency {
    samples: u64,
    total: Duration,
    max: Duration,
}

impl Latency {
    fn record(&mut self, d: Duration) {
        self.samples += 1;
        self.total += d;
        self.max = self.max.max(d);
    }

    fn mean(&self) -> Duration {
        if self.samples == 0 {
            Duration::ZERO
        } else {
            self.total / self.samples as u32
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct HostStats {
    pub fetched: u64,
    pub failed: u64,
    pub bytes: u64,
    pub robots_rules: usize,
    pub abandoned: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub round: u64,
    pub elapsed: Duration,
    pub fetched: u64,
    pub failed: u64,
    pub not_found: u64,
    pub robots_blocked: u64,
    pub parsed: u64,
    pub in_flight: u64,
    pub peak_in_flight: u64,
    pub mean_latency: Duration,
    pub max_latency: Duration,
    pub backlog: usize,
    pub hosts: usize,
    pub graph_pages: usize,
    pub graph_edges: u64,
    pub robots_cached: usize,
    pub budget_left: usize,
}

impl Snapshot {
    pub fn render(&self) -> String {
        format!(
            "[{:>3} {:>6.2}s] fetched={} failed={} 404={} blocked={} parsed={} \
             inflight={}/{} lat={:?}/{:?} backlog={} hosts={} pages={} edges={} robots={} budget={}",
            self.round, self.elapsed.as_secs_f64(), self.fetched, self.failed, self.not_found,
            self.robots_blocked, self.parsed, self.in_flight, self.peak_in_flight,
            self.mean_latency, self.max_latency, self.backlog, self.hosts, self.graph_pages, self.graph_edges,
            self.robots_cached, self.budget_left
        )
    }
}

pub struct Stats {
    fetched: AtomicU64,
    failed: AtomicU64,
    not_found: AtomicU64,
    robots_blocked: AtomicU64,
    parsed: AtomicU64,
    bytes: AtomicU64,
    graph_full: AtomicU64,
    in_flight: AtomicU64,
    peak_in_flight: AtomicU64,
    per_host: Mutex<HashMap<Host, HostStats>>,
    latency: parking_lot::Mutex<Latency>,
    history: Mutex<Vec<Snapshot>>,
    started: Instant,
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            fetched: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            not_found: AtomicU64::new(0),
            robots_blocked: AtomicU64::new(0),
            parsed: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            graph_full: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            peak_in_flight: AtomicU64::new(0),
            per_host: Mutex::new(HashMap::new()),
            latency: parking_lot::Mutex::new(Latency::default()),
            history: Mutex::new(Vec::new()),
            started: Instant::now(),
        }
    }

    pub fn page_fetched(&self, host: &Host, bytes: usize) {
        self.fetched.fetch_add(1, Ordering::Relaxed); // CLEAN: atomic-split: a single read-modify-write, no separate load and store
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        let mut table = self.per_host.lock().unwrap();
        let entry = table.entry(host.clone()).or_default();
        entry.fetched += 1;
        entry.bytes += bytes as u64;
    }

    pub fn fetch_failed(&self, host: &Host) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        self.per_host.lock().unwrap().entry(host.clone()).or_default().failed += 1;
    }

    pub fn not_found(&self) {
        self.not_found.fetch_add(1, Ordering::Relaxed);
    }

    pub fn robots_blocked(&self) {
        self.robots_blocked.fetch_add(1, Ordering::Relaxed);
    }

    pub fn page_parsed(&self) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
    }

    pub fn graph_full(&self) {
        self.graph_full.fetch_add(1, Ordering::Relaxed);
    }

    pub fn enter_inflight(&self) {
        let now = self.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        let mut peak = self.peak_in_flight.load(Ordering::Acquire);
        while now > peak {
            match self.peak_in_flight.compare_exchange_weak(peak, now, Ordering::AcqRel, Ordering::Acquire) { // CLEAN: atomic-split: the peak is only replaced if it still holds the value we compared against
                Ok(_) => break,
                Err(actual) => peak = actual,
            }
        }
    }

    pub fn leave_inflight(&self) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Acquire)
    }

    pub fn record_latency(&self, d: Duration) {
        self.latency.lock().record(d);
    }

    pub fn robots_loaded(&self, host: &Host, rules: usize) {
        self.per_host.lock().unwrap().entry(host.clone()).or_default().robots_rules = rules;
    }

    pub fn host_abandoned(&self, host: &Host, backlog: usize) {
        self.per_host.lock().unwrap().entry(host.clone()).or_default().abandoned = true;
        eprintln!("giving up on {} ({} urls still queued overall)", host, backlog);
    }

    /// Clears robots bookkeeping for `hosts` if the table is free right now.
    pub fn try_forget_robots(&self, hosts: &[Host]) -> bool {
        let mut table = match self.per_host.try_lock() { // CLEAN: lock-order: try_lock never blocks; the caller releases the robots entries and retries later on failure
            Ok(table) => table,
            Err(_) => return false,
        };
        for host in hosts {
            if let Some(entry) = table.get_mut(host) {
                entry.robots_rules = 0;
            }
        }
        true
    }

    pub fn per_host_table(&self) -> MutexGuard<'_, HashMap<Host, HostStats>> {
        self.per_host.lock().unwrap()
    }

    pub fn snapshot(&self, round: u64) -> Snapshot {
        let (mean, max) = {
            let latency = self.latency.lock();
            (latency.mean(), latency.max)
        };
        Snapshot {
            round,
            elapsed: self.started.elapsed(),
            fetched: self.fetched.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            not_found: self.not_found.load(Ordering::Relaxed),
            robots_blocked: self.robots_blocked.load(Ordering::Relaxed),
            parsed: self.parsed.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Acquire),
            peak_in_flight: self.peak_in_flight.load(Ordering::Acquire),
            mean_latency: mean,
            max_latency: max,
            ..Snapshot::default()
        }
    }

    pub fn push_history(&self, snapshot: Snapshot) {
        let mut history = self.history.lock().unwrap();
        history.push(snapshot);
        if history.len() > 512 {
            history.remove(0);
        }
    }

    pub fn history(&self) -> Vec<Snapshot> {
        self.history.lock().unwrap().clone()
    }
}
