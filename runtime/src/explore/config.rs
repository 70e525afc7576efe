//! How to explore: the strategy, the number of schedules, the seed and the limits, with the
//! `RACECHECK_*` environment overrides.

use std::time::Duration;

use crate::SourceLocation;

use super::partition::Partition;
use super::token;

/// The variable that holds a replay token; it wins over the strategy.
pub(crate) const REPLAY_VAR: &str = "RACECHECK_REPLAY";

/// How to explore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// Every scheduling decision drawn uniformly among the threads that can run.
    Random,
    /// Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010).
    Pct {
        /// The bug depth aimed at: `depth - 1` priority changes per schedule.
        depth: usize,
    },
    /// Preempt at these source locations (DeadlockFuzzer / RaceFuzzer style).
    Targeted(Vec<SourceLocation>),
    /// The default: Random and PCT of depths 3 and 2 taking equal turns by schedule index, each
    /// turn the schedule that strategy runs alone: a bug is found within 3 times the schedules
    /// the best of the three needs alone, for every seed, without choosing between them.
    Portfolio,
    /// Every interleaving up to equivalence, by a depth-first search with dynamic partial-order
    /// reduction; with a bound, only the schedules with at most that many preemptions. A run
    /// that finishes proves the program free of what exploration detects, within the bound.
    Exhaustive {
        /// Preemptions a schedule may make (`None`: any number).
        preemption_bound: Option<usize>,
    },
    /// Re-run exactly the interleaving a replay token names.
    Replay(String),
}

impl std::fmt::Display for Strategy {
    /// The strategy as `RACECHECK_STRATEGY` names it (`pct:3`, `exhaustive:2`, …); a replay is
    /// `replay`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Strategy::Random => f.write_str("random"),
            Strategy::Pct { depth } => write!(f, "pct:{depth}"),
            Strategy::Portfolio => f.write_str("portfolio"),
            Strategy::Exhaustive {
                preemption_bound: None,
            } => f.write_str("exhaustive"),
            Strategy::Exhaustive {
                preemption_bound: Some(bound),
            } => write!(f, "exhaustive:{bound}"),
            Strategy::Targeted(targets) => {
                f.write_str("targeted:")?;
                for (index, target) in targets.iter().enumerate() {
                    let comma = if index > 0 { "," } else { "" };
                    write!(f, "{comma}{}:{}", target.file, target.line)?;
                    if target.column > 0 {
                        write!(f, ":{}", target.column)?;
                    }
                }
                Ok(())
            }
            Strategy::Replay(_) => f.write_str("replay"),
        }
    }
}

/// The depth `RACECHECK_STRATEGY=pct` means: bugs needing up to two preemptions.
pub const DEFAULT_PCT_DEPTH: usize = 3;

/// Exploration settings; builder style.
#[derive(Debug, Clone)]
pub struct Config {
    /// How many schedules to run (a replay runs one).
    pub schedules: usize,
    /// How each schedule picks its interleaving.
    pub strategy: Strategy,
    /// With the schedule's index, fixes every choice of a schedule.
    pub seed: u64,
    /// Operations after which a schedule is stopped as a livelock or runaway loop.
    pub max_steps: usize,
    /// Worker threads exploring schedules in parallel; 0 = every core.
    pub workers: usize,
    /// Bytes of stack each logical thread gets: by default what a real thread gets
    /// (`RUST_MIN_STACK` if set, else 2 MiB). Only address space is reserved up front.
    pub stack_size: usize,
    /// How long no logical thread may make progress before exploration ends with a message
    /// naming the thread stuck outside racecheck (a `std` mutex, a real sleep or channel, I/O);
    /// `None` waits forever. It only detects a stall: no schedule depends on it.
    pub stall_timeout: Option<Duration>,
    /// Which share of the schedules to run (`k/N`); by default all of them.
    pub partition: Partition,
    /// Wall time after which no new schedule starts; `None`: no limit. It only decides when to
    /// stop: a run it stops reports how far it got (an exhaustive search says it is incomplete).
    pub time_budget: Option<Duration>,
}

/// The smallest [`Config::stack_size`] accepted: room for the engine's own frames.
pub const MIN_STACK_SIZE: usize = 64 << 10;
/// The largest [`Config::stack_size`] accepted (64 GiB): each logical thread reserves this
/// much address space, and sizes near `usize::MAX` overflow the stack's own arithmetic.
pub const MAX_STACK_SIZE: usize = 64 << 30;

