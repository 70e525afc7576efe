//! racecheck's exhaustive search against loom 0.7 on the same programs, measured in one run: `T`
//! threads each taking one shared lock `R` times (the main thread spawns them and joins them), with
//! and without a preemption bound. For each: the executions each tool needed to finish, its wall
//! time and the CPU time of the thread running it (both tools run every execution on the calling
//! thread; on a shared machine CPU time is the figure that does not depend on the load), and
//! executions per CPU second. A search that takes less than a second of CPU is run again, each
//! tool in turn with the other, until it has (the executions of one run are the same every time):
//! a fraction of a second measures the load and the warm-up more than the tool. racecheck's interleavings (its executions not cut short as
//! redundant) are shown beside its executions, and beside each tool's executions the distinct
//! orders in which the threads took the lock: the distinct interleavings it covered. The lock
//! orders reachable within the bound are counted apart (see [`orders_within`]): a search that
//! covers every interleaving its bound allows runs at least that many executions.
//!
//! Run: `cargo bench -p racecheck --bench exhaustive_vs_loom` (`BENCH_ONLY=n`: only row `n`, from
//! 0). Prints a Markdown table ready for BENCHMARKS.md.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use racecheck::explore::{Config, Strategy};

#[path = "support/programs.rs"]
mod programs;

/// A program: threads, lock operations per thread, preemption bound.
#[derive(Clone, Copy)]
struct Program {
    threads: usize,
    rounds: usize,
    bound: Option<usize>,
}

const PROGRAMS: [Program; 3] = [
    Program {
        threads: 2,
        rounds: 5,
        bound: None,
    },
    Program {
        threads: 4,
        rounds: 20,
        bound: Some(1),
    },
    Program {
        threads: 4,
        rounds: 20,
        bound: Some(2),
    },
];

/// What one tool did on one program, over `runs` runs.
struct Measured {
    /// Executions of one run.
    executions: usize,
    runs: usize,
    /// Over all runs.
    time: Duration,
    cpu: Duration,
    /// Distinct orders in which the threads took the lock, over all executions: the program's
    /// distinct interleavings up to the order of independent steps.
    orders: usize,
}

/// The lock orders seen so far in the running measurement.
static ORDERS: Mutex<Option<HashSet<Vec<u8>>>> = Mutex::new(None);

fn start_orders() {
    *ORDERS.lock().unwrap() = Some(HashSet::new());
}

fn record_order(order: &Mutex<Vec<u8>>) {
    let order = std::mem::take(&mut *order.lock().unwrap());
    ORDERS.lock().unwrap().as_mut().unwrap().insert(order);
}

fn distinct_orders() -> usize {
    ORDERS
        .lock()
        .unwrap()
        .take()
        .map_or(0, |orders| orders.len())
}

/// The distinct orders in which `threads` threads taking one lock `rounds` times each can take
/// it with at most `bound` preemptions. Every thread is started before any runs (the main thread
/// spawns them all, then waits), and a preemption is a switch away from a thread with rounds left
/// (between its rounds it can always go on); a switch away from a finished thread is free.
fn orders_within(threads: usize, rounds: usize, bound: Option<usize>) -> u128 {
    // Without a bound: as many as there are switches.
    let bound = bound.unwrap_or(threads * rounds);
    let mut search = OrderCount {
        rounds,
        bound,
        memo: Vec::new(),
    };
    let states = (rounds + 1).pow(threads as u32) * (threads + 1) * (bound + 1);
    search.memo = vec![None; states];
    search.count(&mut vec![rounds; threads], None, bound)
}

/// [`orders_within`]'s memoised recursion over the rounds left to each thread, the thread that
/// ran last, and the preemptions left.
struct OrderCount {
    rounds: usize,
    bound: usize,
    memo: Vec<Option<u128>>,
}

impl OrderCount {
    fn count(&mut self, left: &mut [usize], last: Option<usize>, preemptions: usize) -> u128 {
        if left.iter().all(|&n| n == 0) {
            return 1;
        }
        let state = left
            .iter()
            .fold(0, |state, &n| state * (self.rounds + 1) + n);
        let state = (state * (left.len() + 1) + last.map_or(0, |last| last + 1)) * (self.bound + 1)
            + preemptions;
        if let Some(known) = self.memo[state] {
            return known;
        }
        let mut total = 0;
        for next in 0..left.len() {
            if left[next] == 0 {
                continue;
            }
            let preempts = last.is_some_and(|last| last != next && left[last] > 0);
            if preempts && preemptions == 0 {
                continue;
            }
            left[next] -= 1;
            total += self.count(left, Some(next), preemptions - usize::from(preempts));
            left[next] += 1;
        }
        self.memo[state] = Some(total);
        total
    }
}

/// The CPU time each tool's runs of a program add up to at least.
const MIN_CPU: Duration = Duration::from_secs(1);

impl Measured {
    fn per_second(&self) -> f64 {
        (self.executions * self.runs) as f64 / self.cpu.as_secs_f64()
    }

