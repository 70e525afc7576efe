//! Calls: functions and closures are followed with their arguments bound to their parameters;
//! methods go through the `impl` blocks of the receiver's type; collections, iterator adapters
//! and the racecheck constructors have built-in meanings.
use super::{Frame, Interp, CALL_DEPTH};
use crate::diagnostic::Span;
use crate::frontend::index::{Def, FnId};
use crate::frontend::resolve::{RacecheckItem, Resolved};
use crate::model::env::Scope;
use crate::model::syntax;
use crate::model::value::{AtomicRead, Builder, Callable, Place, Taint, Value, ANY_OBJECT};
use crate::model::{IndexKey, Op};
use std::rc::Rc;
use syn::Expr;

/// Whether a value carries nothing a callee could synchronize on or hand back (primitives,
/// guards, handles, callables, collections of those).
fn is_plain(value: &Value<'_>) -> bool {
    match value {
        Value::Unknown
        | Value::Int(_)
        | Value::Index(_)
        | Value::Range(..)
        | Value::Str(_)
        | Value::Obj(..)
        | Value::Dyn(_) => true,
        Value::Data(taint) => taint.is_empty(),
        Value::Tuple(items) => items.iter().all(is_plain),
        _ => false,
    }
}

/// Whether a parameter of this type borrows its argument: a guard lent to it (`&g`) stays
/// with the caller, and the callee's return does not release it.
fn borrows(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Paren(p) => borrows(&p.elem),
        syn::Type::Group(g) => borrows(&g.elem),
        _ => false,
    }
}

/// Methods that hand back (a share of) their receiver.
const PASSTHROUGH: &[&str] = &[
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "unwrap_or_default",
    "to_owned",
    "into",
    "deref",
    "deref_mut",
    "iter",
    "into_iter",
    "iter_mut",
    "by_ref",
    "cloned",
    "copied",
    "collect",
    "rev",
    "skip",
    "take",
    "drain",
    "values",
    "values_mut",
    "into_values",
    "as_slice",
    "to_vec",
    "lock",
    "read",
    "write",
];

/// `Option`/`Result` methods that give back the value inside, consuming the wrapper.
const UNWRAP: &[&str] = &["unwrap", "expect", "unwrap_unchecked"];

/// Iterator adapters whose result is a collection of what their closure returns.
const MAPPING: &[&str] = &[
    "map",
    "filter_map",
    "flat_map",
    "map_while",
    "then",
    "and_then",
];

/// Methods that matter to the rules reporting an absence, remembered when called on a
/// receiver the model does not know.
const WATCHED: &[&str] = &[
    "task_done",
    "set",
    "put",
    "notify",
    "notify_all",
    "close",
    "terminate",
    "release",
    "send",
    "join",
];

/// Wrappers whose constructors and `clone` share the value they wrap.
const WRAPPERS: &[&str] = &["Arc", "Rc", "Box", "Pin", "ManuallyDrop", "Cow"];

