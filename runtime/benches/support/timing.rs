//! The timing helper of racecheck's benchmarks (`harness = false` binaries, no criterion).
//!
//! The machine the benchmarks run on is small and shared, so absolute figures drift from one
//! minute to the next. Two rules keep the comparisons honest: every case of a comparison is
//! measured in the same run, round-robin (one sample of each case per round), so drift hits all
//! cases alike; and each case is summarised by its median with the full min–max spread, so a noisy
//! figure shows as noisy instead of hiding behind a mean.
//!
//! Shared by the runtime's and the analyzer's bench binaries (the analyzer includes this file by
//! path), so both report in one shape without a crate of its own.

use std::time::{Duration, Instant};

/// How many rounds to run: `BENCH_WARMUP` rounds whose samples are discarded, then `BENCH_REPS`
/// measured rounds.
#[derive(Debug, Clone, Copy)]
pub struct Rounds {
    pub warmup: usize,
    pub measured: usize,
}

impl Rounds {
    /// The given defaults, overridden by the `BENCH_WARMUP` and `BENCH_REPS` environment
    /// variables when they hold a number (at least one measured round is always run).
    pub fn from_env(warmup: usize, measured: usize) -> Rounds {
        let read = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(default)
        };
        Rounds {
            warmup: read("BENCH_WARMUP", warmup),
            measured: read("BENCH_REPS", measured).max(1),
        }
    }
}

/// Median and extremes of the samples of one case, in the case's own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    /// Summarises a non-empty set of samples.
    pub fn of(samples: &[f64]) -> Summary {
        assert!(!samples.is_empty(), "a summary needs at least one sample");
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[mid]
        } else {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        };
        Summary {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        }
    }
}

/// The median over rounds of `numerator[i] / denominator[i]`: two cases compared round by round,
/// so that a round in which the machine was busy weighs on both sides of its own ratio only.
pub fn paired_ratio(numerator: &[f64], denominator: &[f64]) -> f64 {
    let ratios: Vec<f64> = numerator
        .iter()
        .zip(denominator)
        .map(|(n, d)| n / d)
        .collect();
    Summary::of(&ratios).median
}

/// One contender of a comparison: `run` performs the work once and returns the time of the part
/// that is measured (set-up such as building inputs or spawning a pool stays outside it).
pub struct Case<'a> {
    pub name: String,
    pub run: Box<dyn FnMut() -> Duration + 'a>,
}

impl<'a> Case<'a> {
    pub fn new(name: impl Into<String>, run: impl FnMut() -> Duration + 'a) -> Case<'a> {
        Case {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// Runs every case once per round, warm-up rounds first, and returns the measured durations of
/// each case, in the order of `cases`. Each round's times go to stderr as it ends, so a long run
/// shows its progress and a noisy round can be spotted.
pub fn run_round_robin(rounds: Rounds, cases: &mut [Case<'_>]) -> Vec<Vec<Duration>> {
    let mut samples = vec![Vec::with_capacity(rounds.measured); cases.len()];
    for round in 0..rounds.warmup + rounds.measured {
        let mut progress = if round < rounds.warmup {
            format!("  warm-up {}/{}:", round + 1, rounds.warmup)
        } else {
            format!("  round {}/{}:", round - rounds.warmup + 1, rounds.measured)
        };
        for (case, taken) in cases.iter_mut().zip(&mut samples) {
            let elapsed = (case.run)();
            progress.push_str(&format!(" {} {:.1?};", case.name, elapsed));
            if round >= rounds.warmup {
                taken.push(elapsed);
            }
        }
        eprintln!("{}", progress.trim_end_matches(';'));
    }
    samples
}

/// Times `work`, returning its result and how long it took.
pub fn time<R>(work: impl FnOnce() -> R) -> (R, Duration) {
    let start = Instant::now();
    let result = work();
    (result, start.elapsed())
}
