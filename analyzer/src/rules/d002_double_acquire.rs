//! D002: a non-reentrant lock acquired while the same path already holds it.
use super::context::{add_flow, step, RuleContext};
use crate::diagnostic::{Diagnostic, StepKind};
use crate::model::{Access, Api, Op, PrimKind};

declare_rule! {
    /// ## What it does
    /// Finds a `Lock` (a std or parking_lot `Mutex`) acquired again while the same thread
    /// already holds it, directly or in a function called while the guard is alive; likewise a
    /// `RwLock` written while read or written, and a parking_lot `RwLock` read twice.
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
    /// - Two `read`s of a std `RwLock` are not reported: std does not say whether a queued writer
    ///   blocks the second (on some platforms it does).
    /// - A lock field of an object taken out of a collection, or left by one of two branches, may
    ///   be two objects' locks: acquiring it twice is not reported. Likewise an element of a lock
    ///   family taken by a run-time index (`shards[idx]`, or a helper's `&self.devices[id]`),
    ///   unless by the same binding or field of one, passed down as an argument (`evict(idx)`
    ///   locking `shards[idx]` again, `quarantine(alert.device)`), or whose index the model
    ///   cannot follow.
    /// - A closure handed to a function the model cannot see (another crate's executor or pool)
    ///   is walked as if it ran at once, with the caller's guards still held: a closure that takes
    ///   a lock its caller holds is then reported, though it may run later on another thread. It
    ///   was the rule's one false positive on real crates (`REAL-WORLD.md`), before such calls
    ///   were followed for the runtimes they name; silence one with an allow comment.
    pub D002, DOUBLE_ACQUIRE, "double-acquire", Error, "a non-reentrant lock acquired while already held", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let Op::Acquire {
            lock,
            blocking: true,
            access,
        } = event.op
        else {
            continue;
        };
        let info = cx.model.prim(lock);
        // A field of any object of a struct may be two objects' locks.
        if !matches!(info.kind, PrimKind::Lock | PrimKind::RwLock)
            || info.is_unknown_element()
            || (info.several && !event.same_element)
        {
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
        let both_read = !access.excludes(cx.access((t, first.event)));
        // A second read waits only behind a writer queued in between, which parking_lot's
        // `read` does (its `read_recursive` does not) and std's does not promise.
        let queued_writer_blocks =
            info.api == Api::ParkingLot && access == (Access::Shared { recursive: false });
        if both_read && !queued_writer_blocks {
            continue;
        }
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
        d.notes.push(if both_read {
            "parking_lot's `RwLock::read` waits behind a writer queued since the first read: if \
             another thread asks to write in between, this read blocks the thread forever"
                .to_owned()
        } else {
            format!(
                "`{}` is not reentrant: the second acquisition blocks the thread forever",
                info.type_name()
            )
        });
        d.help = Some(
            match (both_read, info.api) {
                (true, _) => "pass the first guard along, or use `read_recursive`",
                (false, Api::Racecheck) => {
                    "drop the first guard before acquiring again, pass the guard along, or use an `RLock`"
                }
                (false, _) => "drop the first guard before acquiring again, or pass the guard along",
            }
            .to_owned(),
        );
        out.push(d);
    }
}
