//! L001: a spawned thread whose handle is dropped without a join.
use super::context::RuleContext;
use crate::diagnostic::Diagnostic;
use crate::model::Origin;

declare_rule! {
    /// ## What it does
    /// Finds a spawned thread whose `JoinHandle` is dropped (discarded, bound to an unused name,
    /// or let go out of scope) without ever being joined, and whose spawner does not wait for
    /// its work another way: a thread is waited for when its last operation (its acquisitions
    /// aside) happens before the spawner's end, or may end a wait that does and is not over
    /// before the thread starts: a send the spawner (or a thread it joins) receives, a notify
    /// it waits for, an event it waits on, a barrier both wait at, a `task_done` its queue
    /// `join` waits for, a semaphore release it acquires.
    ///
    /// ## Why is this bad?
    /// When `main` returns the process ends, whatever the thread was doing: its work may be cut
    /// short or never happen, and a panic in it goes unnoticed.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let _t = Thread::new(flush_logs).start();
    /// ```
    /// Use instead: keep the handle and `join()` it before `main` ends.
    ///
    /// ## Known problems
    /// - A handle that leaves the model's sight (stored in a field or a collection, returned,
    ///   passed to code the model does not follow) counts as joined. One pushed into a
    ///   collection in a field of a lock's data (`BOOK.acquire().running.push(h)`), and later
    ///   taken out and joined, is reported.
    /// - A hand-off counts when it may end the wait: with several senders, the receive may
    ///   have taken another thread's message. A thread whose only hand-off is dropping its
    ///   sender (the receiver's loop ends once every sender is gone) is reported.
    /// - Quiet for the whole crate when the model was cut short (see below) or when `join` is
    ///   called on a receiver the model cannot resolve.
    #[off_by_default]
    pub L001, THREAD_NEVER_JOINED, "thread-never-joined", Warning, "a spawned thread whose handle is dropped without a join", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    if cx.model.truncated() || cx.model.maybe_called_elsewhere("join") {
        return;
    }
    for t in cx.model.template_ids() {
        let template = cx.model.template(t);
        let (Origin::Spawned { .. }, Some(span)) = (&template.origin, &template.spawn_span) else {
            continue;
        };
        if template.pool_task || template.handle_kept || cx.hb.waited_for(t) {
            continue;
        }
        let mut d = cx.diagnostic(
            &THREAD_NEVER_JOINED,
            format!("thread `{}` is never joined", template.name),
            span.clone(),
            "spawned here; its handle is dropped".to_owned(),
        );
        d.notes
            .push("the program may end before this thread has done its work".to_owned());
        d.help =
            Some("keep the `JoinHandle` and call `join()` on it before `main` returns".to_owned());
        out.push(d);
    }
}
