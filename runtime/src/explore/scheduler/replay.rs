//! Replays the choices a replay token recorded.

use super::{Candidate, Policy, Scheduler, ThreadId};
use crate::explore::rng::SplitMix64;

/// The one schedule a token recorded.
pub(crate) struct ReplayPolicy {
    choices: Vec<u64>,
}

impl ReplayPolicy {
    pub(crate) fn new(choices: Vec<u64>) -> Self {
        ReplayPolicy { choices }
    }
}

impl Policy for ReplayPolicy {
    fn scheduler(&self, _rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        Box::new(ReplayScheduler::new(self.choices.clone()))
    }
}

pub(crate) struct ReplayScheduler {
    choices: std::vec::IntoIter<u64>,
    diverged: bool,
}

impl ReplayScheduler {
    pub(crate) fn new(choices: Vec<u64>) -> Self {
        ReplayScheduler {
            choices: choices.into_iter(),
            diverged: false,
        }
    }
}

impl Scheduler for ReplayScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        _current: Option<ThreadId>,
        _step: usize,
    ) -> ThreadId {
        // The engine records a pick only when there was a choice to make.
        if let [only] = candidates {
            return only.thread;
        }
        match self.choices.next() {
            Some(recorded) if candidates.iter().any(|c| c.thread as u64 == recorded) => {
                recorded as ThreadId
            }
            _ => {
                self.diverged = true;
                candidates[0].thread
            }
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.choices.next().unwrap_or_else(|| {
            self.diverged = true;
            0
        })
    }

    /// Also when choices are left over: the program ended sooner than the recorded one.
    fn diverged(&self) -> bool {
        self.diverged || !self.choices.as_slice().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::candidates;
    use super::*;

    #[test]
    fn follows_the_record_and_notices_divergence() {
        let mut scheduler = ReplayScheduler::new(vec![2, 1, 9]);
        assert_eq!(scheduler.next_thread(&candidates(&[5]), None, 0), 5);
        assert_eq!(scheduler.next_thread(&candidates(&[1, 2]), None, 1), 2);
        assert_eq!(scheduler.next_u64(), 1);
        assert!(scheduler.diverged(), "a choice is left");
        assert_eq!(scheduler.next_thread(&candidates(&[1, 2]), None, 2), 1);
        assert!(scheduler.diverged(), "thread 9 was not runnable");
        let mut finished = ReplayScheduler::new(vec![1]);
        assert_eq!(finished.next_thread(&candidates(&[0, 1]), None, 0), 1);
        assert!(!finished.diverged(), "every choice was followed");
    }
}
