//! What every rule reads (the model and its graphs) and how rules phrase what they find.
use super::RuleInfo;
use crate::diagnostic::{Diagnostic, Label, Span, Step, StepKind, ThreadFlow};
use crate::graph::happens_before::HappensBefore;
use crate::graph::lock_order::LockOrderGraph;
use crate::model::{Access, Cut, Event, Held, IndexKey, Model, Op, Origin, PrimId, TemplateId};
use std::cell::RefCell;
use std::collections::HashMap;

pub(crate) struct RuleContext<'m> {
    pub model: &'m Model,
    pub hb: HappensBefore<'m>,
    pub locks: LockOrderGraph,
    /// The events acting on each primitive, in model order.
    by_prim: HashMap<PrimId, Vec<(TemplateId, usize)>>,
    /// Bounds a rule's own search reached (findings past them may be missing).
    cuts: RefCell<Vec<Cut>>,
}

impl<'m> RuleContext<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        let mut by_prim: HashMap<PrimId, Vec<(TemplateId, usize)>> = HashMap::new();
        for (t, i, event) in model.events() {
            if let Some(prim) = event.op.prim() {
                by_prim.entry(prim).or_default().push((t, i));
            }
        }
        Self {
            model,
            hb: HappensBefore::build(model),
            locks: LockOrderGraph::build(model),
            by_prim,
            cuts: RefCell::new(Vec::new()),
        }
    }

    /// Says that a rule's search stopped at a bound: the run's note tells the user.
    pub(crate) fn note_cut(&self, cut: Cut) {
        self.cuts.borrow_mut().push(cut);
    }

    /// The bounds the rules' searches reached.
    pub(crate) fn into_cuts(self) -> Vec<Cut> {
        self.cuts.into_inner()
    }

    /// Every event acting on `prim`, with where it is.
    pub(crate) fn events_on(
        &self,
        prim: PrimId,
    ) -> impl Iterator<Item = (TemplateId, usize, &'m Event)> + '_ {
        self.by_prim
            .get(&prim)
            .into_iter()
            .flatten()
            .map(|&(t, i)| (t, i, self.event(t, i)))
    }

    pub(crate) fn event(&self, template: TemplateId, event: usize) -> &'m Event {
        &self.model.template(template).events[event]
    }

    /// How the acquisition at `(template, event)` holds its lock (exclusive for any other
    /// event).
    pub(crate) fn access(&self, (template, event): (TemplateId, usize)) -> Access {
        match self.event(template, event).op {
            Op::Acquire { access, .. } => access,
            _ => Access::Exclusive,
        }
    }

    /// Whether a lock is the same one in every thread that names it (not an element of a family
    /// taken by an index known only at run time: two threads may hold two elements).
    pub(crate) fn is_one_lock(&self, lock: PrimId) -> bool {
        !matches!(
            self.model.prim(lock).element,
            Some((
                _,
                IndexKey::Id(_) | IndexKey::Rotated { .. } | IndexKey::Unknown
            ))
        )
    }

    /// How a primitive is named in messages.
    pub(crate) fn name(&self, prim: PrimId) -> &'m str {
        &self.model.prim(prim).name
    }

    /// A thread template as messages name it: "thread `worker-1` (spawned at src/main.rs:12)".
    pub(crate) fn thread(&self, template: TemplateId) -> String {
        let t = self.model.template(template);
        match (&t.origin, &t.spawn_span) {
            (Origin::Root, _) | (_, None) => format!("`{}`", t.name),
            (Origin::Spawned { .. }, Some(span)) if t.pool_task => {
                format!("pool task `{}` (submitted at {})", t.name, location(span))
            }
            (Origin::Spawned { .. }, Some(span)) => {
                format!("thread `{}` (spawned at {})", t.name, location(span))
            }
        }
    }

    /// The calls made while `held` is held, down to event `event` of `template` (which runs
    /// with it held), each as a step: "called here while `A` is held".
    pub(crate) fn calls_while_held(
        &self,
        template: TemplateId,
        held: &Held,
        event: usize,
    ) -> Vec<Step> {
        let events = &self.model.template(template).events;
        let acquired_in = events.get(held.event).and_then(|e| e.call);
        self.model
            .calls_between(acquired_in, events[event].call)
            .into_iter()
            .map(|call| {
                let how = if call.dropping { "dropped" } else { "called" };
                step(
                    &call.span,
                    format!("{how} here while `{}` is held", self.name(held.lock)),
                    StepKind::Call,
                )
            })
            .collect()
    }

    /// A diagnostic of `rule` with its default severity; the driver fills the fingerprint.
    pub(crate) fn diagnostic(
        &self,
        rule: &RuleInfo,
        message: String,
        primary: Span,
        primary_label: String,
    ) -> Diagnostic {
        Diagnostic {
            code: rule.code.to_owned(),
            name: rule.name.to_owned(),
            severity: rule.default_severity,
            message,
            primary,
            primary_label,
            secondary: Vec::new(),
            flows: Vec::new(),
            notes: Vec::new(),
            help: None,
            fingerprint: String::new(),
        }
    }
}

/// `src/main.rs:12`
pub(crate) fn location(span: &Span) -> String {
    format!("{}:{}", span.file.display(), span.line_start)
}

pub(crate) fn label(span: &Span, message: String) -> Label {
    Label {
        span: span.clone(),
        message,
    }
}

pub(crate) fn step(span: &Span, message: String, kind: StepKind) -> Step {
    Step {
        span: span.clone(),
        message,
        kind,
    }
}

/// Adds what one thread does to a finding: its steps as a thread flow, and each step as a
/// secondary label unless the diagnostic already shows it (the primary span among them).
pub(crate) fn add_flow(diagnostic: &mut Diagnostic, thread: String, steps: Vec<Step>) {
    for step in &steps {
        let shown = (step.span == diagnostic.primary && step.message == diagnostic.primary_label)
            || diagnostic
                .secondary
                .iter()
                .any(|l| l.span == step.span && l.message == step.message);
        if !shown {
            diagnostic
                .secondary
                .push(label(&step.span, step.message.clone()));
        }
    }
    diagnostic.flows.push(ThreadFlow { thread, steps });
}
