//! Templates are walked one after another, each with what the collections and channels it
//! reads hold by then: a consumer started before its producer (a dispatcher thread spawned
//! before the thread that sends it requests) first sees them empty. Once a root's templates
//! are all walked, each that read a collection something was put in after its walk is walked
//! again, once, with what is there now. Not walked again: a template that started threads or
//! pool tasks (they would start again), ran implicit drops (their objects are dropped already),
//! or read a `Shared` (other events point at its events); nor any once a bound cut the walk.
use super::{Interp, Pending};
use crate::model::value::BagId;
use crate::model::Op;
use std::collections::HashSet;

/// A template as walked: how to walk it again, what it read, and the store's clock at its end.
pub(super) struct Walked<'a> {
    pub(super) pending: Pending<'a>,
    pub(super) bags_read: HashSet<BagId>,
    pub(super) ended_at: u64,
    /// Its walk ran implicit drops.
    pub(super) ran_drops: bool,
}

impl<'a> Interp<'a> {
    pub(super) fn rewalk_stale(&mut self, walked: Vec<Walked<'a>>) {
        if !self.model.cuts.is_empty() {
            return;
        }
        let stale: Vec<Pending<'a>> = walked
            .into_iter()
            .filter(|w| self.read_changed_later(w) && !w.ran_drops && self.repeatable(w))
            .map(|w| w.pending)
            .collect();
        if stale.is_empty() {
            return;
        }
        // What calls returned from the old contents is stale too.
        self.memo.inert.clear();
        self.memo.made.clear();
        for pending in stale {
            let template = &mut self.model.templates[pending.template.0 as usize];
            template.events.clear();
            template.loops.clear();
            template.unchecked_waits.clear();
            self.run_template(pending);
        }
        // Threads the new contents lead to.
        while let Some(next) = self.pending.pop_front() {
            self.run_template(next);
        }
    }

    fn read_changed_later(&self, walked: &Walked<'a>) -> bool {
        walked.bags_read.iter().any(|bag| {
            self.store
                .bag_changed_at
                .get(bag)
                .is_some_and(|&at| at > walked.ended_at)
        })
    }

    /// Whether walking the template again changes nothing but its own events: it started no
    /// thread or task, and read or wrote no `Shared` (whose reads other events point at).
    fn repeatable(&self, walked: &Walked<'a>) -> bool {
        !self.model.templates[walked.pending.template.0 as usize]
            .events
            .iter()
            .any(|e| {
                matches!(
                    e.op,
                    Op::Spawn { .. }
                        | Op::Submit { .. }
                        | Op::SharedGet { .. }
                        | Op::SharedSet { .. }
                )
            })
    }
}
