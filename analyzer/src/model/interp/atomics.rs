//! std atomics: a `store` of a value computed from a `load` of the same atomic is a split update
//! (R002), unless a read-modify-write came between them or one guard was held across both.
use super::Interp;
use crate::diagnostic::Span;
use crate::model::syntax;
use crate::model::value::{AtomicRead, Taint, Value};
use crate::model::Op;
use std::rc::Rc;

impl<'a> Interp<'a> {
    /// A std atomic operation (recognized by its memory ordering argument): a `load` taints
    /// what it reads; a `store` of a value computed from a `load` of the same atomic is a split
    /// update, unless a read-modify-write came between them (a CAS protocol) or one guard was
    /// held across both.
    pub(super) fn atomic_method(
        &mut self,
        method: &str,
        args: &[Value<'a>],
        m: &'a syn::ExprMethodCall,
        span: &Span,
    ) -> Option<Value<'a>> {
        let ordered = m.args.last().is_some_and(syntax::is_memory_ordering);
        if !ordered {
            return None;
        }
        if method.starts_with("compare_exchange")
            || method.starts_with("fetch_")
            || method == "swap"
        {
            self.walk.atomic_rmw_calls += 1;
            return None;
        }
        let atomic = syntax::place_text(&m.receiver)?;
        match (method, m.args.len()) {
            ("load", 1) => Some(Value::data(Taint {
                atomics: vec![AtomicRead {
                    atomic: Rc::from(atomic),
                    rmw_before: self.walk.atomic_rmw_calls,
                    held: Rc::from(self.walk.held.clone()),
                }],
                ..Taint::default()
            })),
            ("store", 2) => {
                let taint = args[0].taint();
                // A method holding `self` exclusively (`&mut self`, `self`) cannot race with
                // anyone on the atomics of `self`.
                let exclusive = atomic.starts_with("self.") && self.self_is_exclusive();
                let reads: Vec<&AtomicRead> = taint
                    .atomics
                    .iter()
                    .filter(|read| {
                        *read.atomic == *atomic && read.rmw_before == self.walk.atomic_rmw_calls
                    })
                    .collect();
                // A guard that excludes every other holder, held across the `load` and the
                // `store`, makes them one update (a `RwLock`'s read guard does not).
                let guarded = |read: &AtomicRead| {
                    read.held
                        .iter()
                        .any(|g| self.walk.held.contains(g) && self.guard_is_exclusive(*g))
                };
                if taint.computed && !exclusive && !reads.is_empty() {
                    if reads.iter().any(|read| !guarded(read)) {
                        self.emit(Op::AtomicSplitStore { atomic }, span.clone());
                    } else {
                        // Not a split here, for the guard the caller holds: a call elsewhere
                        // may be one, so this walk is not reused for it (see `reuse`).
                        self.walk.guarded_atomic_updates += 1;
                    }
                }
                Some(Value::Unknown)
            }
            _ => None,
        }
    }

    /// Whether the function being walked takes `self` by value or by `&mut`.
    pub(super) fn self_is_exclusive(&self) -> bool {
        self.walk
            .frames
            .last()
            .and_then(|frame| frame.callee)
            .and_then(|f| self.index.fns[f.index()].sig().receiver())
            .is_some_and(|r| {
                r.colon_token.is_none() && (r.reference.is_none() || r.mutability.is_some())
            })
    }
}