/// A std thread's stack: `RUST_MIN_STACK` when it holds a number, else 2 MiB.
fn real_thread_stack_size() -> usize {
    std::env::var("RUST_MIN_STACK")
        .ok()
        .and_then(|value| parse_number(&value))
        .unwrap_or(2 << 20)
}

impl Default for Config {
    fn default() -> Self {
        Config {
            schedules: 1000,
            strategy: Strategy::Portfolio,
            seed: 0,
            max_steps: 100_000,
            workers: 0,
            stack_size: real_thread_stack_size(),
            stall_timeout: Some(Duration::from_secs(30)),
            partition: Partition::WHOLE,
            time_budget: None,
        }
    }
}

impl Config {
    /// Sets [`Config::schedules`].
    pub fn schedules(mut self, n: usize) -> Self {
        self.schedules = n;
        self
    }
    /// Sets [`Config::strategy`].
    pub fn strategy(mut self, s: Strategy) -> Self {
        self.strategy = s;
        self
    }
    /// Sets [`Config::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets [`Config::max_steps`].
    pub fn max_steps(mut self, n: usize) -> Self {
        self.max_steps = n;
        self
    }
    /// Sets [`Config::workers`].
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n;
        self
    }
    /// Sets [`Config::stack_size`], in bytes.
    pub fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = bytes;
        self
    }
    /// Sets [`Config::stall_timeout`].
    pub fn stall_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.stall_timeout = timeout;
        self
    }
    /// Sets [`Config::partition`]: share `shard` (from 1) of `shards`. Values that name no
    /// share (`0/N`, `k > N`) make `explore` panic with the reason.
    pub fn partition(mut self, shard: usize, shards: usize) -> Self {
        self.partition = Partition { shard, shards };
        self
    }
    /// Sets [`Config::time_budget`].
    pub fn time_budget(mut self, budget: Option<Duration>) -> Self {
        self.time_budget = budget;
        self
    }

    /// `Err` naming the setting when a value makes no exploration possible.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.schedules == 0 {
            return Err("`schedules` is 0: explore at least one schedule".into());
        }
        if self.max_steps == 0 {
            return Err("`max_steps` is 0: a schedule needs at least one step".into());
        }
        let Partition { shard, shards } = self.partition;
        Partition::new(shard, shards).map_err(|error| format!("`partition`: {error}"))?;
        if self.stack_size < MIN_STACK_SIZE {
            return Err(format!(
                "`stack_size` is {} bytes: a logical thread needs at least {MIN_STACK_SIZE}",
                self.stack_size
            ));
        }
        if self.stack_size > MAX_STACK_SIZE {
            return Err(format!(
                "`stack_size` is {} bytes: at most {MAX_STACK_SIZE} is accepted",
                self.stack_size
            ));
        }
        Ok(())
    }

    /// These settings, overridden by `RACECHECK_SCHEDULES`, `RACECHECK_SEED`, `RACECHECK_STRATEGY`
    /// (`portfolio`, `random`, `pct`, `pct:<depth>`, `exhaustive`, `exhaustive:<bound>`,
    /// `targeted:<file>:<line>[:<column>],…`),
    /// `RACECHECK_REPLAY` (a replay token, or `@PATH` of a file holding one; it wins over the
    /// strategy), `RACECHECK_STACK_SIZE` (bytes), `RACECHECK_STALL_TIMEOUT` (seconds, 0 = wait
    /// forever), `RACECHECK_PARTITION` (`k/N`) and `RACECHECK_TIME_BUDGET` (seconds). An unset or empty
    /// variable changes nothing; a malformed one is an `Err` naming the variable and what it
    /// accepts.
    pub fn from_env(self) -> Result<Self, String> {
        self.with_overrides(|name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))
    }

    /// [`Config::from_env`] over any source of variables, so the parsing is testable without
    /// touching the process environment.
    pub(crate) fn with_overrides(
        mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        if let Some(value) = var("RACECHECK_SCHEDULES") {
            self.schedules = parse_number(&value)
                .filter(|&n: &usize| n > 0)
                .ok_or_else(|| {
                    format!("RACECHECK_SCHEDULES must be a positive whole number, not {value:?}")
                })?;
        }
        if let Some(value) = var("RACECHECK_SEED") {
            self.seed = parse_number(&value).ok_or_else(|| {
                format!(
                    "RACECHECK_SEED must be a whole number from 0 to {}, not {value:?}",
                    u64::MAX
                )
            })?;
        }
        if let Some(value) = var("RACECHECK_STACK_SIZE") {
            self.stack_size = parse_number(&value)
                .filter(|n: &usize| (MIN_STACK_SIZE..=MAX_STACK_SIZE).contains(n))
                .ok_or_else(|| {
                    format!(
                        "RACECHECK_STACK_SIZE must be a number of bytes from {MIN_STACK_SIZE} to {MAX_STACK_SIZE}, not {value:?}"
                    )
                })?;
        }
        if let Some(value) = var("RACECHECK_STALL_TIMEOUT") {
            let seconds: u64 = parse_number(&value).ok_or_else(|| {
                format!(
                    "RACECHECK_STALL_TIMEOUT must be a whole number of seconds (0: wait forever), not {value:?}"
                )
            })?;
            self.stall_timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
        }
        if let Some(value) = var("RACECHECK_PARTITION") {
            self.partition = value
                .parse()
                .map_err(|error| format!("RACECHECK_PARTITION: {error}"))?;
        }
        if let Some(value) = var("RACECHECK_TIME_BUDGET") {
            let seconds: u64 = parse_number(&value).filter(|&n| n > 0).ok_or_else(|| {
                format!("RACECHECK_TIME_BUDGET must be a positive whole number of seconds, not {value:?}")
            })?;
            self.time_budget = Some(Duration::from_secs(seconds));
        }
        if let Some(value) = var("RACECHECK_STRATEGY") {
            self.strategy = parse_strategy(&value)?;
        }
        if let Some(value) = var(REPLAY_VAR) {
            let token =
                token::read_token(&value).map_err(|error| format!("{REPLAY_VAR} {error}"))?;
            self.strategy = Strategy::Replay(token);
        }
        Ok(self)
    }
}

