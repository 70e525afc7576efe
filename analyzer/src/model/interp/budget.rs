//! Every bound on the model's work, in one place. A crate that reaches one is marked truncated
//! (rules reporting an absence then stay quiet) instead of taking unbounded time or memory.
use super::Interp;
use crate::model::value::ObjectId;

/// Expressions evaluated per crate before the model gives up.
const STEP_BUDGET: u64 = 4_000_000;
/// Events per template before the model gives up.
const EVENT_BUDGET: usize = 100_000;
/// Templates per crate.
const TEMPLATE_BUDGET: usize = 2_000;
/// Nested calls followed.
const CALL_DEPTH: usize = 24;
/// Nested `const` items evaluated (`const N: usize = M * 2;`).
const CONST_DEPTH: u32 = 8;

/// What the walk of a crate has spent so far.
#[derive(Debug, Default)]
pub(super) struct Budget {
    steps: u64,
    events_emitted: usize,
    const_depth: u32,
}

impl Interp<'_> {
    /// A measure of everything observable the walk has done so far: events, templates,
    /// primitives, guards, collections. Unchanged across a call: the call did nothing of note.
    pub(super) fn activity(&self) -> (usize, usize, usize, usize, usize, ObjectId) {
        (
            self.budget.events_emitted,
            self.model.templates.len(),
            self.model.prims.len(),
            self.walk.guards.len(),
            self.store.bags.len(),
            self.store.objects,
        )
    }

    /// Counts one step; false once the crate's budget is spent.
    pub(super) fn step(&mut self) -> bool {
        self.budget.steps += 1;
        if self.budget.steps > STEP_BUDGET {
            self.model.truncated = true;
            return false;
        }
        true
    }

    /// Counts one emitted event; false (and truncated) once the template has its budget's worth.
    pub(super) fn room_for_event(&mut self, events: usize) -> bool {
        self.budget.events_emitted += 1;
        if events >= EVENT_BUDGET {
            self.model.truncated = true;
            return false;
        }
        true
    }

    /// Whether another template may be made; marks the model truncated when not.
    pub(super) fn room_for_template(&mut self) -> bool {
        if self.model.templates.len() >= TEMPLATE_BUDGET {
            self.model.truncated = true;
            return false;
        }
        true
    }

    /// Whether a call may be followed one level deeper; marks the model truncated when not.
    pub(super) fn room_for_call(&mut self) -> bool {
        if self.walk.frames.len() >= CALL_DEPTH {
            self.model.truncated = true;
            return false;
        }
        true
    }

    /// Runs `f` one `const` level deeper, or gives `None` past the bound.
    pub(super) fn in_const<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.budget.const_depth > CONST_DEPTH {
            return None;
        }
        self.budget.const_depth += 1;
        let out = f(self);
        self.budget.const_depth -= 1;
        out
    }
}
