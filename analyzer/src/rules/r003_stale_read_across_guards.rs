//! R003: a value read under one guard, written back under a later guard of the same lock.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Op, PrimId, TemplateId};

declare_rule! {
    /// ## What it does
    /// Finds a value read through one guard of a lock and written back through a later guard of
    /// the same lock, while another thread can take the lock in between.
    ///
    /// ## Why is this bad?
    /// The lock is released between the read and the write: another thread's update made in
    /// between is overwritten with a stale value. Each access is locked, the update is not.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let balance = *ACCOUNT.acquire();
    /// *ACCOUNT.acquire() = balance - amount;
    /// ```
    /// Use instead: read and write under one guard:
    /// `let mut balance = ACCOUNT.acquire(); *balance -= amount;`
    ///
    /// ## Known problems
    /// - Only writes through a guard (`*g = …`, `g.field = …`, `g.set(…)`, `g.replace(…)`, a
    ///   map's `insert(key, …)`, or through an element a lookup gave while the guard is held:
    ///   `g.get_mut(&id)` then `s.credit = …`) of a value read through an earlier guard of the
    ///   same lock, within one thread.
    /// - An `insert` writes back only a value read from the element of the same key, keys told
    ///   apart by the binding they are read from (`id`, `&id`, `id.to_string()`), followed up
    ///   through the parameters it was passed down as: a getter and a setter called with the
    ///   caller's `id` touch one element. A key computed otherwise (`ids[0]`, `a + 1`) is not
    ///   followed, and an insert under it is not judged. An element's write through a lookup
    ///   (`get_mut`) does not check that its key is the one read.
    /// - A copy of an element object (`get(&id).cloned()` of a struct) is a snapshot of the
    ///   guard's data only when the struct holds plain data; a clone of one that holds locks,
    ///   channels or objects is taken for the object itself (an `Arc`'s clone).
    /// - Reads and writes are told apart by the field of the data they touch: a value read from
    ///   `state.requested` and stored in `state.completed` is not a write-back (it may still be a
    ///   stale derived value, which this rule does not judge). Fields deeper than the first, and
    ///   elements of a collection, are not told apart.
    /// - Reading through the new guard before writing (`if s.credit == seen`) counts as
    ///   re-validating the value.
    /// - A lock held from before the read to the write counts as coordination with threads
    ///   that hold it when they take the lock (a writers' lock around a copy-edit-publish).
    /// - Only an acquisition that may write the data comes between: one whose guard is only
    ///   read (dereferenced for a copy, `.clone()`, `.len()`, a field read, a binding without
    ///   `mut` whose every use reads) does not. What tells a read apart is syntax, and it
    ///   errs towards a write: a method not known to only read, a macro other than the
    ///   formatting ones, or a guard moved (into a call, a `mut` binding) counts as one, so a
    ///   reader that passes its guard to a helper still counts as a writer.
    /// - A write inside a closure given the element (`entry(id).and_modify(|s| s.credit = …)`)
    ///   is not followed.
    pub R003, STALE_READ_ACROSS_GUARDS, "stale-read-across-guards", Warning, "a value read under one guard, written back under a later guard of the same lock", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let Op::StaleWriteBack { lock } = event.op else {
            continue;
        };
        // Locks held from before the read to the write (a writers' lock around the copy, the
        // edit and the publish) make the update whole for every thread that takes them first.
        let events = &cx.model.template(t).events;
        let read_at = events[..i]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, e)| matches!(e.op, Op::Acquire { lock: l, .. } if l == lock))
            .nth(1)
            .map(|(k, _)| k);
        let around: Vec<PrimId> = event
            .held
            .iter()
            .filter(|h| h.lock != lock && read_at.is_some_and(|r| h.event < r))
            .filter(|h| cx.is_one_lock(h.lock))
            .map(|h| h.lock)
            .collect();
        // Only a thread that may write the data between the read and the write-back loses
        // an update: one that takes the lock only to read the data (a getter's copy) does not,
        // nor does another instance of a spawn loop that takes its own element of a family.
        let own_element = cx.model.own_elements(t, lock, lock) && !family_written(cx, (t, i), lock);
        let contended = cx.events_on(lock).any(|(u, j, e)| {
            matches!(e.op, Op::Acquire { lock: l, .. } if l == lock)
                && !e.only_read
                && !(u == t && own_element)
                && cx.hb.may_run_in_parallel((t, i), (u, j))
                && !e.held.iter().any(|h| around.contains(&h.lock))
        });
        if !contended {
            continue;
        }
        let mut d = cx.diagnostic(
            &STALE_READ_ACROSS_GUARDS,
            format!(
                "stale write-back: `{}` is written with a value read under an earlier guard",
                cx.name(lock)
            ),
            event.span.clone(),
            "writes back a value read before the lock was released".to_owned(),
        );
        // The two guards, so the lost-update interleaving can be matched with a runtime trace.
        let mut guards = cx.model.template(t).events[..i]
            .iter()
            .rev()
            .filter(|e| matches!(e.op, Op::Acquire { lock: l, .. } if l == lock));
        if let (Some(write), Some(read)) = (guards.next(), guards.next()) {
            d.secondary.push(label(
                &read.span,
                "the value is read under this guard".to_owned(),
            ));
            d.secondary.push(label(
                &write.span,
                "and written back under this later guard".to_owned(),
            ));
        }
        d.notes.push(format!(
            "another thread can acquire `{}` between the read and the write; its update is lost",
            cx.name(lock)
        ));
        d.help = Some("do the read and the write under one guard".to_owned());
        out.push(d);
    }
}

/// Whether another element of `lock`'s family (a neighbour `slots[i + 1]`, a constant
/// `slots[0]`, one taken by an id) is taken to write by a thread that may run beside `at`: it
/// may be the element `at`'s thread calls its own.
fn family_written(cx: &RuleContext<'_>, at: (TemplateId, usize), lock: PrimId) -> bool {
    let Some((family, _)) = cx.model.prim(lock).element else {
        return false;
    };
    cx.model.events().any(|(u, j, e)| match e.op {
        Op::Acquire { lock: other, .. } => {
            other != lock
                && !e.only_read
                && cx.model.prim(other).element.is_some_and(|(f, _)| f == family)
                && cx.hb.may_run_in_parallel(at, (u, j))
        }
        _ => false,
    })
}
