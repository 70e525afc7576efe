//! Implicit drops: an object of a crate type with a `Drop` impl runs its `drop` body where its
//! owner lets it go, as a call made there (with the call-chain labels of any other call).
//!
//! The object is owned as a guard is (see `walk`): a struct literal (or tuple-struct call) of
//! such a type makes a drop token, a temporary of its statement; a `let`, an owned parameter or
//! a struct field holding the object takes it over; the token is released where a guard would be
//! (the end of its block or call, the end of its statement for a temporary, `drop(x)`,
//! `mem::drop(x)`, or the assignment that overwrites its binding), and then `drop` runs, once.
//! An object a `move` closure names goes with the closure to the thread or pool task it starts:
//! its owners in the spawner let it go without dropping it, and it is dropped where that thread
//! ends. An object put into a collection or handed to code the model does not follow is forgotten:
//! its drop is not run (which can hide a finding, never add one).
use super::guards::{GuardInfo, Holds};
use super::protocol::DropRun;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{FnId, StructId};
use crate::model::value::{Callable, GuardId, Value, ANY_OBJECT};

/// Where an owner lets go of what it owns: a span already converted, or a token's place in the
/// code being walked (converted only when a drop runs there).
#[derive(Debug, Clone, Copy)]
pub(super) enum Site<'s> {
    Span(&'s Span),
    Token(proc_macro2::Span),
}

impl<'a> Interp<'a> {
    /// A new object of struct `s` (made by `expr`, a struct literal or tuple-struct call): it owns the
    /// drop tokens of the values put in its fields, and a token of its own when its type has a
    /// `Drop` impl.
    pub(super) fn new_owned_object(
        &mut self,
        s: StructId,
        fields: Vec<(String, Value<'a>)>,
        expr: &'a syn::Expr,
    ) -> Value<'a> {
        let moved_in: Vec<GuardId> = fields
            .iter()
            .flat_map(|(_, v)| self.drop_tokens(v))
            .collect();
        let object = self.new_object_of(s, fields);
        let Value::Obj(_, id) = object else {
            return object;
        };
        let mut owned = moved_in;
        if id != ANY_OBJECT && self.drop_fn(s).is_some() {
            let token = self.walk.guards.len() as GuardId;
            self.walk.guards.push(GuardInfo {
                holds: Holds::Object {
                    ty: s,
                    object: id,
                    dropped: false,
                },
                span: self.span_of(expr),
                event: self.event_count(),
                tried: false,
                reads: 0,
                in_option: false,
                frames: self.frame_ids(),
            });
            self.add_temp(token);
            owned.push(token);
        }
        if !owned.is_empty() {
            self.store
                .object_guards
                .entry(id)
                .or_default()
                .extend(owned);
        }
        object
    }

    /// The `drop` of a type's `Drop` impl.
    fn drop_fn(&self, s: StructId) -> Option<FnId> {
        if !self.index.implementors.get("Drop")?.contains(&s) {
            return None;
        }
        self.index
            .methods
            .get(&(s, "drop".to_owned()))?
            .first()
            .copied()
    }

    /// The drop tokens a value owns (itself, or objects in its fields).
    pub(super) fn drop_tokens(&self, value: &Value<'a>) -> Vec<GuardId> {
        let mut tokens = self.owned_guards(value);
        tokens.retain(|&t| matches!(self.walk.guards[t as usize].holds, Holds::Object { .. }));
        tokens
    }

    /// A value moved where the model does not follow it (a collection, an unknown call): its
    /// objects are never dropped by the model.
    pub(super) fn forget_drops(&mut self, value: &Value<'a>) {
        for token in self.drop_tokens(value) {
            if let Holds::Object { dropped, .. } = &mut self.walk.guards[token as usize].holds {
                *dropped = true;
            }
        }
    }

    /// A thread or task starts running `target`: the objects its `move` closure names leave
    /// their owners here (the thread drops them where it ends).
    pub(super) fn move_into_thread(&mut self, target: &Callable<'a>) {
        let moved: Vec<GuardId> = self
            .moved_into(target)
            .iter()
            .flat_map(|v| self.drop_tokens(v))
            .collect();
        if moved.is_empty() {
            return;
        }
        for frame in &mut self.walk.frames {
            for list in frame.temps.iter_mut().chain(frame.owned.iter_mut()) {
                list.retain(|g| !moved.contains(g));
            }
        }
    }

    /// Runs the `drop` of the object a token stands for, once, as a call at `at` (`None`: where
    /// the model cannot place it, it runs nothing).
    pub(super) fn drop_object(&mut self, token: GuardId, at: Option<Site<'_>>) {
        let Holds::Object {
            ty,
            object,
            dropped,
        } = &mut self.walk.guards[token as usize].holds
        else {
            return;
        };
        if std::mem::replace(dropped, true) {
            return;
        }
        let (ty, object) = (*ty, *object);
        let (Some(at), Some(f)) = (at, self.drop_fn(ty)) else {
            return;
        };
        let span = match at {
            Site::Span(span) => span.clone(),
            Site::Token(token) => self.raw_span(token),
        };
        let owned_since = self.walk.guards[token as usize].event;
        let first = self.event_count();
        self.walk.next_call_drops = true;
        self.call_fn(
            f,
            Vec::new(),
            Some(Value::Obj(ty, object)),
            Some(&span),
            None,
        );
        // Also when the call made no frame (a bound, recursion).
        self.walk.next_call_drops = false;
        let events = first..self.event_count();
        if !events.is_empty() {
            self.walk.drops.push(DropRun {
                events,
                owned_since,
            });
        }
    }
}
