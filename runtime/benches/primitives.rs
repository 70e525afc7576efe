//! racecheck's primitives in real mode, against the crates people would otherwise use.
//!
//! Run: `cargo bench -p racecheck --bench primitives [-- FILTER…]` (a FILTER keeps the
//! comparisons whose title contains it; `BENCH_REPS` / `BENCH_WARMUP` set the rounds). Prints a
//! Markdown table and one verdict per target of the issue, ready to paste into BENCHMARKS.md.
//!
//! Every comparison measures its cases round-robin in one run and reports "racecheck ÷ this" in
//! the comparison's own unit, as the median of the per-round ratios, so that the ratio means the
//! same thing whatever the machine's load.

#[path = "support/timing.rs"]
mod timing;

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use rayon::prelude::*;
use timing::{paired_ratio, run_round_robin, time, Case, Rounds, Summary};

const UNCONTENDED_OPS: u64 = 1_000_000;
const CONTENDING_THREADS: u64 = 4;
const CONTENDED_OPS_PER_THREAD: u64 = 250_000;
const QUEUE_ITEMS: u64 = 1_000_000;
const QUEUE_BOUND: usize = 1024;
const MAP_ITEMS: u64 = 1_000_000;
/// One map of 10^6 cheap items takes about a millisecond, less than a scheduler time slice of
/// this shared machine: a sample times several maps, so that one preemption does not make it.
const MAPS_PER_SAMPLE: u64 = 10;
/// Items of the compute-bound map, where each item costs far more than its copy.
const COMPUTE_ITEMS: u64 = 100_000;

/// What a comparison reports per sample.
#[derive(Debug, Clone, Copy)]
enum Unit {
    /// Nanoseconds per operation, for `ops` operations per sample (lower is better).
    NsPerOp { ops: u64 },
    /// Millions of `what` per second, for `count` of them per sample (higher is better).
    MillionsPerSecond { count: u64, what: &'static str },
}

impl Unit {
    fn of(self, elapsed: Duration) -> f64 {
        let secs = elapsed.as_secs_f64();
        match self {
            Unit::NsPerOp { ops } => secs * 1e9 / ops as f64,
            Unit::MillionsPerSecond { count, .. } => count as f64 / secs / 1e6,
        }
    }

    fn format(self, value: f64) -> String {
        match self {
            Unit::NsPerOp { .. } => format!("{value:.1} ns/op"),
            Unit::MillionsPerSecond { what, .. } => format!("{value:.2} M {what}/s"),
        }
    }

    fn format_bare(self, value: f64) -> String {
        match self {
            Unit::NsPerOp { .. } => format!("{value:.1}"),
            Unit::MillionsPerSecond { .. } => format!("{value:.2}"),
        }
    }
}

/// A target of the issue: racecheck's figure divided by one peer's must stay within `bound`.
#[derive(Debug, Clone, Copy)]
struct Target {
    peer: &'static str,
    bound: Bound,
}

#[derive(Debug, Clone, Copy)]
enum Bound {
    AtMost(f64),
    AtLeast(f64),
}

impl Bound {
    fn holds(self, ratio: f64) -> bool {
        match self {
            Bound::AtMost(limit) => ratio <= limit,
            Bound::AtLeast(limit) => ratio >= limit,
        }
    }

    fn limit(self) -> f64 {
        match self {
            Bound::AtMost(limit) | Bound::AtLeast(limit) => limit,
        }
    }

    fn describe(self) -> String {
        match self {
            Bound::AtMost(limit) => format!("≤ {limit:.2}"),
            Bound::AtLeast(limit) => format!("≥ {limit:.2}"),
        }
    }
}

/// One benchmark: racecheck's case first, then its peers.
struct Comparison {
    title: String,
    unit: Unit,
    cases: Vec<Case<'static>>,
    target: Option<Target>,
}

/// One case after it ran: its value in every measured round, and their summary.
struct Row {
    name: String,
    values: Vec<f64>,
    summary: Summary,
}

/// A comparison after it ran: one row per case, racecheck's first.
struct Measured {
    title: String,
    unit: Unit,
    rows: Vec<Row>,
    target: Option<Target>,
}

impl Measured {
    /// racecheck's value divided by `peer`'s, paired round by round.
    fn ratio_to(&self, peer: &Row) -> f64 {
        paired_ratio(&self.rows[0].values, &peer.values)
    }
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let rounds = Rounds::from_env(2, 9);
    let workers = thread::available_parallelism().map_or(1, usize::from);