/// Collections whose constructors start empty.
const COLLECTIONS: &[&str] = &[
    "Vec", "VecDeque", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "IndexMap", "SmallVec",
];

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
        match target {
            Target::Value(value) if !value.callables().is_empty() => {
                let mut result: Option<Value<'a>> = None;
                for callable in value.callables() {
                    let v = self.call(&callable, args.clone(), None);
                    result = Some(result.map_or_else(|| v.clone(), |prev| prev.join(&v)));
                }
                result.unwrap_or_default()
            }
            Target::Def(Some(Resolved::Def(Def::Fn(f)))) => self.call(&Callable::Fn(f), args, None),
            Target::Def(Some(Resolved::Def(Def::Struct(s)))) => {
                args.iter().for_each(|a| self.mark_kept(a));
                let fields = args
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect();
                self.new_object_of(s, fields)
            }
            Target::Def(Some(Resolved::External(path))) => self.external_call(&path, args, &span),
            _ => self.unknown_call(args),
        }
    }

    pub(super) fn method_call_expr(
        &mut self,
        m: &'a syn::ExprMethodCall,
        expr: &'a Expr,
    ) -> Value<'a> {
        let receiver = self.expr(&m.receiver);
        let args: Vec<Value<'a>> = m.args.iter().map(|a| self.expr(a)).collect();
        let method = m.method.to_string();
        let span = self.span_of(expr);
        match &receiver {
            Value::Prim(p) => return self.prim_method(*p, &method, args, &span),
            Value::Threads(_) | Value::AsyncResult(_) => {
                return self.handle_method(&receiver, &method, span);
            }
            Value::Builders(builders) => {
                return self.builder_method(builders.clone(), &method, args, &span)
            }
            Value::Obj(s, _) => {
                if let Some(&f) = self
                    .index
                    .methods
                    .get(&(*s, method.clone()))
                    .and_then(|fs| fs.first())
                {
                    return self.call(&Callable::Fn(f), args, Some(receiver));
                }
            }
            Value::Dyn(name) => {
                if let Some(result) = self.dyn_call(name, &method, &args) {
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

    /// A method of a join handle or an async result: `join`/`get`/`wait` wait for the end of
    /// their threads or tasks.
    fn handle_method(&mut self, receiver: &Value<'a>, method: &str, span: Span) -> Value<'a> {
        let waits = match receiver {
            Value::Threads(_) => method == "join",
            Value::AsyncResult(_) => matches!(method, "get" | "wait"),
            _ => false,
        };
        if waits {
            self.mark_kept(receiver);
            let mut threads = Vec::new();
            receiver.threads(&mut threads);
            self.emit(Op::Join { threads }, span);
            return Value::Unknown;
        }
        match (receiver, method) {
            (Value::Threads(_), "clone") => receiver.clone(),
            _ => Value::Unknown,
        }
    }

    /// Methods on values the model has no type for: atomics, adapters, pass-through.
    fn other_method(
        &mut self,
        receiver: Value<'a>,
        method: &str,
        args: Vec<Value<'a>>,
        m: &'a syn::ExprMethodCall,
        span: &Span,
    ) -> Value<'a> {
        if let Some(value) = self.atomic_method(method, &args, m, span) {
            return value;
        }
        if matches!(receiver, Value::Unknown) {
            if let Some(watched) = WATCHED.iter().find(|w| **w == method) {
                if *watched != "join" || args.is_empty() {
                    self.note_unknown_call(watched);
                }
            }
            args.iter().for_each(|a| self.mark_kept(a));
        }
        let has_closure = args.iter().any(|a| !a.callables().is_empty());
        if has_closure {
            let element = self.element_of(&receiver);
            let result = self.call_closures_in_loop(&args, &receiver, element);
            if MAPPING.contains(&method) {
                return self.new_bag(Some(result));
            }
            if matches!(method, "filter" | "inspect" | "take_while" | "skip_while") {
                return receiver;
            }
            return Value::Unknown;
        }
        if PASSTHROUGH.contains(&method) {
            return receiver;
        }
        match receiver {
            Value::Int(_) | Value::Index(_) | Value::Range(..) => Value::Unknown,
            _ => Value::data(
                args.iter()
                    .fold(receiver.taint(), |acc, a| acc.union(&a.taint()))
                    .computed(),
            ),
        }
    }

    /// A std atomic operation (recognized by its memory ordering argument): a `load` taints
    /// what it reads; a `store` of a value computed from a `load` of the same atomic is a split
    /// update, unless a read-modify-write came between them (a CAS protocol) or one guard was
    /// held across both.
    fn atomic_method(
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
            self.atomic_rmw_calls += 1;
            return None;
        }
        let atomic = syntax::place_text(&m.receiver)?;
        match (method, m.args.len()) {
            ("load", 1) => Some(Value::data(Taint {
                atomics: vec![AtomicRead {
                    atomic: Rc::from(atomic),
                    rmw_before: self.atomic_rmw_calls,
                    held: Rc::from(self.held.clone()),
                }],
                ..Taint::default()
            })),
            ("store", 2) => {
                let taint = args[0].taint();
                // A method holding `self` exclusively (`&mut self`, `self`) cannot race with
                // anyone on the atomics of `self`.
                let exclusive = atomic.starts_with("self.") && self.self_is_exclusive();
                let split = taint.computed
                    && !exclusive
                    && taint.atomics.iter().any(|read| {
                        *read.atomic == *atomic
                            && read.rmw_before == self.atomic_rmw_calls
                            && !read.held.iter().any(|g| self.held.contains(g))
                    });
                if split {
                    self.emit(Op::AtomicSplitStore { atomic }, span.clone());
                }
                Some(Value::Unknown)
            }
            _ => None,
        }
    }

    /// Whether the function being walked takes `self` by value or by `&mut`.
    fn self_is_exclusive(&self) -> bool {
        self.frames
            .last()
            .and_then(|frame| frame.callee)
            .and_then(|f| self.index.fns[f.index()].sig.receiver())
            .is_some_and(|r| {
                r.colon_token.is_none() && (r.reference.is_none() || r.mutability.is_some())
            })
    }

    /// A method of a trait object: the method of every implementor that has it, walked as
    /// alternatives (as the arms of a branch are).
    fn dyn_call(&mut self, name: &str, method: &str, args: &[Value<'a>]) -> Option<Value<'a>> {
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
            let v = self.call(&Callable::Fn(f), args.to_vec(), Some(receiver));
            result = Some(match result {
                Some(prev) => prev.join(&v),
                None => v,
            });
        }
        result
    }

    fn bag_method(
        &mut self,
        bag: u32,
        receiver: &Value<'a>,
        method: &str,
        args: &[Value<'a>],
    ) -> Option<Value<'a>> {
        Some(match method {
            "push" | "push_back" | "push_front" | "insert" | "add" => {
                if let Some(item) = args.last() {
                    self.bag_add(bag, item.clone());
                }
                Value::Unknown
            }
            "extend" | "append" => {
                if let Some(items) = args.first() {
                    let element = self.element_of(items);
                    self.bag_add(bag, element);
                }
                Value::Unknown
            }
            "get" | "get_mut" if args.len() == 1 => {
                let index = args[0].clone();
                self.index_bag(receiver.clone(), index)
            }
            "pop" | "pop_front" | "pop_back" | "first" | "last" | "remove" | "swap_remove"
            | "next" | "first_mut" | "last_mut" => self.bag_content(bag),
            "enumerate" => {
                let element = self.bag_content(bag);
                self.new_bag(Some(Value::Tuple(Rc::from(vec![Value::Unknown, element]))))
            }
            "len" | "is_empty" | "capacity" | "contains" | "contains_key" => Value::Unknown,
            _ => return None,
        })
    }

    fn index_bag(&mut self, bag: Value<'a>, index: Value<'a>) -> Value<'a> {
        let key = match index {
            Value::Int(n) => IndexKey::Const(n),
            Value::Index(k) => k,
            _ => IndexKey::Unknown,
        };
        match bag {
            Value::Bag(b) => match self.bag_content(b) {
                Value::Prim(family) if self.model.prim(family).element.is_none() => {
                    Value::Prim(self.element(family, key))
                }
                other => other,
            },
            _ => Value::Unknown,
        }
    }

    fn builder_method(
        &mut self,
        builders: Rc<[Builder<'a>]>,
        method: &str,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match method {
            "name" => {
                let name = match args.first() {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                };
                Value::Builders(
                    builders
                        .iter()
                        .map(|b| Builder {
                            target: b.target.clone(),
                            name: name.clone().or_else(|| b.name.clone()),
                        })
                        .collect(),
                )
            }
            "start" => {
                let mut started = Vec::new();
                for builder in builders.iter() {
                    if let Some(id) =
                        self.spawn_template(builder, Vec::new(), span, false, None, None)
                    {
                        self.emit(Op::Spawn { child: id }, span.clone());
                        started.push(id);
                    }
                }
                Value::Threads(started.into())
            }
            _ => Value::Builders(builders),
        }
    }

    /// Calls of paths outside the crate: racecheck constructors, `drop`, wrappers, collections.
    fn external_call(&mut self, path: &[String], args: Vec<Value<'a>>, span: &Span) -> Value<'a> {
        if let Some((item, assoc)) = RacecheckItem::of_path(path) {
            return self.racecheck_call(item, assoc, args, span);
        }
        let last = path.last().map(String::as_str).unwrap_or_default();
        let owner = path
            .len()
            .checked_sub(2)
            .map(|i| path[i].as_str())
            .unwrap_or_default();
        match last {
            "drop" if path.len() == 1 || owner == "mem" => {
                for arg in &args {
                    self.release_value(arg);
                    self.disconnect_now(arg, span);
                }
                Value::Unknown
            }
            "Some" | "Ok" | "Err" if path.len() == 1 => args.into_iter().next().unwrap_or_default(),
            "new" | "clone" | "from" | "pin" if WRAPPERS.contains(&owner) => {
                args.into_iter().next().unwrap_or_default()
            }
            "new" | "with_capacity" | "default" if COLLECTIONS.contains(&owner) => {
                self.new_bag(None)
            }
            "from" | "from_iter" if COLLECTIONS.contains(&owner) => {
                let element = args.first().map(|a| self.element_of(a));
                self.new_bag(element)
            }
            "min" | "max" => Value::Unknown,
            _ => self.unknown_call(args),
        }
    }

    fn racecheck_call(
        &mut self,
        item: RacecheckItem,
        assoc: Option<&str>,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match (item, assoc) {
            (RacecheckItem::Prim(kind), Some("new" | "bounded" | "default")) => {
                let capacity = match args.first() {
                    Some(Value::Int(n)) => Some(*n),
                    _ => None,
                };
                Value::Prim(self.new_prim(kind, span, capacity, assoc == Some("bounded")))
            }
            (RacecheckItem::Pipe, Some("new")) => {
                let a = self.new_prim(crate::model::PrimKind::Connection, span, None, false);
                let b = self.new_prim(crate::model::PrimKind::Connection, span, None, false);
                self.model.prims[a.0 as usize].peer = Some(b);
                self.model.prims[b.0 as usize].peer = Some(a);
                Value::Tuple(Rc::from(vec![Value::Prim(a), Value::Prim(b)]))
            }
            // Methods called by path (`Lock::acquire(&A)`, `JoinHandle::join(t)`).
            (RacecheckItem::Prim(kind), Some(method)) => {
                let mut args = args.into_iter();
                match args.next() {
                    Some(Value::Prim(prim)) if self.model.prim(prim).kind == kind => {
                        self.prim_method(prim, method, args.collect(), span)
                    }
                    _ => Value::Unknown,
                }
            }
            (RacecheckItem::JoinHandle | RacecheckItem::AsyncResult, Some(method)) => {
                let receiver = args.into_iter().next().unwrap_or_default();
                self.handle_method(&receiver, method, span.clone())
            }
            (RacecheckItem::Thread, Some("new" | "spawn")) => {
                let targets = args.first().map(Value::callables).unwrap_or_default();
                if targets.is_empty() {
                    return Value::Unknown;
                }
                let builders: Rc<[Builder<'a>]> = targets
                    .into_iter()
                    .map(|target| Builder { target, name: None })
                    .collect();
                if assoc == Some("spawn") {
                    self.builder_method(builders, "start", Vec::new(), span)
                } else {
                    Value::Builders(builders)
                }
            }
            _ => Value::Unknown,
        }
    }

    /// A call the model cannot follow: what its arguments hold escapes, and closures given to it
    /// are assumed to run.
    fn unknown_call(&mut self, args: Vec<Value<'a>>) -> Value<'a> {
        args.iter().for_each(|a| self.mark_kept(a));
        self.call_closures(&args, &Value::Unknown);
        Value::data(
            args.iter()
                .fold(Taint::default(), |acc, a| acc.union(&a.taint())),
        )
    }

    fn call_closures(&mut self, args: &[Value<'a>], param: &Value<'a>) -> Value<'a> {
        let mut result = Value::Unknown;
        for callable in args.iter().flat_map(Value::callables) {
            result = self.call(&callable, vec![param.clone(); 2], None);
        }
        result
    }

    /// Runs the closures given to an iterator adapter as the body of a loop over `receiver`.
    fn call_closures_in_loop(
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
        self.in_loop(var, count, false, super::LoopExit::Condition, |this| {
            result = this.call_closures(args, &param)
        });
        result
    }

    /// Follows a call into a function or closure.
    pub(super) fn call(
        &mut self,
        target: &Callable<'a>,
        args: Vec<Value<'a>>,
        receiver: Option<Value<'a>>,
    ) -> Value<'a> {
        if self.frames.len() >= CALL_DEPTH {
            self.model.truncated = true;
            return Value::Unknown;
        }
        match target {
            Callable::Closure { expr, env, place } => {
                self.push_frame(*place, None, Scope::child(env));
                let mut args = args.into_iter();
                for input in &expr.inputs {
                    let v = args.next().unwrap_or_default();
                    if !matches!(input, syn::Pat::Type(t) if borrows(&t.ty)) {
                        self.adopt(&v);
                    }
                    self.bind_pattern(input, v);
                }
                let value = self.expr(&expr.body);
                let end = self.span_of(&expr.body);
                self.pop_frame(value, &end)
            }
            Callable::Fn(f) => self.call_fn(*f, args, receiver),
        }
    }

    fn call_fn(&mut self, f: FnId, args: Vec<Value<'a>>, receiver: Option<Value<'a>>) -> Value<'a> {
        let active = self.frames.iter().filter(|fr| fr.callee == Some(f)).count();
        let higher_order = args.iter().any(|a| !a.callables().is_empty());
        if active > 1 || (active == 1 && !higher_order) {
            // Recursion: one walk of the body stands for every level. A function given a closure
            // may be re-entered once from it (`with(&a, |_| with(&b, …))`): that is nesting, and
            // the inner walk sees the locks the outer one holds.
            return Value::Unknown;
        }
        if self.index.fns[f.index()].sig.asyncness.is_some() && !self.frames.is_empty() {
            // Calling an async fn only makes a future; its body runs when an executor polls it,
            // which the model does not follow (an `async fn main` or test is walked as a root).
            receiver.iter().chain(&args).for_each(|a| self.mark_kept(a));
            return Value::Unknown;
        }
        let plain = receiver.iter().chain(&args).all(is_plain);
        if plain {
            if let Some(result) = self.inert.get(&f) {
                return result.clone();
            }
        }
        let before = self.activity();
        let def = &self.index.fns[f.index()];
        let place = Place {
            module: def.module,
            file: def.file,
            self_ty: def.self_ty,
        };
        self.push_frame(place, Some(f), Scope::root());
        let mut args = args.into_iter();
        let mut receiver = receiver;
        for input in &def.sig.inputs {
            match input {
                syn::FnArg::Receiver(_) => {
                    let v = receiver.take().or_else(|| args.next()).unwrap_or_else(|| {
                        match def.self_ty {
                            Some(s) => Value::Obj(s, self.new_object()),
                            None => Value::Unknown,
                        }
                    });
                    self.scope().bind("self", v);
                }
                syn::FnArg::Typed(pt) => {
                    let v = match args.next().unwrap_or_default() {
                        Value::Unknown => self.typed_value(&pt.ty),
                        v => v,
                    };
                    if !borrows(&pt.ty) {
                        self.adopt(&v);
                    }
                    self.bind_pattern(&pt.pat, v);
                }
            }
        }
        let value = self.block(def.body);
        let end = self.raw_span(def.body.brace_token.span.close());
        let result = self.pop_frame(value, &end);
        // A function that did nothing observable with arguments that carry no primitive does
        // the same on every such call: later calls reuse its result instead of walking it again.
        if plain && self.activity() == before && is_plain(&result) && !result.holds_object() {
            self.inert.insert(f, result.clone());
        }
        result
    }

    fn push_frame(&mut self, place: Place, callee: Option<FnId>, scope: Rc<Scope<'a>>) {
        self.frames.push(Frame {
            place,
            callee,
            scopes: vec![scope],
            owned: vec![Vec::new()],
            ends: vec![Vec::new()],
            temps: Vec::new(),
            flow: super::Flow::Normal,
            returned: None,
        });
    }

    /// Ends a call (at `end`): guards left in the callee are dropped, those it returns become
    /// temporaries of the caller's statement; pipe ends its parameters own and it does not return
    /// are dropped.
    fn pop_frame(&mut self, value: Value<'a>, end: &Span) -> Value<'a> {
        let Some(frame) = self.frames.pop() else {
            return value;
        };
        let result = match frame.returned {
            Some(returned) if frame.flow == super::Flow::Return => returned,
            Some(returned) => returned.join(&value),
            None => value,
        };
        self.drop_ends(frame.ends.into_iter().flatten().collect(), &[&result], end);
        let mut kept = Vec::new();
        result.guards(&mut kept);
        for g in frame.temps.into_iter().chain(frame.owned).flatten() {
            if !kept.contains(&g) {
                self.release(g);
            }
        }
        if !self.frames.is_empty() {
            for g in kept {
                self.add_temp(g);
            }
        }
        result
    }
}
