//! Templates are walked one after another, each with what the collections and channels it
//! reads hold by then: a consumer started before its producer (a dispatcher thread spawned
//! before the thread that sends it requests) first sees them empty. Once a root's templates
//! are all walked, each that read a collection something was put in after its walk is walked
//! again, once, with what is there now. Not walked again: a template that started threads or
//! pool tasks (they would start again), made primitives (it would make others, which the
//! threads it handed the first ones to do not use), ran implicit drops (their objects are
//! dropped already), or read a `Shared` (other events point at its events); nor any once a
//! bound cut the walk.
//!
//! A template that started threads cannot be walked again, so the first walk of a consumer
//! should come after its producers'. A walk that receives from a channel nothing was sent on
//! yet, while other templates wait to be walked, gives up (once per template) and waits behind
//! them, provided it changed nothing but its own events before (no thread started, no
//! primitive made, nothing put in a collection): a dispatcher started before its clients is
//! then walked with their requests, and the threads its requests lead to start once.
use super::{Interp, Pending};
use crate::model::value::BagId;
use crate::model::{Op, TemplateId};
use std::collections::HashSet;

/// What the crate had when a walk that may give up began: giving up is safe while it is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Postponable {
    templates: usize,
    prims: usize,
    tick: u64,
}

/// A template as walked: how to walk it again, what it read, and the store's clock at its end.
pub(super) struct Walked<'a> {
    pub(super) pending: Pending<'a>,
    pub(super) bags_read: HashSet<BagId>,
    pub(super) ended_at: u64,
    /// Its walk ran implicit drops.
    pub(super) ran_drops: bool,
    /// Its walk made primitives: a walk again would make others, and the events of the
    /// templates it handed the first ones to would no longer meet its own.
    pub(super) made_prims: bool,
}

impl<'a> Interp<'a> {
    /// Walks the templates waiting to be walked, each to its end unless it gives up waiting
    /// for a message (see the module's docs), and returns them as walked.
    pub(super) fn walk_pending(&mut self) -> Vec<Walked<'a>> {
        let mut walked = Vec::new();
        let mut postponed: HashSet<TemplateId> = HashSet::new();
        while let Some(next) = self.pending.pop_front() {
            let template = next.template;
            let may_give_up = !self.pending.is_empty() && postponed.insert(template);
            let done = self.run_recorded(next, may_give_up);
            if !self.walk.postponed.get() {
                walked.push(done);
                continue;
            }
            // Calls cut short by giving up must not be reused as they ended.
            self.forget_walk(template);
            self.pending.push_back(done.pending);
        }
        walked
    }

    /// What a walk that may give up starts from.
    pub(super) fn postponable_now(&self) -> Postponable {
        Postponable {
            templates: self.model.templates.len(),
            prims: self.model.prims.len(),
            tick: self.store.tick,
        }
    }

    /// A receive found nothing the model follows sent yet: the walk gives up if it may.
    pub(super) fn nothing_sent_yet(&self) {
        if self.walk.postponable == Some(self.postponable_now()) {
            self.walk.postponed.set(true);
        }
    }

    pub(super) fn rewalk_stale(&mut self, walked: Vec<Walked<'a>>) {
        if !self.model.cuts.is_empty() {
            return;
        }
        let stale: Vec<Pending<'a>> = walked
            .into_iter()
            .filter(|w| {
                self.read_changed_later(w) && !w.ran_drops && !w.made_prims && self.repeatable(w)
            })
            .map(|w| w.pending)
            .collect();
        if stale.is_empty() {
            return;
        }
        for pending in stale {
            // What calls returned from the old contents is stale too.
            self.forget_walk(pending.template);
            self.run_template(pending);
        }
        // Threads the new contents lead to.
        while let Some(next) = self.pending.pop_front() {
            self.run_template(next);
        }
    }

    /// Drops what a walk of `template` recorded (its events, loops, waits) and every call
    /// reused since, before the template is walked again.
    fn forget_walk(&mut self, template: TemplateId) {
        let walked = &mut self.model.templates[template.0 as usize];
        walked.events.clear();
        walked.loops.clear();
        walked.unchecked_waits.clear();
        self.memo.inert.clear();
        self.memo.made.clear();
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
