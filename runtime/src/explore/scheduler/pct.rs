//! Probabilistic Concurrency Testing: S. Burckhardt, P. Kothari, M. Musuvathi, S. Nagarakatte,
//! "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010.
//!
//! Every thread gets a random priority (all above `depth`); the highest-priority runnable thread
//! always runs. At `depth - 1` change points, drawn uniformly over the estimated number of steps
//! `k`, the running thread drops to priority `depth - i`, below every initial priority. A bug of
//! depth `d` among `n` threads is then found with probability at least `1 / (n * k^(d-1))` per
//! schedule.

use super::{Candidate, Scheduler, ThreadId};
use crate::explore::rng::SplitMix64;

pub(crate) struct PctScheduler {
    rng: SplitMix64,
    /// Priority of each thread, by id; higher runs first.
    priorities: Vec<u64>,
    /// Steps at which the running thread is demoted, ascending, with the priority it drops to.
    change_points: Vec<(usize, u64)>,
    depth: usize,
}

impl PctScheduler {
    pub(crate) fn new(mut rng: SplitMix64, depth: usize, estimated_steps: usize) -> Self {
        let depth = depth.max(1);
        let steps = estimated_steps.max(1);
        let mut change_points: Vec<(usize, u64)> = (1..depth)
            .map(|i| (1 + rng.below(steps), (depth - i) as u64))
            .collect();
        change_points.sort_unstable();
        PctScheduler {
            rng,
            priorities: Vec::new(),
            change_points,
            depth,
        }
    }

    fn priority(&self, thread: ThreadId) -> u64 {
        self.priorities.get(thread).copied().unwrap_or(0)
    }
}

impl Scheduler for PctScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        current: Option<ThreadId>,
        step: usize,
    ) -> ThreadId {
        while let Some(&(at, lowered)) = self.change_points.first() {
            if at > step {
                break;
            }
            self.change_points.remove(0);
            if let Some(running) = current {
                if running < self.priorities.len() {
                    self.priorities[running] = lowered;
                }
            }
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
        // Random, distinct in practice (64 bits), and above every change-point priority.
        self.priorities[thread] = self.depth as u64 + 1 + (self.rng.next_u64() >> 1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::candidates;
    use super::*;

    #[test]
    fn the_highest_priority_thread_runs_until_a_change_point() {
        let mut scheduler = PctScheduler::new(SplitMix64::new(11), 2, 10);
        for thread in 0..3 {
            scheduler.thread_created(thread);
        }
        let options = candidates(&[0, 1, 2]);
        let change = scheduler.change_points[0].0;
        let first = scheduler.next_thread(&options, None, 0);
        for step in 1..change {
            assert_eq!(scheduler.next_thread(&options, Some(first), step), first);
        }
        let after = scheduler.next_thread(&options, Some(first), change);
        assert_ne!(
            after, first,
            "the running thread is demoted at the change point"
        );
        assert_eq!(
            scheduler.next_thread(&options, Some(after), change + 1),
            after
        );
    }

    #[test]
    fn depth_one_never_preempts() {
        let mut scheduler = PctScheduler::new(SplitMix64::new(5), 1, 10);
        assert!(scheduler.change_points.is_empty());
        scheduler.thread_created(0);
        scheduler.thread_created(1);
        let options = candidates(&[0, 1]);
        let first = scheduler.next_thread(&options, None, 0);
        assert!((1..50).all(|step| scheduler.next_thread(&options, Some(first), step) == first));
    }
}
