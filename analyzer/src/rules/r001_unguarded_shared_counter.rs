//! R001: a `Shared` read-modify-write reachable from several threads without one common lock.
use super::context::{add_flow, step, RuleContext};
use crate::diagnostic::{Diagnostic, Step, StepKind};
use crate::model::{Event, IndexKey, Op, PrimId, TemplateId};
use std::collections::{BTreeMap, BTreeSet};

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
    /// - An element of a lock family taken by an index known only at run time (`devices[id]`)
    ///   is no common lock: each thread may hold another element.
    /// - An element indexed by the variable of the loop that spawned the threads (`SLOTS[i]`) is
    ///   each thread's own: the threads of that loop do not race on it.
    /// - A `Barrier` orders only what it is seen to order: an update made by the round's leader
    ///   alone (`if SYNC.wait() { … }`) while the others wait at the next barrier is reported.
    pub R001, UNGUARDED_SHARED_COUNTER, "unguarded-shared-counter", Error, "a `Shared` read-modify-write reachable from 2+ threads without one common lock", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    // Per `Shared`, every write that takes part in a race: each racing read-modify-write and the
    // write it races with. One finding per `Shared`, however many writers.
    let mut races: BTreeMap<PrimId, Vec<(TemplateId, usize)>> = BTreeMap::new();
    for (t, i, event) in cx.model.events() {
        let Op::SharedSet {
            shared,
            rmw: Some(_),
        } = event.op
        else {
            continue;
        };
        // A `Shared` of a family (`HITS[id]`) is as much one element as the lock beside it.
        let per_element = cx.model.prim(shared).element.is_some();
        let mine = protecting_locks(cx, event, per_element);
        // Another write of the same value (or this one, in another instance of its thread,
        // unless each instance has its own: `SLOTS[i]` by the spawn loop's `i`) that can run at
        // the same time, with no lock in common.
        let racing = cx.events_on(shared).find(|&(u, j, other)| {
            matches!(other.op, Op::SharedSet { .. })
                && !(u == t && cx.model.own_elements(t, shared, shared))
                && cx.hb.may_run_in_parallel((t, i), (u, j))
                && !protecting_locks(cx, other, per_element)
                    .iter()
                    .any(|l| mine.contains(l))
        });
        if let Some((u, j, _)) = racing {
            let writes = races.entry(shared).or_default();
            for write in [(t, i), (u, j)] {
                if !writes.contains(&write) {
                    writes.push(write);
                }
            }
        }
    }
    for (shared, writes) in races {
        out.push(diagnostic(cx, shared, &writes));
    }
}

/// The race on `shared`: at the first racing read-modify-write, with what each thread does.
fn diagnostic(cx: &RuleContext<'_>, shared: PrimId, writes: &[(TemplateId, usize)]) -> Diagnostic {
    let name = cx.name(shared);
    let &(t, i) = writes
        .iter()
        .filter(|&&(t, i)| matches!(cx.event(t, i).op, Op::SharedSet { rmw: Some(_), .. }))
        .min_by_key(|&&(t, i)| {
            let span = &cx.event(t, i).span;
            (span.file.clone(), span.line_start, span.column_start)
        })
        .expect("a race has a read-modify-write");
    let mut d = cx.diagnostic(
        &UNGUARDED_SHARED_COUNTER,
        format!("unguarded read-modify-write of `{name}`"),
        cx.event(t, i).span.clone(),
        "writes back a value read earlier: an update made in between is lost".to_owned(),
    );
    let templates: BTreeSet<TemplateId> = writes.iter().map(|&(u, _)| u).collect();
    // The same code run by several threads: each is shown where it enters that code.
    let shared_code = templates.len() > 1
        && writes
            .iter()
            .any(|&(u, j)| (u, j) != (t, i) && cx.event(u, j).span == cx.event(t, i).span);
    for &(u, j) in std::iter::once(&(t, i)).chain(writes.iter().filter(|&&w| w != (t, i))) {
        let thread = cx.thread(u);
        // The primary label does not name its thread: its entry does, when threads differ.
        let named_by_entry = shared_code || ((u, j) == (t, i) && templates.len() > 1);
        let mut steps = entry_steps(cx, u, j, named_by_entry);
        let write = cx.event(u, j);
        if let Op::SharedSet { rmw: Some(rmw), .. } = &write.op {
            let (r, k) = rmw.read;
            if let Some(read) = cx.model.template(r).events.get(k) {
                steps.push(step(&read.span, format!("reads `{name}` here"), StepKind::Access));
            }
        }
        // The same code as the primary span's, run by another thread, says the same.
        let message = if write.span == d.primary {
            d.primary_label.clone()
        } else {
            format!("{thread} writes `{name}` at the same time")
        };
        steps.push(step(&write.span, message, StepKind::Access));
        add_flow(&mut d, thread, steps);
    }
    if templates.len() == 1 {
        d.notes.push(format!(
            "several instances of {} run this at the same time",
            cx.thread(t)
        ));
    }
    d.notes
        .push("`get` and `set` are each atomic, but the pair is not".to_owned());
    d.help = Some(format!(
        "hold one lock across the `get` and the `set` of `{name}` in every thread"
    ));
    d
}

/// Where a thread enters the code of a write: the calls from its start down to it, or, when
/// the thread runs that code directly and must be named, where it is spawned.
fn entry_steps(
    cx: &RuleContext<'_>,
    template: TemplateId,
    event: usize,
    named_by_spawn: bool,
) -> Vec<Step> {
    let thread = cx.thread(template);
    let calls = cx
        .model
        .calls_between(None, cx.event(template, event).call);
    if !calls.is_empty() {
        return calls
            .into_iter()
            .map(|call| {
                let how = if call.dropping { "a drop here" } else { "this call" };
                step(&call.span, format!("{thread} runs the update through {how}"), StepKind::Call)
            })
            .collect();
    }
    let spawned = cx.model.template(template);
    match &spawned.spawn_span {
        Some(span) if named_by_spawn => {
            let (what, how) = match spawned.pool_task {
                true => ("pool task", "submitted"),
                false => ("thread", "spawned"),
            };
            let message = format!("{what} `{}` is {how} here and runs the update", spawned.name);
            vec![step(span, message, StepKind::Call)]
        }
        _ => Vec::new(),
    }
}

/// The locks that protect a write: for a read-modify-write, those held across the read and the
/// write; for a plain write, those held at it.
fn protecting_locks(cx: &RuleContext<'_>, event: &Event, per_element: bool) -> Vec<PrimId> {
    let held = event.held.iter().filter(|h| {
        // Elements of a family taken by an index known only at run time (each reader's
        // `devices[id]`) may be two locks: holding "one" in each thread protects nothing
        // shared between them, unless the value is per element too.
        (per_element
            || !matches!(
                cx.model.prim(h.lock).element,
                Some((_, IndexKey::Id(_) | IndexKey::Rotated { .. } | IndexKey::Unknown))
            ))
            && match &event.op {
                Op::SharedSet { rmw: Some(rmw), .. } => rmw.guards.contains(&h.guard),
                _ => true,
            }
    });
    held.map(|h| h.lock).collect()
}
