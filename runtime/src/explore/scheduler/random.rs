//! Uniformly random choices: simple, and surprisingly good at shallow bugs.

use super::{Candidate, Policy, Scheduler, ThreadId};
use crate::explore::rng::SplitMix64;

/// Every schedule random.
pub(crate) struct RandomPolicy;

impl Policy for RandomPolicy {
    fn scheduler(&self, rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        Box::new(RandomScheduler::new(rng))
    }
}

pub(crate) struct RandomScheduler {
    rng: SplitMix64,
}

impl RandomScheduler {
    pub(crate) fn new(rng: SplitMix64) -> Self {
        RandomScheduler { rng }
    }
}

impl Scheduler for RandomScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        _current: Option<ThreadId>,
        _step: usize,
    ) -> ThreadId {
        candidates[self.rng.below(candidates.len())].thread
    }

    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::candidates;
    use super::*;

    #[test]
    fn picks_only_candidates_and_all_of_them() {
        let mut scheduler = RandomScheduler::new(SplitMix64::new(3));
        let options = candidates(&[1, 4, 6]);
        let picks: Vec<_> = (0..100)
            .map(|step| scheduler.next_thread(&options, None, step))
            .collect();
        assert!(picks.iter().all(|t| [1, 4, 6].contains(t)));
        assert!([1, 4, 6].iter().all(|t| picks.contains(t)));
    }
}
