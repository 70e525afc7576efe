//! The default strategy: several strategies taking turns by schedule index. No single strategy
//! is best everywhere: Random finds bugs that need many small preemptions (five dining
//! philosophers each holding one fork) far sooner than PCT, while PCT finds an ordering bug that
//! needs a thread to run its steps in one rare order far sooner than Random. Taking turns, the
//! portfolio finds each within a small factor of the better of them, without the user guessing
//! which to pick.
//!
//! The members take turns in a fixed round; each numbers its own schedules from 0, so every member
//! keeps its own calibration (PCT's), and schedule `i` still depends on (seed, `i`) alone.

use super::pct::PctPolicy;
use super::random::RandomPolicy;
use super::{Policy, Scheduler};
use crate::explore::rng::SplitMix64;

pub(crate) struct Portfolio {
    members: Vec<Box<dyn Policy>>,
    /// The member each schedule of a round of `turns.len()` schedules belongs to.
    turns: Vec<usize>,
}

impl Portfolio {
    /// Random three turns in six, PCT of depth 2 two, PCT of depth 3 one: Random is never more
    /// than 2 times slower to a bug than alone, PCT of depth 2 never more than 3 times (and
    /// less where depth 3 finds the bug too). Random gets the most turns because the bugs it
    /// finds first (many small preemptions) are common and it finds them in few schedules, where
    /// a turn missed weighs most.
    pub(crate) fn new() -> Self {
        Portfolio {
            members: vec![
                Box::new(RandomPolicy),
                Box::new(PctPolicy::new(2)),
                Box::new(PctPolicy::new(3)),
            ],
            turns: vec![0, 1, 0, 2, 0, 1],
        }
    }

    /// The member schedule `index` belongs to, and its index among that member's schedules.
    fn member_of(&self, index: usize) -> (usize, usize) {
        let (round, slot) = (index / self.turns.len(), index % self.turns.len());
        let member = self.turns[slot];
        let earlier = self.turns[..slot].iter().filter(|&&m| m == member).count();
        (member, round * self.turns_of(member) + earlier)
    }

    /// The member's turns per round.
    fn turns_of(&self, member: usize) -> usize {
        self.turns.iter().filter(|&&m| m == member).count()
    }

    /// The schedule index of the member's own schedule `own_index`.
    fn index_of(&self, member: usize, own_index: usize) -> usize {
        let per_round = self.turns_of(member);
        let (round, nth) = (own_index / per_round, own_index % per_round);
        let slot = (self.turns.iter().enumerate())
            .filter(|&(_, &m)| m == member)
            .nth(nth)
            .map(|(slot, _)| slot)
            .expect("nth < the member's turns per round");
        round * self.turns.len() + slot
    }
}

impl Policy for Portfolio {
    /// Up to the last calibration schedule of any member.
    fn calibration_schedules(&self) -> usize {
        (0..self.members.len())
            .filter_map(|member| {
                let own = self.members[member].calibration_schedules();
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

    fn scheduler(&self, rng: SplitMix64, index: usize) -> Box<dyn Scheduler> {
        let (member, own_index) = self.member_of(index);
        self.members[member].scheduler(rng, own_index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_member_owns_its_turns_and_numbers_them_from_zero() {
        let portfolio = Portfolio::new();
        let owners: Vec<(usize, usize)> = (0..12).map(|i| portfolio.member_of(i)).collect();
        assert_eq!(
            owners,
            [
                (0, 0),
                (1, 0),
                (0, 1),
                (2, 0),
                (0, 2),
                (1, 1),
                (0, 3),
                (1, 2),
                (0, 4),
                (2, 1),
                (0, 5),
                (1, 3)
            ]
        );
        for (index, &(member, own)) in owners.iter().enumerate() {
            assert_eq!(portfolio.index_of(member, own), index);
        }
    }

    #[test]
    fn calibration_lasts_until_every_pct_member_has_calibrated() {
        let portfolio = Portfolio::new();
        // PCT of depth 3 has one turn in six, the fourth: its 16th schedule is the 94th.
        assert_eq!(portfolio.calibration_schedules(), 94);
        assert_eq!(portfolio.member_of(93), (2, 15));
    }
}
