use std::str::FromStr;
use std::time::Duration;

/// Runtime configuration of the daemon.
#[derive(Clone, Debug)]
pub struct Config {
    pub shards: usize,
    pub ingest_workers: usize,
    pub ingest_queue: usize,
    pub listeners: usize,
    pub exporters: usize,
    pub export_queue: usize,
    pub alert_partitions: usize,
    pub flush_interval: Duration,
    pub evict_interval: Duration,
    pub alert_interval: Duration,
    pub stale_after: Duration,
    pub history_retention: Duration,
    pub max_series: usize,
    pub default_quota: u64,
    pub credit_slots: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            shards: 8,
            ingest_workers: 4,
            ingest_queue: 1024,
            listeners: 3,
            exporters: 2,
            export_queue: 32,
            alert_partitions: 3,
            flush_interval: Duration::from_millis(250),
            evict_interval: Duration::from_millis(400),
            alert_interval: Duration::from_millis(300),
            stale_after: Duration::from_millis(1500),
            history_retention: Duration::from_secs(60),
            max_series: 96,
            default_quota: 1_000,
            credit_slots: 16,
        }
    }
}

impl Config {
    /// Builds a configuration from `--key=value` arguments on top of the defaults.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Self, String> {
        let mut cfg = Config::default();
        for arg in args {
            let trimmed = arg.trim_start_matches("--");
            let (k, v) = trimmed
                .split_once('=')
                .ok_or_else(|| format!("expected --key=value, got {arg}"))?;
            match k {
                "shards" => cfg.shards = parse_num(k, v)?,
                "ingest-workers" => cfg.ingest_workers = parse_num(k, v)?,
                "ingest-queue" => cfg.ingest_queue = parse_num(k, v)?,
                "listeners" => cfg.listeners = parse_num(k, v)?,
                "exporters" => cfg.exporters = parse_num(k, v)?,
                "export-queue" => cfg.export_queue = parse_num(k, v)?,
                "alert-partitions" => cfg.alert_partitions = parse_num(k, v)?,
                "flush-interval-ms" => cfg.flush_interval = parse_ms(k, v)?,
                "evict-interval-ms" => cfg.evict_interval = parse_ms(k, v)?,
                "alert-interval-ms" => cfg.alert_interval = parse_ms(k, v)?,
                "stale-after-ms" => cfg.stale_after = parse_ms(k, v)?,
                "history-retention-ms" => cfg.history_retention = parse_ms(k, v)?,
                "max-series" => cfg.max_series = parse_num(k, v)?,
                "default-quota" => cfg.default_quota = parse_num(k, v)?,
                "credit-slots" => cfg.credit_slots = parse_num(k, v)?,
                _ => return Err(format!("unknown option --{k}")),
            }
        }
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.shards == 0 {
            return Err("shards must be positive".into());
        }
        if self.ingest_workers == 0 || self.exporters == 0 {
            return Err("need at least one ingest worker and one exporter".into());
        }
        if self.credit_slots == 0 {
            return Err("credit-slots must be positive".into());
        }
        if self.max_series < self.shards {
            return Err("max-series must be at least the shard count".into());
        }
        Ok(())
    }

    /// Number of service-owned threads that report readiness on start.
    pub fn service_threads(&self) -> usize {
        // ingest workers + exporters + flusher + evictor + alert evaluator + admin
        self.ingest_workers + self.exporters + 4
    }
}

fn parse_num<T: FromStr>(key: &str, v: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    v.parse::<T>().map_err(|e| format!("--{key}: {e}"))
}

fn parse_ms(key: &str, v: &str) -> Result<Duration, String> {
    parse_num::<u64>(key, v).map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_defaults() {
        let cfg = Config::from_args(vec!["--shards=16".to_string(), "--max-series=64".to_string()]).unwrap();
        assert_eq!(cfg.shards, 16);
        assert_eq!(cfg.max_series, 64);
    }

    #[test]
    fn rejects_unknown() {
        assert!(Config::from_args(vec!["--bogus=1".to_string()]).is_err());
    }
}
