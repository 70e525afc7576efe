//! What the model knows about each lock acquisition, for editors: the lock, the thread template
//! that takes it, and the locks already held there. A hover shows these, and the lock order they
//! make across the crate (see `lsp::hover`).
use crate::diagnostic::Span;
use crate::model::{Model, Op};
use serde::Serialize;

/// One `acquire` (or `try_acquire`) of a `Lock`/`RLock` as the model walked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acquisition {
    pub span: Span,
    /// How the program names the lock (`A`, `Bank.a`, `forks[i]`).
    pub lock: String,
    /// The thread template that takes it (`main`, a spawned function, a pool task).
    pub thread: String,
    /// The locks held when it is taken, in acquisition order, with where each was taken (the
    /// innermost [`HELD_SHOWN`] at most).
    pub held: Vec<(String, Span)>,
}

/// Held locks an acquisition lists: enough for any hover, and no list of hundreds repeated at
/// every acquisition of a deep nesting.
const HELD_SHOWN: usize = 16;

/// Every acquisition of `model`, once per (span, thread, held locks), in source order.
pub(crate) fn acquisitions(model: &Model) -> Vec<Acquisition> {
    let mut found: Vec<Acquisition> = model
        .events()
        .filter_map(|(template, _, event)| {
            let Op::Acquire { lock, .. } = event.op else {
                return None;
            };
            Some(Acquisition {
                span: event.span.clone(),
                lock: model.prim(lock).name.clone(),
                thread: model.template(template).name.clone(),
                held: {
                    let held: Vec<_> = event.held.iter().filter(|h| h.lock != lock).collect();
                    held[held.len().saturating_sub(HELD_SHOWN)..]
                        .iter()
                        .map(|h| (model.prim(h.lock).name.clone(), h.span.clone()))
                        .collect()
                },
            })
        })
        .collect();
    found.sort_by(|a, b| (&a.span, &a.thread, &a.held).cmp(&(&b.span, &b.thread, &b.held)));
    found.dedup();
    found
}
