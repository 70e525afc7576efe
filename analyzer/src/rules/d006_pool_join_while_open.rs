//! D006: `Pool::join()` with no `close()` or `terminate()` before it.
use super::context::RuleContext;
use crate::diagnostic::Diagnostic;
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Finds `Pool::join()` on a pool that is not closed (`close()` or `terminate()`) before.
    ///
    /// ## Why is this bad?
    /// As in Python's `multiprocessing.Pool`, `join` waits for the workers to exit, and they only
    /// exit once the pool is closed: joining an open pool is an error (Python raises
    /// `ValueError`; a pool that waited would wait forever).
    ///
    /// ## Example
    /// ```rust,ignore
    /// let results = pool.map(square, 0..10);
    /// pool.join();
    /// ```
    /// Use instead: `pool.close(); pool.join();`
    ///
    /// ## Known problems
    /// - Quiet for the whole crate when the model was cut short (see below) or when `close` or
    ///   `terminate` is called on a receiver the model cannot resolve.
    pub D006, POOL_JOIN_WHILE_OPEN, "pool-join-while-open", Error, "`Pool::join()` with no `close()`/`terminate()` before it", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.truncated()
        || cx.model.maybe_called_elsewhere("close")
        || cx.model.maybe_called_elsewhere("terminate")
    {
        return;
    }
    for (t, i, event) in cx.model.events() {
        let Op::PoolJoin { pool } = event.op else {
            continue;
        };
        let closed = cx.events_on(pool).any(|(u, j, e)| {
            matches!(e.op, Op::PoolClose { pool: p } if p == pool)
                && if u == t {
                    j < i
                } else {
                    !cx.hb.happens_before((t, i), (u, j))
                }
        });
        if closed {
            continue;
        }
        let mut d = cx.diagnostic(
            &POOL_JOIN_WHILE_OPEN,
            format!("`{}` is joined while still open", cx.name(pool)),
            event.span.clone(),
            "`join` before `close` or `terminate`".to_owned(),
        );
        d.notes.push(
            "the workers of an open pool keep waiting for tasks, so they never exit".to_owned(),
        );
        d.help = Some(format!(
            "call `{0}.close()` (or `{0}.terminate()`) before `{0}.join()`",
            cx.name(pool)
        ));
        out.push(d);
    }
}
