//! API SKELETON — the exploration engine's public surface (DESIGN.md "Exploration").
use crate::SourceLocation;

#[doc(hidden)]
pub mod harness;

/// How to explore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    Random,
    /// Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010).
    Pct { depth: usize },
    /// Preempt at these source locations (DeadlockFuzzer / RaceFuzzer style).
    Targeted(Vec<SourceLocation>),
    /// Re-run exactly the interleaving a replay token names.
    Replay(String),
}

/// Exploration settings; builder style.
#[derive(Debug, Clone)]
pub struct Config {
    pub schedules: usize,
    pub strategy: Strategy,
    pub seed: u64,
    pub max_steps: usize,
    /// Worker threads exploring schedules in parallel; 0 = every core.
    pub workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { schedules: 1000, strategy: Strategy::Random, seed: 0, max_steps: 100_000, workers: 0 }
    }
}

impl Config {
    pub fn schedules(mut self, n: usize) -> Self {
        self.schedules = n;
        self
    }
    pub fn strategy(mut self, s: Strategy) -> Self {
        self.strategy = s;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    pub fn max_steps(mut self, n: usize) -> Self {
        self.max_steps = n;
        self
    }
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n;
        self
    }
    /// These settings, overridden by `RACECHECK_SCHEDULES`, `RACECHECK_SEED`, `RACECHECK_STRATEGY`, `RACECHECK_REPLAY`.
    pub fn from_env(self) -> Result<Self, String> {
        unimplemented!()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FindingKind {
    Deadlock,
    DataRace,
    LockOrderCycle,
    Panic,
    StepLimit,
    Hang,
}

/// One step of a witness.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceEvent {
    pub step: usize,
    pub thread: String,
    pub operation: String,
    pub location: SourceLocation,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub message: String,
    pub threads: Vec<String>,
    pub locations: Vec<SourceLocation>,
    pub trace: Vec<TraceEvent>,
    pub replay_token: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub schedules_run: usize,
}

impl Report {
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

pub fn explore<F>(_config: Config, _body: F) -> Report
where
    F: Fn() + Send + Sync + 'static,
{
    unimplemented!()
}

pub fn replay<F>(_token: &str, _body: F) -> Report
where
    F: Fn() + Send + Sync + 'static,
{
    unimplemented!()
}
