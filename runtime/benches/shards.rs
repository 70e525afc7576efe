//! Sharding over processes: a program explored whole in one process (one worker), then as shares
//! 1/N..N/N in N processes at once (this bench re-running itself with `RACECHECK_BENCH_SHARE`).
//! Target: the N processes finish within 1.2x of 1/N of the unsharded time. Two explorations of
//! `T` threads each taking one shared lock `R` times: Random sampling (shares by schedule index)
//! and the exhaustive search with a preemption bound (shares by subtree of the search). Each
//! share's schedules are printed, and the shares' interleavings summed to check that together
//! they ran the whole search.
//!
//! Run: `cargo bench -p racecheck --bench shards` (N = the number of cores, at least 2). Prints a
//! Markdown table ready for BENCHMARKS.md.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
        name: "random, 20,000 schedules",
        threads: 4,
        rounds: 4,
        config: || {
            Config::default()
                .schedules(20_000)
                .strategy(Strategy::Random)
        },
    },
    Case {
        name: "exhaustive, bound 2",
        threads: 4,
        rounds: 4,
        config: || {
            Config::default()
                .schedules(100_000_000)
                .strategy(Strategy::Exhaustive {
                    preemption_bound: Some(2),
                })
        },
    },
];

fn explore(case: &Case, partition: Partition) -> Report {
    let config = (case.config)()
        .workers(1)
        .partition(partition.shard, partition.shards);
    let (threads, rounds) = (case.threads, case.rounds);
    let report = racecheck::explore(config, move || {
        programs::lock_rounds(threads, rounds);
    });
    assert!(report.is_clean(), "{report:?}");
    report
}

fn interleavings(report: &Report) -> usize {
    report.coverage.map_or(0, |c| c.interleavings)
}

/// Runs every share of `case` in a process of its own, all at once: the wall time, and each
/// share's schedules and interleavings.
fn sharded(case: usize, shares: usize) -> (Duration, Vec<(usize, usize)>) {
    let exe = std::env::current_exe().expect("the bench's own path");
    let started = Instant::now();
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
            let mut numbers = text.split_whitespace().map(|n| n.parse::<usize>().unwrap());
            (numbers.next().unwrap(), numbers.next().unwrap())
        })
        .collect();
    (started.elapsed(), counts)
}

fn main() {
    if let Ok(share) = std::env::var(SHARE_VAR) {
        // A child: `case:k/N`.
        let (case, partition) = share.split_once(':').expect("case:k/N");
        let case = &CASES[case.parse::<usize>().expect("a case number")];
        let report = explore(case, partition.parse().expect("a k/N share"));
        println!("{} {}", report.schedules_run, interleavings(&report));
        return;
    }
    let shares = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    println!(
        "| exploration | program | shares | unsharded schedules (interleavings) | unsharded time | \
         schedules per share | sharded wall time | 1/N of unsharded | ratio (target <= 1.2) |"
    );
    println!("|---|---|---:|---:|---:|---|---:|---:|---:|");
    for (index, case) in CASES.iter().enumerate() {
        let started = Instant::now();
        let whole = explore(case, Partition::WHOLE);
        let whole_time = started.elapsed().as_secs_f64();
        let (time, counts) = sharded(index, shares);
        let summed: usize = counts.iter().map(|&(_, i)| i).sum();
        assert_eq!(
            summed,
            interleavings(&whole),
            "the shares ran the whole search"
        );
        let per_share: Vec<String> = counts.iter().map(|(s, _)| s.to_string()).collect();
        let ideal = whole_time / shares as f64;
        println!(
            "| {} | {} threads x {} lock ops | {shares} | {} ({}) | {whole_time:.2} s | {} | {:.2} s \
             | {ideal:.2} s | {:.2}x |",
            case.name,
            case.threads,
            case.rounds,
            whole.schedules_run,
            interleavings(&whole),
            per_share.join(" / "),
            time.as_secs_f64(),
            time.as_secs_f64() / ideal,
        );
    }
}
