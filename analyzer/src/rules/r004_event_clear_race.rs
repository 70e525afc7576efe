//! R004: `Event::clear()` and `set()` on one event from threads that are not ordered.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::Op;

declare_rule! {
    /// ## What it does
    /// Finds `Event::clear()` and `Event::set()` on the same event in threads that nothing
    /// orders (no spawn/join or hand-off between them).
    ///
    /// ## Why is this bad?
    /// If the `clear` runs after the `set`, the signal is wiped before its waiters see it: they
    /// keep waiting (or polling) although the event was set.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // worker                          // main
    /// STOP.clear();                      STOP.set();
    /// while !STOP.is_set() { work(); }
    /// ```
    /// Use instead: clear the event before starting the threads that set it, or use a queue.
    ///
    /// A `clear` right after the thread saw the event set (`if e.is_set() { e.clear(); act() }`,
    /// or `e.wait(); e.clear();`), with nothing between, takes the signal before acting on it:
    /// a `set` made meanwhile asks for what the action does anyway, and it is not reported.
    /// Nor is an event that mirrors state under a lock: a `clear` in an `if` whose condition
    /// reads through a guard held to the clear (`if pending.is_empty() { has_work.clear() }`
    /// under `pending`'s guard, no condition wait on it between), against a `set` made under
    /// that lock (after the push that makes the state true).
    ///
    /// ## Known problems
    /// - Any other `clear` and `set` of one event that no spawn/join or hand-off orders is
    ///   reported, whatever the program does between them.
    /// - Under a common lock, what the `if` checks is not looked at beyond that read: a
    ///   condition that also reads a value taken earlier (`if n == 0 && p.is_empty()`) is taken
    ///   to re-validate the state the event mirrors.
    pub R004, EVENT_CLEAR_RACE, "event-clear-race", Warning, "`Event::clear()` and `set()` from threads unordered by happens-before", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        // A clear that takes the signal it just saw, before acting on it, loses nothing.
        let Op::Clear {
            event: e,
            consumes: false,
            ref checked_under,
        } = event.op
        else {
            continue;
        };
        // A set made under the lock the clear was decided under cannot come between the
        // check and the clear.
        let checked_under: Vec<_> = checked_under
            .iter()
            .copied()
            .filter(|&l| cx.is_one_lock(l))
            .collect();
        let setter = cx.events_on(e).find(|&(u, j, other)| {
            matches!(other.op, Op::Set { event: s } if s == e)
                && !other.held.iter().any(|h| checked_under.contains(&h.lock))
                && cx.hb.may_run_in_parallel((t, i), (u, j))
        });
        let Some((u, _, set)) = setter else {
            continue;
        };
        let mut d = cx.diagnostic(
            &EVENT_CLEAR_RACE,
            format!(
                "`{}` is cleared and set by threads that are not ordered",
                cx.name(e)
            ),
            event.span.clone(),
            format!("{} may run this after the `set` and wipe the signal", cx.thread(t)),
        );
        d.secondary.push(label(
            &set.span,
            format!("{} sets `{}` here", cx.thread(u), cx.name(e)),
        ));
        d.help = Some("clear the event before starting the threads that set it".to_owned());
        out.push(d);
    }
}
