//! R001: a `Shared` read-modify-write reachable from several threads without one common lock.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Event, Op, PrimId};

declare_rule! {
    /// ## What it does
    /// Finds `x.set(f(x.get()))` on a `Shared` that another thread can write at the same time,
    /// with no lock held across both the read and the write by every one of them.
    ///
    /// ## Why is this bad?
    /// Each `get` and `set` is atomic, the pair is not: two threads read the same value and one
    /// update is lost (the tutorial's `counter += 1`).
    ///
    /// ## Example
    /// ```rust,ignore
    /// COUNTER.set(COUNTER.get() + 1);
    /// ```
    /// Use instead: hold one lock across the read and the write, in every thread:
    /// `let _g = L.acquire(); COUNTER.set(COUNTER.get() + 1);`
    ///
    /// ## Known problems
    /// - Only `Shared` values, and only writes of a value derived from a `get` of the same `Shared`
    ///   along data flow the model follows (bindings, arithmetic, arguments and returns of followed
    ///   calls).
    /// - Two plain `set`s racing each other are not reported.
    pub R001, UNGUARDED_SHARED_COUNTER, "unguarded-shared-counter", Error, "a `Shared` read-modify-write reachable from 2+ threads without one common lock", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let writes = |shared: PrimId| {
        cx.events_on(shared)
            .filter(|(_, _, e)| matches!(e.op, Op::SharedSet { .. }))
    };
    for (t, i, event) in cx.model.events() {
        let Op::SharedSet {
            shared,
            rmw: Some(_),
        } = event.op
        else {
            continue;
        };
        let mine = protecting_locks(event);
        // Another write of the same value (or this one, in another instance of its thread)
        // that can run at the same time, with no lock in common.
        let racing = writes(shared).find(|&(u, j, other)| {
            cx.hb.may_run_in_parallel((t, i), (u, j))
                && !protecting_locks(other).iter().any(|l| mine.contains(l))
        });
        let Some((u, _, other)) = racing else {
            continue;
        };
        let mut d = cx.diagnostic(
            &UNGUARDED_SHARED_COUNTER,
            format!("unguarded read-modify-write of `{}`", cx.name(shared)),
            event.span.clone(),
            "writes back a value read earlier: an update made in between is lost".to_owned(),
        );
        if !std::ptr::eq::<crate::model::Event>(other, event) {
            d.secondary.push(label(
                &other.span,
                format!(
                    "{} writes `{}` at the same time",
                    cx.thread(u),
                    cx.name(shared)
                ),
            ));
        } else {
            d.notes.push(format!(
                "several instances of {} run this at the same time",
                cx.thread(t)
            ));
        }
        d.notes
            .push("`get` and `set` are each atomic, but the pair is not".to_owned());
        d.help = Some(format!(
            "hold one lock across the `get` and the `set` of `{}` in every thread",
            cx.name(shared)
        ));
        out.push(d);
    }
}

/// The locks that protect a write: for a read-modify-write, those held across the read and the
/// write; for a plain write, those held at it.
fn protecting_locks(event: &Event) -> Vec<PrimId> {
    match &event.op {
        Op::SharedSet {
            rmw: Some(guards), ..
        } => event
            .held
            .iter()
            .filter(|h| guards.contains(&h.guard))
            .map(|h| h.lock)
            .collect(),
        _ => event.held.iter().map(|h| h.lock).collect(),
    }
}
