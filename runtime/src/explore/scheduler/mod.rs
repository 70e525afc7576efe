//! Schedulers: who runs next, and how data choices fall.
//!
//! The engine asks at every scheduling point; a scheduler sees only the threads that can run
//! (blocked threads and, while others can run, spinning ones are already filtered out), each with
//! the source location of the operation it is about to perform. Modelled on AWS shuttle's
//! `Scheduler`: one instance per schedule, built from the exploration seed and the schedule's
//! index only, so schedule `i` is the same whichever worker runs it.

mod pct;
mod random;
mod replay;
mod targeted;

use super::config::Strategy;
use super::ids::{Loc, ThreadId};
use super::rng::SplitMix64;
use super::token::RecordedSchedule;

pub(crate) use pct::PctScheduler;
pub(crate) use random::RandomScheduler;
pub(crate) use replay::ReplayScheduler;
pub(crate) use targeted::TargetedScheduler;

/// A thread that may run next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub(crate) thread: ThreadId,
    /// Where its next operation is (`None`: it has not started yet).
    pub(crate) next_operation: Option<Loc>,
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

    /// A thread was created; schedulers that rank threads give it a rank here.
    fn thread_created(&mut self, _thread: ThreadId) {}

    /// Whether the choices stopped matching the program (only a replay can tell).
    fn diverged(&self) -> bool {
        false
    }
}

/// The scheduler of schedule `index` under `strategy`. `contested_steps` is PCT's estimate of
/// how many steps of a schedule offer a choice of thread; `None` before one is known makes
/// PCT's calibration schedule.
pub(crate) fn for_schedule(
    strategy: &Strategy,
    seed: u64,
    index: usize,
    contested_steps: Option<usize>,
    replayed: Option<&RecordedSchedule>,
) -> Box<dyn Scheduler> {
    let rng = SplitMix64::for_schedule(seed, index as u64);
    match strategy {
        Strategy::Random => Box::new(RandomScheduler::new(rng)),
        Strategy::Pct { depth } => Box::new(match contested_steps {
            Some(steps) => PctScheduler::new(rng, *depth, steps),
            None => PctScheduler::oldest_first(),
        }),
        Strategy::Targeted(targets) => Box::new(TargetedScheduler::new(rng, targets.clone())),
        Strategy::Replay(_) => Box::new(ReplayScheduler::new(
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
            })
            .collect()
    }
}
