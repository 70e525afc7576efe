//! The default strategy: several strategies taking turns by schedule index. No single strategy
//! is best everywhere: Random finds bugs that need many small preemptions (five dining
//! philosophers each holding one fork) far sooner than PCT, while PCT finds an ordering bug that
//! needs a thread to run its steps in one rare order far sooner than Random. Taking turns, the
//! portfolio finds each within a bounded factor of the best of them, without the user guessing
//! which to pick.
//!
//! The bound. The `k` members take equal turns in a fixed round: schedule `i` belongs to member
//! `i % k`, as that member's own schedule `i / k`. A member's own schedule `j` is exactly the
//! schedule `j` that strategy runs alone with the same seed: the same generator (seeded from the
//! seed and `j`, not `i`) and the same calibration (the member observes its own schedules only).
//! So if member `m` alone first fails at its schedule `j` (after `j + 1` schedules), the portfolio
//! runs that very schedule as its schedule `j * k + m`, and fails after at most
//! `k * (j + 1) - (k - 1 - m)` schedules: on every seed, at most `k` times the schedules the best
//! member needs alone (earlier if another member fails first). With Random, PCT of depth 3 and
//! PCT of depth 2 that is at most 3x the best of the three, seed by seed, hence also in the
//! median or any other quantile over seeds. Unequal turns would buy one member a smaller factor
//! only by giving another a larger one: equal turns give the least worst case.
//!
//! Random comes first in a round (its factor is the smallest, `3j + 1` for `j + 1`: a bug Random
//! finds on its first schedule costs the portfolio one schedule too), then PCT of depth 3, which
//! also finds most depth-2 bugs, then PCT of depth 2.

use super::pct::PctPolicy;
use super::random::RandomPolicy;
use super::{Policy, Scheduler};
use crate::explore::rng::SplitMix64;

pub(crate) struct Portfolio {
    /// The members, in their order of turns in a round.
    members: Vec<Box<dyn Policy>>,
    /// The exploration's seed: each member's schedule `j` is seeded as that strategy's own.
    seed: u64,
}

impl Portfolio {
    /// Random, PCT of depth 3 and PCT of depth 2, one turn each per round.
    pub(crate) fn new(seed: u64) -> Self {
        Portfolio {
            members: vec![
                Box::new(RandomPolicy),
                Box::new(PctPolicy::new(3)),
                Box::new(PctPolicy::new(2)),
            ],
            seed,
        }
    }

    /// The member schedule `index` belongs to, and its index among that member's schedules.
    fn member_of(&self, index: usize) -> (usize, usize) {
        let k = self.members.len();
        (index % k, index / k)
    }

    /// The schedule index of the member's own schedule `own_index`.
    fn index_of(&self, member: usize, own_index: usize) -> usize {
        own_index * self.members.len() + member
    }
}

impl Policy for Portfolio {
    /// Up to the last calibration schedule of any member.
    fn calibration_schedules(&self) -> usize {
        (self.members.iter().enumerate())
            .filter_map(|(member, policy)| {
                let own = policy.calibration_schedules();
                (own > 0).then(|| self.index_of(member, own - 1) + 1)
            })
            .max()
            .unwrap_or(0)
    }

    fn observe(&mut self, index: usize, contested_steps: usize) {
        let (member, own_index) = self.member_of(index);
        let member = &mut self.members[member];
        if own_index < member.calibration_schedules() {
            member.observe(own_index, contested_steps);
        }
    }

    /// The member's own schedule, seeded as it would be alone: the generator the runner made
    /// for `index` is not used.
    fn scheduler(&self, _rng: SplitMix64, index: usize) -> Box<dyn Scheduler> {
        let (member, own_index) = self.member_of(index);
        let rng = SplitMix64::for_schedule(self.seed, own_index as u64);
        self.members[member].scheduler(rng, own_index)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::candidates;
    use super::super::ThreadId;
    use super::*;

    #[test]
    fn members_take_equal_turns_and_number_their_own_schedules_from_zero() {
        let portfolio = Portfolio::new(0);
        let owners: Vec<(usize, usize)> = (0..7).map(|i| portfolio.member_of(i)).collect();
        assert_eq!(
            owners,
            [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2)]
        );
        for (index, &(member, own)) in owners.iter().enumerate() {
            assert_eq!(portfolio.index_of(member, own), index);
        }
    }

    #[test]
    fn calibration_lasts_until_every_pct_member_has_calibrated() {
        let portfolio = Portfolio::new(0);
        // PCT of depth 2 has the third turn of each round: its 16th schedule is the 48th.
        assert_eq!(portfolio.calibration_schedules(), 48);
        assert_eq!(portfolio.member_of(47), (2, 15));
    }

    /// The threads a scheduler picks over a made-up run of three threads taking 4, 6 and 8 steps,
    /// and how many of its steps offered a choice (which depends on the order picked).
    fn picks(mut scheduler: Box<dyn Scheduler>) -> (Vec<u64>, usize) {
        let mut left = [4, 6, 8];
        for thread in 0..left.len() {
            scheduler.thread_created(thread);
        }
        let (mut last, mut picked, mut contested) = (None, Vec::new(), 0);
        for step in 0.. {
            let runnable: Vec<ThreadId> = (0..left.len()).filter(|&t| left[t] > 0).collect();
            if runnable.is_empty() {
                break;
            }
            contested += usize::from(runnable.len() > 1);
            let thread = scheduler.next_thread(&candidates(&runnable), last, step);
            left[thread] -= 1;
            picked.push(thread as u64);
            last = Some(thread);
        }
        picked.push(scheduler.next_u64());
        (picked, contested)
    }

    /// The bound rests on this: the portfolio's schedule `j * 3 + m` is member `m`'s schedule `j`
    /// alone, calibration included, for every seed.
    #[test]
    fn each_turn_runs_the_schedule_its_strategy_runs_alone_with_the_same_seed() {
        let alone = |member: usize| -> Box<dyn Policy> {
            match member {
                0 => Box::new(RandomPolicy),
                1 => Box::new(PctPolicy::new(3)),
                _ => Box::new(PctPolicy::new(2)),
            }
        };
        for seed in [0, 7, 1 << 40] {
            let mut portfolio = Portfolio::new(seed);
            let mut singles: Vec<Box<dyn Policy>> = (0..3).map(alone).collect();
            for index in 0..120 {
                let (member, own) = (index % 3, index / 3);
                let rng = SplitMix64::for_schedule(seed, index as u64);
                let (mixed, contested) = picks(portfolio.scheduler(rng, index));
                let own_rng = SplitMix64::for_schedule(seed, own as u64);
                let (single, _) = picks(singles[member].scheduler(own_rng, own));
                assert_eq!(mixed, single, "seed {seed}, schedule {index}");
                if index < portfolio.calibration_schedules() {
                    portfolio.observe(index, contested);
                }
                if own < singles[member].calibration_schedules() {
                    singles[member].observe(own, contested);
                }
            }
        }
    }
}
