use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PoolConfig {
    pub min_idle: usize,
    pub max_size: usize,
    pub idle_timeout: Duration,
    pub max_lifetime: Duration,
    pub checkout_timeout: Duration,
    pub validate_after: Duration,
}

#[derive(Debug, Clone)]
pub struct WalConfig {
    pub buffer_limit: usize,
    pub segment_bytes: usize,
    pub max_batch: usize,
    pub flush_interval: Duration,
}

#[derive(Debug, Clone)]
pub struct RouterConfig {
    pub shard_count: usize,
    pub buckets: usize,
    pub slow_threshold: Duration,
    pub byte_budget: u64,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub pool: PoolConfig,
    pub wal: WalConfig,
    pub router: RouterConfig,
    pub cache_capacity: usize,
    pub sql_templates: usize,
    pub key_space: i64,
    pub reaper_interval: Duration,
    pub operator_interval: Duration,
    pub scoped_workers: usize,
    pub batch_workers: usize,
    pub iterations: usize,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

impl Config {
    /// Built-in defaults, a few of which can be overridden from `DBPOOL_*`
    /// environment variables.
    pub fn from_env() -> Config {
        let ms = Duration::from_millis;
        Config {
            pool: PoolConfig {
                min_idle: 2,
                max_size: env_or("DBPOOL_POOL_SIZE", 6usize).max(2),
                idle_timeout: ms(400),
                max_lifetime: ms(800),
                checkout_timeout: ms(250),
                validate_after: ms(150),
            },
            wal: WalConfig { buffer_limit: 64 * 1024, segment_bytes: 16 * 1024, max_batch: 128, flush_interval: ms(20) },
            router: RouterConfig {
                shard_count: env_or("DBPOOL_SHARDS", 4usize).max(2),
                buckets: 64,
                slow_threshold: ms(env_or("DBPOOL_SLOW_MS", 5u64)),
                byte_budget: 48 * 1024,
            },
            cache_capacity: env_or("DBPOOL_CACHE", 32usize).max(1),
            sql_templates: 48,
            key_space: 10_000,
            reaper_interval: ms(100),
            operator_interval: ms(60),
            scoped_workers: env_or("DBPOOL_WORKERS", 6usize).max(1),
            batch_workers: env_or("DBPOOL_BATCH_WORKERS", 3usize),
            iterations: env_or("DBPOOL_ITERATIONS", 2_000usize),
        }
    }
}