fn parse_number<N: std::str::FromStr>(value: &str) -> Option<N> {
    value.trim().parse().ok()
}

/// `portfolio`, `random`, `pct`, `pct:<depth>` (depth >= 1), `exhaustive`, `exhaustive:<bound>`,
/// or `targeted:<file>:<line>[:<col>],…`.
fn parse_strategy(value: &str) -> Result<Strategy, String> {
    let value = value.trim();
    let expected = || {
        format!(
            "RACECHECK_STRATEGY must be `portfolio`, `random`, `pct`, `pct:<depth>` (depth >= 1), \
             `exhaustive`, `exhaustive:<preemption bound>` or `targeted:<file>:<line>[:<column>],…`, \
             not {value:?}"
        )
    };
    match value.split_once(':') {
        None if value.eq_ignore_ascii_case("portfolio") => Ok(Strategy::Portfolio),
        None if value.eq_ignore_ascii_case("random") => Ok(Strategy::Random),
        None if value.eq_ignore_ascii_case("pct") => Ok(Strategy::Pct {
            depth: DEFAULT_PCT_DEPTH,
        }),
        Some((name, depth)) if name.eq_ignore_ascii_case("pct") => parse_number(depth)
            .filter(|&d: &usize| d >= 1)
            .map(|depth| Strategy::Pct { depth })
            .ok_or_else(expected),
        None if value.eq_ignore_ascii_case("exhaustive") => Ok(Strategy::Exhaustive {
            preemption_bound: None,
        }),
        Some((name, bound)) if name.eq_ignore_ascii_case("exhaustive") => parse_number(bound)
            .map(|bound| Strategy::Exhaustive {
                preemption_bound: Some(bound),
            })
            .ok_or_else(expected),
        Some((name, targets)) if name.eq_ignore_ascii_case("targeted") => targets
            .split(',')
            .map(parse_location)
            .collect::<Option<Vec<_>>>()
            .filter(|targets| !targets.is_empty())
            .map(Strategy::Targeted)
            .ok_or_else(expected),
        _ => Err(expected()),
    }
}

