//! Sharding over processes: a program explored whole in one process (one worker), then as shares
//! 1/N..N/N in N processes at once (this bench re-running itself with `RACECHECK_BENCH_SHARE`).
//! Target: the N processes finish within 1.2x of 1/N of the unsharded time. Two explorations of
//! `T` threads each taking one shared lock `R` times: Random sampling (shares by schedule index)
//! and the exhaustive search with a preemption bound (shares by subtree of the search). Each
//! share's schedules are printed, and the shares' interleavings summed to check that together
//! they ran the whole search. Times are wall, and CPU of the thread exploring (the slowest
//! share's): on a machine shared with other work, N processes rarely get N cores, and CPU time
//! is the figure that does not depend on the load.
//!
//! Run: `cargo bench -p racecheck --bench shards` (N = `BENCH_SHARES`, default the number of
//! cores, at least 2; `BENCH_ROUNDS`: another `R` for both explorations, to measure them longer;
//! `BENCH_ONLY=n`: only row `n`, from 0). Prints a Markdown table ready for BENCHMARKS.md.

use std::process::{Command, Stdio};
use std::time::Duration;

use racecheck::explore::{Config, Partition, Report, Strategy};

#[path = "support/programs.rs"]
mod programs;

const SHARE_VAR: &str = "RACECHECK_BENCH_SHARE";

/// An exploration to shard: its name, program and settings.
struct Case {
    name: &'static str,
    threads: usize,
    rounds: usize,
    config: fn() -> Config,
}

const CASES: [Case; 2] = [
    Case {
        name: "random, 80,000 schedules",
        threads: 4,
        rounds: 4,
        config: || {
            Config::default()
                .schedules(80_000)
                .strategy(Strategy::Random)
        },
    },
    Case {
        name: "exhaustive, bound 2",
        threads: 4,
        rounds: 8,
        config: || {
            Config::default()
                .schedules(100_000_000)
                .strategy(Strategy::Exhaustive {
                    preemption_bound: Some(2),
                })
        },
    },
];

/// The lock operations per thread of `case`'s program: `BENCH_ROUNDS` if set.
fn rounds(case: &Case) -> usize {
    programs::env_number("BENCH_ROUNDS", case.rounds)
}

fn explore(case: &Case, partition: Partition) -> Report {
    let config = (case.config)()
        .workers(1)
        .partition(partition.shard, partition.shards);
    let (threads, rounds) = (case.threads, rounds(case));
    let report = racecheck::explore(config, move || {
        programs::lock_rounds(threads, rounds);
    });
    assert!(report.is_clean(), "{report:?}");
    report
}

fn interleavings(report: &Report) -> usize {
    report.coverage.map_or(0, |c| c.interleavings)
}

/// What one share did: schedules, interleavings, CPU time.
struct Share {
    schedules: usize,
    interleavings: usize,
    cpu: Duration,
}

/// Runs every share of `case` in a process of its own, all at once: the wall time, and each
/// share's figures.
fn sharded(case: usize, shares: usize) -> (Duration, Vec<Share>) {
    let exe = std::env::current_exe().expect("the bench's own path");
    let stopwatch = programs::Stopwatch::start();
    let children: Vec<_> = (1..=shares)
        .map(|shard| {
            Command::new(&exe)
                .env(SHARE_VAR, format!("{case}:{shard}/{shares}"))
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a share")
        })
        .collect();
    let counts = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("a share's output");
            assert!(output.status.success(), "{output:?}");
            let text = String::from_utf8_lossy(&output.stdout);
            let mut numbers = text.split_whitespace().map(|n| n.parse::<u64>().unwrap());
            let mut next = || numbers.next().expect("a share prints three numbers");
            Share {
                schedules: next() as usize,
                interleavings: next() as usize,
                cpu: Duration::from_nanos(next()),
            }
        })
        .collect();
    (stopwatch.elapsed().0, counts)
}

fn main() {
    if let Ok(share) = std::env::var(SHARE_VAR) {
        // A child: `case:k/N`.
        let (case, partition) = share.split_once(':').expect("case:k/N");
        let case = &CASES[case.parse::<usize>().expect("a case number")];
        let stopwatch = programs::Stopwatch::start();
        let report = explore(case, partition.parse().expect("a k/N share"));
        let cpu = stopwatch.elapsed().1;
        println!(
            "{} {} {}",
            report.schedules_run,
            interleavings(&report),
            cpu.as_nanos()
        );
        return;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shares = programs::env_number("BENCH_SHARES", cores.max(2));
    println!(
        "| exploration | program | shares | unsharded schedules (interleavings) | unsharded time (CPU) | \
         schedules per share | sharded time (slowest share's CPU) | 1/N of unsharded (CPU) | \
         ratio, wall (CPU) (target <= 1.2) |"
    );
    println!("|---|---|---:|---:|---:|---|---:|---:|---:|");
    let only = std::env::var("BENCH_ONLY").ok().map(|row| {
        row.parse::<usize>()
            .unwrap_or_else(|_| panic!("BENCH_ONLY must be a row number, not {row:?}"))
    });
    for (index, case) in CASES.iter().enumerate() {
        if only.is_some_and(|only| only != index) {
            continue;
        }
        let stopwatch = programs::Stopwatch::start();
        let whole = explore(case, Partition::WHOLE);
        let (whole_time, whole_cpu) = stopwatch.elapsed();
        let (time, counts) = sharded(index, shares);
        let summed: usize = counts.iter().map(|share| share.interleavings).sum();
        assert_eq!(
            summed,
            interleavings(&whole),
            "the shares ran the whole search"
        );
        let per_share: Vec<String> = counts.iter().map(|s| s.schedules.to_string()).collect();
        let slowest = counts
            .iter()
            .map(|share| share.cpu)
            .max()
            .unwrap_or_default();
        let secs = |d: Duration| d.as_secs_f64();
        let (ideal, ideal_cpu) = (
            secs(whole_time) / shares as f64,
            secs(whole_cpu) / shares as f64,
        );
        println!(
            "| {} | {} threads x {} lock ops | {shares} | {} ({}) | {:.2} s ({:.2} s) | {} | \
             {:.2} s ({:.2} s) | {ideal:.2} s ({ideal_cpu:.2} s) | {:.2}x ({:.2}x) |",
            case.name,
            case.threads,
            rounds(case),
            whole.schedules_run,
            interleavings(&whole),
            secs(whole_time),
            secs(whole_cpu),
            per_share.join(" / "),
            secs(time),
            secs(slowest),
            secs(time) / ideal,
            secs(slowest) / ideal_cpu,
        );
    }
}
