//! D003: a blocking wait while holding a lock the thread that would end the wait needs.
use super::context::{add_flow, step, RuleContext};
use crate::diagnostic::{Diagnostic, StepKind};
use crate::model::{Api, Op, PrimId, TemplateId};
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Finds a blocking wait (a `join`, `Pool::join`, `Pool::map`/`apply` (which wait for their
    /// tasks), `JoinableQueue::join`, `Queue::get`, a `put` on a full bounded queue,
    /// `Event::wait`, `Condition::wait`, `Barrier::wait`, `Semaphore::acquire`, `recv`) made
    /// while holding a lock that the thread which would end the wait acquires first.
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
    ///
    /// ## Known problems
    /// - Waits with a timeout (`wait_timeout`, `try_acquire`, a timed `get`…) are not blocking
    ///   waits.
    /// - A waker is known only when the model sees the operation that ends the wait (the `set`,
    ///   `put`, `notify`, `send`, or the end of a joined thread), and it needs the lock only if it
    ///   acquires it before that operation in program order.
    /// - A reply channel a request carried (an enum variant's, or a field of a request struct
    ///   queued or sent), kept with others (in one collection, or sent over one channel, std's
    ///   and crossbeam's alike), stands for any of them: the thread that
    ///   answers one is taken to answer each, whatever the message type. Channels the program
    ///   keeps in a collection itself (workers' inboxes) are a family: the first stands for all.
    /// - A lock of a family held by a run-time id (`printers[id]`) is needed by a waker that
    ///   takes any element of the family not told apart from it (by another run-time id, or
    ///   each in turn): the two ids may be the same. An element indexed by the variable of the
    ///   loop that spawned the threads (`slots[i]`) is each thread's own: another thread of that
    ///   loop taking `slots[i]` takes its own, not the one held.
    pub D003, JOIN_WHILE_HOLDING, "join-while-holding", Error, "a blocking wait while holding a lock the waking thread needs", model_limits!()
}

/// A thread that can end a wait: by one of these events, or (`None`) by finishing.
struct Waker {
    template: TemplateId,
    by: Option<Vec<usize>>,
}

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (t, i, event) in cx.model.events() {
        let released = match event.op {
            Op::CondWait { released, .. } => released,
            _ => None,
        };
        let mut held = event
            .held
            .iter()
            .filter(|h| Some(h.lock) != released && !cx.model.prim(h.lock).is_unknown_element())
            .peekable();
        // Most waits hold no lock: their wakers are not looked for.
        if held.peek().is_none() {
            continue;
        }
        let Some((what, wakers)) = wakers(cx, &event.op) else {
            continue;
        };
        for held in held {
            let Some(need) = needing_waker(cx, &wakers, held.lock, (t, held.event)) else {
                continue;
            };
            let waker = need.template;
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
            let mut waiting = vec![step(
                &held.span,
                format!("`{}` acquired here", cx.name(held.lock)),
                StepKind::Acquire,
            )];
            waiting.extend(cx.calls_while_held(t, held, i));
            waiting.push(step(&event.span, d.primary_label.clone(), StepKind::Wait));
            add_flow(&mut d, cx.thread(t), waiting);
            let mut waking = vec![step(
                &cx.event(waker, need.acquire).span,
                format!(
                    "{} acquires `{}` here before it can end the wait",
                    cx.thread(waker),
                    cx.name(held.lock)
                ),
                StepKind::Acquire,
            )];
            if let Some(wake) = need.wake {
                waking.push(step(
                    &cx.event(waker, wake).span,
                    format!("{} would end the wait here", cx.thread(waker)),
                    StepKind::Signal,
                ));
            }
            add_flow(&mut d, cx.thread(waker), waking);
            d.help = Some(format!("release `{}` before waiting", cx.name(held.lock)));
            out.push(d);
            break;
        }
    }
}

/// A waker's acquisition of the lock the waiting thread holds, and the event by which it would
/// end the wait after it (`None`: by finishing).
struct Need {
    template: TemplateId,
    acquire: usize,
    wake: Option<usize>,
}

