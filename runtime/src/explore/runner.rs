//! Distributing schedules over worker threads, deterministically: schedule `i` depends only on
//! (seed, i), workers claim indices in increasing order, and when a schedule fails the others
//! finish every lower index and skip the higher ones, so the report (the lowest failing schedule)
//! is the same for any number of workers.
//!
//! PCT's first schedules are the exception: they run one after another on the calling thread,
//! each refining the estimate of a schedule's length that the later ones use (see
//! `Outcomes::calibrate_pct`), so that estimate depends on the seed alone too.
//!
//! A schedule whose only findings are lock-order cycles is a warning, not a failure: exploration
//! goes on looking for a schedule that actually deadlocks (or fails otherwise), and reports the
//! lowest warning only if none does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::config::{Config, Strategy};
use super::execution::{run_schedule, Body, Limits, ScheduleResult};
use super::finding::{Finding, FindingKind, Report};
use super::scheduler;
use super::token::{self, RecordedSchedule};
use super::watchdog::{Heart, Watchdog};

/// PCT schedules run in sequence, each refining the estimate of a schedule's contested steps,
/// before the workers share out the rest.
const PCT_CALIBRATION_SCHEDULES: usize = 16;

/// Panics at the caller's call of `explore` or `replay` when it cannot explore.
#[track_caller]
pub(crate) fn run(config: Config, body: Body) -> Report {
    if super::context().is_some() {
        panic!("racecheck: `explore` and `replay` cannot run inside an explored schedule");
    }
    if let Err(error) = config.validate() {
        panic!("racecheck: {error}");
    }
    super::context::install_panic_hook();
    let (schedules, max_steps, replayed) = match &config.strategy {
        Strategy::Replay(text) => {
            let recorded = token::decode(text)
                .unwrap_or_else(|error| panic!("racecheck: invalid replay token: {error}"));
            (1, recorded.max_steps, Some(recorded))
        }
        _ => (config.schedules, config.max_steps, None),
    };
    let plan = Plan {
        config: &config,
        body: &body,
        limits: Limits {
            max_steps,
            stack_size: config.stack_size,
        },
        replayed: replayed.as_ref(),
        watchdog: Watchdog::start(config.stall_timeout),
    };
    let outcomes = Outcomes::default();

    let estimate = if matches!(config.strategy, Strategy::Pct { .. }) {
        outcomes.calibrate_pct(&plan, schedules)
    } else {
        None
    };
    let remaining = schedules.saturating_sub(outcomes.next.load(Ordering::Relaxed));
    let workers = worker_count(config.workers).min(remaining);
    if workers == 1 {
        outcomes.work(&plan, estimate, schedules);
    } else if workers > 1 {
        std::thread::scope(|scope| {
            for worker in 0..workers {
                let (plan, outcomes) = (&plan, &outcomes);
                std::thread::Builder::new()
                    .name(format!("racecheck-explore-{worker}"))
                    .spawn_scoped(scope, move || outcomes.work(plan, estimate, schedules))
                    .expect("racecheck: cannot start an exploration worker thread");
            }
        });
    }
    outcomes.report(schedules)
}

fn worker_count(configured: usize) -> usize {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

struct Plan<'a> {
    config: &'a Config,
    body: &'a Body,
    limits: Limits,
    replayed: Option<&'a RecordedSchedule>,
    watchdog: Option<Watchdog>,
}

impl Plan<'_> {
    /// A heart for the calling worker to beat, when stalls are watched for.
    fn heart(&self) -> Option<Arc<Heart>> {
        self.watchdog.as_ref().map(Watchdog::heart)
    }

    fn run(
        &self,
        index: usize,
        estimate: Option<usize>,
        heart: Option<&Arc<Heart>>,
    ) -> ScheduleResult {
        let scheduler = scheduler::for_schedule(
            &self.config.strategy,
            self.config.seed,
            index,
            estimate,
            self.replayed,
        );
        run_schedule(self.body, scheduler, self.limits, index, heart.cloned())
    }
}

const DIVERGED_REPLAY: &str = "racecheck: the replay diverged from its token and reproduced \
    nothing: the token was recorded from another program (a replay names one test or binary), \
    or the program or its inputs changed since";

/// Why a schedule failed.
enum Failure {
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
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            next: AtomicUsize::new(0),
            first_failure: AtomicUsize::new(usize::MAX),
            failure: Mutex::new(None),
            warning: Mutex::new(None),
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
    /// Runs PCT's first schedules one after another, as shuttle runs all of them: schedule 0
    /// oldest-thread-first, to count the contested steps of a schedule, and each next one with
    /// the most any earlier one took as the estimate its change points are spread over. The
    /// estimate the workers then share is the most any of these took: it depends on the seed
    /// alone, whichever worker runs what.
    fn calibrate_pct(&self, plan: &Plan<'_>, schedules: usize) -> Option<usize> {
        let mut estimate = None;
        let heart = plan.heart();
        for index in 0..schedules.min(PCT_CALIBRATION_SCHEDULES) {
            if self.first_failure.load(Ordering::Relaxed) != usize::MAX {
                break;
            }
            let result = plan.run(index, estimate, heart.as_ref());
            estimate = Some(estimate.unwrap_or(0).max(result.contested_steps));
            self.next.store(index + 1, Ordering::Relaxed);
            self.record(index, result);
        }
        estimate
    }

    /// Claims and runs schedules until they run out or a lower one has failed.
    fn work(&self, plan: &Plan<'_>, estimate: Option<usize>, schedules: usize) {
        let heart = plan.heart();
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            if index >= schedules || index > self.first_failure.load(Ordering::Relaxed) {
                return;
            }
            self.record(index, plan.run(index, estimate, heart.as_ref()));
        }
    }

    fn record(&self, index: usize, result: ScheduleResult) {
        let failure = match result.usage_error {
            Some(message) => Failure::Usage(message),
            // A diverged replay that found something says so in its findings.
            None if result.replay_diverged && result.findings.is_empty() => {
                Failure::Usage(DIVERGED_REPLAY.to_owned())
            }
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
    fn report(self, schedules: usize) -> Report {
        let failure = self.failure.into_inner().unwrap_or_else(|e| e.into_inner());
        let warning = self.warning.into_inner().unwrap_or_else(|e| e.into_inner());
        match (failure, warning) {
            (Some((_, Failure::Usage(message))), _) => panic!("{message}"),
            (Some((index, Failure::Findings(findings))), _) => Report {
                findings,
                schedules_run: index + 1,
            },
            (None, Some((_, findings))) => Report {
                findings,
                schedules_run: schedules,
            },
            (None, None) => Report {
                findings: Vec::new(),
                schedules_run: schedules,
            },
        }
    }
}
