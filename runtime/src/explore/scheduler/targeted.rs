//! Directed preemption at the source locations a static finding names, in the manner of
//! DeadlockFuzzer (Joshi, Park, Sen, Naik, PLDI 2009) and RaceFuzzer (Sen, PLDI 2008).
//!
//! A thread about to perform an operation at a target line is held back, so that the other
//! threads catch up to their own target operations: two threads each holding their first lock
//! and about to take the other's. A held thread is let go when nothing else can run, or when its
//! patience runs out (so one long-running thread cannot starve it). Everything else is random.

use std::panic::Location;

use super::{Candidate, Policy, Scheduler, ThreadId};
use crate::explore::rng::SplitMix64;
use crate::SourceLocation;

/// Steps a held thread waits at most: at least this many…
const MIN_PATIENCE: usize = 50;
/// …plus a random number below this.
const PATIENCE_SPREAD: usize = 200;

/// Every schedule held back at the same targets, with its own random choices.
pub(crate) struct TargetedPolicy {
    targets: Vec<SourceLocation>,
}

impl TargetedPolicy {
    pub(crate) fn new(targets: Vec<SourceLocation>) -> Self {
        TargetedPolicy { targets }
    }
}

impl Policy for TargetedPolicy {
    fn scheduler(&self, rng: SplitMix64, _index: usize) -> Box<dyn Scheduler> {
        Box::new(TargetedScheduler::new(rng, self.targets.clone()))
    }
}

pub(crate) struct TargetedScheduler {
    rng: SplitMix64,
    targets: Vec<SourceLocation>,
    /// Threads held back at a target operation, with the step until which they wait. Picking a
    /// thread runs its pending operation, so a thread let go is held again only at its next one.
    held: Vec<(ThreadId, usize)>,
}

impl TargetedScheduler {
    pub(crate) fn new(rng: SplitMix64, targets: Vec<SourceLocation>) -> Self {
        TargetedScheduler {
            rng,
            targets,
            held: Vec::new(),
        }
    }

    /// Same file (one path may be relative to another root) and line; columns are not compared
    /// because the analyzer and rustc may count them differently.
    fn is_target(&self, location: &Location<'_>) -> bool {
        self.targets.iter().any(|target| {
            target.line == location.line() && same_file(&target.file, location.file())
        })
    }

    fn is_held(&self, thread: ThreadId) -> bool {
        self.held.iter().any(|&(held, _)| held == thread)
    }
}

/// Whether two paths name one file: equal, or one is the other with leading folders.
fn same_file(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let short = short.trim_start_matches("./");
    long.ends_with(short)
        && (long.len() == short.len() || long[..long.len() - short.len()].ends_with(['/', '\\']))
}

impl Scheduler for TargetedScheduler {
    fn next_thread(
        &mut self,
        candidates: &[Candidate],
        _current: Option<ThreadId>,
        step: usize,
    ) -> ThreadId {
        for candidate in candidates {
            let at_target = candidate
                .next_operation
                .is_some_and(|location| self.is_target(location));
            if at_target && !self.is_held(candidate.thread) {
                let patience = MIN_PATIENCE + self.rng.below(PATIENCE_SPREAD);
                self.held.push((candidate.thread, step + patience));
            }
        }
        let impatient = self.held.iter().position(|&(thread, until)| {
            until <= step && candidates.iter().any(|c| c.thread == thread)
        });
        let free: Vec<ThreadId> = candidates
            .iter()
            .map(|c| c.thread)
            .filter(|&thread| !self.is_held(thread))
            .collect();
        let chosen = match (impatient, free.is_empty()) {
            (None, false) => free[self.rng.below(free.len())],
            (Some(index), _) => self.held[index].0,
            (None, true) => {
                let waiting: Vec<ThreadId> = candidates.iter().map(|c| c.thread).collect();
                waiting[self.rng.below(waiting.len())]
            }
        };
        self.held.retain(|&(thread, _)| thread != chosen);
        chosen
    }

    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn here() -> &'static Location<'static> {
        Location::caller()
    }

    #[test]
    fn paths_match_by_trailing_components() {
        assert!(same_file("src/main.rs", "fixtures/src/main.rs"));
        assert!(same_file(
            "/abs/fixtures/src/main.rs",
            "fixtures/src/main.rs"
        ));
        assert!(same_file("src/main.rs", "src/main.rs"));
        assert!(!same_file("in.rs", "src/main.rs"));
        assert!(!same_file("ain.rs", "src/main.rs"));
    }

    #[test]
    fn a_thread_at_a_target_waits_while_others_can_run() {
        let target = here();
        let elsewhere = here();
        let mut scheduler = TargetedScheduler::new(
            SplitMix64::new(1),
            vec![SourceLocation {
                file: target.file().into(),
                line: target.line(),
                column: 1,
            }],
        );
        let candidates = [
            Candidate {
                thread: 0,
                next_operation: Some(target),
                would_block: false,
            },
            Candidate {
                thread: 1,
                next_operation: Some(elsewhere),
                would_block: false,
            },
        ];
        for step in 0..MIN_PATIENCE {
            assert_eq!(scheduler.next_thread(&candidates, Some(1), step), 1);
        }
        // Alone, the held thread goes at once; at its next target operation it waits again.
        assert_eq!(
            scheduler.next_thread(&candidates[..1], None, MIN_PATIENCE),
            0
        );
        assert_eq!(
            scheduler.next_thread(&candidates, Some(0), MIN_PATIENCE + 1),
            1
        );
    }
}