/// An acquisition of `lock` by a waker, before it can end the wait, not ordered before the
/// waiting thread's own acquisition of the lock (within one round of their loops).
fn needing_waker(
    cx: &RuleContext<'_>,
    wakers: &[Waker],
    lock: PrimId,
    held_since: (TemplateId, usize),
) -> Option<Need> {
    let held_access = cx.access(held_since);
    for waker in wakers {
        let u = waker.template;
        if u == held_since.0 && !cx.hb.self_parallel(u) {
            continue;
        }
        let events = &cx.model.template(u).events;
        for (j, e) in events.iter().enumerate() {
            // Readers of a `RwLock` do not wait for each other; nor does an instance wait for
            // the element another instance holds by the variable that tells them apart.
            let waits = matches!(e.op, Op::Acquire { lock: l, blocking: true, access }
                if cx.model.may_be_same_lock(l, lock)
                    && access.excludes(held_access)
                    && !(u == held_since.0 && cx.model.own_elements(u, l, lock)));
            if !waits {
                continue;
            }
            let wake = match &waker.by {
                None => Some(None),
                // Before one of the waking events (in program order, loops included).
                Some(by) => by
                    .iter()
                    .find(|&&k| j != k && cx.hb.happens_before((u, j), (u, k)))
                    .map(|&k| Some(k)),
            };
            // Another instance of the waiting thread's own template is ordered by none of its
            // events: the template's events stand for every instance's.
            let other_instance = u == held_since.0;
            let ordered_before =
                || !other_instance && cx.hb.happens_before_in_one_round((u, j), held_since);
            if let Some(wake) = wake.filter(|_| !ordered_before()) {
                return Some(Need {
                    template: u,
                    acquire: j,
                    wake,
                });
            }
        }
    }
    None
}

/// What a blocking operation is called, and the threads that can end it.
fn wakers(cx: &RuleContext<'_>, op: &Op) -> Option<(&'static str, Vec<Waker>)> {
    // The threads performing the waking operations on `prim`, each with where it does.
    let by = |prim: PrimId, pred: &dyn Fn(&Op) -> bool| -> Vec<Waker> {
        let mut by_template: BTreeMap<TemplateId, Vec<usize>> = BTreeMap::new();
        for (t, i, e) in cx.events_on(prim) {
            if pred(&e.op) {
                by_template.entry(t).or_default().push(i);
            }
        }
        by_template
            .into_iter()
            .map(|(template, by)| Waker {
                template,
                by: Some(by),
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
            cx.events_on(pool)
                .filter_map(|(_, _, e)| match e.op {
                    Op::Submit { task, .. } => Some(Waker {
                        template: task,
                        by: None,
                    }),
                    _ => None,
                })
                .collect(),
        ),
        Op::Submit {
            task, sync: true, ..
        } => (
            "`map`/`apply`",
            vec![Waker {
                template: task,
                by: None,
            }],
        ),
        Op::QueueJoin { queue } => ("`join`", by(queue, &|o| matches!(o, Op::TaskDone { .. }))),
        // A channel's ends are `recv` and `send`.
        Op::Get {
            queue,
            blocking: true,
        } => (
            queue_op(cx, queue, "`get`", "`recv`"),
            by(queue, &|o| matches!(o, Op::Put { .. })),
        ),
        Op::Put {
            queue,
            blocking: true,
        } => (
            queue_op(cx, queue, "`put`", "`send`"),
            by(queue, &|o| matches!(o, Op::Get { .. })),
        ),
        Op::Wait {
            event,
            blocking: true,
        } => ("`wait`", by(event, &|o| matches!(o, Op::Set { .. }))),
        Op::CondWait {
            condition,
            blocking: true,
            ..
        } => ("`wait`", by(condition, &|o| matches!(o, Op::Notify { .. }))),
        Op::BarrierWait { barrier } => (
            "`wait`",
            by(barrier, &|o| matches!(o, Op::BarrierWait { .. })),
        ),
        Op::SemAcquire {
            semaphore,
            blocking: true,
        } => (
            "`acquire`",
            by(semaphore, &|o| matches!(o, Op::SemRelease { .. })),
        ),
        Op::Recv { end } => (
            "`recv`",
            by(cx.model.prim(end).peer?, &|o| matches!(o, Op::Send { .. })),
        ),
        _ => return None,
    })
}

/// How a message names a queue operation: racecheck's name, or a channel's.
fn queue_op(
    cx: &RuleContext<'_>,
    queue: PrimId,
    racecheck: &'static str,
    channel: &'static str,
) -> &'static str {
    if cx.model.prim(queue).api == Api::Racecheck {
        racecheck
    } else {
        channel
    }
}
