//! D003: a blocking wait while holding a lock the thread that would end the wait needs.
use super::context::{label, push_unique, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::model::{Model, Op, PrimId, TemplateId};

crate::declare_rule! {
    /// ## What it does
    /// Finds a blocking wait (a `join`, `Pool::join`, `JoinableQueue::join`, `Queue::get`, a
    /// `put` on a full bounded queue, `Event::wait`, `Condition::wait`, `Barrier::wait`,
    /// `Semaphore::acquire`, `recv`) made while holding a lock that the thread which would end
    /// the wait acquires first.
    ///
    /// ## Why is this bad?
    /// The waiting thread keeps the lock; the other thread blocks on it and never gets to do
    /// what the wait is waiting for. Both stop for good.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let _g = STATE.acquire();
    /// worker.join().unwrap(); // `worker` acquires STATE before it can finish
    /// ```
    /// Use instead: release the lock before waiting (end the guard's scope or `drop` it).
    pub D003, JOIN_WHILE_HOLDING, "join-while-holding", Error, "a blocking wait while holding a lock the waking thread needs"
}

/// A thread that can end a wait: by one of these events, or (`None`) by finishing.
struct Waker {
    template: TemplateId,
    by: Option<Vec<usize>>,
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, _, event) in cx.model.events() {
        let Some((what, wakers)) = wakers(cx.model, &event.op) else {
            continue;
        };
        let released = match event.op {
            Op::CondWait { released, .. } => released,
            _ => None,
        };
        for held in event.held.iter().filter(|h| Some(h.lock) != released) {
            if cx.model.prim(held.lock).is_unknown_element() {
                continue;
            }
            let Some((waker, at)) = needing_waker(cx, &wakers, held.lock, (t, held.event)) else {
                continue;
            };
            let mut d = cx.diagnostic(
                &JOIN_WHILE_HOLDING,
                format!(
                    "{what} blocks while holding `{}`, which {} needs",
                    cx.name(held.lock),
                    cx.thread(waker)
                ),
                event.span.clone(),
                format!("blocks here holding `{}`", cx.name(held.lock)),
            );
            d.secondary.push(label(
                &held.span,
                format!("`{}` acquired here", cx.name(held.lock)),
            ));
            d.secondary.push(label(
                &cx.event(waker, at).span,
                format!(
                    "{} acquires `{}` here before it can end the wait",
                    cx.thread(waker),
                    cx.name(held.lock)
                ),
            ));
            d.help = Some(format!("release `{}` before waiting", cx.name(held.lock)));
            push_unique(out, d);
            break;
        }
    }
}

/// An acquisition of `lock` by a waker, before it can end the wait, not ordered before the
/// waiting thread's own acquisition of the lock.
fn needing_waker(
    cx: &RuleContext<'_>,
    wakers: &[Waker],
    lock: PrimId,
    held_since: (TemplateId, usize),
) -> Option<(TemplateId, usize)> {
    for waker in wakers {
        let u = waker.template;
        if u == held_since.0 && !cx.hb.self_parallel(u) {
            continue;
        }
        let events = &cx.model.template(u).events;
        for (j, e) in events.iter().enumerate() {
            if !matches!(e.op, Op::Acquire { lock: l, blocking: true } if l == lock) {
                continue;
            }
            let needed = match &waker.by {
                None => true,
                // Before one of the waking events (in program order, loops included).
                Some(by) => by
                    .iter()
                    .any(|&k| j != k && cx.hb.happens_before((u, j), (u, k))),
            };
            if needed && !cx.hb.happens_before((u, j), held_since) {
                return Some((u, j));
            }
        }
    }
    None
}

/// What a blocking operation is called, and the threads that can end it.
fn wakers(model: &Model, op: &Op) -> Option<(&'static str, Vec<Waker>)> {
    let by = |pred: &dyn Fn(&Op) -> bool| -> Vec<Waker> {
        model
            .template_ids()
            .filter_map(|t| {
                let by: Vec<usize> = model
                    .template(t)
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| pred(&e.op))
                    .map(|(i, _)| i)
                    .collect();
                (!by.is_empty()).then_some(Waker {
                    template: t,
                    by: Some(by),
                })
            })
            .collect()
    };
    Some(match *op {
        Op::Join { ref threads } => (
            "`join`",
            threads
                .iter()
                .map(|&t| Waker {
                    template: t,
                    by: None,
                })
                .collect(),
        ),
        Op::PoolJoin { pool } => (
            "`Pool::join`",
            model
                .events()
                .filter_map(|(_, _, e)| match e.op {
                    Op::Submit { pool: p, task, .. } if p == pool => Some(Waker {
                        template: task,
                        by: None,
                    }),
                    _ => None,
                })
                .collect(),
        ),
        Op::QueueJoin { queue } => (
            "`join`",
            by(&|o| matches!(o, Op::TaskDone { queue: q } if *q == queue)),
        ),
        Op::Get {
            queue,
            blocking: true,
        } => (
            "`get`",
            by(&|o| matches!(o, Op::Put { queue: q, .. } if *q == queue)),
        ),
        Op::Put {
            queue,
            blocking: true,
        } => (
            "`put`",
            by(&|o| matches!(o, Op::Get { queue: q, .. } if *q == queue)),
        ),
        Op::Wait {
            event,
            blocking: true,
        } => (
            "`wait`",
            by(&|o| matches!(o, Op::Set { event: e } if *e == event)),
        ),
        Op::CondWait {
            condition,
            blocking: true,
            ..
        } => (
            "`wait`",
            by(&|o| matches!(o, Op::Notify { condition: c } if *c == condition)),
        ),
        Op::BarrierWait { barrier } => (
            "`wait`",
            by(&|o| matches!(o, Op::BarrierWait { barrier: b } if *b == barrier)),
        ),
        Op::SemAcquire {
            semaphore,
            blocking: true,
        } => (
            "`acquire`",
            by(&|o| matches!(o, Op::SemRelease { semaphore: s } if *s == semaphore)),
        ),
        Op::Recv { end } => {
            let peer = model.prim(end).peer?;
            (
                "`recv`",
                by(&|o| matches!(o, Op::Send { end: e } if *e == peer)),
            )
        }
        _ => return None,
    })
}
