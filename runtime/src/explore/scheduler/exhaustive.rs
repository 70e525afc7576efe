//! The exhaustive strategy: every interleaving up to equivalence, one after another, by the
//! search in [`dpor`](super::dpor). Each schedule follows from the ones before it, so they run in
//! sequence (all of them are "calibration" schedules to the runner), and the search stops the
//! exploration once it has nothing left to try.

use std::sync::{Arc, Mutex, MutexGuard};

use super::dpor::{Search, Share};
use super::{Candidate, Coverage, Policy, Scheduler, ThreadId};
use crate::explore::ids::MAIN_THREAD;
use crate::explore::rng::SplitMix64;
use crate::explore::trace::Event;

/// The search, shared with the scheduler of the schedule being run.
pub(crate) struct ExhaustivePolicy {
    search: Arc<Mutex<Search>>,
}

impl ExhaustivePolicy {
    pub(crate) fn new(preemption_bound: Option<usize>, share: Share) -> Self {
        ExhaustivePolicy {
            search: Arc::new(Mutex::new(Search::new(preemption_bound, share))),
        }
    }

    fn search(&self) -> MutexGuard<'_, Search> {
        lock(&self.search)
    }
}

fn lock(search: &Mutex<Search>) -> MutexGuard<'_, Search> {
    search.lock().unwrap_or_else(|e| e.into_inner())
}

const NOT_DETERMINISTIC: &str = "racecheck: the exhaustive search replayed a schedule and the \
    program took other turns: it is not deterministic under exploration (it reads the clock, \
    randomness, the environment, or state an earlier schedule left behind)";

impl Policy for ExhaustivePolicy {
    fn calibration_schedules(&self) -> usize {
        usize::MAX
    }

    fn observe(&mut self, _index: usize, _contested_steps: usize) {
        let mut search = self.search();
        search.schedule_ended();
        if search.diverged() {
            drop(search);
            panic!("{NOT_DETERMINISTIC}");
        }
    }

    fn exhausted(&self) -> bool {
        self.search().finished()
    }

    fn coverage(&self) -> Option<Coverage> {
        let search = self.search();
        Some(Coverage {
            interleavings: search.interleavings(),
            preemption_bound: search.bound(),
            complete: search.finished(),
        })
    }

    fn scheduler(&self, _rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        Box::new(ExhaustiveScheduler {
            search: Arc::clone(&self.search),
        })
    }
}

/// Follows the search's path, and extends it.
struct ExhaustiveScheduler {
    search: Arc<Mutex<Search>>,
}

impl Scheduler for ExhaustiveScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        last: Option<ThreadId>,
        _step: usize,
    ) -> ThreadId {
        lock(&self.search).next_thread(candidates, last.unwrap_or(MAIN_THREAD))
    }

    /// The engine draws through [`Scheduler::choose`]; a bare draw is a choice of two.
    fn next_u64(&mut self) -> u64 {
        self.choose(2) as u64
    }

    fn choose(&mut self, outcomes: usize) -> usize {
        lock(&self.search).choose(outcomes)
    }

    fn step_events(&mut self, events: &[Event]) {
        lock(&self.search).step_done(events);
    }
}