    /// Adds another run's figures.
    fn add(&mut self, run: Measured) {
        assert_eq!(
            (run.executions, run.orders),
            (self.executions, self.orders),
            "every run of a search is the same"
        );
        self.runs += run.runs;
        self.time += run.time;
        self.cpu += run.cpu;
    }

    /// Wall and CPU time of one run, on average.
    fn per_run(&self) -> (f64, f64) {
        let runs = self.runs as f64;
        (
            self.time.as_secs_f64() / runs,
            self.cpu.as_secs_f64() / runs,
        )
    }
}

/// Both tools on `program`, each run until it spent [`MIN_CPU`], in turns; racecheck's
/// interleavings.
fn measure(program: Program) -> (Measured, Measured, usize) {
    let mut loom = on_loom(program);
    let (mut ours, interleavings) = on_racecheck(program);
    while loom.cpu < MIN_CPU || ours.cpu < MIN_CPU {
        if loom.cpu < MIN_CPU {
            loom.add(on_loom(program));
        }
        if ours.cpu < MIN_CPU {
            ours.add(on_racecheck(program).0);
        }
    }
    (loom, ours, interleavings)
}

fn on_racecheck(program: Program) -> (Measured, usize) {
    let Program {
        threads,
        rounds,
        bound,
    } = program;
    let config = Config::default()
        .schedules(100_000_000)
        .strategy(Strategy::Exhaustive {
            preemption_bound: bound,
        });
    start_orders();
    let stopwatch = programs::Stopwatch::start();
    let report = racecheck::explore(config, move || {
        let order = Arc::new(Mutex::new(Vec::new()));
        let taken = Arc::clone(&order);
        programs::lock_rounds_with(threads, rounds, move |n| {
            taken.lock().unwrap().push(n as u8);
        });
        record_order(&order);
    });
    let (time, cpu) = stopwatch.elapsed();
    let coverage = report
        .coverage
        .expect("an exhaustive search reports coverage");
    assert!(report.is_clean() && coverage.complete, "{report:?}");
    (
        Measured {
            executions: report.schedules_run,
            runs: 1,
            time,
            cpu,
            orders: distinct_orders(),
        },
        coverage.interleavings,
    )
}

fn on_loom(program: Program) -> Measured {
    let Program {
        threads,
        rounds,
        bound,
    } = program;
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    EXECUTIONS.store(0, Ordering::Relaxed);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = bound;
    builder.max_branches = 100_000;
    start_orders();
    let stopwatch = programs::Stopwatch::start();
    builder.check(move || {
        EXECUTIONS.fetch_add(1, Ordering::Relaxed);
        let lock = loom::sync::Arc::new(loom::sync::Mutex::new(0_u64));
        let order = Arc::new(Mutex::new(Vec::new()));
        let handles: Vec<_> = (0..threads)
            .map(|n| {
                let (lock, order) = (lock.clone(), Arc::clone(&order));
                loom::thread::spawn(move || {
                    for _ in 0..rounds {
                        let mut count = lock.lock().unwrap();
                        *count += 1;
                        order.lock().unwrap().push(n as u8);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        record_order(&order);
    });
    let (time, cpu) = stopwatch.elapsed();
    Measured {
        executions: EXECUTIONS.load(Ordering::Relaxed),
        runs: 1,
        time,
        cpu,
        orders: distinct_orders(),
    }
}

fn main() {
    println!(
        "| program | bound | lock orders within the bound | loom executions (lock orders) | loom time \
         per run (CPU) | loom exec/s (runs) | racecheck executions (interleavings, lock orders) | \
         racecheck time per run (CPU) | racecheck exec/s (runs) | executions vs loom | exec/s vs loom |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let only = std::env::var("BENCH_ONLY").ok().map(|row| {
        row.parse::<usize>()
            .unwrap_or_else(|_| panic!("BENCH_ONLY must be a row number, not {row:?}"))
    });
    for (row, program) in PROGRAMS.into_iter().enumerate() {
        if only.is_some_and(|only| only != row) {
            continue;
        }
        let (loom, ours, interleavings) = measure(program);
        let bound = program
            .bound
            .map_or_else(|| "none".to_owned(), |k| k.to_string());
        let within = orders_within(program.threads, program.rounds, program.bound);
        let ((loom_time, loom_cpu), (our_time, our_cpu)) = (loom.per_run(), ours.per_run());
        println!(
            "| {} threads x {} lock ops | {bound} | {within} | {} ({}) | {loom_time:.3} s \
             ({loom_cpu:.3} s) | {:.0} ({}) | {} ({interleavings}, {}) | {our_time:.3} s \
             ({our_cpu:.3} s) | {:.0} ({}) | {:.2}x | {:.2}x |",
            program.threads,
            program.rounds,
            loom.executions,
            loom.orders,
            loom.per_second(),
            loom.runs,
            ours.executions,
            ours.orders,
            ours.per_second(),
            ours.runs,
            ours.executions as f64 / loom.executions as f64,
            ours.per_second() / loom.per_second(),
        );
    }
}
