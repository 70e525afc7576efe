use std::path::PathBuf;
use std::time::Duration;

/// How a write is acknowledged with respect to the followers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicationMode {
    /// Writes return once they are in the local log.
    Async,
    /// Writes issued with the replicated flag wait for every live follower.
    SemiSync,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub shards: usize,
    pub followers: usize,
    pub replication_mode: ReplicationMode,
    pub max_lag: u64,
    pub checkpoint_every: u64,
    pub follower_fail_after: Option<u64>,
    pub sessions: usize,
    pub commands_per_session: usize,
    pub memory_limit: usize,
    pub segment_records: usize,
    pub compaction_workers: usize,
    pub compaction_min_segments: usize,
    pub wal_dir: Option<PathBuf>,
    pub snapshot_interval: Duration,
    pub sweep_interval: Duration,
    pub seed: u64,
    pub verbose: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            shards: 16,
            followers: 2,
            replication_mode: ReplicationMode::SemiSync,
            max_lag: 32,
            checkpoint_every: 64,
            follower_fail_after: Some(900),
            sessions: 6,
            commands_per_session: 400,
            memory_limit: 4 * 1024 * 1024,
            segment_records: 128,
            compaction_workers: 3,
            compaction_min_segments: 4,
            wal_dir: None,
            snapshot_interval: Duration::from_millis(40),
            sweep_interval: Duration::from_millis(15),
            seed: 0x5eed_1234,
            verbose: false,
        }
    }
}

impl Config {
    /// Parses `--key=value` style arguments on top of the defaults.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
        fn num<T: std::str::FromStr>(key: &str, v: &str) -> Result<T, String> {
            v.parse().map_err(|_| format!("invalid value `{v}` for {key}"))
        }
        let mut cfg = Config::default();
        for arg in args {
            let arg = arg.trim_start_matches("--");
            if arg == "verbose" {
                cfg.verbose = true;
                continue;
            }
            let (key, v) = arg
                .split_once('=')
                .ok_or_else(|| format!("expected key=value, got `{arg}`"))?;
            match key {
                "shards" => cfg.shards = num::<usize>(key, v)?.max(1),
                "followers" => cfg.followers = num(key, v)?,
                "async" => {
                    if num::<bool>(key, v)? {
                        cfg.replication_mode = ReplicationMode::Async;
                    }
                }
                "max-lag" => cfg.max_lag = num(key, v)?,
                "checkpoint-every" => cfg.checkpoint_every = num::<u64>(key, v)?.max(1),
                "follower-fail-after" => cfg.follower_fail_after = (v != "never").then(|| num(key, v)).transpose()?,
                "sessions" => cfg.sessions = num(key, v)?,
                "commands" => cfg.commands_per_session = num(key, v)?,
                "memory-limit" => cfg.memory_limit = num(key, v)?,
                "segment-records" => cfg.segment_records = num::<usize>(key, v)?.max(1),
                "wal-dir" => cfg.wal_dir = Some(PathBuf::from(v)),
                "snapshot-ms" => cfg.snapshot_interval = Duration::from_millis(num(key, v)?),
                "sweep-ms" => cfg.sweep_interval = Duration::from_millis(num(key, v)?),
                "seed" => cfg.seed = num(key, v)?,
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(cfg)
    }
}
