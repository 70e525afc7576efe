//! Expressions: values, places, data flow, and the operations nested in them.
use super::collections::index_key;
use super::consts::int_op;
use super::drops::Site;
use super::store::CarriedShape;
use super::walk::push_new;
use super::walk::Flow;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{Def, StructId};
use crate::frontend::resolve::{resolve_path, Resolved};
use crate::model::env::Scope;
use crate::model::syntax;
use crate::model::value::{Callable, GuardId, MapKey, Taint, Value, ANY_OBJECT};
use crate::model::{IndexKey, Op};
use std::rc::Rc;
use syn::Expr;

impl<'a> Interp<'a> {
    pub(super) fn expr(&mut self, expr: &'a Expr) -> Value<'a> {
        if !self.step() {
            return Value::Unknown;
        }
        self.nested(|this| this.expr_kind(expr)).unwrap_or_default()
    }

    fn expr_kind(&mut self, expr: &'a Expr) -> Value<'a> {
        match expr {
            Expr::Array(a) => {
                let items: Vec<Value<'a>> = a.elems.iter().map(|e| self.expr(e)).collect();
                let span = self.span_of(expr);
                self.collection_of(items, &span)
            }
            Expr::Assign(a) => {
                let value = self.expr(&a.right);
                self.assign(&a.left, value, expr);
                Value::Unknown
            }
            Expr::Async(_) | Expr::Const(_) | Expr::Infer(_) | Expr::Verbatim(_) => Value::Unknown,
            Expr::Await(a) => self.expr(&a.base),
            Expr::Binary(b) => self.binary(b),
            Expr::Block(b) => match &b.label {
                Some(label) => self.labelled_block(b, label),
                None => self.block(&b.block),
            },
            Expr::Unsafe(u) => self.block(&u.block),
            Expr::Break(b) => {
                let value = b.expr.as_ref().map(|v| self.expr(v));
                if let Some(v) = &value {
                    self.detach(v);
                }
                if let Some(target) = self.break_target(b.label.as_ref()) {
                    let held = self.walk.held.clone();
                    let l = &mut self.walk.loops[target];
                    l.exits.push(held);
                    l.values.extend(value);
                    self.leave(Flow::Break(target));
                }
                Value::Unknown
            }
            Expr::Continue(c) => {
                if let Some(target) = self.break_target(c.label.as_ref()) {
                    self.note_exit(Some(target));
                    self.leave(Flow::Break(target));
                }
                Value::Unknown
            }
            Expr::Return(r) => {
                let v = r.expr.as_ref().map_or(Value::Unknown, |e| self.expr(e));
                self.note_exit(None);
                // `return None` adds nothing to what the other returns give (a guard in
                // `Some(g)`).
                if !r.expr.as_deref().is_some_and(syntax::is_none) {
                    let frame = self.frame();
                    frame.returned = Some(match frame.returned.take() {
                        Some(prev) => prev.join(&v),
                        None => v,
                    });
                }
                self.leave(Flow::Return);
                Value::Unknown
            }
            Expr::Call(c) => self.noting_only_read(expr, |this| this.call_expr(c, expr)),
            Expr::MethodCall(m) => {
                self.noting_only_read(expr, |this| this.method_call_expr(m, expr))
            }
            Expr::Cast(c) => self.expr(&c.expr),
            Expr::Closure(c) => Value::Callable(Callable::Closure {
                expr: c,
                env: Scope::capture(&self.scope()),
                place: self.place(),
            }),
            Expr::Field(f) => {
                let base = self.expr(&f.base);
                self.field(base, &f.member)
            }
            Expr::ForLoop(f) => self.for_loop(f),
            Expr::While(w) => self.while_loop(w),
            Expr::Loop(l) => self.loop_expr(l),
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::If(i) => self.if_expr(i),
            Expr::Match(m) => self.match_expr(m),
            Expr::Index(i) => {
                let base = self.expr(&i.expr);
                let index = self.expr(&i.index);
                let value = self.index_value(base, index);
                // An element taken by a run-time index, handed out by a helper (`fn slot(&self,
                // id) -> &Lock<_> { &self.devices[id] }`): the acquisition that follows takes it
                // by that index (see `Interp::element_index_key`).
                if let Value::Prim(p) = value {
                    if self.model.prim(p).is_element_by_id() {
                        self.walk.element_indexed = self.map_key(&i.index).map(|key| (p, key));
                    }
                }
                value
            }
            Expr::Let(l) => {
                let v = self.expr(&l.expr);
                self.adopt(&v);
                self.bind_pattern(&l.pat, v);
                Value::Unknown
            }
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => Value::Str(Rc::from(s.value())),
                lit => syntax::int_literal(lit).map_or(Value::Unknown, Value::Int),
            },
            Expr::Macro(m) => self.macro_call(&m.mac),
            Expr::Path(p) => self.path_value(p, expr),
            Expr::Range(r) => {
                let start = r.start.as_ref().map(|e| self.expr(e));
                let end = r.end.as_ref().map(|e| self.expr(e));
                let int = |v: Option<Value<'a>>| match v {
                    Some(Value::Int(n)) => Some(n),
                    _ => None,
                };
                let inclusive = matches!(r.limits, syn::RangeLimits::Closed(_));
                Value::Range(
                    int(start),
                    int(end).and_then(|e| if inclusive { e.checked_add(1) } else { Some(e) }),
                )
            }
            Expr::RawAddr(r) => self.expr(&r.expr),
            Expr::Reference(r) => match &*r.expr {
                // `&*guard`, `&mut *guard`: what the lock protects, borrowed.
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => match self.expr(&u.expr) {
                    Value::Guard(g) => match self.guarded_content(g, "deref") {
                        Some(content) => {
                            self.guard_read(g);
                            content
                        }
                        None => self.guard_read(g),
                    },
                    other => other,
                },
                inner => self.expr(inner),
            },
            Expr::Repeat(r) => {
                let item = self.expr(&r.expr);
                self.expr(&r.len);
                self.new_bag(Some(item))
            }
            Expr::Struct(s) => self.struct_literal(s, expr),
            Expr::Try(t) => {
                let operand = self.event_count();
                let value = self.expr(&t.expr);
                let span = self.raw_span(t.question_token.span);
                self.note_question_mark(&span, operand);
                value
            }
            Expr::TryBlock(t) => self.block(&t.block),
            Expr::Tuple(t) => Value::Tuple(t.elems.iter().map(|e| self.expr(e)).collect()),
            Expr::Unary(u) => {
                let v = self.expr(&u.expr);
                match (&u.op, v) {
                    (syn::UnOp::Deref(_), Value::Guard(g)) => self.guard_read(g),
                    (syn::UnOp::Neg(_), Value::Int(n)) => Value::Int(n.wrapping_neg()),
                    (syn::UnOp::Deref(_), v) => self.operand(v),
                    (_, v) => {
                        let v = self.operand(v);
                        Value::data(v.taint())
                    }
                }
            }
            Expr::Yield(y) => {
                if let Some(e) = &y.expr {
                    self.expr(e);
                }
                Value::Unknown
            }
            _ => Value::Unknown,
        }
    }

