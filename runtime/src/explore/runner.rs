//! Distributing schedules over worker threads, deterministically: schedule `i` depends only on
//! (seed, i), workers claim indices in increasing order, and when a schedule fails the others
//! finish every lower index and skip the higher ones, so the report (the lowest failing schedule)
//! is the same for any number of workers.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::config::{Config, Strategy};
use super::execution::{run_schedule, Body, ScheduleResult};
use super::finding::Report;
use super::scheduler;
use super::token::{self, RecordedSchedule};

/// PCT's estimate of a schedule's length before one has run.
const DEFAULT_STEP_ESTIMATE: usize = 64;

pub(crate) fn run(config: Config, body: Body) -> Report {
    if super::context().is_some() {
        panic!("racecheck: `explore` and `replay` cannot run inside an explored schedule");
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
        max_steps,
        replayed: replayed.as_ref(),
    };
    if schedules == 0 {
        return Report::default();
    }

    // PCT spreads its change points over the expected length of a schedule: schedule 0 runs first
    // to measure it, so the estimate depends on the seed alone.
    let mut estimate = DEFAULT_STEP_ESTIMATE;
    let mut start = 0;
    if matches!(config.strategy, Strategy::Pct { .. }) {
        let first = plan.run(0, estimate);
        if let Some(report) = conclude(
            first.usage_error.clone(),
            BTreeMap::from([(0, first.findings.clone())]),
        ) {
            return report;
        }
        estimate = first.steps.max(1);
        start = 1;
    }
    let failures = Failures::new(start);
    let workers = worker_count(config.workers).min(schedules - start).max(1);
    if workers == 1 {
        failures.work(&plan, estimate, schedules);
    } else {
        std::thread::scope(|scope| {
            for worker in 0..workers {
                let (plan, failures) = (&plan, &failures);
                std::thread::Builder::new()
                    .name(format!("racecheck-explore-{worker}"))
                    .spawn_scoped(scope, move || failures.work(plan, estimate, schedules))
                    .expect("racecheck: cannot start an exploration worker thread");
            }
        });
    }
    let Failures {
        first,
        found,
        usage_error,
        ..
    } = failures;
    let first = first.into_inner();
    let usage_error = usage_error.into_inner().unwrap_or_else(|e| e.into_inner());
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    conclude(
        usage_error
            .filter(|(index, _)| *index == first)
            .map(|(_, m)| m),
        found,
    )
    .unwrap_or(Report {
        findings: Vec::new(),
        schedules_run: schedules,
    })
}

fn worker_count(configured: usize) -> usize {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// The report when a schedule failed, `None` when none did. A usage error is the program's
/// misuse of racecheck, not a finding: it is raised in the caller.
fn conclude(
    usage_error: Option<String>,
    found: BTreeMap<usize, Vec<super::Finding>>,
) -> Option<Report> {
    if let Some(message) = usage_error {
        panic!("{message}");
    }
    let (&index, findings) = found.iter().find(|(_, findings)| !findings.is_empty())?;
    Some(Report {
        findings: findings.clone(),
        schedules_run: index + 1,
    })
}

struct Plan<'a> {
    config: &'a Config,
    body: &'a Body,
    max_steps: usize,
    replayed: Option<&'a RecordedSchedule>,
}

impl Plan<'_> {
    fn run(&self, index: usize, estimate: usize) -> ScheduleResult {
        let scheduler = scheduler::for_schedule(
            &self.config.strategy,
            self.config.seed,
            index,
            estimate,
            self.replayed,
        );
        run_schedule(self.body, scheduler, self.max_steps, index)
    }
}

/// The shared bookkeeping of the workers.
struct Failures {
    next: AtomicUsize,
    /// The lowest failing index so far (`usize::MAX`: none).
    first: AtomicUsize,
    found: Mutex<BTreeMap<usize, Vec<super::Finding>>>,
    usage_error: Mutex<Option<(usize, String)>>,
}

impl Failures {
    fn new(start: usize) -> Self {
        Failures {
            next: AtomicUsize::new(start),
            first: AtomicUsize::new(usize::MAX),
            found: Mutex::new(BTreeMap::new()),
            usage_error: Mutex::new(None),
        }
    }

    /// Claims and runs schedules until they run out or a lower one has failed.
    fn work(&self, plan: &Plan<'_>, estimate: usize, schedules: usize) {
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            if index >= schedules || index > self.first.load(Ordering::Relaxed) {
                return;
            }
            let result = plan.run(index, estimate);
            if result.findings.is_empty() && result.usage_error.is_none() {
                continue;
            }
            self.first.fetch_min(index, Ordering::Relaxed);
            if let Some(message) = result.usage_error {
                let mut usage = self.usage_error.lock().unwrap_or_else(|e| e.into_inner());
                if usage.as_ref().is_none_or(|(other, _)| index < *other) {
                    *usage = Some((index, message));
                }
            }
            self.found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(index, result.findings);
        }
    }
}
