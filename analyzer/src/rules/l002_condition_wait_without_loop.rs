//! L002: `Condition::wait` not inside a predicate loop.
use super::context::{label, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Api, Op};

declare_rule! {
    /// ## What it does
    /// Finds `Condition::wait` called outside any `while`/`loop` that re-checks the condition.
    ///
    /// ## Why is this bad?
    /// A wait can return without the condition being true (a spurious wakeup, or another thread
    /// consumed the state first): a wait that does not re-check acts on a false assumption. A
    /// wait that checks nothing before it also sleeps forever when the notify came first.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let mut ready = STATE.acquire();
    /// if !*ready {
    ///     ready = CV.wait(ready);
    /// }
    /// ```
    /// Use instead: `while !*ready { ready = CV.wait(ready); }` or `CV.wait_while(ready, |r| !*r)`.
    ///
    /// A wait under an `if` (or a `match` arm) inside a loop is reported too when a `?` after it
    /// can leave the function before the loop comes round: `loop { if s.is_empty() { s =
    /// cv.wait(s).unwrap(); } let job = s.pop()?; … }` gives up on a spurious wakeup instead of
    /// waiting again; so does an `unwrap` or `expect` of what is read of the guarded state
    /// (`s.pop().unwrap()` panics). An arm that goes round (`continue`) or leaves after the
    /// wait, and the wait's own `?` or `unwrap` (which fail only on poisoning), are not such
    /// ways out.
    ///
    /// ## Known problems
    /// - Any `while` or `loop` of the waiting function around the wait counts as a predicate loop,
    ///   even one whose condition does not re-check what the wait is for; of the ways to leave it
    ///   after the wait, only `?` and an `unwrap` of the state are taken as leaving unchecked (a
    ///   `return` or `break` after a
    ///   wait is often the re-check itself). A caller's loop counts only for a function whose
    ///   last operation is the wait and which returns the guard it gave back (`fn sleep(cv, g)
    ///   -> MutexGuard { cv.wait(g).unwrap() }`): a function that waits once under `if`, then
    ///   acts, is reported even when every caller calls it again until the predicate holds.
    pub L002, CONDITION_WAIT_WITHOUT_LOOP, "condition-wait-without-loop", Warning, "`Condition::wait` not guarded by a predicate loop", model_limits!()
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let Op::CondWait {
            condition,
            blocking: true,
            looped: false,
            ..
        } = event.op
        else {
            continue;
        };
        if event.in_predicate_loop {
            continue;
        }
        let mut d = cx.diagnostic(
            &CONDITION_WAIT_WITHOUT_LOOP,
            format!(
                "`{}` is waited on without a predicate loop",
                cx.name(condition)
            ),
            event.span.clone(),
            "not re-checked after waking".to_owned(),
        );
        let leaves = cx
            .model
            .template(t)
            .unchecked_waits
            .iter()
            .find(|(at, _)| *at == i);
        if let Some((_, question_mark)) = leaves {
            d.secondary.push(label(
                question_mark,
                "leaves the loop here, without waiting again, when the state is not ready"
                    .to_owned(),
            ));
        }
        d.notes.push(if leaves.is_some() {
            "the loop around the wait re-checks only when it comes round: after waking, a `?` gives up, or an `unwrap` panics, on a state another thread already took, or on a spurious wakeup".to_owned()
        } else if event.in_if {
            // The predicate was checked under the lock: no notify can be missed before the
            // wait, but nothing checks it after.
            "the predicate is checked once, before waiting: a spurious wakeup, or another thread that takes the state first, returns from the wait with the predicate false".to_owned()
        } else {
            "a wait can wake spuriously, and a notify sent before the wait is lost".to_owned()
        });
        // parking_lot's condition variable waits on the guard it borrows.
        d.help = Some(match cx.model.prim(condition).api {
            Api::ParkingLot => "wait in `while !condition { cv.wait(&mut guard); }`, or use `wait_while`",
            _ => "wait in `while !condition { guard = cv.wait(guard); }`, or use `wait_while`",
        }
        .to_owned());
        out.push(d);
    }
}