/// `<file>:<line>` or `<file>:<line>:<column>`, read from the right so that the file may itself
/// contain colons (`C:\src\main.rs:7:5`).
fn parse_location(text: &str) -> Option<SourceLocation> {
    let text = text.trim();
    let (rest, last) = text.rsplit_once(':')?;
    let last: u32 = parse_number(last)?;
    let (file, line, column) = match rest
        .rsplit_once(':')
        .map(|(file, line)| (file, parse_number(line)))
    {
        Some((file, Some(line))) => (file, line, last),
        _ => (rest, last, 0),
    };
    (!file.is_empty() && line > 0).then(|| SourceLocation {
        file: file.to_owned(),
        line,
        column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overridden(vars: &[(&str, &str)]) -> Result<Config, String> {
        Config::default().with_overrides(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn no_variables_change_nothing() {
        let config = overridden(&[]).unwrap();
        assert_eq!(config.schedules, 1000);
        assert_eq!(config.strategy, Strategy::Portfolio);
        assert_eq!(overridden(&[("RACECHECK_SEED", "")]).unwrap().seed, 0);
    }

    #[test]
    fn variables_override_the_settings() {
        let config = overridden(&[
            ("RACECHECK_SCHEDULES", "250"),
            ("RACECHECK_SEED", " 42 "),
            ("RACECHECK_STRATEGY", "pct:5"),
        ])
        .unwrap();
        assert_eq!((config.schedules, config.seed), (250, 42));
        assert_eq!(config.strategy, Strategy::Pct { depth: 5 });
        assert_eq!(
            overridden(&[("RACECHECK_STRATEGY", "PCT")])
                .unwrap()
                .strategy,
            Strategy::Pct { depth: 3 }
        );
        assert_eq!(
            overridden(&[("RACECHECK_STRATEGY", "random")])
                .unwrap()
                .strategy,
            Strategy::Random
        );
        assert_eq!(
            overridden(&[("RACECHECK_STRATEGY", "portfolio")])
                .unwrap()
                .strategy,
            Strategy::Portfolio
        );
        assert_eq!(
            overridden(&[("RACECHECK_STRATEGY", "exhaustive")])
                .unwrap()
                .strategy,
            Strategy::Exhaustive {
                preemption_bound: None
            }
        );
        assert_eq!(
            overridden(&[("RACECHECK_STRATEGY", "exhaustive:2")])
                .unwrap()
                .strategy,
            Strategy::Exhaustive {
                preemption_bound: Some(2)
            }
        );
    }

    #[test]
    fn a_strategy_displays_as_the_variable_names_it() {
        for text in [
            "random",
            "pct:3",
            "portfolio",
            "exhaustive",
            "exhaustive:2",
            "targeted:src/main.rs:12:5,lib.rs:7",
        ] {
            assert_eq!(parse_strategy(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn targeted_takes_a_list_of_locations() {
        let config = overridden(&[(
            "RACECHECK_STRATEGY",
            "targeted:src/main.rs:12:5, C:\\w\\lib.rs:7",
        )])
        .unwrap();
        let location = |file: &str, line, column| SourceLocation {
            file: file.to_owned(),
            line,
            column,
        };
        assert_eq!(
            config.strategy,
            Strategy::Targeted(vec![
                location("src/main.rs", 12, 5),
                location("C:\\w\\lib.rs", 7, 0)
            ])
        );
        for bad in [
            "targeted:",
            "targeted:main.rs",
            "targeted:main.rs:x",
            "targeted::3",
        ] {
            assert!(overridden(&[("RACECHECK_STRATEGY", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn stack_size_and_stall_timeout_come_from_the_environment() {
        let config = overridden(&[
            ("RACECHECK_STACK_SIZE", "8388608"),
            ("RACECHECK_STALL_TIMEOUT", "5"),
        ])
        .unwrap();
        assert_eq!(config.stack_size, 8 << 20);
        assert_eq!(config.stall_timeout, Some(Duration::from_secs(5)));
        let forever = overridden(&[("RACECHECK_STALL_TIMEOUT", "0")]).unwrap();
        assert_eq!(forever.stall_timeout, None);
        assert_eq!(
            overridden(&[("RACECHECK_STACK_SIZE", "4096")]).unwrap_err(),
            "RACECHECK_STACK_SIZE must be a number of bytes from 65536 to 68719476736, not \"4096\""
        );
        assert!(overridden(&[("RACECHECK_STACK_SIZE", &usize::MAX.to_string())]).is_err());
        assert_eq!(
            Config::default()
                .stack_size(usize::MAX)
                .validate()
                .unwrap_err(),
            "`stack_size` is 18446744073709551615 bytes: at most 68719476736 is accepted"
        );
        assert!(overridden(&[("RACECHECK_STALL_TIMEOUT", "soon")])
            .unwrap_err()
            .starts_with("RACECHECK_STALL_TIMEOUT must be a whole number of seconds"));
    }

    #[test]
    fn settings_that_allow_no_exploration_are_errors() {
        assert_eq!(Config::default().validate(), Ok(()));
        assert_eq!(
            Config::default().schedules(0).validate().unwrap_err(),
            "`schedules` is 0: explore at least one schedule"
        );
        assert_eq!(
            Config::default().max_steps(0).validate().unwrap_err(),
            "`max_steps` is 0: a schedule needs at least one step"
        );
        assert_eq!(
            Config::default().stack_size(1000).validate().unwrap_err(),
            "`stack_size` is 1000 bytes: a logical thread needs at least 65536"
        );
    }

    #[test]
    fn partition_and_time_budget_come_from_the_environment() {
        let config = overridden(&[
            ("RACECHECK_PARTITION", "2/3"),
            ("RACECHECK_TIME_BUDGET", "90"),
        ])
        .unwrap();
        assert_eq!(config.partition, Partition::new(2, 3).unwrap());
        assert_eq!(config.time_budget, Some(Duration::from_secs(90)));
        assert_eq!(overridden(&[]).unwrap().partition, Partition::WHOLE);
        assert_eq!(
            overridden(&[("RACECHECK_PARTITION", "4/3")]).unwrap_err(),
            "RACECHECK_PARTITION: partition 4/3 names no share: k must be from 1 to 3"
        );
        assert_eq!(
            overridden(&[("RACECHECK_PARTITION", "half")]).unwrap_err(),
            "RACECHECK_PARTITION: a partition is `k/N` (share k of N, 1 <= k <= N), not \"half\""
        );
        assert_eq!(
            overridden(&[("RACECHECK_TIME_BUDGET", "0")]).unwrap_err(),
            "RACECHECK_TIME_BUDGET must be a positive whole number of seconds, not \"0\""
        );
    }

    #[test]
    fn a_partition_naming_no_share_is_an_error() {
        assert_eq!(Config::default().partition(2, 2).validate(), Ok(()));
        assert_eq!(
            Config::default().partition(0, 2).validate().unwrap_err(),
            "`partition`: partition 0/2 names no share: k must be from 1 to 2"
        );
        assert_eq!(
            Config::default().partition(1, 0).validate().unwrap_err(),
            "`partition`: partition 1/0 has no shares: N must be at least 1"
        );
    }

    #[test]
    fn a_replay_token_selects_replay() {
        let token = token::encode(500, &[1, 0, 2]);
        let config =
            overridden(&[("RACECHECK_STRATEGY", "pct"), ("RACECHECK_REPLAY", &token)]).unwrap();
        assert_eq!(config.strategy, Strategy::Replay(token.clone()));

        let file =
            std::env::temp_dir().join(format!("racecheck-config-{}.token", std::process::id()));
        std::fs::write(&file, format!("{token}\n")).unwrap();
        let from_file = overridden(&[("RACECHECK_REPLAY", &format!("@{}", file.display()))]);
        std::fs::remove_file(&file).unwrap();
        assert_eq!(from_file.unwrap().strategy, Strategy::Replay(token));
    }

    #[test]
    fn malformed_values_are_errors_naming_the_variable() {
        let cases = [
            ("RACECHECK_SCHEDULES", "many", "RACECHECK_SCHEDULES must be a positive whole number, not \"many\""),
            ("RACECHECK_SCHEDULES", "0", "RACECHECK_SCHEDULES must be a positive whole number, not \"0\""),
            ("RACECHECK_SEED", "-1", "RACECHECK_SEED must be a whole number from 0 to 18446744073709551615, not \"-1\""),
            (
                "RACECHECK_STRATEGY",
                "pct:0",
                "RACECHECK_STRATEGY must be `portfolio`, `random`, `pct`, `pct:<depth>` (depth >= 1), `exhaustive`, `exhaustive:<preemption bound>` or `targeted:<file>:<line>[:<column>],…`, not \"pct:0\"",
            ),
            (
                "RACECHECK_STRATEGY",
                "exhaustive:x",
                "RACECHECK_STRATEGY must be `portfolio`, `random`, `pct`, `pct:<depth>` (depth >= 1), `exhaustive`, `exhaustive:<preemption bound>` or `targeted:<file>:<line>[:<column>],…`, not \"exhaustive:x\"",
            ),
            (
                "RACECHECK_STRATEGY",
                "dfs",
                "RACECHECK_STRATEGY must be `portfolio`, `random`, `pct`, `pct:<depth>` (depth >= 1), `exhaustive`, `exhaustive:<preemption bound>` or `targeted:<file>:<line>[:<column>],…`, not \"dfs\"",
            ),
        ];
        for (name, value, message) in cases {
            assert_eq!(overridden(&[(name, value)]).unwrap_err(), message);
        }
        let error = overridden(&[("RACECHECK_REPLAY", "rc9:xyz")]).unwrap_err();
        assert!(
            error.starts_with("RACECHECK_REPLAY is not a replay token: "),
            "{error}"
        );
    }
}
