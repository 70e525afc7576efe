//! Calls: functions and closures are followed with their arguments bound to their parameters
//! (so `transfer(x, y)` and `transfer(y, x)` are an ABBA); methods go through the `impl` blocks
//! of the receiver's type, and a trait object's through every implementor; recursion walks one
//! level. A call that did nothing observable with plain arguments is reused ([`super::reuse`]).
use super::guards::LOOKUPS;
use super::reuse::Input;
use super::std_model::UNWRAP;
use super::walk::{CallArgs, LoopExit};
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{Def, FnId};
use crate::frontend::resolve::Resolved;
use crate::model::env::Scope;
use crate::model::types::generic_bound;
use crate::model::value::MapKey;
use crate::model::value::{Callable, Place, Value, ANY_OBJECT};
use crate::model::{Api, IdRank, IndexKey, PrimId};
use std::rc::Rc;
use syn::Expr;

/// Whether a parameter of this type borrows its argument: a guard lent to it (`&g`) stays
/// with the caller, and the callee's return does not release it.
pub(super) fn borrows(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Paren(p) => borrows(&p.elem),
        syn::Type::Group(g) => borrows(&g.elem),
        _ => false,
    }
}

/// Methods that overwrite what a guard protects with their argument. (A map's `insert` writes
/// one element, by key: see `check_keyed_write_back`.)
const MUTATORS: &[&str] = &["set", "replace"];

