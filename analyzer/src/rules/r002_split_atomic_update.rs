//! R002: an atomic `load` followed by a `store` of a value derived from it.
use super::context::RuleContext;
use crate::diagnostic::Diagnostic;
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Finds a std atomic read with `load` and then written with `store` of a value computed
    /// from what was read.
    ///
    /// ## Why is this bad?
    /// Each operation is atomic, the pair is not: another thread's update between the `load`
    /// and the `store` is overwritten and lost.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let n = HITS.load(Ordering::SeqCst);
    /// HITS.store(n + 1, Ordering::SeqCst);
    /// ```
    /// Use instead: one atomic read-modify-write: `HITS.fetch_add(1, Ordering::SeqCst)`, or
    /// `fetch_update` / `compare_exchange` in a loop for other updates.
    ///
    /// ## Known problems
    /// - Atomics are told apart by how the receiver is written (`self.count`, `HITS`): two names
    ///   for one atomic are two atomics.
    /// - A `store` in a method taking `self` or `&mut self` is exclusive and never reported, and a
    ///   read-modify-write (`compare_exchange`, `fetch_*`, `swap`) between the `load` and the
    ///   `store` counts as coordination, as does a guard that excludes other holders (not a
    ///   `RwLock`'s read guard) held across both.
    /// - In a program (a crate with `main`, whose threads the model all sees), a split update
    ///   made while no other thread can run (before the first spawn, after every thread is
    ///   joined, outside loops) is not reported. A library's functions and its tests have
    ///   callers the model does not see: there every split update is reported. One other thread
    ///   that only reads the atomic while it is updated is not told apart from one that writes
    ///   it.
    pub R002, SPLIT_ATOMIC_UPDATE, "split-atomic-update", Warning, "an atomic `load` then `store` of a derived value", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let Op::AtomicSplitStore { atomic } = &event.op else {
            continue;
        };
        // In a program, no thread can update the atomic between the two while none other runs.
        let world = cx.model.template(t).world;
        if cx.model.main_world == Some(world) && cx.hb.runs_alone(t, i) {
            continue;
        }
        let mut d = cx.diagnostic(
            &SPLIT_ATOMIC_UPDATE,
            format!("split atomic update of `{atomic}`: `load`, then `store` of a value derived from it"),
            event.span.clone(),
            "stores a value computed from an earlier `load`".to_owned(),
        );
        d.notes.push(
            "an update made by another thread between the `load` and the `store` is lost"
                .to_owned(),
        );
        d.help = Some(format!("use one read-modify-write: `{atomic}.fetch_add(…)`, `fetch_update` or `compare_exchange`"));
        out.push(d);
    }
}
