//! Prepared-statement cache shared by all workers.

pub mod lru;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::metrics::Metrics;
use lru::LruCache;

const THRASH_WINDOW: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub struct PreparedStatement {
    pub sql: String,
    pub fingerprint: u64,
    pub param_count: usize,
    pub plan: Vec<String>,
    pub compiled_at: Instant,
}

pub trait StatementCompiler: Send + Sync {
    fn compile(&self, sql: &str) -> PreparedStatement;
}

/// Keyword-driven planner; good enough for the fake backend.
#[derive(Default)]
pub struct SimplePlanner {
    pub index_columns: Vec<String>,
}

fn fingerprint(sql: &str) -> u64 {
    sql.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

impl StatementCompiler for SimplePlanner {
    fn compile(&self, sql: &str) -> PreparedStatement {
        let upper = sql.to_ascii_uppercase();
        let words: Vec<&str> = upper.split_whitespace().collect();
        let table = words.windows(2).find(|w| matches!(w[0], "FROM" | "INTO" | "UPDATE")).map_or("?", |w| w[1]);
        let indexed = self.index_columns.iter().any(|c| upper.contains(&c.to_ascii_uppercase()));
        let plan = match words.first().copied() {
            Some("SELECT") if indexed => vec![format!("IndexScan({table})"), "Project".into()],
            Some("SELECT") => vec![format!("PointLookup({table})"), "Project".into()],
            Some("INSERT") | Some("UPSERT") => vec![format!("Insert({table})")],
            Some(verb @ ("UPDATE" | "DELETE")) => vec![format!("PointLookup({table})"), verb.to_string()],
            _ => vec!["Passthrough".into()],
        };
        PreparedStatement {
            sql: sql.to_string(),
            fingerprint: fingerprint(sql),
            param_count: sql.matches('?').count(),
            plan,
            compiled_at: Instant::now(),
        }
    }
}

pub struct StatementCache {
    inner: Mutex<LruCache<String, Arc<PreparedStatement>>>,
    compiler: Box<dyn StatementCompiler>,
    metrics: Arc<Metrics>,
    capacity: usize,
}

impl StatementCache {
    pub fn new(capacity: usize, compiler: Box<dyn StatementCompiler>, metrics: Arc<Metrics>) -> Self {
        StatementCache { inner: Mutex::new(LruCache::new(capacity)), compiler, metrics, capacity }
    }

    /// Return the cached statement for `sql`, compiling it on a miss.
    pub fn prepare(&self, sql: &str) -> Arc<PreparedStatement> {
        let mut inner = self.inner.lock();
        if let Some(stmt) = inner.get(sql) {
            self.metrics.record_cache(true);
            return Arc::clone(stmt);
        }
        self.metrics.record_cache(false);
        let stmt = Arc::new(self.compiler.compile(sql));
        if let Some((evicted_sql, victim)) = inner.insert(sql.to_string(), Arc::clone(&stmt)) {
            self.on_evict(&evicted_sql, &victim);
        }
        stmt
    }

    fn on_evict(&self, _sql: &str, victim: &PreparedStatement) {
        self.metrics.cache_evictions.fetch_add(1, Ordering::Relaxed);
        let resident = self.inner.lock().len(); // PLANTED: double-lock: on_evict runs from prepare while prepare still holds the non-reentrant cache mutex
        if resident >= self.capacity && victim.compiled_at.elapsed() < THRASH_WINDOW {
            self.metrics.cache_thrash.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Cached statement for `sql`, without compiling on a miss.
    pub fn lookup(&self, sql: &str) -> Option<Arc<PreparedStatement>> {
        let found = {
            let mut inner = self.inner.lock();
            inner.get(sql).cloned()
        };
        if found.is_none() {
            let resident = self.inner.lock().len(); // CLEAN: double-lock: the first guard ended with the inner block above
            if resident >= self.capacity {
                self.metrics.cache_thrash.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.metrics.record_cache(found.is_some());
        found
    }

    /// Drop cached statements whose SQL mentions `needle` (after DDL).
    pub fn invalidate_matching(&self, needle: &str) -> usize {
        let needle = needle.to_ascii_lowercase();
        self.inner.lock().retain(|sql, _| !sql.to_ascii_lowercase().contains(&needle))
    }

    pub fn len(&self) -> usize {
        self.inner.lock().len()
    }

}
