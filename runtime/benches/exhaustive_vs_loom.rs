//! racecheck's exhaustive search against loom 0.7 on the same programs, measured in one run: `T`
//! threads each taking one shared lock `R` times (the main thread spawns them and joins them), with
//! and without a preemption bound. For each: the executions each tool needed to finish, its wall
//! time, and executions per second. racecheck's interleavings (its executions not cut short as
//! redundant) are shown beside its executions.
//!
//! Run: `cargo bench -p racecheck --bench exhaustive_vs_loom`. Prints a Markdown table ready for
//! BENCHMARKS.md.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

/// What one tool did on one program.
struct Measured {
    executions: usize,
    time: Duration,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.executions as f64 / self.time.as_secs_f64()
    }
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
    let started = Instant::now();
    let report = racecheck::explore(config, move || {
        programs::lock_rounds(threads, rounds);
    });
    let time = started.elapsed();
    let coverage = report
        .coverage
        .expect("an exhaustive search reports coverage");
    assert!(report.is_clean() && coverage.complete, "{report:?}");
    (
        Measured {
            executions: report.schedules_run,
            time,
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
    let started = Instant::now();
    builder.check(move || {
        EXECUTIONS.fetch_add(1, Ordering::Relaxed);
        let lock = loom::sync::Arc::new(loom::sync::Mutex::new(0_u64));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let lock = lock.clone();
                loom::thread::spawn(move || {
                    for _ in 0..rounds {
                        *lock.lock().unwrap() += 1;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
    Measured {
        executions: EXECUTIONS.load(Ordering::Relaxed),
        time: started.elapsed(),
    }
}

fn main() {
    println!(
        "| program | bound | loom executions | loom time | loom exec/s | racecheck executions \
         (interleavings) | racecheck time | racecheck exec/s | executions vs loom | exec/s vs loom |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for program in PROGRAMS {
        let loom = on_loom(program);
        let (ours, interleavings) = on_racecheck(program);
        let bound = program
            .bound
            .map_or_else(|| "none".to_owned(), |k| k.to_string());
        println!(
            "| {} threads x {} lock ops | {bound} | {} | {:.2} s | {:.0} | {} ({interleavings}) | \
             {:.2} s | {:.0} | {:.2}x | {:.2}x |",
            program.threads,
            program.rounds,
            loom.executions,
            loom.time.as_secs_f64(),
            loom.per_second(),
            ours.executions,
            ours.time.as_secs_f64(),
            ours.per_second(),
            ours.executions as f64 / loom.executions as f64,
            ours.per_second() / loom.per_second(),
        );
    }
}
