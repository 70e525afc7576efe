//! std's, parking_lot's, crossbeam's and rayon's constructors and thread starts, read as
//! racecheck's: a `Mutex::new` makes a lock, a channel one queue given as both of its ends,
//! `thread::spawn` a thread, a `Builder` a named one; the threads spawned on a scope
//! (`thread::scope`, `rayon::scope`) are joined at its end, and `rayon::join` runs both of its
//! closures as threads it waits for.
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::sync_items::SyncItem;
use crate::model::value::{Builder, Spawner, Value};
use crate::model::{Op, Origin, PrimKind, TemplateId};
use std::rc::Rc;

impl<'a> Interp<'a> {
    /// A call of a path [`SyncItem`] names.
    pub(super) fn sync_call(
        &mut self,
        item: SyncItem,
        assoc: Option<&str>,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match (item, assoc) {
            (SyncItem::Prim(kind, api), Some("new" | "const_new" | "default")) => {
                self.construct((kind, api), args, false, span)
            }
            (SyncItem::Prim(kind, _), Some(method)) => {
                self.method_by_path(kind, method, args, span)
            }
            (SyncItem::Channel { api, bounded }, None) => {
                let queue = self.construct((PrimKind::Queue, api), args, bounded, span);
                Value::Tuple(Rc::from(vec![queue.clone(), queue]))
            }
            (SyncItem::Spawn { detached }, None) => {
                let started = self.start_callables(args.first(), None, Vec::new(), span);
                if detached {
                    // A rayon task has no handle: nobody is expected to join it.
                    for &t in &started {
                        self.model.templates[t.0 as usize].handle_kept = true;
                    }
                }
                Value::Threads(started.into())
            }
            (SyncItem::Scope, None) => self.thread_scope(args, span),
            (SyncItem::Join, None) => self.join_both(args, span),
            (SyncItem::ThreadBuilder, Some("new" | "default")) => {
                Value::Spawner(Spawner::Builder(None))
            }
            // `MutexGuard::map(guard, …)` keeps the lock held by the guard it maps, and so do
            // parking_lot's upgrades and downgrades of a `RwLock`'s guard.
            (
                SyncItem::Guard,
                Some(
                    "map"
                    | "try_map"
                    | "filter_map"
                    | "upgrade"
                    | "try_upgrade"
                    | "try_upgrade_for"
                    | "try_upgrade_until"
                    | "downgrade"
                    | "downgrade_to_upgradable",
                ),
            ) => args.into_iter().next().unwrap_or_default(),
            // parking_lot's `MutexGuard::unlocked(&mut guard, f)`: the lock is given up while `f`
            // runs, and held again after.
            (SyncItem::Guard, Some("unlocked" | "unlocked_fair")) => {
                let guards = args.first().map_or_else(Vec::new, |g| self.owned_guards(g));
                let held = self.walk.held.clone();
                self.walk.held.retain(|g| !guards.contains(g));
                let value = self.call_closures(args.get(1..).unwrap_or_default(), &Value::Unknown);
                for g in guards {
                    if held.contains(&g) && !self.walk.held.contains(&g) {
                        self.walk.held.push(g);
                    }
                }
                value
            }
            _ => self.unknown_call(args),
        }
    }

    /// A method of a thread builder or a thread scope.
    pub(super) fn spawner_method(
        &mut self,
        spawner: Spawner,
        method: &str,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match (spawner, method) {
            (Spawner::Builder(_), "name") => {
                let name = match args.first() {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                };
                Value::Spawner(Spawner::Builder(name))
            }
            (Spawner::Builder(name), "spawn") => Value::Threads(
                self.start_callables(args.first(), name, Vec::new(), span)
                    .into(),
            ),
            (Spawner::Builder(name), "spawn_scoped") => match args.first() {
                Some(Value::Spawner(Spawner::Scope(scope))) => {
                    self.scoped_spawn(*scope, args.get(1), name, span)
                }
                _ => self.unknown_call(args),
            },
            (Spawner::Scope(scope), "spawn" | "spawn_fifo") => {
                self.scoped_spawn(scope, args.first(), None, span)
            }
            (spawner @ Spawner::Builder(_), _) => Value::Spawner(spawner),
            (Spawner::Scope(_), _) => self.unknown_call(args),
        }
    }

