//! D005: a wait that nothing can satisfy.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Api, Event, Op, Origin, PrimId, TemplateId};

declare_rule! {
    /// ## What it does
    /// Finds an `Event::wait`, `Condition::wait`, `Queue::get`, `recv` or `Barrier::wait` that
    /// nothing can satisfy: no thread sets, notifies, puts or sends (or, for `recv`, drops the
    /// other end), or every one that does only runs after the wait returns; or a barrier waited
    /// on by fewer threads than its parties. Also a `Condition` wait whose every `notify` comes
    /// from code that never takes the condition's lock: the waiter's predicate is never set
    /// under that lock (it is written outside it, or not at all, before the notify).
    ///
    /// ## Why is this bad?
    /// The waiting thread blocks forever. A predicate changed without the condition's lock can
    /// change, and be notified, between the waiter's check and its wait: that wake-up is lost.
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
    /// - The `recv` of an mpsc or crossbeam channel is not checked: it also returns when every
    ///   sender is dropped, which the model does not follow.
    /// - A barrier is checked only when its parties and the number of threads waiting on it are
    ///   known counts.
    /// - A notifier counts as setting the predicate under the condition's lock when it takes that
    ///   lock anywhere before its `notify` (or in the same loop), whatever it writes there.
    #[off_by_default]
    pub D005, WAIT_NEVER_SIGNALLED, "wait-never-signalled", Error, "a wait, get or barrier that nothing can satisfy", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.truncated() {
        return;
    }
    for (t, i, event) in cx.model.events() {
        if let Some(d) = predicate_never_set(cx, event) {
            out.push(d);
            continue;
        }
        // The signals there are, all after the wait (or none); a barrier counts its parties.
        let late_signals: Vec<_> = match (signals(cx, &event.op), &event.op) {
            (Some((prim, methods, satisfies)), _) => {
                if methods.iter().any(|m| cx.model.maybe_called_elsewhere(m))
                    || !all_after(cx, (t, i), prim, satisfies)
                {
                    continue;
                }
                cx.events_on(prim)
                    .filter(|(_, _, e)| satisfies(&e.op) && !e.skipped)
                    .collect()
            }
            (None, Op::BarrierWait { barrier }) if too_few_parties(cx, *barrier) => Vec::new(),
            _ => continue,
        };
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
        for (u, _, signal) in late_signals {
            d.secondary.push(label(
                &signal.span,
                format!("{} signals it here, only after the wait returns", cx.thread(u)),
            ));
        }
        d.notes.push(note);
        d.help = Some(help);
        out.push(d);
    }
}

/// A `Condition` wait (releasing lock `L`) whose every `notify` comes from a thread that never
/// takes `L` before it: the predicate the waiter checks under `L` is never set under it.
fn predicate_never_set(cx: &RuleContext<'_>, event: &Event) -> Option<Diagnostic> {
    let Op::CondWait {
        condition,
        released: Some(lock),
        blocking: true,
        ..
    } = event.op
    else {
        return None;
    };
    if ["notify", "notify_all"]
        .iter()
        .any(|m| cx.model.maybe_called_elsewhere(m))
    {
        return None;
    }
    let notifies: Vec<_> = cx
        .events_on(condition)
        .filter(|(_, _, e)| matches!(e.op, Op::Notify { .. }) && !e.skipped)
        .collect();
    if notifies.is_empty() || notifies.iter().any(|&(u, j, _)| takes_before(cx, u, j, lock)) {
        return None;
    }
    let name = cx.name(lock);
    let mut d = cx.diagnostic(
        &WAIT_NEVER_SIGNALLED,
        format!("this wait's predicate is never set under `{name}`"),
        event.span.clone(),
        "may block forever".to_owned(),
    );
    for (u, _, notify) in notifies {
        d.secondary.push(label(
            &notify.span,
            format!("{} notifies here without taking `{name}` first", cx.thread(u)),
        ));
    }
    d.notes.push(format!(
        "the waiter checks its predicate holding `{name}`; a change made without `{name}` can happen, and be notified, between that check and the wait, and the wake-up is lost"
    ));
    d.help = Some(format!(
        "change the predicate while holding `{name}` (or take `{name}` between the change and the notify)"
    ));
    Some(d)
}

/// Whether event `j` of template `t` holds `lock`, or comes after an acquisition of it in its
/// thread (earlier, or anywhere in a loop both are in).
fn takes_before(cx: &RuleContext<'_>, t: TemplateId, j: usize, lock: PrimId) -> bool {
    let template = cx.model.template(t);
    let acquires = |k: &usize| matches!(template.events[*k].op, Op::Acquire { lock: l, .. } if l == lock);
    template.events[j].held.iter().any(|h| h.lock == lock)
        || (0..j).any(|k| acquires(&k))
        || template
            .loops
            .iter()
            .filter(|&&(first, last)| first <= j && j <= last)
            .any(|&(first, last)| (first..=last).any(|k| acquires(&k)))
}

/// For a wait a signal satisfies: the primitive signalled, the methods that signal it (one
/// called on a receiver the model cannot resolve might be the signal), and which operations do.
type Signals = (PrimId, &'static [&'static str], fn(&Op) -> bool);

fn signals(cx: &RuleContext<'_>, op: &Op) -> Option<Signals> {
    Some(match *op {
        Op::Wait {
            event,
            blocking: true,
        } => (event, &["set"], |o| matches!(o, Op::Set { .. })),
        Op::CondWait {
            condition,
            blocking: true,
            ..
        } => (condition, &["notify", "notify_all"], |o| {
            matches!(o, Op::Notify { .. })
        }),
        // A channel's `recv` also returns once every sender is gone, which the model does not
        // follow.
        Op::Get {
            queue,
            blocking: true,
        } if cx.model.prim(queue).api == Api::Racecheck => {
            (queue, &["put"], |o| matches!(o, Op::Put { .. }))
        }
        // Dropping the peer makes `recv` return `Err(Disconnected)`.
        Op::Recv { end } => (cx.model.prim(end).peer?, &["send"], |o| {
            matches!(o, Op::Send { .. } | Op::Disconnect { .. })
        }),
        _ => return None,
    })
}

/// Every event on `prim` that satisfies the wait happens only after it (or there is none). A
/// signal of the waiting thread's own template (or of a thread it starts) comes from another
/// instance too when several instances of the waiter run at once: it is not ordered after.
fn all_after(
    cx: &RuleContext<'_>,
    wait: (TemplateId, usize),
    prim: PrimId,
    satisfies: impl Fn(&Op) -> bool,
) -> bool {
    cx.events_on(prim)
        // A signal that some path of its thread skips (an early `return`) may never come.
        .filter(|(_, _, e)| satisfies(&e.op) && !e.skipped)
        .all(|(t, i, _)| {
            cx.hb.happens_before(wait, (t, i))
                && !cx.hb.happens_before((t, i), wait)
                && !(started_by(cx, t, wait.0) && cx.hb.self_parallel(wait.0))
        })
}

/// Whether template `t` is `ancestor` or is started by it (through any number of spawns).
fn started_by(cx: &RuleContext<'_>, t: TemplateId, ancestor: TemplateId) -> bool {
    let mut current = t;
    loop {
        if current == ancestor {
            return true;
        }
        match cx.model.template(current).origin {
            Origin::Spawned { parent, .. } => current = parent,
            Origin::Root => return false,
        }
    }
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