    let builders: [fn(usize) -> Comparison; 6] = [
        uncontended_lock,
        contended_lock,
        queue_unbounded,
        queue_bounded,
        pool_map,
        pool_map_compute,
    ];
    let mut measured = Vec::new();
    for build in builders {
        let comparison = build(workers);
        if !filters.is_empty()
            && !filters
                .iter()
                .any(|f| comparison.title.contains(f.as_str()))
        {
            continue;
        }
        eprintln!("running: {}", comparison.title);
        measured.push(measure(rounds, comparison));
    }

    println!(
        "Machine: {} worker threads available, CPU {}. Rounds: {} warm-up + {} measured, round-robin.\n",
        workers,
        cpu_model(),
        rounds.warmup,
        rounds.measured
    );
    print_table(&measured);
    print_verdicts(&measured);
}

fn measure(rounds: Rounds, mut comparison: Comparison) -> Measured {
    let samples = run_round_robin(rounds, &mut comparison.cases);
    let rows = comparison
        .cases
        .iter()
        .zip(samples)
        .map(|(case, durations)| {
            let values: Vec<f64> = durations.iter().map(|d| comparison.unit.of(*d)).collect();
            Row {
                name: case.name.clone(),
                summary: Summary::of(&values),
                values,
            }
        })
        .collect();
    Measured {
        title: comparison.title,
        unit: comparison.unit,
        rows,
        target: comparison.target,
    }
}

fn print_table(measured: &[Measured]) {
    println!(
        "| benchmark | implementation | median | min – max | racecheck ÷ this (median of the rounds' ratios) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for comparison in measured {
        for (index, row) in comparison.rows.iter().enumerate() {
            let title = if index == 0 {
                comparison.title.as_str()
            } else {
                ""
            };
            println!(
                "| {title} | {} | {} | {} – {} | {:.2} |",
                row.name,
                comparison.unit.format(row.summary.median),
                comparison.unit.format_bare(row.summary.min),
                comparison.unit.format_bare(row.summary.max),
                comparison.ratio_to(row),
            );
        }
    }
    println!();
}

fn print_verdicts(measured: &[Measured]) {
    for comparison in measured {
        let Some(target) = comparison.target else {
            continue;
        };
        let Some(peer) = comparison.rows.iter().find(|row| row.name == target.peer) else {
            continue;
        };
        let ratio = comparison.ratio_to(peer);
        let verdict = if target.bound.holds(ratio) {
            "met".to_owned()
        } else {
            format!("missed by {:.2}", (ratio - target.bound.limit()).abs())
        };
        println!(
            "- {}: racecheck ÷ {} = {ratio:.2} (target {}): **{verdict}**",
            comparison.title,
            target.peer,
            target.bound.describe()
        );
    }
}

/// The CPU model from /proc/cpuinfo, where there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

// ---- locks ----

/// A counter behind a lock: the unit of work of the lock benchmarks.
trait LockedCounter: Sync {
    fn fresh() -> Self;
    /// Acquires, increments, releases.
    fn bump(&self);
    fn count(&self) -> u64;
}

impl LockedCounter for racecheck::Lock<u64> {
    fn fresh() -> Self {
        racecheck::Lock::new(0)
    }
    fn bump(&self) {
        *black_box(self).acquire() += 1;
    }
    fn count(&self) -> u64 {
        *self.acquire()
    }
}

impl LockedCounter for parking_lot::Mutex<u64> {
    fn fresh() -> Self {
        parking_lot::Mutex::new(0)
    }
    fn bump(&self) {
        *black_box(self).lock() += 1;
    }
    fn count(&self) -> u64 {
        *self.lock()
    }
}

impl LockedCounter for std::sync::Mutex<u64> {
    fn fresh() -> Self {
        std::sync::Mutex::new(0)
    }
    fn bump(&self) {
        *black_box(self).lock().expect("never poisoned") += 1;
    }
    fn count(&self) -> u64 {
        *self.lock().expect("never poisoned")
    }
}

/// How a lock benchmark drives its counter; generic (not a closure) so that every lock is
/// called statically, as user code would call it.
trait LockWorkload {
    /// Increments one sample performs in total.
    const OPS: u64;
    fn drive<C: LockedCounter>(counter: &C) -> Duration;
}

/// Every increment on the calling thread: the lock is always free.
struct Uncontended;

impl LockWorkload for Uncontended {
    const OPS: u64 = UNCONTENDED_OPS;
    fn drive<C: LockedCounter>(counter: &C) -> Duration {
        time(|| {
            for _ in 0..Self::OPS {
                counter.bump();
            }
        })
        .1
    }
}

/// Several threads incrementing at once; spawning and joining them are inside the measured time,
/// a few microseconds against tens of milliseconds of work.
struct Contended;

impl LockWorkload for Contended {
    const OPS: u64 = CONTENDING_THREADS * CONTENDED_OPS_PER_THREAD;
    fn drive<C: LockedCounter>(counter: &C) -> Duration {
        time(|| {
            thread::scope(|scope| {
                for _ in 0..CONTENDING_THREADS {
                    scope.spawn(|| {
                        for _ in 0..CONTENDED_OPS_PER_THREAD {
                            counter.bump();
                        }
                    });
                }
            })
        })
        .1
    }
}

/// One lock under a workload, on a fresh counter whose final count is checked so that no
/// implementation can skip work.
fn lock_case<W: LockWorkload, C: LockedCounter>(name: &str) -> Case<'static> {
    Case::new(name, || {
        let counter = C::fresh();
        let elapsed = W::drive(&counter);
        assert_eq!(counter.count(), W::OPS);
        elapsed
    })
}