    /// Code of another crate that runs the closures it is given on other threads (a runtime's
    /// `spawn_blocking`, a pool's `execute`): each is a thread nobody is known to join.
    pub(super) fn spawn_detached(&mut self, args: &[Value<'a>], span: &Span) -> Value<'a> {
        args.iter().for_each(|a| self.mark_kept(a));
        for target in args {
            for t in self.start_callables(Some(target), None, Vec::new(), span) {
                self.model.templates[t.0 as usize].handle_kept = true;
            }
        }
        Value::Unknown
    }

    /// Starts a thread running the callable `target` holds, given `args`.
    fn start_callables(
        &mut self,
        target: Option<&Value<'a>>,
        name: Option<Rc<str>>,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Vec<TemplateId> {
        let builders: Vec<Builder<'a>> = target
            .map(Value::callables)
            .unwrap_or_default()
            .into_iter()
            .map(|target| Builder {
                target,
                name: name.clone(),
                arg: None,
            })
            .collect();
        self.start(&builders, args, span)
    }

    /// A thread spawned on a scope: the scope joins it (a rayon task is given the scope).
    fn scoped_spawn(
        &mut self,
        scope: u32,
        target: Option<&Value<'a>>,
        name: Option<Rc<str>>,
        span: &Span,
    ) -> Value<'a> {
        let scope_value = Value::Spawner(Spawner::Scope(scope));
        let started = self.start_callables(target, name, vec![scope_value], span);
        for &t in &started {
            self.model.templates[t.0 as usize].handle_kept = true;
        }
        self.store.thread_scopes[scope as usize].extend(started.iter().copied());
        Value::Threads(started.into())
    }

    /// `thread::scope(|s| …)`: the closure runs, and every thread it spawned on `s` is joined
    /// when it returns.
    fn thread_scope(&mut self, args: Vec<Value<'a>>, span: &Span) -> Value<'a> {
        let scope = self.store.thread_scopes.len() as u32;
        self.store.thread_scopes.push(Vec::new());
        let scope_value = Value::Spawner(Spawner::Scope(scope));
        let start = self.event_count();
        let result = self.call_closures(&args, &scope_value);
        let mut threads = std::mem::take(&mut self.store.thread_scopes[scope as usize]);
        // Threads the closure joined itself are over by the scope's end: it waits for the rest.
        let events = &self.model.template(self.walk.template).events;
        for event in events.get(start..).unwrap_or_default() {
            if let Op::Join { threads: joined } = &event.op {
                threads.retain(|t| !joined.contains(t));
            }
        }
        if !threads.is_empty() {
            self.emit(Op::Join { threads }, span.clone());
        }
        result
    }

    /// `rayon::join(a, b)`: both run, maybe in parallel, and both have ended when it returns.
    /// Called again by the code it starts (a divide and conquer), it runs them in line.
    fn join_both(&mut self, args: Vec<Value<'a>>, span: &Span) -> Value<'a> {
        if self.spawned_at(span) {
            let results = args
                .iter()
                .map(|a| self.call_closures(std::slice::from_ref(a), &Value::Unknown))
                .collect::<Vec<_>>();
            return Value::Tuple(results.into());
        }
        let mut threads = Vec::new();
        for target in &args {
            threads.extend(self.start_callables(Some(target), None, Vec::new(), span));
        }
        for &t in &threads {
            self.model.templates[t.0 as usize].handle_kept = true;
        }
        if !threads.is_empty() {
            self.emit(Op::Join { threads }, span.clone());
        }
        Value::Tuple(Rc::from(vec![Value::Unknown, Value::Unknown]))
    }

    /// Whether the current thread, or one that started it, was spawned at `span`.
    fn spawned_at(&self, span: &Span) -> bool {
        let mut template = Some(self.walk.template);
        while let Some(t) = template {
            let tpl = self.model.template(t);
            if tpl.spawn_span.as_ref() == Some(span) {
                return true;
            }
            template = match tpl.origin {
                Origin::Spawned { parent, .. } => Some(parent),
                Origin::Root => None,
            };
        }
        false
    }
}
