//! racecheck's schedule explorer against AWS shuttle, the same programs written in both APIs and
//! measured in the same run (the machine is shared and noisy: read the ratios).
//!
//! Run: `cargo bench -p racecheck --bench explore_vs_shuttle 2>/dev/null` (stderr carries the
//! explorers' own failure chatter). `BENCH_SEEDS` (default 20), `BENCH_REPS` (default 5) and
//! `BENCH_MEMORY_SCHEDULES` (default 100000) shrink or grow the run. Prints Markdown tables ready
//! for BENCHMARKS.md:
//! 1. throughput: schedules per second on a clean 4-thread program, 20 sync operations per thread;
//! 2. schedules to the first failure, median over the seeds, for four classic bugs, Random and
//!    PCT (depth 3) for both tools;
//! 3. memory: VmRSS / VmHWM before and after many schedules of the clean program, and of
//!    racecheck on it pushing to a static lock's `Vec`.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use racecheck::explore::{Config, FindingKind, Strategy};

use on_racecheck::{
    env_number, order_step, BAD_ORDER, CLEAN_ROUNDS, CLEAN_THREADS, ORDER_NOISE_ROUNDS,
    PHILOSOPHERS,
};

/// Schedules per throughput sample.
const THROUGHPUT_SCHEDULES: usize = 2_000;
/// Give up on a bug after this many schedules (the trial counts as "not found").
const MAX_SCHEDULES_TO_BUG: usize = 10_000;
const PCT_DEPTH: usize = 3;

fn main() {
    // Both explorers run failing schedules on purpose: keep their panic messages off the terminal.
    panic::set_hook(Box::new(|_| {}));
    let seeds = env_number("BENCH_SEEDS", 20) as u64;
    let reps = env_number("BENCH_REPS", 5);
    let memory_schedules = env_number("BENCH_MEMORY_SCHEDULES", 100_000);

    println!("{}", throughput_table(reps));
    println!("{}", schedules_to_bug_table(seeds));
    println!("{}", memory_table(memory_schedules));
}

// ---------------------------------------------------------------------------------------------
// The programs, once per API.

/// The programs as racecheck code.
#[path = "support/programs.rs"]
mod on_racecheck;

/// The same programs as shuttle code.
mod on_shuttle {
    use super::*;
    use shuttle::sync::atomic::AtomicU64;
    use shuttle::sync::Mutex;
    use shuttle::thread;

    pub fn clean_counter() {
        let counter = Arc::new(Mutex::new(0_u64));
        let threads: Vec<_> = (0..CLEAN_THREADS)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    for _ in 0..CLEAN_ROUNDS {
                        *counter.lock().unwrap() += 1;
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no thread panics");
        }
        assert_eq!(
            *counter.lock().unwrap(),
            (CLEAN_THREADS * CLEAN_ROUNDS) as u64
        );
    }

    pub fn abba() {
        let a = Arc::new(Mutex::new(()));
        let b = Arc::new(Mutex::new(()));
        let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
        let first = thread::spawn(move || {
            let _a = a2.lock().unwrap();
            let _b = b2.lock().unwrap();
        });
        let second = thread::spawn(move || {
            let _b = b.lock().unwrap();
            let _a = a.lock().unwrap();
        });
        first.join().expect("no thread panics");
        second.join().expect("no thread panics");
    }

    /// shuttle's atomics are its scheduling points for plain shared values: load, then store.
    pub fn lost_update_shared() {
        let counter = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    let read = counter.load(Ordering::SeqCst);
                    counter.store(read + 1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no thread panics");
        }
        assert_eq!(counter.load(Ordering::SeqCst), 2, "an update was lost");
    }

