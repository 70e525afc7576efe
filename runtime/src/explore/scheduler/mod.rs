//! Schedulers: who runs next, and how data choices fall.
//!
//! The engine asks at every scheduling point; a scheduler sees only the threads that can run
//! (blocked threads and, while others can run, spinning ones are already filtered out), each with
//! the source location of the operation it is about to perform. Modelled on AWS shuttle's
//! `Scheduler`: one instance per schedule, built from the exploration seed and the schedule's
//! index only, so schedule `i` is the same whichever worker runs it. The exhaustive search is
//! the exception: each of its schedules follows from the ones before, so its policy runs them in
//! sequence (see [`Policy::calibration_schedules`]) and its scheduler is also told what each step
//! did ([`Scheduler::step_events`]) and when the schedule ends ([`Policy::observe`]).

mod dpor;
mod exhaustive;
mod pct;
mod portfolio;
mod random;
mod replay;
mod targeted;

use super::config::Strategy;
use super::finding::{Coverage, Unit};
use super::ids::{Loc, ThreadId};
use super::partition::Partition;
use super::rng::SplitMix64;
use super::token::RecordedSchedule;
use super::trace::Event;

use exhaustive::ExhaustivePolicy;
use pct::PctPolicy;
use portfolio::Portfolio;
use random::RandomPolicy;
use replay::ReplayPolicy;
use targeted::TargetedPolicy;

/// A thread that may run next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub(crate) thread: ThreadId,
    /// Where its next operation is (`None`: it has not started yet).
    pub(crate) next_operation: Option<Loc>,
    /// Its next operation waits for something that does not hold yet: running it now would only
    /// block it.
    pub(crate) would_block: bool,
}

pub(crate) trait Scheduler {
    /// Picks one of `candidates` (never empty, sorted by thread id) to run the next step.
    /// `last` is the thread that ran the last step, whether or not it can go on.
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        last: Option<ThreadId>,
        step: usize,
    ) -> ThreadId;

    /// A deterministic number for a data choice (does this timeout fire now?).
    fn next_u64(&mut self) -> u64;

    /// A data choice among `outcomes` (at least 2). The exhaustive search tries each outcome;
    /// the others draw one.
    fn choose(&mut self, outcomes: usize) -> usize {
        (self.next_u64() % outcomes as u64) as usize
    }

    /// The events the step just run recorded (the first call: the main thread's first step).
    /// Only a search that reasons about which steps commute needs them.
    fn step_events(&mut self, _events: &[Event]) {}

    /// A thread was created; schedulers that rank threads give it a rank here.
    fn thread_created(&mut self, _thread: ThreadId) {}

    /// Whether the choices stopped matching the program (only a replay can tell).
    fn diverged(&self) -> bool {
        false
    }
}

/// A strategy's plan for a whole exploration: the scheduler of each schedule, one file per
/// strategy. Schedule `i`'s scheduler depends on the seed and `i` alone, and on what the first
/// [`calibration_schedules`](Policy::calibration_schedules) showed: those run one after another,
/// each observed before the next is made, so what they teach depends on the seed alone too.
pub(crate) trait Policy: Sync {
    /// How many of the first schedules run in sequence, each seen by [`Policy::observe`].
    fn calibration_schedules(&self) -> usize {
        0
    }

    /// Calibration schedule `index` ended after `contested_steps` steps that offered a choice of
    /// thread.
    fn observe(&mut self, _index: usize, _contested_steps: usize) {}

    /// Whether a search has run every schedule it needs: no more need to run, and the
    /// exploration is complete ([`Policy::coverage`]).
    fn exhausted(&self) -> bool {
        false
    }

    /// Whether schedule `index`, just run (and observed, for a calibration schedule), is one of
    /// `partition`'s: the runner reports only those. A sampling strategy's share is by index
    /// alone (so its other schedules need not run at all); the exhaustive search's, by unit of
    /// its search.
    fn owns(&self, index: usize, partition: Partition) -> bool {
        partition.owns(index)
    }

    /// For a search run as one share of several, the units of the search it ran; `None` when
    /// schedule indices are the same in every share.
    fn units(&self) -> Option<Vec<Unit>> {
        None
    }

    /// What a systematic search covered so far; `None` for a sampling strategy.
    fn coverage(&self) -> Option<Coverage> {
        None
    }

    /// The scheduler of schedule `index`; `rng` is seeded from (seed, `index`).
    fn scheduler(&self, rng: SplitMix64, index: usize) -> Box<dyn Scheduler>;
}

/// The policy of `strategy` for the exploration seeded with `seed`, for `partition`'s share (the
/// exhaustive search hands out subtrees; the others share out indices in the runner); a replay
/// follows `replayed`'s choices.
pub(crate) fn policy(
    strategy: &Strategy,
    seed: u64,
    replayed: Option<&RecordedSchedule>,
    partition: Partition,
) -> Box<dyn Policy> {
    match strategy {
        Strategy::Random => Box::new(RandomPolicy),
        Strategy::Pct { depth } => Box::new(PctPolicy::new(*depth)),
        Strategy::Portfolio => Box::new(Portfolio::new(seed)),
        Strategy::Targeted(targets) => Box::new(TargetedPolicy::new(targets.clone())),
        Strategy::Exhaustive { preemption_bound } => {
            Box::new(ExhaustivePolicy::new(*preemption_bound, partition))
        }
        Strategy::Replay(_) => Box::new(ReplayPolicy::new(
            replayed
                .map(|recorded| recorded.choices.clone())
                .unwrap_or_default(),
        )),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub(crate) fn candidates(threads: &[ThreadId]) -> Vec<Candidate> {
        threads
            .iter()
            .map(|&thread| Candidate {
                thread,
                next_operation: None,
                would_block: false,
            })
            .collect()
    }
}