fn lock_cases<W: LockWorkload>() -> Vec<Case<'static>> {
    vec![
        lock_case::<W, racecheck::Lock<u64>>("racecheck `Lock`"),
        lock_case::<W, parking_lot::Mutex<u64>>("`parking_lot::Mutex`"),
        lock_case::<W, std::sync::Mutex<u64>>("`std::sync::Mutex`"),
    ]
}

fn uncontended_lock(_workers: usize) -> Comparison {
    Comparison {
        title: "uncontended acquire + release".to_owned(),
        unit: Unit::NsPerOp {
            ops: Uncontended::OPS,
        },
        cases: lock_cases::<Uncontended>(),
        target: Some(Target {
            peer: "`parking_lot::Mutex`",
            bound: Bound::AtMost(1.5),
        }),
    }
}

fn contended_lock(_workers: usize) -> Comparison {
    Comparison {
        title: format!("{CONTENDING_THREADS} threads contending one lock"),
        unit: Unit::MillionsPerSecond {
            count: Contended::OPS,
            what: "ops",
        },
        cases: lock_cases::<Contended>(),
        target: None,
    }
}

// ---- queues ----

/// One producer thread sends `0..items` through `send` while the calling thread receives them
/// through `recv`; the received sum is checked so that nothing is lost or invented.
fn relay(items: u64, send: impl FnMut(u64) + Send, mut recv: impl FnMut() -> u64) -> Duration {
    let mut send = send;
    let (sum, elapsed) = time(|| {
        thread::scope(|scope| {
            scope.spawn(move || {
                for item in 0..items {
                    send(item);
                }
            });
            (0..items).map(|_| recv()).sum::<u64>()
        })
    });
    assert_eq!(sum, items * (items - 1) / 2);
    elapsed
}

fn queue_unbounded(_workers: usize) -> Comparison {
    Comparison {
        title: "1 producer → 1 consumer, unbounded".to_owned(),
        unit: Unit::MillionsPerSecond {
            count: QUEUE_ITEMS,
            what: "items",
        },
        cases: vec![
            Case::new("racecheck `Queue::new`", || {
                let queue = racecheck::Queue::new();
                let producer = queue.clone();
                relay(QUEUE_ITEMS, move |item| producer.put(item), || queue.get())
            }),
            Case::new("`crossbeam_channel::unbounded`", || {
                let (tx, rx) = crossbeam_channel::unbounded();
                relay(
                    QUEUE_ITEMS,
                    move |item| tx.send(item).expect("receiver alive"),
                    || rx.recv().expect("sender alive"),
                )
            }),
            Case::new("`std::sync::mpsc::channel`", || {
                let (tx, rx) = std::sync::mpsc::channel();
                relay(
                    QUEUE_ITEMS,
                    move |item| tx.send(item).expect("receiver alive"),
                    || rx.recv().expect("sender alive"),
                )
            }),
        ],
        target: Some(Target {
            peer: "`crossbeam_channel::unbounded`",
            bound: Bound::AtLeast(0.5),
        }),
    }
}

