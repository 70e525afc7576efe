//! Distributing schedules over worker threads, deterministically: schedule `i` depends only on
//! (seed, i), workers claim indices in increasing order, and when a schedule fails the others
//! finish every lower index and skip the higher ones, so the report (the lowest failing schedule)
//! is the same for any number of workers.
//!
//! A strategy's calibration schedules are the exception (PCT's, which measure how long a schedule
//! is): they run one after another on the calling thread, each observed by the strategy's
//! [`Policy`] before the next is made, so what they teach depends on the seed alone too. The
//! exhaustive search runs all its schedules that way, and stops early once it has tried them all.
//!
//! A partitioned run (`Config::partition`) runs only its share: for a sampling strategy the
//! indices it owns (the others are skipped unrun, but a strategy's calibration schedules all run,
//! so that what they teach is the same in every share), for the exhaustive search the units of
//! the search its policy says are its own. A time budget stops the run from starting new
//! schedules; it decides nothing else.
//!
//! A schedule whose only findings are lock-order cycles is a warning, not a failure: exploration
//! goes on looking for a schedule that actually deadlocks (or fails otherwise), and reports the
//! lowest warning only if none does.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::config::{Config, Strategy};
use super::execution::{run_schedule, Body, Limits, ScheduleResult};
use super::finding::{Finding, FindingKind, Report};
use super::partition::Partition;
use super::progress::Progress;
use super::rng::SplitMix64;
use super::scheduler::{self, Policy};
use super::token;
use super::watchdog::{Heart, Watchdog};

/// Panics at the caller's call of `explore` or `replay` when it cannot explore, or when a replay
/// diverged from its token without finding anything.
#[track_caller]
pub(crate) fn run(config: Config, body: Body) -> Report {
    match run_or_diverged(config, body) {
        Ok(report) => report,
        Err(ReplayDiverged) => panic!("{DIVERGED_REPLAY}"),
    }
}

/// A replay's choices did not fit the program, and it found nothing.
#[derive(Debug)]
pub(crate) struct ReplayDiverged;

/// [`run`], with a diverged replay as an `Err` for the caller to decide on.
#[track_caller]
pub(crate) fn run_or_diverged(config: Config, body: Body) -> Result<Report, ReplayDiverged> {
    if super::context().is_some() {
        panic!("racecheck: `explore` and `replay` cannot run inside an explored schedule");
    }
    if let Err(error) = config.validate() {
        panic!("racecheck: {error}");
    }
    super::context::install_panic_hook();
    let (schedules, max_steps, replayed, partition) = match &config.strategy {
        Strategy::Replay(text) => {
            // A `match`, not a closure: the panic is reported at the caller's `replay`.
            let recorded = match token::decode(text) {
                Ok(recorded) => recorded,
                Err(error) => panic!("racecheck: invalid replay token: {error}"),
            };
            (1, recorded.max_steps, Some(recorded), Partition::WHOLE)
        }
        _ => (config.schedules, config.max_steps, None, config.partition),
    };
    let plan = Plan {
        seed: config.seed,
        body: &body,
        limits: Limits {
            max_steps,
            stack_size: config.stack_size,
        },
        watchdog: Watchdog::start(config.stall_timeout),
        progress: Progress::start(schedules),
        partition,
        deadline: config.time_budget.map(|budget| Instant::now() + budget),
    };
    let outcomes = Outcomes::default();

    let mut policy = scheduler::policy(&config.strategy, config.seed, replayed.as_ref(), partition);
    outcomes.calibrate(&plan, &mut *policy, schedules);
    let policy = &*policy;
    // A search that ran out of schedules to try before the limit has run all it needed.
    let schedules = if policy.exhausted() {
        outcomes.next.load(Ordering::Relaxed)
    } else {
        schedules
    };
    let remaining = schedules.saturating_sub(outcomes.next.load(Ordering::Relaxed));
    let workers = worker_count(config.workers).min(remaining);
    if workers == 1 {
        outcomes.work(&plan, policy, schedules);
    } else if workers > 1 {
        std::thread::scope(|scope| {
            for worker in 0..workers {
                let (plan, outcomes) = (&plan, &outcomes);
                std::thread::Builder::new()
                    .name(format!("racecheck-explore-{worker}"))
                    .spawn_scoped(scope, move || outcomes.work(plan, policy, schedules))
                    .expect("racecheck: cannot start an exploration worker thread");
            }
        });
    }
    let out_of_time = outcomes.out_of_time.load(Ordering::Relaxed);
    // Stopped by the time budget: every index claimed before it ran out has run.
    let schedules = if out_of_time {
        outcomes.next.load(Ordering::Relaxed).min(schedules)
    } else {
        schedules
    };
    let mut report = outcomes.report(schedules)?;
    report.coverage = policy.coverage();
    report.partition = partition;
    report.out_of_time = out_of_time;
    if let Some(units) = policy.units() {
        report.schedules_run = units.iter().map(|unit| unit.schedules).sum();
        report.units = units;
    } else {
        // The indices below the last one run, or the failing one, that are this share's.
        report.schedules_run = partition.count_below(report.schedules_run);
    }
    Ok(report)
}

fn worker_count(configured: usize) -> usize {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

struct Plan<'a> {
    seed: u64,
    body: &'a Body,
    limits: Limits,
    watchdog: Option<Watchdog>,
    progress: Progress,
    partition: Partition,
    /// When the time budget runs out.
    deadline: Option<Instant>,
}

