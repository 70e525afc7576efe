//! Probabilistic Concurrency Testing: S. Burckhardt, P. Kothari, M. Musuvathi, S. Nagarakatte,
//! "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010, in the
//! variant of Coyote and shuttle.
//!
//! Every thread gets a random priority; the highest-priority runnable thread always runs. At
//! `depth - 1` distinct change points, drawn uniformly over the `k` steps a schedule is expected
//! to take, the thread that ran last drops below every other priority (a later change point
//! drops it lower still). A bug of depth `d` among `n` threads is then found with probability at
//! least `1 / (n * k^(d-1))` per schedule, so `k` counts only the steps that are a real choice:
//! those where more than one thread can run (the paper's "identifying sequential execution": a
//! change point while one thread runs alone changes nothing a later one could not).
//!
//! `k` is first measured by a schedule that runs the oldest runnable thread first, with no change
//! points (the exploration's schedule 0), then raised to the most a later schedule took: the
//! first [`CALIBRATION_SCHEDULES`] run in sequence, each with the most any earlier one took as
//! its `k`, as shuttle runs all of them; the rest share the most any of those took. `k` thus
//! depends on the seed alone, whichever worker runs what.

use super::{Candidate, Policy, Scheduler, ThreadId};
use crate::explore::rng::SplitMix64;

/// Schedules run in sequence, each refining the estimate of a schedule's contested steps, before
/// the workers share out the rest.
const CALIBRATION_SCHEDULES: usize = 16;

/// PCT at one depth, with its calibration of `k`.
pub(crate) struct PctPolicy {
    depth: usize,
    /// The most contested steps a calibration schedule took (`None` before the first ended).
    estimate: Option<usize>,
}

impl PctPolicy {
    pub(crate) fn new(depth: usize) -> Self {
        PctPolicy {
            depth,
            estimate: None,
        }
    }
}

impl Policy for PctPolicy {
    fn calibration_schedules(&self) -> usize {
        CALIBRATION_SCHEDULES
    }

    fn observe(&mut self, _index: usize, contested_steps: usize) {
        self.estimate = Some(self.estimate.unwrap_or(0).max(contested_steps));
    }

    fn scheduler(&self, rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        Box::new(match self.estimate {
            Some(steps) => PctScheduler::new(rng, self.depth, steps),
            None => PctScheduler::oldest_first(),
        })
    }
}

pub(crate) struct PctScheduler {
    rng: SplitMix64,
    /// Priority of each thread, by id; higher runs first.
    priorities: Vec<u64>,
    /// Whether new threads get random priorities (else the oldest thread ranks highest).
    randomized: bool,
    /// The contested steps (counted from 0) before which the thread that ran last is demoted,
    /// ascending.
    change_points: Vec<usize>,
    /// The priority the next demotion gives: below every initial one and every earlier demotion.
    next_demotion: u64,
    /// Steps so far at which more than one thread could run.
    contested_steps: usize,
}

/// Initial priorities lie above this, demotions below it.
const DEMOTION_CEILING: u64 = 1 << 32;

impl PctScheduler {
    /// A PCT schedule of a program whose schedules take about `contested_steps` contested steps.
    pub(crate) fn new(mut rng: SplitMix64, depth: usize, contested_steps: usize) -> Self {
        let mut change_points = distinct_sample(
            &mut rng,
            contested_steps.saturating_sub(1),
            depth.saturating_sub(1),
        );
        // Point 0 would demote before any choice was made: the random priorities cover it.
        for point in &mut change_points {
            *point += 1;
        }
        change_points.sort_unstable();
        PctScheduler {
            rng,
            priorities: Vec::new(),
            randomized: true,
            change_points,
            next_demotion: DEMOTION_CEILING,
            contested_steps: 0,
        }
    }

    /// The calibration schedule: oldest runnable thread first, never demoted.
    pub(crate) fn oldest_first() -> Self {
        PctScheduler {
            rng: SplitMix64::new(0),
            priorities: Vec::new(),
            randomized: false,
            change_points: Vec::new(),
            next_demotion: DEMOTION_CEILING,
            contested_steps: 0,
        }
    }

    fn priority(&self, thread: ThreadId) -> u64 {
        self.priorities.get(thread).copied().unwrap_or(0)
    }
}

/// `count` distinct numbers in `0..n` (fewer if `n < count`), by Floyd's algorithm.
fn distinct_sample(rng: &mut SplitMix64, n: usize, count: usize) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(count.min(n));
    for upper in n - count.min(n)..n {
        let pick = rng.below(upper + 1);
        chosen.push(if chosen.contains(&pick) { upper } else { pick });
    }
    chosen
}

