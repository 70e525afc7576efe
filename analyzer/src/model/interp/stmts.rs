//! Blocks, statements, patterns, branches and loops: where guards are bound and dropped.
use super::calls::borrows;
use super::protocol;
use super::walk::{merge_going_on, push_new, Arm, Breakable, Flow, LoopExit, LoopFrame};
use super::Interp;
use crate::diagnostic::{Edition, Span};
use crate::frontend::index::FnId;
use crate::model::syntax;
use crate::model::value::{GuardId, Value};
use crate::model::{Api, IdRank, IndexKey, Op, PrimId, PrimKind, VarId};
use std::rc::Rc;

impl<'a> Interp<'a> {
    pub(super) fn block(&mut self, block: &'a syn::Block) -> Value<'a> {
        self.push_scope();
        let mut value = Value::Unknown;
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter().enumerate() {
            if self.frame().flow != Flow::Normal || !self.step() {
                break;
            }
            self.walk.statements_walked += 1;
            value = self.stmt(stmt, i == last);
        }
        let end = self.raw_span(block.brace_token.span.close());
        self.pop_scope(&value, &end);
        value
    }

    fn stmt(&mut self, stmt: &'a syn::Stmt, is_tail: bool) -> Value<'a> {
        match stmt {
            syn::Stmt::Local(local) => {
                self.with_temps(local.semi_token.span, |this| this.local(local));
                Value::Unknown
            }
            // A block's tail expression: its temporaries live as long as the enclosing statement's
            // (edition 2021), so it gets no temporary scope of its own; from 2024 they end with
            // the block, but for what it hands out.
            syn::Stmt::Expr(expr, None) if is_tail => match self.edition {
                Edition::Rust2021 => self.expr(expr),
                Edition::Rust2024 => {
                    self.with_temps_but_value(syntax::last_token(expr), |this| this.expr(expr))
                }
            },
            syn::Stmt::Expr(expr, semi) => {
                let end = semi.map_or_else(|| syntax::last_token(expr), |s| s.span);
                self.with_temps(end, |this| {
                    this.expr(expr);
                });
                Value::Unknown
            }
            syn::Stmt::Macro(m) => {
                let end = m
                    .semi_token
                    .map_or_else(|| syntax::delimiters(&m.mac).close(), |s| s.span);
                self.with_temps(end, |this| {
                    this.macro_call(&m.mac);
                });
                Value::Unknown
            }
            syn::Stmt::Item(_) => Value::Unknown,
        }
    }

    fn local(&mut self, local: &'a syn::Local) {
        let mut value = match &local.init {
            Some(init) => {
                let first_event = self.event_count();
                let value = self.expr(&init.expr);
                if let Some((_, diverge)) = &init.diverge {
                    // The `else` of a `let … else` runs instead of what follows; walk it as a
                    // branch of its own, which never reaches what follows. The initializer's
                    // temporaries are dropped before it runs (in every edition), a guard among
                    // them.
                    let before = self.walk.held.clone();
                    let signals = self.walk.signals.clone();
                    let temps = self.frame().temps.last().cloned().unwrap_or_default();
                    self.walk.held.retain(|g| !temps.contains(g));
                    if protocol::matches_taken_item(&local.pat) {
                        self.note_nothing_taken(first_event..self.event_count());
                    }
                    self.expr(diverge);
                    self.frame().flow = Flow::Normal;
                    self.walk.held = before;
                    self.walk.signals = signals;
                }
                value
            }
            None => Value::Unknown,
        };
        if let syn::Pat::Type(typed) = &local.pat {
            match value {
                Value::Unknown => value = self.typed_value(&typed.ty),
                Value::Bag(_) => self.type_collection(&value, &typed.ty),
                _ => {}
            }
        }
        if !matches!(local.pat, syn::Pat::Wild(_)) {
            self.adopt(&value);
        }
        self.bind_pattern(&local.pat, value);
        let borrowed = match (&local.pat, &local.init) {
            (syn::Pat::Type(typed), _) => borrows(&typed.ty),
            (_, Some(init)) => matches!(&*init.expr, syn::Expr::Reference(_)),
            _ => false,
        };
        if borrowed {
            self.mark_borrowed(&local.pat);
        }
    }

    /// Marks the binding a pattern makes (`r`, `r: &T`) as holding a reference.
    pub(super) fn mark_borrowed(&mut self, pat: &syn::Pat) {
        match pat {
            syn::Pat::Ident(i) => self.scope().mark_borrowed(&i.ident.to_string()),
            syn::Pat::Type(t) => self.mark_borrowed(&t.pat),
            _ => {}
        }
    }

    /// Binds the names of a pattern, giving each the part of `value` it matches.
    pub(super) fn bind_pattern(&mut self, pat: &'a syn::Pat, value: Value<'a>) {
        match pat {
            syn::Pat::Ident(i) => {
                let name = i.ident.to_string();
                self.note_binding(&name);
                self.name_after_binding(&value, &name);
                if let Some((_, sub)) = &i.subpat {
                    self.bind_pattern(sub, value.clone());
                }
                self.scope().bind(&name, value);
            }
            syn::Pat::Tuple(t) => {
                let items: Vec<Value<'a>> = match &value {
                    Value::Tuple(items) if items.len() == t.elems.len() => items.to_vec(),
                    other => vec![Value::data(other.taint()); t.elems.len()],
                };
                for (p, v) in t.elems.iter().zip(items) {
                    self.bind_pattern(p, v);
                }
            }
            syn::Pat::TupleStruct(ts) => {
                // Another variant's carried value (a collection of requests holds one value for
                // all its variants): nothing known of what this variant holds.
                let value = self.carried_by(&ts.path, value);
                let single = ts.elems.len() == 1;
                for p in &ts.elems {
                    let v = if single {
                        value.clone()
                    } else {
                        Value::data(value.taint())
                    };
                    self.bind_pattern(p, v);
                }
            }
            syn::Pat::Reference(r) => self.bind_pattern(&r.pat, value),
            syn::Pat::Paren(p) => self.bind_pattern(&p.pat, value),
            syn::Pat::Type(t) => {
                let value = match value {
                    Value::Unknown => self.typed_value(&t.ty),
                    v => v,
                };
                self.bind_pattern(&t.pat, value);
            }
            syn::Pat::Struct(s) => {
                // A struct variant's pattern, of a value carried by the variant (see
                // `variant_value`): the field that carried it binds it, the others nothing known.
                let value = match value {
                    value @ Value::Variants(_) => self.carried_by(&s.path, value),
                    other => other,
                };
                let carried = match (&value, s.path.segments.last()) {
                    (Value::Obj(..) | Value::Unknown | Value::Data(_), _) | (_, None) => None,
                    // Another variant's carried value: this one binds nothing of it.
                    _ if !self.variant_carries(&s.path, &value) => Some(None),
                    (_, Some(variant)) => self.variant_enum_of(&s.path).map(|e| {
                        let key = (e, variant.ident.to_string());
                        self.store.carrying_fields.get(&key).cloned()
                    }),
                };
                for field in &s.fields {
                    let v = match (&value, &field.member, &carried) {
                        (_, syn::Member::Named(n), Some(carrying)) => {
                            if carrying.as_deref() == Some(n.to_string().as_str()) {
                                value.clone()
                            } else {
                                Value::Unknown
                            }
                        }
                        (Value::Obj(st, o), syn::Member::Named(n), _) => {
                            self.field_value(*st, *o, &n.to_string())
                        }
                        _ => Value::data(value.taint()),
                    };
                    self.bind_pattern(&field.pat, v);
                }
            }
            syn::Pat::Slice(s) => {
                let element = self.element_of(&value);
                for p in &s.elems {
                    self.bind_pattern(p, element.clone());
                }
            }
            syn::Pat::Or(o) => {
                if let Some(first) = o.cases.first() {
                    self.bind_pattern(first, value);
                }
            }
            _ => {}
        }
    }

    /// Notes that `name` is assigned `value` in the arm being walked, when the binding owns a
    /// guard before or after (see [`Rebinds`]).
    pub(super) fn note_rebound(&mut self, name: &str, value: &Value<'a>) {
        if self.walk.rebound.is_empty() {
            return;
        }
        let old = self.scope().lookup(name).unwrap_or_default();
        if self.owned_guards(&old).is_empty() && self.owned_guards(value).is_empty() {
            return;
        }
        let log = self
            .walk
            .rebound
            .last_mut()
            .expect("an arm is being walked");
        match log.iter_mut().find(|r| *r.name == *name) {
            Some(rebound) => rebound.now = value.clone(),
            None => log.push(Rebound {
                name: Rc::from(name),
                before: old,
                now: value.clone(),
            }),
        }
    }

    /// Starts an arm of alternative arms: its guard-owning rebindings are noted.
    fn start_rebinds(&mut self) {
        self.walk.rebound.push(Vec::new());
    }

    /// Ends an arm (which left control as `flow`): what it left in each binding it assigned is
    /// kept in `rebinds`, and the binding holds what it held before the arms again.
    fn end_rebinds(&mut self, rebinds: &mut Rebinds<'a>, flow: Flow) {
        let log = self.walk.rebound.pop().unwrap_or_default();
        let mut left = Vec::new();
        for rebound in log {
            // A binding of the arm's own that shadowed this name is gone: the one seen now is
            // another, which the arm did not assign.
            let Some(now) = self.scope().lookup(&rebound.name) else {
                continue;
            };
            if self.owned_guards(&now) != self.owned_guards(&rebound.now) {
                continue;
            }
            self.scope().assign(&rebound.name, rebound.before.clone());
            if !rebinds.before.iter().any(|(n, _)| *n == rebound.name) {
                rebinds.before.push((rebound.name.clone(), rebound.before));
            }
            left.push((rebound.name, now));
        }
        rebinds.arms.push((left, flow));
    }

    /// After the arms: each binding an arm assigned holds what any arm that goes on left in it
    /// (`Value::Guards` of several guards), and the arm around, if any, notes the assignment.
    fn finish_rebinds(&mut self, rebinds: Rebinds<'a>) {
        for (name, before) in rebinds.before {
            let mut merged: Option<Value<'a>> = None;
            for (left, flow) in &rebinds.arms {
                if *flow != Flow::Normal {
                    continue;
                }
                let value = left
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(&before, |(_, v)| v);
                merged = Some(match merged {
                    None => value.clone(),
                    Some(m) => m.join(value),
                });
            }
            if let Some(merged) = merged {
                self.note_rebound(&name, &merged);
                self.scope().assign(&name, merged);
            }
        }
    }

    /// The value of a comparison of integers the code spells out (`from < to`, where the caller
    /// passed `transfer(&accts, 0, 1)`): then only one arm of its `if` can run. Only literals,
    /// and parameters not declared `mut` that the caller (or its caller, passing its own
    /// parameter on) gave a literal, in functions that do not call themselves (one walk of a
    /// recursive function stands for every level): what the walk computed of other values
    /// need not hold at run time.
    fn decided_by_literals(&mut self, cond: &'a syn::Expr) -> Option<bool> {
        let syn::Expr::Binary(b) = syntax::strip_parens(cond) else {
            return None;
        };
        let compare: fn(&i64, &i64) -> bool = match b.op {
            syn::BinOp::Lt(_) => i64::lt,
            syn::BinOp::Le(_) => i64::le,
            syn::BinOp::Gt(_) => i64::gt,
            syn::BinOp::Ge(_) => i64::ge,
            syn::BinOp::Eq(_) => i64::eq,
            syn::BinOp::Ne(_) => i64::ne,
            _ => return None,
        };
        let left = self.literal_int(&b.left)?;
        let right = self.literal_int(&b.right)?;
        Some(compare(&left, &right))
    }

    /// An integer literal, or a parameter the calls walked passed one down as (see
    /// [`Interp::decided_by_literals`]).
    pub(super) fn literal_int(&mut self, expr: &'a syn::Expr) -> Option<i64> {
        let mut expr = syntax::strip_parens(expr);
        let mut depth = self.walk.frames.len();
        loop {
            match expr {
                syn::Expr::Lit(l) => return syntax::int_literal(&l.lit),
                syn::Expr::Path(p) => {
                    let name = p.path.get_ident()?.to_string();
                    depth = depth.checked_sub(1)?;
                    let frame = &self.walk.frames[depth];
                    let f = frame.callee?;
                    let arg = frame.passed_argument(&name).0?;
                    // A `mut` parameter may change without a new binding (`n += 1`, `&mut n`).
                    if self.index.fns[f.index()].param_is_mut(&name) || self.calls_itself(f) {
                        return None;
                    }
                    expr = syntax::strip_parens(arg);
                }
                _ => return None,
            }
        }
    }

    /// Whether a function's body calls a function or method of its own name (once per function).
    fn calls_itself(&mut self, f: FnId) -> bool {
        if let Some(&known) = self.memo.calls_itself.get(&f) {
            return known;
        }
        let def = &self.index.fns[f.index()];
        let found = syntax::calls_named(def.body.block(), &def.name);
        self.memo.calls_itself.insert(f, found);
        found
    }

    pub(super) fn if_expr(&mut self, e: &'a syn::ExprIf) -> Value<'a> {
        if let Some(taken) = self.decided_by_literals(&e.cond) {
            self.walk.branches_decided += 1;
            return if taken {
                self.block(&e.then_branch)
            } else {
                e.else_branch
                    .as_ref()
                    .map_or(Value::Unknown, |(_, other)| self.expr(other))
            };
        }
        self.push_scope();
        // `if let`: the scrutinee's temporaries live through both arms (edition 2021), through
        // the `then` arm alone from 2024; those of a plain condition end with it.
        let has_let = contains_let(&e.cond);
        let held_before_condition = self.walk.held.clone();
        let reads_before_condition: Vec<u32> = held_before_condition
            .iter()
            .map(|&g| self.walk.guards[g as usize].reads)
            .collect();
        let condition_events = self.event_count();
        if has_let {
            self.frame().temps.push(Vec::new());
            self.expr(&e.cond);
        } else {
            self.with_temps(syntax::last_token(&e.cond), |this| this.expr(&e.cond));
        }
        let condition_events = condition_events..self.event_count();
        let before = self.walk.held.clone();
        let signals = self.walk.signals.clone();
        // The guards the condition read through (or took): the `if` is decided under their locks.
        let read_in_condition = before
            .iter()
            .copied()
            .filter(|&g| {
                let reads = self.walk.guards[g as usize].reads;
                held_before_condition
                    .iter()
                    .position(|&h| h == g)
                    .is_none_or(|at| reads > reads_before_condition[at])
            })
            .collect();
        self.walk.checks.push(read_in_condition);
        let branch = self.new_branch();
        let owned_before = self.frame().owned.clone();
        let mut rebinds = Rebinds::default();
        self.start_rebinds();
        let then_value = self.in_arm(branch, 0, |this| this.block(&e.then_branch));
        let then_flow = self.frame().flow;
        self.end_rebinds(&mut rebinds, then_flow);
        let then_signals = std::mem::replace(&mut self.walk.signals, signals.clone());
        if matches!(&*e.cond, syn::Expr::Let(l) if protocol::matches_taken_item(&l.pat)) {
            self.note_nothing_taken(condition_events);
        }
        let ends_before_else = has_let && self.edition == Edition::Rust2024;
        let scrutinee_temps = if ends_before_else {
            self.frame().temps.pop().unwrap_or_default()
        } else {
            Vec::new()
        };
        // What the `else` arm holds of the condition's guards: none from 2024; in 2021 those of
        // blocking acquisitions (a `try_lock` that failed holds nothing).
        let mut else_before = before.clone();
        else_before.retain(|g| {
            held_before_condition.contains(g)
                || (!ends_before_else && !self.walk.guards[*g as usize].tried)
        });
        self.start_rebinds();
        let (then_flow, else_value, else_flow) =
            self.else_arm(e, branch, owned_before, before, else_before);
        self.end_rebinds(&mut rebinds, else_flow);
        self.finish_rebinds(rebinds);
        let then_end = e.then_branch.brace_token.span.close();
        self.end_temps_but_value(scrutinee_temps, &then_value, then_end);
        self.walk.checks.pop();
        let else_signals = std::mem::take(&mut self.walk.signals);
        self.merge_signals(
            signals,
            vec![(then_signals, then_flow), (else_signals, else_flow)],
        );
        let (then_value, else_value) = none_adds_nothing(
            then_value,
            syntax::block_is_none(&e.then_branch),
            else_value,
            e.else_branch
                .as_ref()
                .is_some_and(|(_, other)| syntax::is_none(other)),
            else_flow == Flow::Normal,
        );
        let value = self.merge_arms(then_value, then_flow, else_value, else_flow);
        if has_let && !ends_before_else {
            let temps = self.frame().temps.pop().unwrap_or_default();
            self.end_temps_but_value(temps, &value, e.if_token.span);
        }
        let end = self.raw_span(e.if_token.span);
        self.pop_scope(&value, &end);
        sorted_pair(e).unwrap_or(value)
    }

    /// Walks the `else` arm of an `if` as an alternative to its `then` arm: from the locks
    /// held `before` the `then` arm but those the condition took and the `else` arm does not
    /// hold (`else_before`), and merging what each arm leaves held.
    fn else_arm(
        &mut self,
        e: &'a syn::ExprIf,
        branch: u32,
        owned_before: Vec<Vec<GuardId>>,
        before: Vec<GuardId>,
        else_before: Vec<GuardId>,
    ) -> (Flow, Value<'a>, Flow) {
        let then_flow = std::mem::replace(&mut self.frame().flow, Flow::Normal);
        let then_held = std::mem::replace(&mut self.walk.held, else_before);
        let then_owned = std::mem::replace(&mut self.frame().owned, owned_before.clone());
        let else_value = match &e.else_branch {
            Some((_, else_expr)) => self.in_arm(branch, 1, |this| this.expr(else_expr)),
            None => Value::Unknown,
        };
        let else_flow = if e.else_branch.is_some() {
            std::mem::replace(&mut self.frame().flow, Flow::Normal)
        } else {
            Flow::Normal
        };
        let else_held = std::mem::take(&mut self.walk.held);
        self.merge_held(before, vec![(then_held, then_flow), (else_held, else_flow)]);
        let else_owned = std::mem::take(&mut self.frame().owned);
        self.merge_owned(
            owned_before,
            vec![(then_owned, then_flow), (else_owned, else_flow)],
        );
        (then_flow, else_value, else_flow)
    }

    /// After alternative arms: what the scopes around them own is what any arm that goes on
    /// left them owning. (An arm may give a guard to a binding of its own, `let g =
    /// cv.wait(g)`, and drop it with its block: the other arms still leave it with its owner.)
    fn merge_owned(&mut self, before: Vec<Vec<GuardId>>, arms: Vec<(Vec<Vec<GuardId>>, Flow)>) {
        self.frame().owned = merge_going_on(before, arms, |mut owned, arm| {
            for (into, from) in owned.iter_mut().zip(arm) {
                push_new(into, from);
            }
            owned
        });
    }

    /// After two alternative arms: control goes on unless both left, and the value is what
    /// both give.
    fn merge_arms(&mut self, a: Value<'a>, a_flow: Flow, b: Value<'a>, b_flow: Flow) -> Value<'a> {
        self.frame().flow = a_flow.nearest(b_flow);
        match (a_flow, b_flow) {
            (Flow::Normal, Flow::Normal) => a.join(&b),
            (Flow::Normal, _) => a,
            (_, Flow::Normal) => b,
            _ => Value::Unknown,
        }
    }

    pub(super) fn match_expr(&mut self, m: &'a syn::ExprMatch) -> Value<'a> {
        // The scrutinee's temporaries live to the end of the match.
        self.frame().temps.push(Vec::new());
        let scrutinee_events = self.event_count();
        let scrutinee = self.expr(&m.expr);
        let scrutinee_events = scrutinee_events..self.event_count();
        let mut result: Option<(Value<'a>, Flow)> = None;
        // Whether every arm merged so far gives `None`: an arm's `None` adds nothing to what
        // the others give (`Ok(Flush(ack)) => Some(ack), _ => None` is the channel end).
        let mut only_none = true;
        let before = self.walk.held.clone();
        let signals = self.walk.signals.clone();
        let mut arms_held = Vec::with_capacity(m.arms.len());
        let mut arms_signals = Vec::with_capacity(m.arms.len());
        let owned_before = self.frame().owned.clone();
        let mut arms_owned = Vec::with_capacity(m.arms.len());
        let branch = self.new_branch();
        let mut rebinds = Rebinds::default();
        for (at, arm) in (0..).zip(&m.arms) {
            self.start_rebinds();
            self.walk.held = before.clone();
            self.walk.signals = signals.clone();
            self.frame().owned = owned_before.clone();
            if protocol::matches_empty_get(&arm.pat) {
                self.note_nothing_taken(scrutinee_events.clone());
            }
            self.push_scope();
            let v = self.in_arm(branch, at, |this| {
                this.bind_pattern(&arm.pat, scrutinee.clone());
                if let Some((_, guard)) = &arm.guard {
                    this.expr(guard);
                }
                this.expr(&arm.body)
            });
            let end = self.span_of(&arm.body);
            self.pop_scope(&v, &end);
            let flow = std::mem::replace(&mut self.frame().flow, Flow::Normal);
            self.end_rebinds(&mut rebinds, flow);
            arms_held.push((std::mem::take(&mut self.walk.held), flow));
            arms_signals.push((std::mem::take(&mut self.walk.signals), flow));
            arms_owned.push((std::mem::take(&mut self.frame().owned), flow));
            let gives_none = syntax::is_none(&arm.body);
            // An arm that leaves (`break`, `return`) gives the match no value.
            let gives = flow == Flow::Normal;
            result = Some(match result {
                None => (v, flow),
                Some((prev, prev_flow)) => {
                    let (prev, v) = none_adds_nothing(prev, only_none, v, gives_none, gives);
                    let merged = self.merge_arms(prev, prev_flow, v, flow);
                    let flow = std::mem::replace(&mut self.frame().flow, Flow::Normal);
                    (merged, flow)
                }
            });
            if gives {
                only_none &= gives_none;
            }
        }
        self.finish_rebinds(rebinds);
        self.merge_held(before, arms_held);
        self.merge_signals(signals, arms_signals);
        self.merge_owned(owned_before, arms_owned);
        let (value, flow) = result.unwrap_or((Value::Unknown, Flow::Normal));
        let temps = self.frame().temps.pop().unwrap_or_default();
        self.end_temps_but_value(temps, &value, m.brace_token.span.close());
        self.frame().flow = flow;
        value
    }

    pub(super) fn for_loop(&mut self, f: &'a syn::ExprForLoop) -> Value<'a> {
        let iterable = self.with_temps(syntax::last_token(&f.expr), |this| this.expr(&f.expr));
        let (element, var, count) = match iterable {
            Value::Range(start, end) => {
                let name = match &*f.pat {
                    syn::Pat::Ident(i) => i.ident.to_string(),
                    _ => "i".to_owned(),
                };
                let (element, var, count) = self.range_element(&name, start, end);
                (element, Some(var), count)
            }
            other => {
                let element = match self.receive_by_iterating(&other, &f.expr) {
                    Some(queue) => self.message_of(queue),
                    None => self.element_of(&other),
                };
                (element, None, None)
            }
        };
        let label = f.label.as_ref();
        self.in_loop(label, var, count, false, LoopExit::Condition, |this| {
            this.push_scope();
            this.bind_pattern(&f.pat, element);
            let v = this.block(&f.body);
            let end = this.raw_span(f.body.brace_token.span.close());
            this.pop_scope(&v, &end);
        });
        Value::Unknown
    }

    /// `for message in rx` (or `&rx`) over a std or crossbeam receiver: a blocking receive, of
    /// that queue.
    fn receive_by_iterating(
        &mut self,
        iterable: &Value<'a>,
        expr: &'a syn::Expr,
    ) -> Option<PrimId> {
        let Value::Prim(queue) = *iterable else {
            return None;
        };
        let info = self.model.prim(queue);
        if info.kind != PrimKind::Queue || info.api == Api::Racecheck {
            return None;
        }
        let span = self.span_of(expr);
        self.emit(
            Op::Get {
                queue,
                blocking: true,
            },
            span,
        );
        Some(queue)
    }

    pub(super) fn while_loop(&mut self, w: &'a syn::ExprWhile) -> Value<'a> {
        let label = w.label.as_ref();
        self.in_loop(label, None, None, true, LoopExit::Condition, |this| {
            this.push_scope();
            let has_let = contains_let(&w.cond);
            if has_let {
                // `while let`: the scrutinee's temporaries live through the body.
                this.frame().temps.push(Vec::new());
                this.expr(&w.cond);
                this.block(&w.body);
                this.end_temps(w.body.brace_token.span.close());
            } else {
                this.with_temps(syntax::last_token(&w.cond), |this| this.expr(&w.cond));
                this.block(&w.body);
            }
            let end = this.raw_span(w.body.brace_token.span.close());
            this.pop_scope(&Value::Unknown, &end);
        });
        Value::Unknown
    }

    /// A `loop`: its value is what its `break`s give.
    pub(super) fn loop_expr(&mut self, l: &'a syn::ExprLoop) -> Value<'a> {
        let label = l.label.as_ref();
        self.in_loop(label, None, None, true, LoopExit::BreakOnly, |this| {
            this.block(&l.body);
        })
    }

    /// A labelled block (`'a: { … }`), which `break 'a value` leaves early: run once, left
    /// holding what its end or its `break`s hold (of the locks that outlive it), its value
    /// what they give.
    pub(super) fn labelled_block(
        &mut self,
        b: &'a syn::ExprBlock,
        label: &syn::Label,
    ) -> Value<'a> {
        let first_guard = self.walk.guards.len() as GuardId;
        let before = self.walk.held.clone();
        let depth = self.push_breakable(Breakable::Block, Some(label), None, Some(1), false);
        let value = self.block(&b.block);
        let target = self.walk.loops.pop();
        let flow = self.frame().flow;
        if flow == Flow::Break(depth) {
            self.frame().flow = Flow::Normal;
        }
        let (exits, values) = target.map(|t| (t.exits, t.values)).unwrap_or_default();
        let carried: Vec<GuardId> = values.iter().flat_map(|v| self.owned_guards(v)).collect();
        let end_held = std::mem::take(&mut self.walk.held);
        let outlives =
            |g: &GuardId| *g < first_guard || end_held.contains(g) || carried.contains(g);
        let mut arms: Vec<(Vec<GuardId>, Flow)> = exits
            .into_iter()
            .map(|held| (held.into_iter().filter(outlives).collect(), Flow::Normal))
            .collect();
        arms.push((end_held.clone(), flow));
        self.merge_held(before, arms);
        self.attach(carried);
        let ended = if flow == Flow::Normal || flow == Flow::Break(depth) {
            Some(value)
        } else {
            None
        };
        ended
            .into_iter()
            .chain(values)
            .reduce(|a, b| a.join(&b))
            .unwrap_or_default()
    }

    /// Control leaves here for `flow` (a `break` or `continue` to an outer target, a `return`):
    /// every loop of the current function it leaves on the way notes it.
    pub(super) fn leave(&mut self, flow: Flow) {
        let frame = self.walk.frames.len();
        let within = match flow {
            Flow::Break(target) => target + 1,
            _ => 0,
        };
        for l in self.walk.loops.iter_mut().skip(within) {
            if l.frame == frame {
                l.leaves = Some(l.leaves.map_or(flow, |f| f.nearest(flow)));
            }
        }
        self.frame().flow = flow;
    }

    /// Enters a loop or labelled block; returns its depth in `Walk::loops`.
    fn push_breakable(
        &mut self,
        kind: Breakable,
        label: Option<&syn::Label>,
        var: Option<VarId>,
        count: Option<u64>,
        predicate: bool,
    ) -> usize {
        let frame = self.walk.frames.len();
        self.walk.loops.push(LoopFrame {
            kind,
            label: label.map(|l| l.name.ident.to_string()),
            frame,
            values: Vec::new(),
            leaves: None,
            var,
            count,
            predicate,
            exits: Vec::new(),
            skips: Vec::new(),
            arms_at_entry: self.walk.arms.len(),
            waits: Vec::new(),
        });
        self.walk.loops.len() - 1
    }

    /// A new `if` or `match`, whose arms are alternatives.
    fn new_branch(&mut self) -> u32 {
        self.walk.branches += 1;
        self.walk.branches
    }

    /// Walks arm `arm` of `branch`.
    fn in_arm<T>(&mut self, branch: u32, arm: u32, walk: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.walk.arms.len();
        self.walk.arms.push((branch, arm));
        self.walk.arm_path = None;
        let out = walk(self);
        self.walk.arms.pop();
        self.walk.arm_path = None;
        // An arm that leaves (`continue`, `break`, `return`) takes its waits with it: no `?`
        // after the arm follows them.
        if self
            .walk
            .frames
            .last()
            .is_some_and(|f| f.flow != Flow::Normal)
        {
            for l in &mut self.walk.loops {
                l.waits
                    .retain(|(_, waited_in)| waited_in.get(depth) != Some(&(branch, arm)));
            }
        }
        out
    }

    /// A blocking wait (event `event`) under an arm inside a loop of the waiting function: the
    /// loop re-checks the predicate only if it comes round, which a `?` after the wait may
    /// prevent (see [`Interp::note_question_mark`]).
    pub(super) fn note_wait_in_loop(&mut self, event: usize) {
        let frame = self.walk.frames.len();
        let arms = &self.walk.arms;
        let innermost = self
            .walk
            .loops
            .iter_mut()
            .rev()
            .find(|l| l.frame == frame && l.kind == Breakable::Loop);
        if let Some(l) = innermost.filter(|l| arms.len() > l.arms_at_entry) {
            l.waits.push((event, Rc::from(arms.as_slice())));
        }
    }

    /// A function whose last operation is a condition wait, and which returns the guard the
    /// wait gave back (`fn sleep(cv, g) -> MutexGuard { cv.wait(g).unwrap() }`), does nothing
    /// after waking: a predicate loop around its call re-checks after the wait. `first`: the
    /// first event the call could have made.
    pub(super) fn lend_wait_to_caller_loop(&mut self, first: usize, result: &Value<'a>) {
        let Value::Guard(guard) = *result else {
            return;
        };
        let in_predicate_loop = self.in_predicate_loop();
        let lock = self.guard_lock(guard);
        let template = &mut self.model.templates[self.walk.template.0 as usize];
        let Some(last) = template.events.len().checked_sub(1).filter(|&i| i >= first) else {
            return;
        };
        let wait = &mut template.events[last];
        if in_predicate_loop
            && matches!(wait.op, Op::CondWait { released, looped: false, .. } if released == Some(lock))
        {
            wait.in_predicate_loop = true;
        }
    }

    /// A `?` (at `span`), or an `unwrap` of guarded data: it leaves the function, and so every
    /// loop of it, on an error or a `None`. A wait under an arm of such a loop that the `?` can follow (not one in another
    /// arm of the same `if` or `match`) is then not re-checked on that path: after waking, the
    /// code acts on the state (`state.pop()?`) and gives up rather than waiting again.
    /// `operand`: the first event of the `?`'s operand (a wait in it, `cv.wait(g)?`, is left only
    /// when the wait fails).
    pub(super) fn note_question_mark(&mut self, span: &Span, operand: usize) {
        let frame = self.walk.frames.len();
        let arms = &self.walk.arms;
        let mut unchecked = Vec::new();
        for l in self.walk.loops.iter_mut().filter(|l| l.frame == frame) {
            l.waits.retain(|(event, waited_in)| {
                let after = *event < operand && !alternatives(waited_in, arms);
                if after {
                    unchecked.push(*event);
                }
                !after
            });
        }
        let template = &mut self.model.templates[self.walk.template.0 as usize];
        for event in unchecked {
            if let Some(e) = template.events.get_mut(event) {
                e.in_predicate_loop = false;
                template.unchecked_waits.push((event, span.clone()));
            }
        }
    }

    /// The loop (or, for a label, the labelled block) a `break` or `continue` leaves: its depth
    /// in `Walk::loops`, within the function or closure being walked.
    pub(super) fn break_target(&self, label: Option<&syn::Lifetime>) -> Option<usize> {
        let frame = self.walk.frames.len();
        self.walk.loops.iter().rposition(|l| {
            l.frame == frame
                && match label {
                    Some(label) => l.label.as_deref() == Some(&*label.ident.to_string()),
                    None => l.kind == Breakable::Loop,
                }
        })
    }

    /// Walks a loop body once, recording its event range for the loop-back edge. After the
    /// loop, a lock is held if it is held where control leaves: at the end of the body (unless
    /// only `break` leaves) or at a `break`, when it outlives the loop (acquired before it, or
    /// kept by the body's end in a binding outside it).
    /// Its value is what its `break`s give. A `break` or `continue` aimed at an outer loop goes
    /// on leaving after it, unless the loop can also end by its condition or its own `break`.
    pub(super) fn in_loop(
        &mut self,
        label: Option<&syn::Label>,
        var: Option<VarId>,
        count: Option<u64>,
        predicate: bool,
        exit: LoopExit,
        body: impl FnOnce(&mut Self),
    ) -> Value<'a> {
        let first_event = self.event_count();
        let first_guard = self.walk.guards.len() as GuardId;
        let depth = self.push_breakable(Breakable::Loop, label, var, count, predicate);
        let signals = self.walk.signals.clone();
        body(self);
        // The body may run no time: what it signalled is not signalled after the loop.
        self.walk.signals = signals;
        let skips = self
            .walk
            .loops
            .last()
            .map(|l| l.skips.clone())
            .unwrap_or_default();
        self.mark_skipped(&skips, true);
        let (exits, values, leaves) = self
            .walk
            .loops
            .pop()
            .map(|l| (l.exits, l.values, l.leaves))
            .unwrap_or_default();
        let flow = self.frame().flow;
        let ends_here = exit == LoopExit::Condition || !exits.is_empty();
        if flow == Flow::Break(depth) || (ends_here && matches!(flow, Flow::Break(_))) {
            self.frame().flow = Flow::Normal;
        } else if !ends_here {
            // A `loop` no `break` of its own ends: what follows it is reached only through the
            // outer loops its labelled `break`s and `continue`s go on, or not at all.
            self.frame().flow = leaves.unwrap_or(Flow::Return);
        }
        let carried: Vec<GuardId> = values.iter().flat_map(|v| self.owned_guards(v)).collect();
        let body_end = std::mem::take(&mut self.walk.held);
        let outlives =
            |g: &GuardId| *g < first_guard || body_end.contains(g) || carried.contains(g);
        let mut held: Vec<GuardId> = match exit {
            LoopExit::BreakOnly if !exits.is_empty() => Vec::new(),
            _ => body_end.clone(),
        };
        for g in exits.into_iter().flatten().filter(outlives) {
            if !held.contains(&g) {
                held.push(g);
            }
        }
        self.walk.held = held;
        self.attach(carried);
        let last = self.event_count();
        if last > first_event {
            let template = &mut self.model.templates[self.walk.template.0 as usize];
            template.loops.push((first_event, last - 1));
        }
        values
            .into_iter()
            .reduce(|a, b| a.join(&b))
            .unwrap_or_default()
    }
}

/// Two alternatives' values, before they are merged: a `None` adds nothing to what another
/// alternative gives (`Ok(Flush(ack)) => Some(ack), _ => None` is the channel end; `Some(g)`
/// beside `None` hands out the guard). `first_none`: the first gives `None` (in a `match`,
/// every arm merged so far does); `second_goes_on`: the second does not leave (`return`,
/// `break`), so it gives a value.
fn none_adds_nothing<'a>(
    first: Value<'a>,
    first_none: bool,
    second: Value<'a>,
    second_none: bool,
    second_goes_on: bool,
) -> (Value<'a>, Value<'a>) {
    match (first_none, second_none) {
        (true, false) if second_goes_on => (second.clone(), second),
        (false, true) => (first.clone(), first),
        _ => (first, second),
    }
}

fn contains_let(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Let(_) => true,
        syn::Expr::Binary(b) => contains_let(&b.left) || contains_let(&b.right),
        syn::Expr::Paren(p) => contains_let(&p.expr),
        _ => false,
    }
}

/// `if a < b { (a, b) } else { (b, a) }` (or with `>`, `<=`, `>=`): a pair of ids sorted by
/// value, the lower one and the higher one.
fn sorted_pair<'a>(e: &syn::ExprIf) -> Option<Value<'a>> {
    let syn::Expr::Binary(cond) = &*e.cond else {
        return None;
    };
    let (x, y) = (ident(&cond.left)?, ident(&cond.right)?);
    // In the `then` arm `low` is the lower id; in the `else` arm, `high` is.
    let (low, high) = match cond.op {
        syn::BinOp::Lt(_) | syn::BinOp::Le(_) => (x, y),
        syn::BinOp::Gt(_) | syn::BinOp::Ge(_) => (y, x),
        _ => return None,
    };
    let then_pair = pair(e.then_branch.stmts.last()?)?;
    let else_pair = match &e.else_branch {
        Some((_, else_expr)) => match &**else_expr {
            syn::Expr::Block(b) => pair(b.block.stmts.last()?)?,
            _ => return None,
        },
        None => return None,
    };
    let rank = |item: &str, lower: &str, other: &str| {
        if item == lower {
            Some(IdRank::Low)
        } else if item == other {
            Some(IdRank::High)
        } else {
            None
        }
    };
    let mut ranks = Vec::with_capacity(2);
    for (a, b) in then_pair.into_iter().zip(else_pair) {
        let r = rank(&a, &low, &high)?;
        (rank(&b, &high, &low)? == r).then_some(())?;
        ranks.push(r);
    }
    (ranks.len() == 2 && ranks[0] != ranks[1]).then(|| {
        Value::Tuple(
            ranks
                .into_iter()
                .map(|r| Value::Index(IndexKey::Id(r)))
                .collect(),
        )
    })
}

/// The two names of a tuple `(a, b)` ending a block.
fn pair(stmt: &syn::Stmt) -> Option<Vec<String>> {
    let syn::Stmt::Expr(syn::Expr::Tuple(t), None) = stmt else {
        return None;
    };
    t.elems
        .iter()
        .map(ident)
        .collect::<Option<Vec<_>>>()
        .filter(|v| v.len() == 2)
}

fn ident(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        syn::Expr::Reference(r) => ident(&r.expr),
        syn::Expr::Paren(p) => ident(&p.expr),
        _ => None,
    }
}

/// Whether two places of the walk, given by the arms they are inside (outermost first), are in
/// different arms of one `if` or `match`: no path runs both.
fn alternatives(a: &[Arm], b: &[Arm]) -> bool {
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .is_some_and(|(x, y)| x.0 == y.0)
}

/// A binding assigned in an arm of alternative arms: what it held before the arm, and what the
/// arm assigned it last.
pub(super) struct Rebound<'a> {
    name: Rc<str>,
    before: Value<'a>,
    now: Value<'a>,
}

/// The guard-owning bindings alternative arms assigned (`g = m.lock()` after `drop(g)` in one
/// arm): what each held before the arms, and what each arm left in those it assigned, with how
/// the arm left control. Each arm is walked from the values before the arms.
#[derive(Default)]
struct Rebinds<'a> {
    before: Bindings<'a>,
    arms: Vec<(Bindings<'a>, Flow)>,
}

/// Values of bindings, by name.
type Bindings<'a> = Vec<(Rc<str>, Value<'a>)>;
