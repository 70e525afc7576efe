use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct WebConfig {
    pub hosts: usize,
    pub pages_per_host: usize,
    pub error_per_mille: u32,
    pub min_latency_ms: u64,
    pub max_latency_ms: u64,
    pub seed: u64,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub fetchers: usize,
    pub parsers: usize,
    pub max_pages: usize,
    pub graph_capacity: usize,
    pub fetch_queue_capacity: usize,
    pub parse_backlog: usize,
    pub politeness: Duration,
    pub per_host_cap: usize,
    pub max_depth: usize,
    pub max_host_errors: u32,
    pub max_attempts: u32,
    pub retry_backoff: Duration,
    pub rate_per_sec: u32,
    pub burst: u32,
    pub robots_ttl: Duration,
    pub report_interval: Duration,
    pub housekeeping_interval: Duration,
    pub host_idle_after: Duration,
    pub max_plugin_failures: u32,
    pub run_limit: Duration,
    pub user_agent: String,
    pub seeds: Vec<String>,
    pub disabled_plugins: Vec<String>,
    pub web: WebConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            fetchers: 8,
            parsers: 4,
            max_pages: 600,
            graph_capacity: 8192,
            fetch_queue_capacity: 16,
            parse_backlog: 64,
            politeness: Duration::from_millis(20),
            per_host_cap: 256,
            max_depth: 6,
            max_host_errors: 4,
            max_attempts: 3,
            retry_backoff: Duration::from_millis(40),
            rate_per_sec: 400,
            burst: 40,
            robots_ttl: Duration::from_secs(2),
            report_interval: Duration::from_millis(250),
            housekeeping_interval: Duration::from_millis(150),
            host_idle_after: Duration::from_millis(800),
            max_plugin_failures: 50,
            run_limit: Duration::from_secs(30),
            user_agent: "blindcrawl/0.1".to_string(),
            seeds: Vec::new(),
            disabled_plugins: Vec::new(),
            web: WebConfig {
                hosts: 40,
                pages_per_host: 60,
                error_per_mille: 30,
                min_latency_ms: 1,
                max_latency_ms: 8,
                seed: 0x5eed_c0de,
            },
        }
    }
}

impl Config {
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
        let mut cfg = Config::default();
        for arg in args {
            let (key, value) = match arg.strip_prefix("--").and_then(|a| a.split_once('=')) {
                Some(kv) => kv,
                None => return Err(format!("unrecognised argument `{}`", arg)),
            };
            match key {
                "fetchers" => cfg.fetchers = parse_num(key, value)?,
                "parsers" => cfg.parsers = parse_num(key, value)?,
                "max-pages" => cfg.max_pages = parse_num(key, value)?,
                "queue" => cfg.fetch_queue_capacity = parse_num(key, value)?,
                "rate" => cfg.rate_per_sec = parse_num(key, value)?,
                "robots-ttl-ms" => cfg.robots_ttl = Duration::from_millis(parse_num(key, value)?),
                "run-secs" => cfg.run_limit = Duration::from_secs(parse_num(key, value)?),
                "hosts" => cfg.web.hosts = parse_num(key, value)?,
                "error-rate" => cfg.web.error_per_mille = parse_num(key, value)?,
                "seed" => cfg.seeds.push(value.to_string()),
                "disable" => cfg.disabled_plugins.extend(value.split(',').map(|s| s.trim().to_string())),
                _ => return Err(format!("unknown option `--{}`", key)),
            }
        }
        if cfg.seeds.is_empty() {
            cfg.seeds = (0..cfg.web.hosts.min(4))
                .map(|i| format!("http://site{}.test/", i))
                .collect();
        }
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if self.fetchers == 0 || self.parsers == 0 || self.fetch_queue_capacity == 0 {
            return Err("fetchers, parsers and queue capacity must be positive".into());
        }
        if self.graph_capacity < self.max_pages || self.rate_per_sec == 0 {
            return Err("graph capacity must cover max-pages and rate must be positive".into());
        }
        Ok(())
    }
}

fn parse_num<T: FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse::<T>()
        .map_err(|_| format!("option `--{}` expects a number, got `{}`", key, value))
}
