//! D002: a non-reentrant lock acquired while the same path already holds it.
use super::context::{add_flow, step, RuleContext};
use crate::diagnostic::{Diagnostic, StepKind};
use crate::model::{Op, PrimKind};

declare_rule! {
    /// ## What it does
    /// Finds a `Lock` acquired again while the same thread already holds it, directly or in a
    /// function called while the guard is alive.
    ///
    /// ## Why is this bad?
    /// `Lock` is not reentrant: the second `acquire` waits for the guard the thread itself
    /// holds, and the thread deadlocks alone.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn deposit(&self) {
    ///     let _g = self.lock.acquire();
    ///     self.log(); // `log` acquires `self.lock` too
    /// }
    /// ```
    /// Use instead: pass the guard (or the data) to the helper, drop the guard first, or use an
    /// `RLock` when reentrancy is intended.
    ///
    /// ## Known problems
    /// - A lock field of an object taken out of a collection, or left by one of two branches, may
    ///   be two objects' locks: acquiring it twice is not reported. Likewise an element of a lock
    ///   family whose index the model cannot follow.
    pub D002, DOUBLE_ACQUIRE, "double-acquire", Error, "a non-reentrant lock acquired while already held", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let Op::Acquire {
            lock,
            blocking: true,
        } = event.op
        else {
            continue;
        };
        let info = cx.model.prim(lock);
        // A field of any object of a struct may be two objects' locks.
        if info.kind != PrimKind::Lock || info.is_unknown_element() || info.several {
            continue;
        }
        // Taking every element of a family (iterating it) takes the one already held too.
        let Some(first) = event.held.iter().find(|h| {
            h.lock == lock
                || cx
                    .model
                    .prim(h.lock)
                    .element
                    .is_some_and(|(family, _)| family == lock)
        }) else {
            continue;
        };
        let mut d = cx.diagnostic(
            &DOUBLE_ACQUIRE,
            format!("`{}` is acquired while already held", cx.name(lock)),
            event.span.clone(),
            "acquired again here: this waits for itself".to_owned(),
        );
        let mut steps = vec![step(
            &first.span,
            format!("`{}` first acquired here", cx.name(lock)),
            StepKind::Acquire,
        )];
        steps.extend(cx.calls_while_held(t, first, i));
        steps.push(step(&event.span, d.primary_label.clone(), StepKind::Acquire));
        add_flow(&mut d, cx.thread(t), steps);
        d.notes.push(
            "`Lock` is not reentrant: the second acquisition blocks the thread forever".to_owned(),
        );
        d.help = Some(
            "drop the first guard before acquiring again, pass the guard along, or use an `RLock`"
                .to_owned(),
        );
        out.push(d);
    }
}
