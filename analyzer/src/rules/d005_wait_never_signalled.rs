//! D005: a wait that nothing can satisfy.
use super::context::RuleContext;
use crate::diagnostic::Diagnostic;
use crate::model::{Op, PrimId, TemplateId};

declare_rule! {
    /// ## What it does
    /// Finds an `Event::wait`, `Condition::wait`, `Queue::get`, `recv` or `Barrier::wait` that
    /// nothing can satisfy: no thread sets, notifies, puts or sends (or, for `recv`, drops the
    /// other end), or every one that does only runs after the wait returns; or a barrier waited
    /// on by fewer threads than its parties.
    ///
    /// ## Why is this bad?
    /// The waiting thread blocks forever.
    ///
    /// ## Example
    /// ```rust,ignore
    /// READY.wait();                      // nobody else sets READY…
    /// let t = Thread::spawn(|| READY.set()); // …and the setter starts only after the wait
    /// ```
    /// Use instead: start the thread that signals before waiting for it, or signal on every path.
    ///
    /// ## Known problems
    /// - Quiet for the whole crate when the model was cut short (see below), and for a wait whose
    ///   signal (`set`, `notify`, `put`, `send`) is called somewhere on a receiver the model cannot
    ///   resolve.
    /// - A barrier is checked only when its parties and the number of threads waiting on it are
    ///   known counts.
    /// - A `notify` counts as the signal of a `Condition` wait even when the waiter's predicate is
    ///   never set under its lock.
    pub D005, WAIT_NEVER_SIGNALLED, "wait-never-signalled", Error, "a wait, get or barrier that nothing can satisfy", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.truncated {
        return;
    }
    for (t, i, event) in cx.model.events() {
        let unsatisfiable = match event.op {
            Op::Wait {
                event: e,
                blocking: true,
            } => {
                !cx.model.maybe_called_elsewhere("set")
                    && all_after(cx, (t, i), e, |o| matches!(o, Op::Set { .. }))
            }
            Op::CondWait {
                condition,
                blocking: true,
                ..
            } => {
                !cx.model.maybe_called_elsewhere("notify")
                    && !cx.model.maybe_called_elsewhere("notify_all")
                    && all_after(cx, (t, i), condition, |o| matches!(o, Op::Notify { .. }))
            }
            Op::Get {
                queue,
                blocking: true,
            } => {
                !cx.model.maybe_called_elsewhere("put")
                    && all_after(cx, (t, i), queue, |o| matches!(o, Op::Put { .. }))
            }
            Op::Recv { end } => cx.model.prim(end).peer.is_some_and(|peer| {
                !cx.model.maybe_called_elsewhere("send")
                    && all_after(cx, (t, i), peer, |o| {
                        // Dropping the peer makes `recv` return `Err(Disconnected)`.
                        matches!(o, Op::Send { .. } | Op::Disconnect { .. })
                    })
            }),
            Op::BarrierWait { barrier } => too_few_parties(cx, barrier),
            _ => false,
        };
        if !unsatisfiable {
            continue;
        }
        let (message, note, help) = match event.op {
            Op::BarrierWait { barrier } => (
                format!("`{}` is waited on by fewer threads than its parties", cx.name(barrier)),
                format!(
                    "`{}` needs {} parties, but fewer threads ever wait on it",
                    cx.name(barrier),
                    cx.model.prim(barrier).capacity.unwrap_or_default()
                ),
                "make the barrier's parties match the threads that wait on it".to_owned(),
            ),
            _ => (
                "this wait can never be satisfied".to_owned(),
                "nothing signals it before the wait returns: every signal is missing or only happens after this wait".to_owned(),
                "make sure another thread signals it, and starts before this wait".to_owned(),
            ),
        };
        let mut d = cx.diagnostic(
            &WAIT_NEVER_SIGNALLED,
            message,
            event.span.clone(),
            "blocks forever".to_owned(),
        );
        d.notes.push(note);
        d.help = Some(help);
        out.push(d);
    }
}

/// Every event on `prim` that satisfies the wait happens only after it (or there is none).
fn all_after(
    cx: &RuleContext<'_>,
    wait: (TemplateId, usize),
    prim: PrimId,
    satisfies: impl Fn(&Op) -> bool,
) -> bool {
    cx.events_on(prim)
        // A signal that some path of its thread skips (an early `return`) may never come.
        .filter(|(_, _, e)| satisfies(&e.op) && !e.skipped)
        .all(|(t, i, _)| cx.hb.happens_before(wait, (t, i)) && !cx.hb.happens_before((t, i), wait))
}

/// Fewer threads ever wait on the barrier than it has parties (all counts known).
fn too_few_parties(cx: &RuleContext<'_>, barrier: PrimId) -> bool {
    let Some(parties) = cx.model.prim(barrier).capacity else {
        return false;
    };
    let mut waiters: u64 = 0;
    for t in cx.model.template_ids() {
        let template = cx.model.template(t);
        if template
            .events
            .iter()
            .any(|e| matches!(e.op, Op::BarrierWait { barrier: b } if b == barrier))
        {
            match template.instances.count() {
                Some(n) => waiters = waiters.saturating_add(n),
                None => return false,
            }
        }
    }
    u64::try_from(parties).is_ok_and(|p| waiters < p)
}
