//! Every bound on the model's work, in one place. Each grows with the input or is a fixed cap on
//! a structure; a crate that reaches one is cut short (the bound is recorded in `Model::cuts`,
//! rules reporting an absence then stay quiet, and the run tells the user) instead of taking
//! unbounded time, memory or stack.
//!
//! Following a call walks the callee again for each call site, so without the step budget the
//! work could grow with the number of call paths rather than with the code.
use super::Interp;
use crate::model::Cut;

/// Bytes of the crate's source per step (expression or statement walked): the walk of a crate
/// costs at most a fixed fraction of parsing it. Real crates forced through the model take one
/// step per 6–9 bytes (clap_builder, regex-automata), most calls being found inert and reused.
const BYTES_PER_STEP: u64 = 4;
/// Steps every crate gets, however small.
const MIN_STEPS: u64 = 200_000;
/// The share of the steps left that one thread template's walk may take (in quarters): a
/// template that would take them all leaves the threads it starts, walked after it, a quarter.
const TEMPLATE_SHARE_QUARTERS: u64 = 3;
/// Events per template.
const EVENT_BUDGET: usize = 100_000;
/// Locks recorded as held at the crate's events, all events together: a thread nesting
/// hundreds of locks records each at every acquisition after it (quadratic in the nesting).
const HELD_BUDGET: usize = 1_000_000;
/// Templates per crate.
const TEMPLATE_BUDGET: usize = 2_000;
/// Nested calls followed.
const CALL_DEPTH: usize = 64;
/// Nested expressions walked, through calls: each level recurses in the walk, and a file may
/// nest as deep as the parser allows (`frontend::outline::MAX_NESTING`) in every function of a
/// call chain.
const EXPR_DEPTH: u32 = 4_000;
/// Nested `const` items evaluated (`const N: usize = M * 2;`).
const CONST_DEPTH: u32 = 8;

/// See [`Interp::activity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Activity {
    events: usize,
    templates: usize,
    prims: usize,
    pub(super) guards: usize,
    guarded_atomic_updates: u32,
}

impl Activity {
    /// Whether nothing but guards or drop tokens was made between `self` and `later`.
    pub(super) fn same_but_guards(&self, later: &Activity) -> bool {
        Activity {
            guards: later.guards,
            ..*self
        } == *later
    }
}

/// What the walk of a crate may spend, and has spent so far.
#[derive(Debug)]
pub(super) struct Budget {
    steps: u64,
    step_limit: u64,
    /// Locks recorded as held at events so far (see [`HELD_BUDGET`]).
    held_recorded: usize,
    /// Where the walk of the current template stops (see [`TEMPLATE_SHARE_QUARTERS`]).
    template_step_limit: u64,
    events_emitted: usize,
    expr_depth: u32,
    const_depth: u32,
}

impl Budget {
    /// The budget of a crate of `source_bytes` bytes.
    pub(super) fn for_source(source_bytes: usize) -> Self {
        let step_limit = MIN_STEPS.max(source_bytes as u64 / BYTES_PER_STEP);
        Self {
            steps: 0,
            step_limit,
            held_recorded: 0,
            template_step_limit: step_limit,
            events_emitted: 0,
            expr_depth: 0,
            const_depth: 0,
        }
    }
}

impl Interp<'_> {
    /// A measure of everything the rules can observe of the walk so far: events, templates,
    /// primitives, guards (and drop tokens), and atomic updates a held guard made whole (which a
    /// call without that guard would report). Unchanged across a call:
    /// the call did nothing of note, whatever objects or collections (of no primitive) it made
    /// on the way.
    pub(super) fn activity(&self) -> Activity {
        Activity {
            events: self.budget.events_emitted,
            templates: self.model.templates.len(),
            prims: self.model.prims.len(),
            guards: self.walk.guards.len(),
            guarded_atomic_updates: self.walk.guarded_atomic_updates,
        }
    }

    /// Records that `cut` stopped part of the walk.
    fn cut(&mut self, cut: Cut) {
        let kind = std::mem::discriminant(&cut);
        if !self
            .model
            .cuts
            .iter()
            .any(|c| std::mem::discriminant(c) == kind)
        {
            self.model.cuts.push(cut);
        }
    }

    /// Gives the template whose walk starts now its share of the steps left.
    pub(super) fn start_template_steps(&mut self) {
        let budget = &mut self.budget;
        let left = budget.step_limit.saturating_sub(budget.steps);
        budget.template_step_limit = budget.steps + left / 4 * TEMPLATE_SHARE_QUARTERS;
    }

    /// Counts one step; false once the crate's budget or the template's share of it is spent,
    /// or once the walk gave up to be walked later (see `rewalk`).
    pub(super) fn step(&mut self) -> bool {
        if self.walk.postponed.get() {
            return false;
        }
        let next = self.budget.steps + 1;
        if next > self.budget.step_limit {
            self.budget.steps = next;
            self.cut(Cut::Steps(self.budget.step_limit));
            return false;
        }
        if next > self.budget.template_step_limit {
            // Not counted: the steps it leaves go to the templates after it.
            self.cut(Cut::TemplateSteps);
            return false;
        }
        self.budget.steps = next;
        true
    }

    /// Runs `f` one expression level deeper, or gives `None` past the bound.
    pub(super) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.budget.expr_depth >= EXPR_DEPTH {
            self.cut(Cut::Nesting(EXPR_DEPTH as usize));
            return None;
        }
        self.budget.expr_depth += 1;
        let out = f(self);
        self.budget.expr_depth -= 1;
        Some(out)
    }

    /// Counts one emitted event, with the `held` locks it records; false (and cut) once the
    /// template has its budget's worth of events, or the crate its worth of held locks.
    pub(super) fn room_for_event(&mut self, events: usize, held: usize) -> bool {
        self.budget.events_emitted += 1;
        if events >= EVENT_BUDGET {
            self.cut(Cut::Events(EVENT_BUDGET));
            return false;
        }
        if self.budget.held_recorded + held > HELD_BUDGET {
            self.cut(Cut::Held(HELD_BUDGET));
            return false;
        }
        self.budget.held_recorded += held;
        true
    }

    /// Whether another template may be made; records the cut when not.
    pub(super) fn room_for_template(&mut self) -> bool {
        if self.model.templates.len() >= TEMPLATE_BUDGET {
            self.cut(Cut::Templates(TEMPLATE_BUDGET));
            return false;
        }
        true
    }

    /// Whether a call may be followed one level deeper; records the cut when not.
    pub(super) fn room_for_call(&mut self) -> bool {
        if self.walk.frames.len() >= CALL_DEPTH {
            self.cut(Cut::CallDepth(CALL_DEPTH));
            self.walk.cut_for_frame = 0;
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

#[cfg(test)]
mod tests {
    use super::CALL_DEPTH;

    #[test]
    fn the_rule_docs_give_the_call_depth_the_walk_follows() {
        let limit = format!("thread templates, {CALL_DEPTH} nested\n   calls)");
        let bounded: Vec<_> = crate::rules::all()
            .iter()
            .filter(|r| r.doc.contains("Every walk"))
            .collect();
        assert!(!bounded.is_empty());
        for rule in bounded {
            assert!(rule.doc.contains(&limit), "{}: {}", rule.code, rule.doc);
        }
    }
}
