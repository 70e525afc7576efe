//! racecheck's exploration strategies against each other: schedules until the first failure of
//! each bug program, median and max over the seeds, for Random, PCT of depth 2 and 3, and the
//! default portfolio, with the portfolio's ratio to the best single strategy.
//!
//! Run: `cargo bench -p racecheck --bench strategies 2>/dev/null`. `BENCH_SEEDS` (default 20) and
//! `BENCH_CAP` (schedules before a seed counts as not found, default 100000) change the run.
//! Prints a Markdown table ready for BENCHMARKS.md. Schedule counts do not depend on the machine
//! or the worker count.

use std::panic;

use racecheck::explore::{Config, Strategy};

#[path = "support/programs.rs"]
mod programs;

use programs::env_number;

fn main() {
    // Failing schedules are the point: keep their panic messages off the terminal.
    panic::set_hook(Box::new(|_| {}));
    let seeds = env_number("BENCH_SEEDS", 20) as u64;
    let cap = env_number("BENCH_CAP", 100_000);
    let programs: [(&str, fn()); 6] = [
        ("ABBA deadlock", programs::abba),
        ("lost update (Shared)", programs::lost_update_shared),
        ("lost update (split lock)", programs::lost_update_split_lock),
        ("5 dining philosophers", programs::dining_philosophers),
        ("3-thread order", programs::three_thread_order),
        (
            "3-thread serial order, all under one lock",
            programs::serial_order,
        ),
    ];
    let singles = [
        ("Random", Strategy::Random),
        ("PCT d=2", Strategy::Pct { depth: 2 }),
        ("PCT d=3", Strategy::Pct { depth: 3 }),
    ];
    println!(
        "### Schedules to the first failure per strategy: median (max) over {seeds} seeds, cap {cap}\n"
    );
    println!(
        "| program | Random | PCT d=2 | PCT d=3 | portfolio (default) | portfolio ÷ best single |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, program) in programs {
        let single: Vec<Trials> = singles
            .iter()
            .map(|(_, strategy)| Trials::run(program, strategy, seeds, cap))
            .collect();
        let portfolio = Trials::run(program, &Strategy::Portfolio, seeds, cap);
        let best = single
            .iter()
            .map(Trials::median)
            .min()
            .expect("three strategies");
        let cells: Vec<String> = single.iter().map(Trials::cell).collect();
        println!(
            "| {name} | {} | {:.2}x |",
            [cells, vec![portfolio.cell()]].concat().join(" | "),
            portfolio.median() as f64 / best as f64
        );
    }
}

/// Schedules to the first failure of one program under one strategy, per seed; `cap` + 1 for a
/// seed that found nothing, so that misses rank above every hit.
struct Trials {
    schedules: Vec<usize>,
    cap: usize,
}

impl Trials {
    fn run(program: fn(), strategy: &Strategy, seeds: u64, cap: usize) -> Trials {
        let mut schedules: Vec<usize> = (0..seeds)
            .map(|seed| {
                let config = Config::default()
                    .schedules(cap)
                    .strategy(strategy.clone())
                    .seed(seed);
                let report = racecheck::explore(config, program);
                if report.is_clean() {
                    cap + 1
                } else {
                    report.schedules_run
                }
            })
            .collect();
        schedules.sort_unstable();
        Trials { schedules, cap }
    }

    fn median(&self) -> usize {
        self.schedules[self.schedules.len() / 2]
    }

    fn shown(&self, schedules: usize) -> String {
        if schedules > self.cap {
            format!(">{}", self.cap)
        } else {
            schedules.to_string()
        }
    }

    /// `median (max)`, and how many seeds missed when some did.
    fn cell(&self) -> String {
        let max = *self.schedules.last().expect("at least one seed");
        let missed = self.schedules.iter().filter(|&&n| n > self.cap).count();
        let mut cell = format!("{} ({})", self.shown(self.median()), self.shown(max));
        if missed > 0 {
            cell.push_str(&format!(" [{missed} missed]"));
        }
        cell
    }
}
