//! D004: `JoinableQueue::join()` on a queue whose consumers never call `task_done()`.
use super::context::RuleContext;
use crate::diagnostic::Diagnostic;
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Finds `JoinableQueue::join()` on a queue that items are put on but on which no thread
    /// ever calls `task_done()`.
    ///
    /// ## Why is this bad?
    /// `join` returns once every item put has been marked done. Without `task_done` the count
    /// never reaches zero and `join` blocks forever.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // consumer
    /// loop { let job = q.get(); work(job); }
    /// // producer
    /// q.put(job);
    /// q.join();
    /// ```
    /// Use instead: call `q.task_done()` after handling each item.
    ///
    /// ## Known problems
    /// - Quiet for the whole crate when the model was cut short (see below) or when `task_done` is
    ///   called on a receiver the model cannot resolve: that call might be the missing one.
    /// - Quiet for a queue no thread the model sees takes from: its consumers are elsewhere (a
    ///   library function walked alone joins what its callers' threads drain).
    /// - A path that leaves an iteration before `task_done` owes nothing when it took no item: the
    ///   empty side of a non-blocking get (`try_get`, `get_timeout`) is read from its pattern (the
    ///   `else` of `let Ok(..) = … else` or `if let Ok(..)`, an `Err(..)` or `None` arm). Emptiness
    ///   tested any other way (`q.empty()` before a `get`, a flag set from the result) is not
    ///   followed, and such a path is reported.
    pub D004, QUEUE_JOIN_WITHOUT_TASK_DONE, "queue-join-without-task-done", Error, "`JoinableQueue::join()` where no consumer calls `task_done()`", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.truncated() || cx.model.maybe_called_elsewhere("task_done") {
        return;
    }
    for (_, _, event) in cx.model.events() {
        let Op::QueueJoin { queue } = event.op else {
            continue;
        };
        let ops = || cx.events_on(queue).map(|(_, _, e)| &e.op);
        let done = ops().any(|o| matches!(o, Op::TaskDone { queue: q } if *q == queue));
        // A `task_done` that some path of its consumer skips (a `continue`, an early
        // `return`) leaves that item unfinished.
        let skipped = cx
            .events_on(queue)
            .any(|(_, _, e)| e.skipped && matches!(e.op, Op::TaskDone { .. }));
        let fed = ops().any(|o| matches!(o, Op::Put { queue: q, .. } if *q == queue));
        // A queue no thread of the model takes from has consumers the model does not see (a
        // library's function, walked alone, joining what its callers' threads drain).
        let consumed = ops().any(|o| matches!(o, Op::Get { queue: q, .. } if *q == queue));
        if (done && !skipped) || !fed || !consumed {
            continue;
        }
        let message = if skipped {
            format!(
                "`{}` is joined but a consumer skips `task_done()` on some path",
                cx.name(queue)
            )
        } else {
            format!(
                "`{}` is joined but no consumer calls `task_done()`",
                cx.name(queue)
            )
        };
        let mut d = cx.diagnostic(
            &QUEUE_JOIN_WITHOUT_TASK_DONE,
            message,
            event.span.clone(),
            "waits for every item to be marked done".to_owned(),
        );
        d.notes.push(
            "items are put on this queue, and nothing ever marks one done: `join` never returns"
                .to_owned(),
        );
        d.help = Some(format!(
            "call `{}.task_done()` after handling each item",
            cx.name(queue)
        ));
        out.push(d);
    }
}