impl Plan<'_> {
    fn out_of_time(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// A heart for the calling worker to beat, when stalls are watched for.
    fn heart(&self) -> Option<Arc<Heart>> {
        self.watchdog.as_ref().map(Watchdog::heart)
    }

    fn run(&self, index: usize, policy: &dyn Policy, heart: Option<&Arc<Heart>>) -> ScheduleResult {
        let rng = SplitMix64::for_schedule(self.seed, index as u64);
        let scheduler = policy.scheduler(rng, index);
        let result = run_schedule(self.body, scheduler, self.limits, index, heart.cloned());
        self.progress.schedule_done();
        result
    }
}

const DIVERGED_REPLAY: &str = "racecheck: the replay diverged from its token and reproduced \
    nothing: the token was recorded from another program (a replay names one test or binary), \
    or the program or its inputs changed since";

/// Why a schedule failed.
enum Failure {
    /// A replay whose choices did not fit the program found nothing.
    Diverged,
    Findings(Vec<Finding>),
    /// The program misused racecheck: raised in the caller, not reported.
    Usage(String),
}

/// The workers' shared bookkeeping.
struct Outcomes {
    next: AtomicUsize,
    /// The lowest failing index so far (`usize::MAX`: none).
    first_failure: AtomicUsize,
    failure: Mutex<Option<(usize, Failure)>>,
    /// The lowest schedule with warnings only.
    warning: Mutex<Option<(usize, Vec<Finding>)>>,
    /// The time budget stopped the run.
    out_of_time: AtomicBool,
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            next: AtomicUsize::new(0),
            first_failure: AtomicUsize::new(usize::MAX),
            failure: Mutex::new(None),
            warning: Mutex::new(None),
            out_of_time: AtomicBool::new(false),
        }
    }
}

/// Keeps the entry with the lower index.
fn keep_lowest<T>(slot: &Mutex<Option<(usize, T)>>, index: usize, value: T) {
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if slot.as_ref().is_none_or(|(other, _)| index < *other) {
        *slot = Some((index, value));
    }
}

impl Outcomes {
    /// Runs the policy's calibration schedules one after another on the calling thread, each
    /// observed before the next is made.
    fn calibrate(&self, plan: &Plan<'_>, policy: &mut dyn Policy, schedules: usize) {
        let heart = plan.heart();
        for index in 0..schedules.min(policy.calibration_schedules()) {
            if self.first_failure.load(Ordering::Relaxed) != usize::MAX
                || policy.exhausted()
                || self.stop_for_time(plan)
            {
                break;
            }
            let result = plan.run(index, policy, heart.as_ref());
            policy.observe(index, result.contested_steps);
            self.next.store(index + 1, Ordering::Relaxed);
            if policy.owns(index, plan.partition) {
                self.record(index, result);
            }
        }
    }

    /// Whether the time budget has run out (then no schedule starts any more).
    fn stop_for_time(&self, plan: &Plan<'_>) -> bool {
        let out = plan.out_of_time();
        if out {
            self.out_of_time.store(true, Ordering::Relaxed);
        }
        out
    }

    /// Claims and runs schedules until they run out or a lower one has failed.
    fn work(&self, plan: &Plan<'_>, policy: &dyn Policy, schedules: usize) {
        let heart = plan.heart();
        loop {
            if self.stop_for_time(plan) {
                return;
            }
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            if index >= schedules || index > self.first_failure.load(Ordering::Relaxed) {
                return;
            }
            // Past calibration a share is by index alone: another share's schedule never runs.
            if plan.partition.owns(index) {
                self.record(index, plan.run(index, policy, heart.as_ref()));
            }
        }
    }

    fn record(&self, index: usize, result: ScheduleResult) {
        let failure = match result.usage_error {
            Some(message) => Failure::Usage(message),
            // A diverged replay that found something says so in its findings.
            None if result.replay_diverged && result.findings.is_empty() => Failure::Diverged,
            None if result
                .findings
                .iter()
                .all(|f| f.kind == FindingKind::LockOrderCycle) =>
            {
                if !result.findings.is_empty() {
                    keep_lowest(&self.warning, index, result.findings);
                }
                return;
            }
            None => Failure::Findings(result.findings),
        };
        self.first_failure.fetch_min(index, Ordering::Relaxed);
        keep_lowest(&self.failure, index, failure);
    }

    /// The lowest failing schedule's findings, else the lowest warning's, else none.
    #[track_caller]
    fn report(self, schedules: usize) -> Result<Report, ReplayDiverged> {
        let failure = self.failure.into_inner().unwrap_or_else(|e| e.into_inner());
        let warning = self.warning.into_inner().unwrap_or_else(|e| e.into_inner());
        match (failure, warning) {
            (Some((_, Failure::Usage(message))), _) => panic!("{message}"),
            (Some((_, Failure::Diverged)), _) => Err(ReplayDiverged),
            (Some((index, Failure::Findings(findings))), _) => Ok(Report {
                findings,
                schedules_run: index + 1,
                ..Report::default()
            }),
            (None, Some((_, findings))) => Ok(Report {
                findings,
                schedules_run: schedules,
                ..Report::default()
            }),
            (None, None) => Ok(Report {
                findings: Vec::new(),
                schedules_run: schedules,
                ..Report::default()
            }),
        }
    }
}
