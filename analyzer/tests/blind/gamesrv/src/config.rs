use std::env;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub region_count: usize,
    pub region_width: f32,
    pub region_height: f32,
    pub tick_rate_hz: u32,
    pub max_ticks: u64,
    pub npc_capacity: usize,
    pub spawn_every: u64,
    pub spawn_wave_size: usize,
    pub rebalance_every: u64,
    pub snapshot_every: u64,
    pub leaderboard_every: u64,
    pub clients: usize,
    pub rounds_per_client: usize,
    pub guest_every: usize,
    pub persistence_queue: usize,
    pub chat_buffer: usize,
    pub match_duration_ms: u64,
    pub casual_wait_ms: u64,
    pub starting_gold: u64,
    pub kill_reward: u64,
    pub match_reward: u64,
    pub max_speed: f32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            region_count: 4,
            region_width: 200.0,
            region_height: 200.0,
            tick_rate_hz: 50,
            max_ticks: 600,
            npc_capacity: 24,
            spawn_every: 20,
            spawn_wave_size: 6,
            rebalance_every: 50,
            snapshot_every: 10,
            leaderboard_every: 100,
            clients: 8,
            rounds_per_client: 40,
            guest_every: 3,
            persistence_queue: 2,
            chat_buffer: 32,
            match_duration_ms: 30,
            casual_wait_ms: 250,
            starting_gold: 100,
            kill_reward: 5,
            match_reward: 40,
            max_speed: 12.0,
        }
    }
}

impl ServerConfig {
    /// Defaults, with the player count and run length overridable from the environment.
    pub fn from_env() -> Self {
        let read = |key: &str| env::var(key).ok().and_then(|v| v.trim().parse::<u64>().ok());
        let mut cfg = ServerConfig::default();
        cfg.clients = read("GAMESRV_CLIENTS").map_or(cfg.clients, |v| v as usize);
        cfg.max_ticks = read("GAMESRV_TICKS").unwrap_or(cfg.max_ticks);
        cfg.rounds_per_client = read("GAMESRV_ROUNDS").map_or(cfg.rounds_per_client, |v| v as usize);
        cfg
    }

    pub fn tick_interval(&self) -> Duration {
        Duration::from_micros(1_000_000 / self.tick_rate_hz.max(1) as u64)
    }

    pub fn dt(&self) -> f32 {
        1.0 / self.tick_rate_hz.max(1) as f32
    }
}