impl<'a> Interp<'a> {
    pub(super) fn call_expr(&mut self, c: &'a syn::ExprCall, expr: &'a Expr) -> Value<'a> {
        let span = self.span_of(expr);
        enum Target<'a> {
            Value(Value<'a>),
            Def(Option<Resolved>),
        }
        let target = match &*c.func {
            Expr::Path(p) => {
                let local = p
                    .path
                    .get_ident()
                    .and_then(|i| self.scope().lookup(&i.to_string()));
                match local {
                    Some(v) => Target::Value(v),
                    None => Target::Def(self.resolve(&p.path)),
                }
            }
            other => Target::Value(self.expr(other)),
        };
        let args: Vec<Value<'a>> = c.args.iter().map(|a| self.expr(a)).collect();
        let lent = self.lend(c.args.iter().zip(&args));
        let value = match target {
            Target::Value(value) if !value.callables().is_empty() => {
                let mut result: Option<Value<'a>> = None;
                for callable in value.callables() {
                    let v = self.call(&callable, args.clone(), None, Some(&span));
                    result = Some(result.map_or_else(|| v.clone(), |prev| prev.join(&v)));
                }
                result.unwrap_or_default()
            }
            Target::Def(Some(Resolved::Def(Def::Fn(f)))) => {
                self.walk.call_args = Some(CallArgs {
                    receiver: None,
                    args: &c.args,
                });
                self.call(&Callable::Fn(f), args, None, Some(&span))
            }
            Target::Def(Some(Resolved::Def(Def::Struct(s)))) => {
                args.iter().for_each(|a| self.mark_kept(a));
                let fields = args
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect();
                self.new_owned_object(s, fields, expr)
            }
            Target::Def(Some(Resolved::External(path))) => self.external_call(&path, args, &span),
            // `Job::Flush(ack)`: a variant of a crate enum.
            Target::Def(None) => match self.variant_enum(&c.func) {
                Some((e, variant)) => self.variant_value(e, variant, args),
                None => match self.derived_default(&c.func) {
                    Some(object) => object,
                    None => self.unknown_call(args),
                },
            },
            _ => self.unknown_call(args),
        };
        self.walk.lent.truncate(lent);
        value
    }

    /// `S::default()` for a crate struct with no `default` of its own (`#[derive(Default)]`): a
    /// new object of `S`, whose fields are what their declared types say.
    fn derived_default(&mut self, func: &'a Expr) -> Option<Value<'a>> {
        let Expr::Path(p) = func else {
            return None;
        };
        let segments = &p.path.segments;
        if segments.len() < 2 || segments.last()?.ident != "default" || p.qself.is_some() {
            return None;
        }
        let mut owner_path = p.path.clone();
        owner_path.segments = segments.iter().take(segments.len() - 1).cloned().collect();
        match self.resolve(&owner_path)? {
            Resolved::Def(Def::Struct(s)) => Some(self.new_object_of(s, Vec::new())),
            _ => None,
        }
    }

    /// Guards passed by reference (`f(&guard)`) stay with the caller, whatever the callee's
    /// parameter says (an untyped closure parameter included). Returns the mark to restore.
    fn lend<'e>(&mut self, args: impl Iterator<Item = (&'e Expr, &'e Value<'a>)>) -> usize
    where
        'a: 'e,
    {
        let mark = self.walk.lent.len();
        for (expr, value) in args {
            if matches!(expr, Expr::Reference(_)) {
                let guards = self.owned_guards(value);
                self.walk.lent.extend(guards);
            }
        }
        mark
    }

    pub(super) fn method_call_expr(
        &mut self,
        m: &'a syn::ExprMethodCall,
        expr: &'a Expr,
    ) -> Value<'a> {
        let operand = self.event_count();
        let reads = self.walk.guard_reads_made;
        let receiver = self.expr(&m.receiver);
        let args: Vec<Value<'a>> = m.args.iter().map(|a| self.expr(a)).collect();
        let method = m.method.to_string();
        let span = self.span_of(expr);
        // Unwrapping what was read of guarded data leaves the loop, by a panic, as a `?` does.
        if matches!(method.as_str(), "unwrap" | "expect") && self.walk.guard_reads_made > reads {
            let at = self.raw_span(m.method.span());
            self.note_question_mark(&at, operand);
        }
        let lent = self.lend(m.args.iter().zip(&args));
        let value = self.method_call(receiver, &method, args, m, &span);
        self.walk.lent.truncate(lent);
        value
    }

    /// A method called on a value: by what the receiver is.
    fn method_call(
        &mut self,
        receiver: Value<'a>,
        method: &str,
        args: Vec<Value<'a>>,
        m: &'a syn::ExprMethodCall,
        span: &Span,
    ) -> Value<'a> {
        let span = span.clone();
        let method = method.to_owned();
        match &receiver {
            Value::Prim(p) => {
                let p = *p;
                let key = self.element_index_key(p, m, &method);
                let same = key.as_ref().is_some_and(|key| self.holds_element(p, key));
                let outer = std::mem::replace(&mut self.walk.same_element, same);
                let result = self.prim_method(p, &method, args, &span);
                self.walk.same_element = outer;
                if let (Value::Guard(g), Some(key)) = (&result, key) {
                    self.walk.element_keys.insert(*g, key);
                }
                return result;
            }
            Value::Prims(ps) => {
                let ps = ps.clone();
                let outer = std::mem::replace(&mut self.walk.alternatives, true);
                let results: Vec<Value<'a>> = ps
                    .iter()
                    .map(|&p| self.prim_method(p, &method, args.clone(), &span))
                    .collect();
                self.walk.alternatives = outer;
                // A method that hands each channel on (a clone, an unwrap) hands on all of them.
                let handed_on = results
                    .iter()
                    .zip(ps.iter())
                    .all(|(result, p)| matches!(result, Value::Prim(q) if q == p));
                if handed_on {
                    return receiver;
                }
                return results
                    .into_iter()
                    .reduce(|a, b| a.join(&b))
                    .unwrap_or_default();
            }
            Value::Threads(_) | Value::AsyncResult(_) => {
                return self.handle_method(&receiver, &method, span);
            }
            Value::Builders(builders) => {
                return self.builder_method(builders.clone(), &method, args, &span)
            }
            Value::Spawner(spawner) => {
                return self.spawner_method(spawner.clone(), &method, args, &span)
            }
            Value::Obj(s, o) => {
                // A copy of an element object a lookup through a guard gave: a snapshot.
                if matches!(method.as_str(), "clone" | "cloned" | "copied") && args.is_empty() {
                    if let Some(copy) = self.copy_of_place((*s, *o)) {
                        return copy;
                    }
                }
                if let Some(&f) = self
                    .index
                    .methods
                    .get(&(*s, method.clone()))
                    .and_then(|fs| fs.first())
                {
                    self.walk.call_args = CallArgs::of(m, &method);
                    return self.call(&Callable::Fn(f), args, Some(receiver), Some(&span));
                }
            }
            Value::Dyn(name) => {
                let written = CallArgs::of(m, &method);
                if let Some(result) = self.dyn_call(name, &method, &args, &span, written) {
                    return result;
                }
            }
            Value::Guard(g) => {
                let g = *g;
                // `try_acquire()`/`acquire_timeout()` give an `Option` of a guard: these hand
                // on the guard itself (no method of a guard's data can move out of it).
                if UNWRAP.contains(&method.as_str()) {
                    return receiver;
                }
                // A guard parked in an `Option` binding or field moves out with `take()`. (Of a
                // std or parking_lot guard not seen wrapped in `Some(…)`, `take()` is far more
                // often `Option::take` of the data it guards.)
                if method == "take"
                    && matches!(&*m.receiver, Expr::Path(_) | Expr::Field(_))
                    && (self.model.prim(self.guard_lock(g)).api == Api::Racecheck
                        || self.walk.guards[g as usize].in_option)
                {
                    // A temporary now, dropped with the statement unless a binding takes it.
                    let moved = self.detach(&receiver);
                    self.attach(moved);
                    return receiver;
                }
                // `guard.set(value)`: a write through the guard of its argument.
                if MUTATORS.contains(&method.as_str()) {
                    for arg in &args {
                        self.check_write_back(g, None, arg, span.clone());
                    }
                }
                let content = self.guarded_content(g, &method);
                // The key a lookup or an `insert` of a map names, when this is that call.
                let written = CallArgs::of(m, &method).and_then(|written| written.args.first());
                let key = match (&content, written) {
                    (Some(Value::Bag(_)), Some(key)) => self.map_key(key),
                    _ => None,
                };
                // `map.insert(id, value)`: a write of the element at `id`.
                if let (Some(key), "insert", [_, value]) = (&key, method.as_str(), &args[..]) {
                    self.check_keyed_write_back(g, None, Some(key), value, span.clone());
                }
                // `map.entry(id)`: not yet a read; what its `or_insert…` gives is the element at
                // `id`, a place in the data.
                if let (Some(content @ Value::Bag(bag)), "entry") = (&content, method.as_str()) {
                    self.walk.entries.push((*bag, g, key.clone()));
                    return self.method_call(content.clone(), &method, args, m, &span);
                }
                // `guard.get_mut(&id)` of a collection: a place in the data, not yet a read of
                // it.
                if let (Some(content @ Value::Bag(_)), true) =
                    (&content, LOOKUPS.contains(&method.as_str()))
                {
                    let element = self.method_call(content.clone(), &method, args, m, &span);
                    match element {
                        Value::Unknown | Value::Data(_) => {
                            return self.place_in_guard(g, &element, key)
                        }
                        // A number or string put in earlier (`or_insert(0)`) is as much the
                        // guard's data as an unknown one.
                        ref plain if !plain.is_followed() => {
                            return self.place_in_guard(g, &Value::data(plain.taint()), key)
                        }
                        Value::Obj(s, o) => self.place_object((s, o), g, key),
                        _ => {
                            self.guard_read(g);
                        }
                    }
                    return element;
                }
                if let Some(content) = content {
                    // A method of what the lock protects (`guard.push(..)`, `guard.iter()`,
                    // `guard.spread()`), called through the guard.
                    let read = self.guard_read(g);
                    let result = self.method_call(content, &method, args, m, &span);
                    return super::exprs::with_read(result, &read);
                }
                self.call_closures(&args, &Value::Unknown);
                return self.guard_read(g);
            }
            Value::Bag(b) => {
                if let Some(v) = self.bag_method(*b, &receiver, &method, &args) {
                    return v;
                }
            }
            _ => {}
        }
        self.other_method(receiver, &method, args, m, &span)
    }

    /// The run-time index `m` (this call, `shards[idx].lock()`) takes element `p` of a family
    /// by, when `p` is taken by an index the model does not know and the code names it.
    fn element_index_key(
        &self,
        p: PrimId,
        m: &'a syn::ExprMethodCall,
        method: &str,
    ) -> Option<MapKey> {
        let by_id = matches!(
            self.model.prim(p).element,
            Some((_, IndexKey::Id(IdRank::Any)))
        );
        if !by_id {
            return None;
        }
        match CallArgs::of(m, method)?.receiver? {
            Expr::Index(index) => self.map_key(&index.index),
            // Taken from a helper that indexed the family last.
            _ => self
                .walk
                .element_indexed
                .clone()
                .filter(|(element, _)| *element == p)
                .map(|(_, key)| key),
        }
    }

    /// Whether a held guard took element `p` of a family by the run-time index `key`.
    fn holds_element(&self, p: PrimId, key: &MapKey) -> bool {
        self.walk
            .held
            .iter()
            .any(|&g| self.walk.element_keys.get(&g) == Some(key) && self.guard_lock(g) == p)
    }

    /// A method of a trait object: the method of every implementor that has it, walked as
    /// alternatives (as the arms of a branch are).
    pub(super) fn dyn_call(
        &mut self,
        name: &str,
        method: &str,
        args: &[Value<'a>],
        span: &Span,
        written: Option<CallArgs<'a>>,
    ) -> Option<Value<'a>> {
        let implementors = self.index.implementors.get(name)?;
        let mut result: Option<Value<'a>> = None;
        for &s in implementors {
            let Some(&f) = self
                .index
                .methods
                .get(&(s, method.to_owned()))
                .and_then(|fs| fs.first())
            else {
                continue;
            };
            let receiver = Value::Obj(s, ANY_OBJECT);
            self.walk.call_args = written;
            let v = self.call(&Callable::Fn(f), args.to_vec(), Some(receiver), Some(span));
            result = Some(match result {
                Some(prev) => prev.join(&v),
                None => v,
            });
        }
        result
    }

    pub(super) fn call_closures(&mut self, args: &[Value<'a>], param: &Value<'a>) -> Value<'a> {
        let mut result = Value::Unknown;
        for callable in args.iter().flat_map(Value::callables) {
            result = self.call(&callable, vec![param.clone(); 2], None, None);
        }
        result
    }

    /// Runs the closures given to an iterator adapter as the body of a loop over `receiver`.
    pub(super) fn call_closures_in_loop(
        &mut self,
        args: &[Value<'a>],
        receiver: &Value<'a>,
        element: Value<'a>,
    ) -> Value<'a> {
        let (param, var, count) = match receiver {
            Value::Range(start, end) => {
                let (element, var, count) = self.range_element("i", *start, *end);
                (element, Some(var), count)
            }
            _ => (element, None, None),
        };
        let mut result = Value::Unknown;
        self.in_loop(None, var, count, false, LoopExit::Condition, |this| {
            result = this.call_closures(args, &param)
        });
        result
    }

    /// Follows a call into a function or closure; `site`: the call expression, when written.
    pub(super) fn call(
        &mut self,
        target: &Callable<'a>,
        args: Vec<Value<'a>>,
        receiver: Option<Value<'a>>,
        site: Option<&Span>,
    ) -> Value<'a> {
        // What a call site set is for this call alone.
        let written = self.walk.call_args.take();
        if !self.room_for_call() {
            return Value::Unknown;
        }
        match target {
            Callable::Closure { expr, env, place } => {
                self.push_frame(*place, None, Scope::child(env), site);
                let mut args = args.into_iter();
                for input in &expr.inputs {
                    let v = args.next().unwrap_or_default();
                    if !matches!(input, syn::Pat::Type(t) if borrows(&t.ty)) {
                        self.adopt(&v);
                    }
                    self.bind_pattern(input, v);
                }
                self.memo.read_only.note_expr(&expr.body);
                let value = self.expr(&expr.body);
                let end = self.span_of(&expr.body);
                self.pop_frame(value, &end)
            }
            Callable::Fn(f) => self.call_fn(*f, args, receiver, site, written),
        }
    }

    /// `written`: the argument expressions of the call, when it is written in the code.
    pub(super) fn call_fn(
        &mut self,
        f: FnId,
        args: Vec<Value<'a>>,
        receiver: Option<Value<'a>>,
        site: Option<&Span>,
        written: Option<CallArgs<'a>>,
    ) -> Value<'a> {
        let frames = &self.walk.frames;
        let outermost = frames.iter().position(|fr| fr.callee == Some(f));
        let active = frames.iter().filter(|fr| fr.callee == Some(f)).count();
        let higher_order = args.iter().any(|a| !a.callables().is_empty());
        if let Some(depth) = outermost.filter(|_| active > 1 || !higher_order) {
            // Recursion: one walk of the body stands for every level. A function given a closure
            // may be re-entered once from it (`with(&a, |_| with(&b, …))`): that is nesting, and
            // the inner walk sees the locks the outer one holds.
            self.walk.cut_for_frame = self.walk.cut_for_frame.min(depth);
            return Value::Unknown;
        }
        if self.index.fns[f.index()].sig().asyncness.is_some() && !self.walk.frames.is_empty() {
            // Calling an async fn only makes a future; its body runs when an executor polls it,
            // which the model does not follow (an `async fn main` or test is walked as a root).
            receiver.iter().chain(&args).for_each(|a| self.mark_kept(a));
            return Value::Unknown;
        }
        let inputs: Option<Box<[Input]>> = receiver.iter().chain(&args).map(Input::of).collect();
        let inputs = inputs.map(|inputs| self.literal_inputs(inputs, written.as_ref()));
        let branches_decided = self.walk.branches_decided;
        let key = inputs.map(|inputs| (f, receiver.is_some(), inputs, self.making_several()));
        if let Some(key) = &key {
            if let Some(result) = self.memo.inert.get(&f) {
                return result.clone();
            }
            if let Some(result) = self.reuse(key) {
                return result;
            }
        }
        let before = self.activity();
        let first_event = self.event_count();
        let mark = self.mark();
        let depth = self.walk.frames.len();
        let cut_outside = std::mem::replace(&mut self.walk.cut_for_frame, usize::MAX);
        let def = &self.index.fns[f.index()];
        let place = Place {
            module: def.scope,
            file: def.file,
            self_ty: def.self_ty,
        };
        self.push_frame(place, Some(f), Scope::root(), site);
        if let Some(written) = written {
            self.frame().params = params_of(def.sig(), written);
        }
        let mut args = args.into_iter();
        let mut receiver = receiver;
        for input in &def.sig().inputs {
            match input {
                syn::FnArg::Receiver(_) => {
                    let v = receiver.take().or_else(|| args.next()).unwrap_or_else(|| {
                        match def.self_ty {
                            Some(s) => Value::Obj(s, self.new_object()),
                            None => Value::Unknown,
                        }
                    });
                    self.scope().bind("self", v);
                    if matches!(input, syn::FnArg::Receiver(r) if r.reference.is_some()) {
                        self.scope().mark_borrowed("self");
                    }
                }
                syn::FnArg::Typed(pt) => {
                    let v = match args.next().unwrap_or_default() {
                        Value::Unknown => match self.typed_value(&pt.ty) {
                            Value::Unknown => generic_bound(&def.sig().generics, &pt.ty)
                                .or_else(|| {
                                    def.outer_generics.and_then(|g| generic_bound(g, &pt.ty))
                                })
                                .map_or(Value::Unknown, |t| Value::Dyn(Rc::from(t))),
                            v => v,
                        },
                        v => v,
                    };
                    let borrowed = borrows(&pt.ty);
                    if !borrowed {
                        self.adopt(&v);
                    }
                    self.bind_pattern(&pt.pat, v);
                    if borrowed {
                        self.mark_borrowed(&pt.pat);
                    }
                }
            }
        }
        // The parameters' bindings, just made: a later one of the same name is another value.
        let frame = self.frame();
        for (name, _, bound) in &mut frame.params {
            *bound = frame.bindings.get(&**name).copied().unwrap_or(0);
        }
        let body = def.body.block();
        self.memo.read_only.note_block(body);
        let value = self.block(body);
        let end = self.raw_span(body.brace_token.span.close());
        let result = self.pop_frame(value, &end);
        self.lend_wait_to_caller_loop(first_event, &result);
        let cut_for_frame = self.walk.cut_for_frame;
        self.walk.cut_for_frame = cut_for_frame.min(cut_outside);
        // A call that did nothing observable with plain arguments does the same on every such
        // call (see `reuse`); what it made is kept unless a cut made for one of its callers
        // shaped its walk.
        let after = self.activity();
        if let Some(key) = key.filter(|_| before.same_but_guards(&after)) {
            let for_any_arguments = after == before
                && self.walk.branches_decided == branches_decided
                && Input::of(&result).is_some()
                && !result.holds_object()
                && !matches!(result, Value::Int(_) | Value::Index(_) | Value::Range(..));
            if for_any_arguments {
                self.memo.inert.insert(f, result.clone());
            } else if cut_for_frame >= depth {
                let decided = self.walk.branches_decided != branches_decided;
                self.keep(key, &result, mark, decided);
            }
        }
        result
    }

    /// `inputs` with the integers the call spells out (see `Interp::decided_by_literals`) told
    /// apart from computed ones, in the caller's frame.
    fn literal_inputs(
        &mut self,
        mut inputs: Box<[Input]>,
        written: Option<&CallArgs<'a>>,
    ) -> Box<[Input]> {
        if let Some(written) = written {
            let exprs = written.receiver.into_iter().chain(written.args.iter());
            for (input, expr) in inputs.iter_mut().zip(exprs) {
                if let Input::Int(n) = *input {
                    if self.literal_int(expr) == Some(n) {
                        *input = Input::Literal(n);
                    }
                }
            }
        }
        inputs
    }
}

/// The parameters of `sig` that are plain bindings, each with the argument expression `written`
/// gives it (the receiver for `self`, or the first argument of a call by path).
fn params_of<'a>(sig: &syn::Signature, written: CallArgs<'a>) -> Vec<(Rc<str>, &'a Expr, u32)> {
    let mut exprs = written.receiver.into_iter().chain(written.args.iter());
    let mut params = Vec::new();
    for input in &sig.inputs {
        let Some(expr) = exprs.next() else {
            break;
        };
        let name = match input {
            syn::FnArg::Receiver(_) => "self".to_owned(),
            syn::FnArg::Typed(pt) => match &*pt.pat {
                syn::Pat::Ident(i) => i.ident.to_string(),
                _ => continue,
            },
        };
        params.push((Rc::from(name), expr, 0));
    }
    params
}