impl Scheduler for PctScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        last: Option<ThreadId>,
        _step: usize,
    ) -> ThreadId {
        if candidates.len() > 1 {
            if self.change_points.first() == Some(&self.contested_steps) {
                self.change_points.remove(0);
                if let Some(slot) = last.and_then(|thread| self.priorities.get_mut(thread)) {
                    self.next_demotion -= 1;
                    *slot = self.next_demotion;
                }
            }
            self.contested_steps += 1;
        }
        candidates
            .iter()
            .max_by_key(|candidate| self.priority(candidate.thread))
            .expect("candidates are never empty")
            .thread
    }

    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    fn thread_created(&mut self, thread: ThreadId) {
        if self.priorities.len() <= thread {
            self.priorities.resize(thread + 1, 0);
        }
        self.priorities[thread] = if self.randomized {
            // Random (distinct in practice: 63 bits) and above every demotion.
            DEMOTION_CEILING + (self.rng.next_u64() >> 1)
        } else {
            u64::MAX - thread as u64
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::candidates;
    use super::*;

    fn with_threads(mut scheduler: PctScheduler, threads: usize) -> PctScheduler {
        for thread in 0..threads {
            scheduler.thread_created(thread);
        }
        scheduler
    }

    #[test]
    fn the_highest_priority_thread_runs_until_a_change_point() {
        let mut scheduler = with_threads(PctScheduler::new(SplitMix64::new(11), 2, 10), 3);
        let options = candidates(&[0, 1, 2]);
        let change = scheduler.change_points[0];
        assert!((1..10).contains(&change));
        let first = scheduler.next_thread(&options, None, 0);
        for step in 1..change {
            assert_eq!(scheduler.next_thread(&options, Some(first), step), first);
        }
        let after = scheduler.next_thread(&options, Some(first), change);
        assert_ne!(after, first, "the thread that ran last is demoted");
        assert_eq!(
            scheduler.next_thread(&options, Some(after), change + 1),
            after
        );
    }

    #[test]
    fn steps_with_one_runnable_thread_do_not_count_toward_change_points() {
        let mut scheduler = with_threads(PctScheduler::new(SplitMix64::new(3), 2, 4), 2);
        let change = scheduler.change_points[0];
        let both = candidates(&[0, 1]);
        let first = scheduler.next_thread(&both, None, 0);
        let alone = candidates(&[first]);
        for step in 1..100 {
            assert_eq!(scheduler.next_thread(&alone, Some(first), step), first);
        }
        for step in 1..change {
            assert_eq!(scheduler.next_thread(&both, Some(first), 100 + step), first);
        }
        assert_ne!(scheduler.next_thread(&both, Some(first), 200), first);
    }

    #[test]
    fn the_thread_that_ran_last_is_demoted_below_the_others_and_later_demotions_lower_still() {
        let mut scheduler = with_threads(PctScheduler::new(SplitMix64::new(9), 3, 3), 3);
        assert_eq!(scheduler.change_points, [1, 2]);
        let mut ranked = [0, 1, 2];
        ranked.sort_by_key(|&thread| std::cmp::Reverse(scheduler.priority(thread)));
        let [high, middle, low] = ranked;
        let all = candidates(&[0, 1, 2]);
        assert_eq!(scheduler.next_thread(&all, None, 0), high);
        assert_eq!(scheduler.next_thread(&all, Some(high), 1), middle);
        // `middle` just blocked: it is demoted all the same, below `high`.
        let mut unblocked = [high, low];
        unblocked.sort_unstable();
        assert_eq!(
            scheduler.next_thread(&candidates(&unblocked), Some(middle), 2),
            low
        );
        let mut demoted = [high, middle];
        demoted.sort_unstable();
        assert_eq!(
            scheduler.next_thread(&candidates(&demoted), Some(low), 3),
            high
        );
    }

    #[test]
    fn change_points_are_distinct_and_within_the_estimate() {
        for seed in 0..200 {
            let scheduler = PctScheduler::new(SplitMix64::new(seed), 5, 6);
            let points = &scheduler.change_points;
            assert_eq!(points.len(), 4);
            assert!(points.windows(2).all(|pair| pair[0] < pair[1]));
            assert!(points.iter().all(|point| (1..6).contains(point)));
        }
        let short = PctScheduler::new(SplitMix64::new(1), 5, 3);
        assert_eq!(short.change_points, [1, 2], "no more points than steps");
        assert!(PctScheduler::new(SplitMix64::new(1), 3, 0)
            .change_points
            .is_empty());
    }

    #[test]
    fn initial_priorities_are_a_fresh_random_order_per_schedule() {
        let orders: std::collections::HashSet<Vec<ThreadId>> = (0..50)
            .map(|index| {
                let scheduler = with_threads(
                    PctScheduler::new(SplitMix64::for_schedule(7, index), 3, 10),
                    3,
                );
                let mut order = vec![0, 1, 2];
                order.sort_by_key(|&thread| std::cmp::Reverse(scheduler.priority(thread)));
                order
            })
            .collect();
        assert_eq!(orders.len(), 6, "every order of three threads occurs");
    }

    #[test]
    fn the_calibration_schedule_runs_the_oldest_thread_first() {
        let mut scheduler = with_threads(PctScheduler::oldest_first(), 4);
        assert_eq!(scheduler.next_thread(&candidates(&[1, 2, 3]), None, 0), 1);
        assert_eq!(scheduler.next_thread(&candidates(&[0, 3]), Some(1), 1), 0);
        assert!(
            (2..100).all(|step| scheduler.next_thread(&candidates(&[2, 3]), Some(0), step) == 2)
        );
    }

    #[test]
    fn depth_one_never_preempts() {
        let mut scheduler = with_threads(PctScheduler::new(SplitMix64::new(5), 1, 10), 2);
        assert!(scheduler.change_points.is_empty());
        let options = candidates(&[0, 1]);
        let first = scheduler.next_thread(&options, None, 0);
        assert!((1..50).all(|step| scheduler.next_thread(&options, Some(first), step) == first));
    }
}