    pub fn lost_update_split_lock() {
        let counter = Arc::new(Mutex::new(0_u64));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    let read = *counter.lock().unwrap();
                    *counter.lock().unwrap() = read + 1;
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no thread panics");
        }
        assert_eq!(*counter.lock().unwrap(), 2, "an update was lost");
    }

    pub fn dining_philosophers() {
        let forks: Arc<Vec<Mutex<()>>> =
            Arc::new((0..PHILOSOPHERS).map(|_| Mutex::new(())).collect());
        let philosophers: Vec<_> = (0..PHILOSOPHERS)
            .map(|i| {
                let forks = Arc::clone(&forks);
                thread::spawn(move || {
                    let _left = forks[i].lock().unwrap();
                    let _right = forks[(i + 1) % PHILOSOPHERS].lock().unwrap();
                })
            })
            .collect();
        for philosopher in philosophers {
            philosopher.join().expect("no philosopher panics");
        }
    }

    pub fn three_thread_order() {
        let stage = Arc::new(Mutex::new(0_usize));
        let noise = Arc::new(Mutex::new(()));
        let threads: Vec<_> = (0..BAD_ORDER.len())
            .map(|me| {
                let (stage, noise) = (Arc::clone(&stage), Arc::clone(&noise));
                thread::spawn(move || {
                    for _ in 0..ORDER_NOISE_ROUNDS {
                        drop(noise.lock().unwrap());
                    }
                    order_step(me, &mut stage.lock().unwrap());
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no thread panics");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running a program under each explorer.

/// The two exploration strategies both tools implement.
#[derive(Debug, Clone, Copy)]
enum Search {
    Random,
    Pct,
}

impl Search {
    fn name(self) -> &'static str {
        match self {
            Search::Random => "Random",
            Search::Pct => "PCT d=3",
        }
    }

    fn racecheck_strategy(self) -> Strategy {
        match self {
            Search::Random => Strategy::Random,
            Search::Pct => Strategy::Pct { depth: PCT_DEPTH },
        }
    }
}

/// How one exploration ended.
struct Outcome {
    /// Body invocations, up to and including the failing one.
    schedules: usize,
    /// The kinds racecheck reported for the failing schedule; empty for shuttle / no failure.
    kinds: Vec<FindingKind>,
    failed: bool,
}

/// Counts body invocations: the only schedule count both tools can be asked for the same way.
fn counted(program: fn(), calls: &Arc<AtomicUsize>) -> impl Fn() + Send + Sync + 'static {
    let calls = Arc::clone(calls);
    move || {
        calls.fetch_add(1, Ordering::Relaxed);
        program()
    }
}

fn run_racecheck(
    program: fn(),
    search: Search,
    seed: u64,
    schedules: usize,
    workers: usize,
) -> Outcome {
    let calls = Arc::new(AtomicUsize::new(0));
    let config = Config::default()
        .schedules(schedules)
        .strategy(search.racecheck_strategy())
        .seed(seed)
        .workers(workers);
    let report = racecheck::explore(config, counted(program, &calls));
    let kinds: Vec<FindingKind> = report
        .findings()
        .iter()
        .map(|finding| finding.kind)
        .collect();
    Outcome {
        schedules: calls.load(Ordering::Relaxed),
        failed: !kinds.is_empty(),
        kinds,
    }
}

fn run_shuttle(program: fn(), search: Search, seed: u64, schedules: usize) -> Outcome {
    use shuttle::scheduler::{PctScheduler, RandomScheduler};
    use shuttle::{Config as ShuttleConfig, FailurePersistence, Runner};

    let calls = Arc::new(AtomicUsize::new(0));
    let mut config = ShuttleConfig::new();
    config.failure_persistence = FailurePersistence::None;
    config.silence_warnings = true;
    let body = counted(program, &calls);
    // shuttle reports a failure (deadlock included) by panicking out of `run`.
    let run = panic::catch_unwind(AssertUnwindSafe(|| match search {
        Search::Random => {
            Runner::new(RandomScheduler::new_from_seed(seed, schedules), config).run(body);
        }
        Search::Pct => {
            Runner::new(
                PctScheduler::new_from_seed(seed, PCT_DEPTH, schedules),
                config,
            )
            .run(body);
        }
    }));
    Outcome {
        schedules: calls.load(Ordering::Relaxed),
        kinds: Vec::new(),
        failed: run.is_err(),
    }
}

// ---------------------------------------------------------------------------------------------
// Measurements.

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

/// Schedules per second, median of `reps` samples taken round-robin across the contenders.
fn throughput_table(reps: usize) -> String {
    type Contender = (&'static str, Box<dyn Fn() -> Outcome>);
    let contenders: Vec<Contender> = vec![
        (
            "shuttle (1 thread)",
            Box::new(|| {
                run_shuttle(
                    on_shuttle::clean_counter,
                    Search::Random,
                    1,
                    THROUGHPUT_SCHEDULES,
                )
            }),
        ),
        (
            "racecheck workers(1)",
            Box::new(|| {
                run_racecheck(
                    on_racecheck::clean_counter,
                    Search::Random,
                    1,
                    THROUGHPUT_SCHEDULES,
                    1,
                )
            }),
        ),
        (
            "racecheck every core",
            Box::new(|| {
                run_racecheck(
                    on_racecheck::clean_counter,
                    Search::Random,
                    1,
                    THROUGHPUT_SCHEDULES,
                    0,
                )
            }),
        ),
    ];
    let mut samples = vec![Vec::new(); contenders.len()];
    for _ in 0..reps.max(1) {
        for ((_, run), samples) in contenders.iter().zip(&mut samples) {
            let start = Instant::now();
            let outcome = run();
            let elapsed = start.elapsed();
            assert!(
                !outcome.failed,
                "the clean program failed under exploration"
            );
            samples.push(outcome.schedules as f64 / elapsed.as_secs_f64());
        }
    }
    let rates: Vec<f64> = samples.into_iter().map(median).collect();
    let shuttle = rates[0];
    let mut table = format!(
        "### Throughput: clean program, {CLEAN_THREADS} threads x {} sync ops, Random, {THROUGHPUT_SCHEDULES} schedules, median of {reps}\n\n\
         | explorer | schedules/s | ÷ shuttle |\n|---|---:|---:|\n",
        2 * CLEAN_ROUNDS
    );
    for ((name, _), rate) in contenders.iter().zip(&rates) {
        table.push_str(&format!(
            "| {name} | {rate:.0} | {:.2}x |\n",
            rate / shuttle
        ));
    }
    table
}

/// One buggy program, written for each tool.
struct Bug {
    name: &'static str,
    racecheck: fn(),
    shuttle: fn(),
}

impl Bug {
    fn new(name: &'static str, racecheck: fn(), shuttle: fn()) -> Self {
        Bug {
            name,
            racecheck,
            shuttle,
        }
    }
}

/// Median schedules to the first failure over `seeds` seeds, per bug and strategy.
fn schedules_to_bug_table(seeds: u64) -> String {
    let bugs = [
        Bug::new("ABBA deadlock", on_racecheck::abba, on_shuttle::abba),
        Bug::new(
            "lost update (Shared / atomic RMW)",
            on_racecheck::lost_update_shared,
            on_shuttle::lost_update_shared,
        ),
        Bug::new(
            "lost update (split lock, assertion)",
            on_racecheck::lost_update_split_lock,
            on_shuttle::lost_update_split_lock,
        ),
        Bug::new(
            "5 dining philosophers",
            on_racecheck::dining_philosophers,
            on_shuttle::dining_philosophers,
        ),
        Bug::new(
            "3-thread order",
            on_racecheck::three_thread_order,
            on_shuttle::three_thread_order,
        ),
    ];
    let mut table = format!(
        "### Schedules to the first failure, median over {seeds} seeds (cap {MAX_SCHEDULES_TO_BUG}; found = seeds that failed)\n\n\
         | bug | strategy | shuttle (median) | racecheck (median) | racecheck ÷ shuttle | means: racecheck / shuttle | racecheck's findings (seeds) |\n\
         |---|---|---:|---:|---:|---:|---|\n"
    );
    for Bug {
        name: bug,
        racecheck: ours,
        shuttle: theirs,
    } in bugs
    {
        for search in [Search::Random, Search::Pct] {
            let shuttle: Vec<Outcome> = (0..seeds)
                .map(|seed| run_shuttle(theirs, search, seed, MAX_SCHEDULES_TO_BUG))
                .collect();
            let racecheck: Vec<Outcome> = (0..seeds)
                .map(|seed| run_racecheck(ours, search, seed, MAX_SCHEDULES_TO_BUG, 1))
                .collect();
            let (theirs, ours) = (summarize(&shuttle), summarize(&racecheck));
            table.push_str(&format!(
                "| {bug} | {} | {} ({}/{seeds}) | {} ({}/{seeds}) | {:.2}x | {:.1} / {:.1} = {:.2}x | {} |\n",
                search.name(),
                theirs.median,
                theirs.found,
                ours.median,
                ours.found,
                ours.median / theirs.median,
                ours.mean,
                theirs.mean,
                ours.mean / theirs.mean,
                finding_kinds(&racecheck),
            ));
        }
    }
    table.push_str("\nBelow 1.00x racecheck needed fewer schedules than shuttle; a trial that never failed counts as the cap.\n");
    table
}

/// Schedules to the first failure over the seeds (a trial that never failed counts as the cap).
struct Summary {
    median: f64,
    mean: f64,
    found: usize,
}

fn summarize(outcomes: &[Outcome]) -> Summary {
    let counts: Vec<f64> = outcomes
        .iter()
        .map(|o| if o.failed { o.schedules } else { MAX_SCHEDULES_TO_BUG } as f64)
        .collect();
    Summary {
        mean: counts.iter().sum::<f64>() / counts.len().max(1) as f64,
        median: median(counts),
        found: outcomes.iter().filter(|o| o.failed).count(),
    }
}

/// How many seeds' failing schedules had each finding kind, e.g. `Deadlock ×20, LockOrderCycle ×20`.
fn finding_kinds(outcomes: &[Outcome]) -> String {
    let mut counts: Vec<(FindingKind, usize)> = Vec::new();
    for outcome in outcomes {
        for (index, kind) in outcome.kinds.iter().enumerate() {
            if outcome.kinds[..index].contains(kind) {
                continue; // count each kind once per seed
            }
            match counts.iter_mut().find(|(seen, _)| seen == kind) {
                Some((_, count)) => *count += 1,
                None => counts.push((*kind, 1)),
            }
        }
    }
    counts
        .iter()
        .map(|(kind, count)| format!("{kind:?} ×{count}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resident memory in KiB, as the kernel reports it.
#[derive(Clone, Copy)]
struct Memory {
    rss: u64,
    high_water: u64,
}

fn memory_now() -> Option<Memory> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|line| line.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some(Memory {
        rss: field("VmRSS:")?,
        high_water: field("VmHWM:")?,
    })
}

/// VmRSS/VmHWM before and after `schedules` schedules of the clean program, each tool in turn,
/// then of racecheck on the static-lock program (shuttle has no const-initialized `Mutex`).
fn memory_table(schedules: usize) -> String {
    let mut table = format!(
        "### Memory: {schedules} schedules, Random\n\n\
         | explorer | program | VmRSS before | VmRSS after | VmHWM after | time |\n|---|---|---:|---:|---:|---:|\n"
    );
    type Contender = (&'static str, &'static str, Box<dyn Fn() -> Outcome>);
    let contenders: Vec<Contender> = vec![
        (
            "racecheck workers(1)",
            "clean",
            Box::new(move || {
                run_racecheck(on_racecheck::clean_counter, Search::Random, 7, schedules, 1)
            }),
        ),
        (
            "shuttle (1 thread)",
            "clean",
            Box::new(move || run_shuttle(on_shuttle::clean_counter, Search::Random, 7, schedules)),
        ),
        (
            "racecheck workers(1)",
            "clean, pushing to a static `Lock<Vec<u64>>`",
            Box::new(move || {
                run_racecheck(on_racecheck::static_log, Search::Random, 7, schedules, 1)
            }),
        ),
    ];
    for (name, program, run) in contenders {
        let Some(before) = memory_now() else {
            return format!(
                "{table}\n(/proc/self/status is not readable here: memory not measured)\n"
            );
        };
        let start = Instant::now();
        let outcome = run();
        let elapsed = start.elapsed();
        assert!(
            !outcome.failed,
            "the clean program failed under exploration"
        );
        let after = memory_now().unwrap_or(before);
        table.push_str(&format!(
            "| {name} | {program} | {} | {} | {} | {} |\n",
            kib(before.rss),
            kib(after.rss),
            kib(after.high_water),
            seconds(elapsed)
        ));
    }
    table
        .push_str("\nVmHWM is the process's peak so far, so each row's includes the rows above.\n");
    table
}

fn kib(value: u64) -> String {
    format!("{:.1} MiB", value as f64 / 1024.0)
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}
