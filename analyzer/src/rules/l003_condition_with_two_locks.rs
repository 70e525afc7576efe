//! L003: one condition waited on with guards of two different locks.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Api, Event, Op, PrimId, TemplateId};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Finds a `Condition` (or a std or parking_lot `Condvar`) waited on with a guard of one lock
    /// in one place and of another lock in another.
    ///
    /// ## Why is this bad?
    /// A condition protects one predicate, kept under one lock: a notify sent under the other
    /// lock can slip between a waiter's check and its wait, and be lost. The primitives refuse
    /// it: racecheck's `Condition` binds to the lock of its first wait and panics on another,
    /// std's `Condvar` may panic when used with more than one mutex over time, and
    /// parking_lot's panics when a thread waits with another mutex than a thread already
    /// waiting.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let jobs = JOBS.lock().unwrap();
    /// let _jobs = CHANGED.wait(jobs).unwrap();
    /// // elsewhere
    /// let done = DONE.lock().unwrap();
    /// let _done = CHANGED.wait(done).unwrap(); // the same condvar, another mutex
    /// ```
    /// Use instead: one condition per lock (a second `Condvar` for `DONE`), or keep both
    /// predicates under one lock.
    ///
    /// ## Known problems
    /// - Locks that are elements of a family (`locks[i]`) are not compared: two indices may be
    ///   one lock. Likewise a condition that is an element of a family.
    /// - For parking_lot, only waits that may run at the same time are reported (it checks the
    ///   mutex of the waiters present, not of past waits).
    pub L003, CONDITION_WITH_TWO_LOCKS, "condition-with-two-locks", Error, "one condition waited on with guards of two different locks", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    // Per condition, its waits with the lock each releases, in model order.
    let mut waits: BTreeMap<PrimId, Vec<(TemplateId, usize, PrimId, &Event)>> = BTreeMap::new();
    for (t, i, event) in cx.model.events() {
        let Op::CondWait {
            condition,
            released: Some(lock),
            ..
        } = event.op
        else {
            continue;
        };
        let known = |p: PrimId| cx.model.prim(p).element.is_none();
        if known(condition) && known(lock) {
            waits.entry(condition).or_default().push((t, i, lock, event));
        }
    }
    for (condition, waits) in waits {
        let concurrent_only = cx.model.prim(condition).api == Api::ParkingLot;
        let clash = waits.iter().enumerate().find_map(|(k, second)| {
            waits[..k].iter().find(|first| {
                first.2 != second.2
                    && (!concurrent_only
                        || cx.hb.may_run_in_parallel((first.0, first.1), (second.0, second.1)))
            })
            .map(|first| (first, second))
        });
        let Some((first, second)) = clash else {
            continue;
        };
        let type_name = cx.model.prim(condition).type_name();
        let mut d = cx.diagnostic(
            &CONDITION_WITH_TWO_LOCKS,
            format!(
                "`{}` is waited on with `{}` here and with `{}` elsewhere",
                cx.name(condition),
                cx.name(second.2),
                cx.name(first.2)
            ),
            second.3.span.clone(),
            format!(
                "{} waits releasing `{}`",
                cx.thread(second.0),
                cx.name(second.2)
            ),
        );
        d.secondary.push(label(
            &first.3.span,
            format!(
                "{} waits releasing `{}`",
                cx.thread(first.0),
                cx.name(first.2)
            ),
        ));
        d.notes.push(match cx.model.prim(condition).api {
            Api::Racecheck => format!(
                "a `{type_name}` binds to the lock of its first wait and panics when waited on with another"
            ),
            Api::ParkingLot => format!(
                "parking_lot's `{type_name}` panics when a thread waits with another mutex than the threads already waiting"
            ),
            _ => format!("std's `{type_name}` may panic when used with more than one mutex"),
        });
        d.help = Some(format!(
            "use one `{type_name}` per lock, or keep both predicates under one lock"
        ));
        out.push(d);
    }
}
