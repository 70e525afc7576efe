//! The exhaustive strategy: every interleaving up to equivalence, one after another, by the
//! search in [`dpor`](super::dpor). Each schedule follows from the ones before it, so they run in
//! sequence (all of them are "calibration" schedules to the runner), and the search stops the
//! exploration once it has nothing left to try. A share of a partitioned search runs the
//! schedules of its own units, probes the others' (see [`dpor`](super::dpor)), and keeps count of
//! what each of its units ran.

use std::sync::Arc;

use parking_lot::{MappedMutexGuard, Mutex, MutexGuard};

use super::dpor::{Search, Share};
use super::{Candidate, Coverage, Policy, Scheduler, ThreadId};
use crate::explore::finding::Unit;
use crate::explore::ids::MAIN_THREAD;
use crate::explore::partition::Partition;
use crate::explore::rng::SplitMix64;
use crate::explore::trace::Event;

/// The search; the scheduler of the schedule being run takes it while the schedule runs (its
/// every step asks the search, and a lock taken at each would cost more than the search's
/// bookkeeping), and gives it back when dropped, before the policy observes the schedule.
pub(crate) struct ExhaustivePolicy {
    search: Arc<Mutex<Option<Search>>>,
    partition: Partition,
    /// The units of this share run so far, in order.
    units: Vec<Unit>,
    /// Whether the schedule observed last is this share's.
    last_owned: bool,
}

impl ExhaustivePolicy {
    pub(crate) fn new(preemption_bound: Option<usize>, partition: Partition) -> Self {
        let share = Share {
            index: partition.shard - 1,
            count: partition.shards,
        };
        ExhaustivePolicy {
            search: Arc::new(Mutex::new(Some(Search::new(preemption_bound, share)))),
            partition,
            units: Vec::new(),
            last_owned: true,
        }
    }

    fn search(&self) -> MappedMutexGuard<'_, Search> {
        lock(&self.search)
    }
}

/// The search, back from the last schedule's scheduler.
fn lock(search: &Mutex<Option<Search>>) -> MappedMutexGuard<'_, Search> {
    MutexGuard::map(search.lock(), |search| {
        search
            .as_mut()
            .expect("the search is back from its scheduler between schedules")
    })
}

const NOT_DETERMINISTIC: &str = "racecheck: the exhaustive search replayed a schedule and the \
    program took other turns: it is not deterministic under exploration (it reads the clock, \
    randomness, the environment, or state an earlier schedule left behind)";

impl Policy for ExhaustivePolicy {
    fn calibration_schedules(&self) -> usize {
        usize::MAX
    }

    fn observe(&mut self, index: usize, _contested_steps: usize) {
        let mut search = lock(&self.search);
        let before = search.interleavings();
        search.schedule_ended();
        if search.diverged() {
            drop(search);
            panic!("{NOT_DETERMINISTIC}");
        }
        let interleavings = search.interleavings() - before;
        let (unit, owned) = search.last_unit();
        self.last_owned = owned;
        if !owned {
            return;
        }
        match self.units.last_mut() {
            Some(last) if last.unit == unit => {
                last.schedules += 1;
                last.interleavings += interleavings;
            }
            _ => self.units.push(Unit {
                unit,
                first: index,
                schedules: 1,
                interleavings,
            }),
        }
    }

    fn owns(&self, _index: usize, _partition: Partition) -> bool {
        self.last_owned
    }

    fn units(&self) -> Option<Vec<Unit>> {
        (!self.partition.is_whole()).then(|| self.units.clone())
    }

    fn exhausted(&self) -> bool {
        self.search().finished()
    }

    fn coverage(&self) -> Option<Coverage> {
        let search = self.search();
        Some(Coverage {
            interleavings: self.units.iter().map(|unit| unit.interleavings).sum(),
            preemption_bound: search.bound(),
            complete: search.finished(),
        })
    }

    fn scheduler(&self, _rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        let search = self
            .search
            .lock()
            .take()
            .expect("one schedule of the search runs at a time");
        Box::new(ExhaustiveScheduler {
            search: Some(search),
            home: Arc::clone(&self.search),
        })
    }
}

/// Follows the search's path, and extends it.
struct ExhaustiveScheduler {
    /// Taken from `home` for the schedule, given back when dropped.
    search: Option<Search>,
    home: Arc<Mutex<Option<Search>>>,
}

impl ExhaustiveScheduler {
    fn search(&mut self) -> &mut Search {
        self.search
            .as_mut()
            .expect("the scheduler holds the search until dropped")
    }
}

impl Drop for ExhaustiveScheduler {
    fn drop(&mut self) {
        *self.home.lock() = self.search.take();
    }
}

impl Scheduler for ExhaustiveScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        last: Option<ThreadId>,
        _step: usize,
    ) -> ThreadId {
        self.search()
            .next_thread(candidates, last.unwrap_or(MAIN_THREAD))
    }

    /// The engine draws through [`Scheduler::choose`]; a bare draw is a choice of two.
    fn next_u64(&mut self) -> u64 {
        self.choose(2) as u64
    }

    fn choose(&mut self, outcomes: usize) -> usize {
        self.search().choose(outcomes)
    }

    fn step_events(&mut self, events: &[Event]) {
        self.search().step_done(events);
    }
}
