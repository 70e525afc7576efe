//! Protocol operations a path may skip: a consumer whose `continue` (or `return`) leaves an
//! iteration before its `task_done`, a producer whose early `return` leaves before its
//! `set` or `notify`. The walk keeps, per path, what has been signalled (merged over branches by
//! what every continuing arm signalled); an exit remembers it, and when its loop or call ends,
//! the signals walked after the exit that its path had not done are marked skipped.
use super::walk::{merge_going_on, Flow};
use super::Interp;
use crate::model::{Op, PrimId};

/// Where control left early: the events walked before it, and what its path had signalled.
#[derive(Debug, Clone)]
pub(super) struct Exit {
    events: usize,
    signals: Vec<PrimId>,
}

/// The events `events` of an object's implicit drop, made when `owned_since` events had been
/// walked: an exit after that leaves the object's scope and runs them too.
#[derive(Debug, Clone)]
pub(super) struct DropRun {
    pub(super) events: std::ops::Range<usize>,
    pub(super) owned_since: usize,
}

/// The primitive an operation signals, for the protocol rules.
fn signalled(op: &Op) -> Option<PrimId> {
    match *op {
        Op::TaskDone { queue } => Some(queue),
        Op::Set { event } => Some(event),
        Op::Notify { condition } => Some(condition),
        _ => None,
    }
}

impl Interp<'_> {
    /// Notes what an operation signals on the current path.
    pub(super) fn note_signal(&mut self, op: &Op) {
        if let Some(prim) = signalled(op) {
            if !self.walk.signals.contains(&prim) {
                self.walk.signals.push(prim);
            }
        }
    }

    /// An early exit here: `return` (`None`, for its call) or `continue` (for the loop at this
    /// depth of `Walk::loops`). A `break` ends the loop, often on a sentinel that is no task: it
    /// skips nothing.
    pub(super) fn note_exit(&mut self, continues: Option<usize>) {
        let exit = Exit {
            events: self.event_count(),
            signals: self.walk.signals.clone(),
        };
        match continues {
            None => self.frame().exits.push(exit),
            Some(target) => self.walk.loops[target].skips.push(exit),
        }
    }

    /// On a path where a non-blocking get (`try_get`, `get_timeout`) among the events `gets`
    /// came back empty (the `else` of a `let Ok(..) = … else`, an `Err(_)` or `None` arm): that
    /// get took nothing there, so an exit from it owes no `task_done` for that queue.
    pub(super) fn note_nothing_taken(&mut self, gets: std::ops::Range<usize>) {
        let empty_gets: Vec<PrimId> = self.model.template(self.walk.template).events[gets]
            .iter()
            .filter_map(|event| match event.op {
                Op::Get {
                    queue,
                    blocking: false,
                } => Some(queue),
                _ => None,
            })
            .collect();
        for queue in empty_gets {
            if !self.walk.signals.contains(&queue) {
                self.walk.signals.push(queue);
            }
        }
    }

    /// At the end of a call or loop body: the signals walked after each exit that its path had
    /// not done are skipped on that path (`task_only`: only `task_done`, for loop exits).
    pub(super) fn mark_skipped(&mut self, exits: &[Exit], task_only: bool) {
        let template = &mut self.model.templates[self.walk.template.0 as usize];
        let drops = &self.walk.drops;
        for exit in exits {
            let events = template.events.iter_mut().enumerate().skip(exit.events);
            for (i, event) in events {
                let run_by_exit = drops
                    .iter()
                    .any(|d| d.owned_since <= exit.events && d.events.contains(&i));
                let skipped = signalled(&event.op).is_some_and(|prim| {
                    !exit.signals.contains(&prim)
                        && (!task_only || matches!(event.op, Op::TaskDone { .. }))
                });
                event.skipped |= skipped && !run_by_exit;
            }
        }
    }

    /// After alternative arms that each started from `before`: what every arm that goes on
    /// signalled.
    pub(super) fn merge_signals(&mut self, before: Vec<PrimId>, arms: Vec<(Vec<PrimId>, Flow)>) {
        self.walk.signals = merge_going_on(before, arms, |signals, arm| {
            signals.into_iter().filter(|p| arm.contains(p)).collect()
        });
    }
}

/// A pattern that matches what a non-blocking get gives when it took nothing: `Err(..)`, `None`.
pub(super) fn matches_empty_get(pat: &syn::Pat) -> bool {
    variant_name(pat).is_some_and(|name| name == "Err" || name == "None")
}

/// A pattern that matches only what a get gives when it took an item: `Ok(..)`, `Some(..)`
/// (the other arm of an `if let` or `let … else` is the empty one).
pub(super) fn matches_taken_item(pat: &syn::Pat) -> bool {
    variant_name(pat).is_some_and(|name| name == "Ok" || name == "Some")
}

fn variant_name(pat: &syn::Pat) -> Option<String> {
    let path = match pat {
        syn::Pat::TupleStruct(t) => &t.path,
        syn::Pat::Path(p) => &p.path,
        syn::Pat::Ident(i) if i.subpat.is_none() => return Some(i.ident.to_string()),
        syn::Pat::Paren(p) => return variant_name(&p.pat),
        _ => return None,
    };
    path.segments.last().map(|s| s.ident.to_string())
}