    /// Evaluates the arguments of a macro call (`vec![…]` makes a collection of them).
    pub(super) fn macro_call(&mut self, mac: &'a syn::Macro) -> Value<'a> {
        let args = self.macros.args(mac);
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let items = self.macro_args(&name, args);
        match name.as_str() {
            "vec" if mac.tokens.to_string().contains(';') => {
                let item = items.into_iter().next().unwrap_or_default();
                self.new_bag(Some(item))
            }
            "vec" => {
                let span = self.raw_span(syntax::delimiters(mac).open());
                if items.is_empty() {
                    self.new_bag(None)
                } else {
                    self.collection_of(items, &span)
                }
            }
            "format" => match args.first() {
                Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                })) => Value::Str(Rc::from(s.value())),
                _ => Value::Unknown,
            },
            _ => {
                for item in &items {
                    self.mark_kept(item);
                }
                Value::Unknown
            }
        }
    }

    /// Evaluates a macro's arguments in the temporary scopes of its expansion. `assert!(c, …)`
    /// expands to `if !c { panic!(…) }`: the condition of a plain `if` is a temporary scope of its
    /// own, so its guards are released before the message is formatted. Other macros, among them
    /// `assert_eq!(a, b, …)` (`match (&a, &b) { … panic!(…) }`, whose scrutinee lives through
    /// the message), keep every argument's temporaries until the enclosing statement ends.
    fn macro_args(&mut self, name: &str, args: &'a [Expr]) -> Vec<Value<'a>> {
        match (name, args) {
            ("assert" | "debug_assert", [condition, message @ ..]) => {
                let end = syntax::last_token(condition);
                let condition = self.with_temps(end, |this| this.expr(condition));
                std::iter::once(condition)
                    .chain(message.iter().map(|e| self.expr(e)))
                    .collect()
            }
            _ => args.iter().map(|e| self.expr(e)).collect(),
        }
    }

    fn path_value(&mut self, p: &'a syn::ExprPath, expr: &'a Expr) -> Value<'a> {
        if p.qself.is_none() {
            if let Some(ident) = p.path.get_ident() {
                if let Some(v) = self.scope().lookup(&ident.to_string()) {
                    return v;
                }
            }
        }
        match self.resolve(&p.path) {
            Some(Resolved::Def(Def::Static(s))) => self.static_value(s),
            Some(Resolved::Def(Def::Const(c))) => self.const_value(c),
            Some(Resolved::Def(Def::Fn(f))) => Value::Callable(Callable::Fn(f)),
            // A unit struct written as a value is a new object of it.
            Some(Resolved::Def(Def::Struct(s)))
                if self.index.structs[s.index()].fields().is_empty() =>
            {
                self.new_owned_object(s, Vec::new(), expr)
            }
            Some(Resolved::Def(Def::Struct(s))) => Value::Obj(s, ANY_OBJECT),
            _ => match self.variant_enum(expr) {
                Some((e, _)) => Value::Obj(e, ANY_OBJECT),
                None => Value::Unknown,
            },
        }
    }

    /// The enum of the crate whose variant `expr` names (`Job::Flush`, `Self::Stop`): a
    /// capitalised last segment after a path to an enum.
    pub(super) fn variant_enum<'e>(&mut self, expr: &'e Expr) -> Option<(StructId, &'e syn::Path)> {
        let Expr::Path(p) = expr else {
            return None;
        };
        Some((self.variant_enum_of(&p.path)?, &p.path))
    }

    /// Whether a pattern of the variant `path` names may bind `value` as what the variant
    /// carries: the variant was seen to carry a value of its shape (see `carried_shapes`).
    pub(super) fn variant_carries(&mut self, path: &syn::Path, value: &Value<'a>) -> bool {
        let (Some(e), Some(variant)) = (self.variant_enum_of(path), path.segments.last()) else {
            return true;
        };
        let Some(shape) = CarriedShape::of(value) else {
            return true;
        };
        self.store
            .carried_shapes
            .get(&(e, variant.ident.to_string()))
            .is_some_and(|shapes| shapes.contains(&shape))
    }

    /// What a pattern of the variant `path` binds of `value` as the variant's payload: of a
    /// value of several shapes, the one the variant carried; of another variant's, nothing.
    pub(super) fn carried_by(&mut self, path: &syn::Path, value: Value<'a>) -> Value<'a> {
        let value = match value {
            Value::Variants(alternatives) if self.variant_enum_of(path).is_some() => alternatives
                .iter()
                .find(|a| self.variant_carries(path, a))
                .cloned()
                .unwrap_or_default(),
            other => other,
        };
        if self.variant_carries(path, &value) {
            value
        } else {
            Value::Unknown
        }
    }

    pub(super) fn variant_enum_of(&mut self, path: &syn::Path) -> Option<StructId> {
        let mut owner = path.clone();
        let variant = owner.segments.pop()?;
        if !variant
            .value()
            .ident
            .to_string()
            .starts_with(char::is_uppercase)
            || owner.segments.is_empty()
        {
            return None;
        }
        owner.segments.pop_punct();
        match self.resolve(&owner) {
            Some(Resolved::Def(Def::Struct(s))) if self.index.structs[s.index()].is_enum() => {
                Some(s)
            }
            _ => None,
        }
    }

    /// A value of a variant of enum `e` made from `args`: the one value it carries when that is
    /// something the model follows (`Job::Flush(ack)` is `ack`, as `Some(ack)` is, and a
    /// tuple-variant pattern binds it back), else a value of the enum, which carries nothing.
    pub(super) fn variant_value(
        &mut self,
        e: StructId,
        variant: &syn::Path,
        args: Vec<Value<'a>>,
    ) -> Value<'a> {
        let mut args = args.into_iter();
        match (args.next(), args.next()) {
            (Some(carried), None) if carried.is_followed() => {
                let mut channels = Vec::new();
                carried.prims(&mut channels);
                self.store.carried.extend(channels);
                if let (Some(name), Some(shape)) =
                    (variant.segments.last(), CarriedShape::of(&carried))
                {
                    let shapes = self
                        .store
                        .carried_shapes
                        .entry((e, name.ident.to_string()))
                        .or_default();
                    push_new(shapes, [shape]);
                }
                carried
            }
            _ => Value::Obj(e, ANY_OBJECT),
        }
    }

    /// Resolves a path written in the current code (`Self::x` through the current impl).
    pub(super) fn resolve(&mut self, path: &syn::Path) -> Option<Resolved> {
        let mut segments = syntax::segments(path);
        let place = self.place();
        if segments.first().is_some_and(|s| s == "Self") {
            let self_ty = place.self_ty?;
            if segments.len() == 1 {
                return Some(Resolved::Def(Def::Struct(self_ty)));
            }
            let method = self
                .index
                .methods
                .get(&(self_ty, segments[1].clone()))?
                .first()?;
            return (segments.len() == 2).then_some(Resolved::Def(Def::Fn(*method)));
        }
        if path.leading_colon.is_some() {
            return Some(Resolved::External(std::mem::take(&mut segments)));
        }
        let key = (place.module, segments);
        if let Some(found) = self.memo.resolved.get(&key) {
            return found.clone();
        }
        let found = resolve_path(self.index, place.module, &key.1);
        self.memo.resolved.insert(key, found.clone());
        found
    }

    fn field(&mut self, base: Value<'a>, member: &syn::Member) -> Value<'a> {
        let name = member_name(member);
        match (base, member) {
            (Value::Obj(s, o), _) => {
                let mut value = self.field_value(s, o, &name);
                // A field of a snapshot of guarded data was read through that guard.
                if let Some(reads) = self.store.object_reads.get(&o) {
                    let read = Value::data((**reads).clone().of_field(&name));
                    value = with_read(value, &read);
                }
                self.read_through_place(&Value::Obj(s, o), value, Some(&name))
            }
            (Value::Tuple(items), syn::Member::Unnamed(i)) => {
                items.get(i.index as usize).cloned().unwrap_or_default()
            }
            (Value::Guard(g), member) => match self.lock_content(self.guard_lock(g)) {
                Some(content @ Value::Obj(..)) => {
                    let content = content.clone();
                    let read = self.guard_read_of(g, Some(&name));
                    let value = self.field(content, member);
                    with_read(value, &read)
                }
                _ => self.guard_read_of(g, Some(&name)),
            },
            (v, _) => {
                let read = Value::data(v.taint().read_out().of_field(&name));
                self.read_through_place(&v, read, Some(&name))
            }
        }
    }

    fn index_value(&mut self, base: Value<'a>, index: Value<'a>) -> Value<'a> {
        match base {
            Value::Bag(_) => self.index_bag(base, index),
            Value::Tuple(items) => match index_key(&index) {
                IndexKey::Const(c) => usize::try_from(c)
                    .ok()
                    .and_then(|c| items.get(c).cloned())
                    .unwrap_or_default(),
                _ => Value::Unknown,
            },
            Value::Guard(g) => match self.lock_content(self.guard_lock(g)) {
                Some(content @ Value::Bag(_)) => {
                    let content = content.clone();
                    let read = self.guard_read(g);
                    let value = self.index_bag(content, index);
                    with_read(value, &read)
                }
                _ => self.guard_read(g),
            },
            v => Value::data(v.taint()),
        }
    }

    fn binary(&mut self, b: &'a syn::ExprBinary) -> Value<'a> {
        let left = self.expr(&b.left);
        let left = self.operand(left);
        let right = self.expr(&b.right);
        let right = self.operand(right);
        if is_compound_assignment(&b.op) {
            // `x += y`: x now also derives from y.
            if let Expr::Path(p) = &*b.left {
                if let Some(ident) = p.path.get_ident() {
                    let merged = Value::data(left.taint().union(&right.taint()).computed());
                    // An index derived from a loop variable (`j /= 4`) no longer tells the
                    // loop's rounds apart.
                    let rotated = matches!(left, Value::Index(IndexKey::Rotated { .. }));
                    if !matches!(merged, Value::Unknown) || rotated {
                        self.scope().assign(&ident.to_string(), merged);
                    }
                }
            }
            return Value::Unknown;
        }
        match (&left, &right) {
            (Value::Int(l), Value::Int(r)) => {
                int_op(&b.op, *l, *r).map_or(Value::Unknown, Value::Int)
            }
            (Value::Index(IndexKey::Rotated { var, offset, wraps }), other) => match (&b.op, other)
            {
                (syn::BinOp::Add(_), Value::Int(n)) => {
                    rotated(*var, offset.saturating_add(*n), *wraps)
                }
                (syn::BinOp::Sub(_), Value::Int(n)) => {
                    rotated(*var, offset.saturating_sub(*n), *wraps)
                }
                (syn::BinOp::Rem(_), _) => rotated(*var, *offset, true),
                _ => Value::Unknown,
            },
            (Value::Int(n), Value::Index(IndexKey::Rotated { var, offset, wraps }))
                if matches!(b.op, syn::BinOp::Add(_)) =>
            {
                rotated(*var, offset.saturating_add(*n), *wraps)
            }
            _ => Value::data(left.taint().union(&right.taint()).computed()),
        }
    }

    /// `place = value`: rebinding (the old guard is dropped), or a write through a guard.
    fn assign(&mut self, target: &'a Expr, value: Value<'a>, assignment: &'a Expr) {
        if let Expr::Path(p) = target {
            if let Some(ident) = p.path.get_ident() {
                let name = ident.to_string();
                self.note_binding(&name);
                let new_guards = self.owned_guards(&value);
                let kept = match self.scope().lookup(&name) {
                    Some(old) => self.owned_guards(&old),
                    None => Vec::new(),
                };
                // A guard the binding already owns (`guard = cond.wait(guard)`) stays with
                // the owner it has: the binding's scope, not the block of the assignment.
                self.adopt_except(&value, &kept);
                self.note_rebound(&name, &value);
                if let Some(old) = self.scope().assign(&name, value) {
                    let at = syntax::last_token(assignment);
                    let old_guards = self.owned_guards(&old);
                    for g in old_guards.into_iter().filter(|g| !new_guards.contains(g)) {
                        self.release(g, Some(Site::Token(at)));
                    }
                }
                return;
            }
        }
        let span = self.span_of(assignment);
        // A handle, primitive or object stored into a field of an object (`self.worker =
        // Some(handle)`, `slot.handle = Some(handle)`) is what that field holds from now on;
        // a guard it held is dropped with its old value (`batch.guard = None`).
        if let Expr::Field(field) = target {
            if is_plain_place(&field.base) {
                if let Value::Obj(s, object) = self.expr(&field.base) {
                    let name = member_name(&field.member);
                    let old_guards = match self.store.fields.get(s, object, &name) {
                        Some(old) => self.owned_guards(&old.clone()),
                        None => Vec::new(),
                    };
                    if value.is_followed() || !old_guards.is_empty() {
                        self.store_field(s, object, &name, value.clone());
                    }
                    let new_guards = self.owned_guards(&value);
                    let at = syntax::last_token(assignment);
                    for g in old_guards.into_iter().filter(|g| !new_guards.contains(g)) {
                        self.release(g, Some(Site::Token(at)));
                    }
                }
            }
        }
        if let Some((guard, field)) = self.written_guard(target) {
            self.check_write_back(guard, field.as_deref(), &value, span);
            // `*slot.lock() = Some(handle)`: the lock now protects the handle.
            if field.is_none()
                && matches!(target, Expr::Unary(_))
                && matches!(value, Value::Threads(_))
            {
                let lock = self.guard_lock(guard);
                self.store.contents.insert(lock, value);
            }
            return;
        }
        // A join handle stored into a field or a collection leaves the model's sight.
        self.mark_kept(&value);
    }

    /// A write through `guard` of `value` to `field` of the data (or all of it: an assignment, or
    /// a mutating method's argument): a stale write-back when the value was read from that place
    /// under an earlier guard of the same lock.
    pub(super) fn check_write_back(
        &mut self,
        guard: GuardId,
        field: Option<&str>,
        value: &Value<'a>,
        span: Span,
    ) {
        self.check_keyed_write_back(guard, field, None, value, span);
    }

    /// [`Interp::check_write_back`] of the element of a map at `key` (`insert(id, …)`): only a
    /// value read from the element of the same key is written back.
    pub(super) fn check_keyed_write_back(
        &mut self,
        guard: GuardId,
        field: Option<&str>,
        key: Option<&MapKey>,
        value: &Value<'a>,
        span: Span,
    ) {
        let lock = self.guard_lock(guard);
        // Re-reading through the new guard first (to re-validate) makes the write current.
        let stale_read = self
            .carried_reads(value)
            .guard_reads
            .iter()
            .find(|read| read.is_overwritten_by(lock, guard, field, key))
            .map(|read| read.guard);
        // A read under a guard still held (a reentrant lock's outer guard) cannot be stale.
        let stale_read = stale_read.filter(|read| !self.walk.held.contains(read));
        if let Some(read) = stale_read.filter(|_| !self.guard_was_read(guard)) {
            let read_in = self.walk.guards[read as usize].frames.clone();
            // A value a reused call gave (read in another thread's walk) is not this thread's read.
            if read_in.first() != self.walk.frames.first().map(|f| &f.id) {
                return;
            }
            // Reported where the value read comes back to be written: the call, in the
            // function that read it, that leads to this write (a setter's call).
            let span = self.site_in_common_caller(&read_in, &span);
            self.emit(Op::StaleWriteBack { lock }, span);
        }
    }

    /// What a value was read from: its own origins, or, of an object built from reads (`Stats {
    /// hits: old.hits + 1, ..old }`, a copy of guarded data), those (see `Store::object_reads`).
    fn carried_reads(&self, value: &Value<'a>) -> Taint {
        match value {
            Value::Obj(_, object) => self
                .store
                .object_reads
                .get(object)
                .map_or_else(Taint::default, |reads| (**reads).clone()),
            other => other.taint(),
        }
    }

    /// The guard a place expression writes through (`*g`, `g.field`, `g[i]`, `*l.acquire()`),
    /// and the field of its data written (`field` of `g.field.x`), if one: the root of the place
    /// is evaluated once, as the assignment does.
    fn written_guard(&mut self, target: &'a Expr) -> Option<(GuardId, Option<String>)> {
        let mut root = target;
        let mut field = None;
        loop {
            root = match root {
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => &u.expr,
                Expr::Field(f) => {
                    field = Some(member_name(&f.member));
                    &f.base
                }
                Expr::Index(i) => &i.expr,
                Expr::Paren(p) => &p.expr,
                _ => break,
            };
        }
        if std::ptr::eq(root, target) {
            return None;
        }
        let place = self.expr(root);
        Some((self.written_place(&place)?, field))
    }

    /// A struct literal: a new object, whose fields hold what the literal puts in them.
    fn struct_literal(&mut self, s: &'a syn::ExprStruct, expr: &'a Expr) -> Value<'a> {
        let values: Vec<(String, Value<'a>)> = s
            .fields
            .iter()
            .map(|field| {
                let v = self.expr(&field.expr);
                self.mark_kept(&v);
                (member_name(&field.member), v)
            })
            .collect();
        let rest = s.rest.as_ref().map(|rest| self.expr(rest));
        match self.resolve(&s.path) {
            Some(Resolved::Def(Def::Struct(st))) => {
                let reads = values
                    .iter()
                    .map(|(_, v)| v)
                    .chain(&rest)
                    .fold(Taint::default(), |reads, v| {
                        reads.union(&self.carried_reads(v))
                    });
                let object = self.new_owned_object(st, values, expr);
                if let (Value::Obj(_, o), false) = (&object, reads.guard_reads.is_empty()) {
                    self.store.object_reads.insert(*o, Rc::new(reads));
                }
                object
            }
            // `Request::Now { reply, deadline }`: the one field the model follows, as a tuple
            // variant carries it (a struct-variant pattern binds it back); else (`Job::Notify {
            // .. }`) a value of the enum. Beside other fields, objects and collections (a
            // `UserId`, a `String` collected) are taken for plain values: a request's channel,
            // handle or callback is what is followed.
            _ => match self.variant_enum_of(&s.path) {
                Some(e) => {
                    let alone = values.len() == 1;
                    let followed: Vec<(String, Value<'a>)> = values
                        .into_iter()
                        .filter(|(_, v)| {
                            v.is_followed()
                                && (alone || !matches!(v, Value::Obj(..) | Value::Bag(_)))
                        })
                        .collect();
                    if let ([(field, _)], Some(variant)) = (&followed[..], s.path.segments.last()) {
                        // The field a pattern of the variant binds the carried value to.
                        self.store
                            .carrying_fields
                            .insert((e, variant.ident.to_string()), field.clone());
                    }
                    self.variant_value(e, &s.path, followed.into_iter().map(|(_, v)| v).collect())
                }
                None => Value::Unknown,
            },
        }
    }
}

fn rotated<'a>(var: crate::model::VarId, offset: i64, wraps: bool) -> Value<'a> {
    Value::Index(IndexKey::Rotated { var, offset, wraps })
}

fn is_compound_assignment(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// A value read through a guard: what was reached, or data carrying the read when it is data.
pub(super) fn with_read<'a>(value: Value<'a>, read: &Value<'a>) -> Value<'a> {
    match value {
        // A number or string the data was seen to hold (`failures: 0`) is read as any data is:
        // what another thread stored since is not known.
        Value::Unknown | Value::Data(_) | Value::Int(_) | Value::Str(_) => {
            Value::data(value.taint().union(&read.taint()))
        }
        other => other,
    }
}

/// Whether an expression names a place without calling anything (`self`, `slot`,
/// `self.inner.worker`): evaluating it again has no effect.
fn is_plain_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) => true,
        Expr::Field(f) => is_plain_place(&f.base),
        Expr::Paren(p) => is_plain_place(&p.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => is_plain_place(&u.expr),
        _ => false,
    }
}

/// A field's name as written (`credit`, `0`).
fn member_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(n) => n.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}