fn queue_bounded(_workers: usize) -> Comparison {
    Comparison {
        title: format!("1 producer → 1 consumer, bounded({QUEUE_BOUND})"),
        unit: Unit::MillionsPerSecond {
            count: QUEUE_ITEMS,
            what: "items",
        },
        cases: vec![
            Case::new("racecheck `Queue::bounded`", || {
                let queue = racecheck::Queue::bounded(QUEUE_BOUND);
                let producer = queue.clone();
                relay(QUEUE_ITEMS, move |item| producer.put(item), || queue.get())
            }),
            Case::new("`crossbeam_channel::bounded`", || {
                let (tx, rx) = crossbeam_channel::bounded(QUEUE_BOUND);
                relay(
                    QUEUE_ITEMS,
                    move |item| tx.send(item).expect("receiver alive"),
                    || rx.recv().expect("sender alive"),
                )
            }),
            Case::new("`std::sync::mpsc::sync_channel`", || {
                let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE_BOUND);
                relay(
                    QUEUE_ITEMS,
                    move |item| tx.send(item).expect("receiver alive"),
                    || rx.recv().expect("sender alive"),
                )
            }),
        ],
        target: Some(Target {
            peer: "`crossbeam_channel::bounded`",
            bound: Bound::AtLeast(0.5),
        }),
    }
}

// ---- pools ----

/// The cheap per-item work of the memory-bound map: the copies dominate.
fn step(x: u64) -> u64 {
    x * 2 + 1
}

/// The costly per-item work of the compute-bound map: 100 rounds of xorshift.
fn churn(mut x: u64) -> u64 {
    for _ in 0..100 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// Times `map` over fresh input vectors of `items` (built outside the measured time), `maps`
/// times, and checks that every output holds `f` of each item, in order.
fn timed_map(
    items: u64,
    maps: u64,
    f: fn(u64) -> u64,
    mut map: impl FnMut(Vec<u64>) -> Vec<u64>,
) -> Duration {
    (0..maps)
        .map(|_| {
            let input: Vec<u64> = (0..items).collect();
            let (output, elapsed) = time(|| map(input));
            assert_eq!(output.len() as u64, items);
            assert!(output
                .iter()
                .enumerate()
                .all(|(index, &value)| value == f(index as u64)));
            elapsed
        })
        .sum()
}

/// `Pool::map` beside rayon and a plain loop, mapping `f` over `items` numbers, `maps` maps a
/// sample.
fn map_comparison(
    workers: usize,
    title: String,
    f: fn(u64) -> u64,
    items: u64,
    maps: u64,
) -> Comparison {
    let pool = racecheck::Pool::new(workers);
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a rayon pool of the machine's size");
    Comparison {
        title,
        unit: Unit::MillionsPerSecond {
            count: items * maps,
            what: "items",
        },
        cases: vec![
            Case::new("racecheck `Pool::map`", move || {
                timed_map(items, maps, f, |input| pool.map(f, input))
            }),
            Case::new("rayon `into_par_iter().map().collect()`", move || {
                timed_map(items, maps, f, |input| {
                    rayon_pool.install(|| input.into_par_iter().map(f).collect())
                })
            }),
            Case::new("plain loop, 1 thread", move || {
                timed_map(items, maps, f, |input| input.into_iter().map(f).collect())
            }),
        ],
        target: Some(Target {
            peer: "rayon `into_par_iter().map().collect()`",
            bound: Bound::AtLeast(0.7),
        }),
    }
}

fn pool_map(workers: usize) -> Comparison {
    let title = format!("map `x * 2 + 1` over 10^6 u64, {workers} workers");
    map_comparison(workers, title, step, MAP_ITEMS, MAPS_PER_SAMPLE)
}

fn pool_map_compute(workers: usize) -> Comparison {
    let title = format!("map 100 xorshift rounds over 10^5 u64, {workers} workers");
    map_comparison(workers, title, churn, COMPUTE_ITEMS, 1)
}
