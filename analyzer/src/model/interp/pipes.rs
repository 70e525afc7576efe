//! Pipe ends as owned values: a `Connection` is dropped where its owner ends, and dropping one
//! makes its peer's `recv` return `Err(Disconnected)`, which satisfies the wait as a send would.
//!
//! Ends are owned like guards: by the binding that adopted them (a `let`, an owned parameter),
//! until the block or call ends, unless the block's value or the call's result carries them out.
//! A thread owns the ends its `move` closure names, until it ends. Where ownership is not
//! followed (an end stored in a struct, sent through a queue) an end may be dropped too early in
//! the model, never too late: that can only hide a D005 on `recv`, not raise one. A thread that
//! ends also drops the std or crossbeam channel ends its `move` closure names.
use super::drops::Site;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::macros::MacroArgs;
use crate::model::value::{Callable, GuardId, Value};
use crate::model::{Api, Op, PrimId, PrimKind};
use syn::visit::Visit;

impl<'a> Interp<'a> {
    /// The pipe ends a value carries.
    pub(super) fn ends_of(&self, value: &Value<'a>) -> Vec<PrimId> {
        let mut prims = Vec::new();
        value.prims(&mut prims);
        prims.retain(|&p| self.model.prim(p).kind == PrimKind::Connection);
        prims
    }

    /// The std or crossbeam channels a value carries an end of (one primitive stands for both
    /// ends): a thread that owns a sender and ends lets a receiver's loop end once every sender
    /// is gone.
    fn channel_ends_of(&self, value: &Value<'a>) -> Vec<PrimId> {
        let mut prims = Vec::new();
        value.prims(&mut prims);
        prims.retain(|&p| {
            let info = self.model.prim(p);
            info.kind == PrimKind::Queue && info.api != Api::Racecheck
        });
        prims
    }

    /// Moves the pipe ends of a value into the bindings of the current scope.
    pub(super) fn adopt_ends(&mut self, value: &Value<'a>) {
        let ends = self.ends_of(value);
        if ends.is_empty() {
            return;
        }
        let frame = self.frame();
        for list in &mut frame.ends {
            list.retain(|e| !ends.contains(e));
        }
        if let Some(owned) = frame.ends.last_mut() {
            owned.extend(ends);
        }
    }

    /// Drops the given ends, except those the `kept` values carry out (a block's value, what a
    /// call returns).
    pub(super) fn drop_ends(&mut self, ends: Vec<PrimId>, kept: &[&Value<'a>], span: &Span) {
        let kept: Vec<PrimId> = kept.iter().flat_map(|v| self.ends_of(v)).collect();
        for end in ends.into_iter().rev().filter(|e| !kept.contains(e)) {
            self.emit(Op::Disconnect { end }, span.clone());
        }
    }

    /// An explicit `drop` of a value: the pipe ends it carries are dropped here, and no binding
    /// owns them any more.
    pub(super) fn disconnect_now(&mut self, value: &Value<'a>, span: &Span) {
        let ends = self.ends_of(value);
        for list in &mut self.frame().ends {
            list.retain(|e| !ends.contains(e));
        }
        self.drop_ends(ends, &[], span);
    }

    /// The values a `move` closure names from where it was made: a thread running it owns them.
    pub(super) fn moved_into(&self, target: &Callable<'a>) -> Vec<Value<'a>> {
        let Callable::Closure { expr, env, .. } = target else {
            return Vec::new();
        };
        if expr.capture.is_none() {
            return Vec::new();
        }
        let mut names = NamesUsed {
            macros: self.macros,
            names: Vec::new(),
        };
        names.visit_expr(&expr.body);
        names
            .names
            .iter()
            .filter_map(|name| env.lookup_owned(name))
            .collect()
    }

    /// A thread running a `move` closure ends: the pipe ends and the objects the closure names
    /// are dropped (the objects at the end of its body, as a call made there).
    pub(super) fn end_closure_thread(&mut self, target: &Callable<'a>) {
        let Callable::Closure { expr, place, .. } = target else {
            return;
        };
        let captured = self.moved_into(target);
        let mut ends: Vec<PrimId> = captured.iter().flat_map(|v| self.ends_of(v)).collect();
        ends.extend(captured.iter().flat_map(|v| self.channel_ends_of(v)));
        let objects: Vec<GuardId> = captured.iter().flat_map(|v| self.drop_tokens(v)).collect();
        if ends.is_empty() && objects.is_empty() {
            return;
        }
        let file = &self.files[place.file];
        let last = crate::model::syntax::last_token(&expr.body);
        let body = file.between(crate::model::syntax::first_token(&expr.body), last);
        let body_end = file.between(last, last);
        for end in ends {
            self.emit(Op::Disconnect { end }, body.clone());
        }
        for object in objects {
            self.drop_object(object, Some(Site::Span(&body_end)));
        }
    }
}

/// The plain names an expression mentions, macro arguments included.
struct NamesUsed<'m> {
    macros: &'m MacroArgs<'m>,
    names: Vec<String>,
}

impl<'ast> Visit<'ast> for NamesUsed<'_> {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if let Some(ident) = path.path.get_ident() {
            let name = ident.to_string();
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for arg in self.macros.args(mac) {
            self.visit_expr(arg);
        }
    }
}
