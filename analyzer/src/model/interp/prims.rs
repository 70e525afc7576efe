//! The racecheck primitives: what their constructors make and what their methods do, as
//! operations of the model.
use super::std_model::OPTION_COMBINATORS;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::resolve::RacecheckItem;
use crate::frontend::sync_items::racecheck_method;
use crate::model::value::{BagId, Builder, SharedRead, Taint, Value};
use crate::model::{Access, Api, Instances, Op, PrimId, PrimInfo, PrimKind, Rmw};
use std::rc::Rc;

/// Methods of an `Option` or `Result` (or a reference) holding a primitive that hand it on
/// (`accounts.get(i).ok_or(err)?`); none of them is a method of a primitive.
const OPTION_OF_PRIM: &[&str] = &[
    "unwrap",
    "expect",
    "cloned",
    "copied",
    "as_deref",
    "unwrap_unchecked",
    "ok_or",
    "ok_or_else",
    "ok",
    "map_err",
    "take",
];

/// Methods of a lazily made cell (`OnceLock`, `LazyLock`, `OnceCell`) that give its value,
/// making it first if need be; none of them is a method of a primitive.
const LAZY_CELL: &[&str] = &["get_or_init", "get_or_try_init", "force"];

impl<'a> Interp<'a> {
    pub(super) fn prim_method(
        &mut self,
        prim: PrimId,
        method: &str,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        let PrimInfo { kind, api, .. } = *self.model.prim(prim);
        // The `Option` or reference a primitive was reached through (`locks.get(id)`,
        // `map.get(&k).cloned()`), unwrapped: the primitive itself.
        if OPTION_OF_PRIM.contains(&method) {
            return Value::Prim(prim);
        }
        // The `OnceLock` or `LazyLock` a primitive is kept in (`static REG: OnceLock<Mutex<_>>`
        // is shaped by its type): what it holds, once made, is the primitive. (A racecheck
        // `Queue` has a `get` of its own.)
        if LAZY_CELL.contains(&method) || (method == "get" && api != Api::Racecheck) {
            self.call_closures(&args, &Value::Unknown);
            return Value::Prim(prim);
        }
        // `room(id).map_or(false, |room| room.lock().leave(user))`: the closure gets the primitive.
        // (A pool's `map` is its own.)
        if kind != PrimKind::Pool
            && OPTION_COMBINATORS.contains(&method)
            && args.iter().any(|a| !a.callables().is_empty())
        {
            return self.call_closures(&args, &Value::Prim(prim));
        }
        let span = span.clone();
        let original = method;
        let method = match api {
            Api::Racecheck => method,
            _ if kind == PrimKind::RwLock => return self.rwlock_method(prim, api, method, span),
            _ => match racecheck_method(kind, api, method) {
                Some(method) => method,
                None => return Value::Unknown,
            },
        };
        match (kind, method) {
            (PrimKind::Lock | PrimKind::RLock, "acquire") => {
                self.acquire(prim, true, Access::Exclusive, span)
            }
            (PrimKind::Lock | PrimKind::RLock, "try_acquire" | "acquire_timeout") => {
                self.acquire(prim, false, Access::Exclusive, span)
            }
            (PrimKind::Event, "set") => self.emit_op(Op::Set { event: prim }, span),
            (PrimKind::Event, "clear") => {
                // Seen set in this statement or the one before (`if e.is_set() { e.clear();`,
                // `e.wait(); e.clear();`): nothing was done between.
                let consumes = self.walk.event_seen_set.is_some_and(|(seen, at)| {
                    seen == prim && self.walk.statements_walked <= at + 1
                });
                let checked_under = self.walk.checks.last().map_or_else(Vec::new, |before| {
                    before
                        .iter()
                        .filter(|g| self.walk.held.contains(g) && self.guard_is_exclusive(**g))
                        .map(|&g| self.guard_lock(g))
                        .collect()
                });
                self.emit_op(
                    Op::Clear {
                        event: prim,
                        consumes,
                        checked_under,
                    },
                    span,
                )
            }
            (PrimKind::Event, "is_set") => {
                self.walk.event_seen_set = Some((prim, self.walk.statements_walked));
                Value::Unknown
            }
            (PrimKind::Event, "wait") => {
                self.emit(
                    Op::Wait {
                        event: prim,
                        blocking: true,
                    },
                    span,
                );
                self.walk.event_seen_set = Some((prim, self.walk.statements_walked));
                Value::Unknown
            }
            (PrimKind::Event, "wait_timeout") => self.emit_op(
                Op::Wait {
                    event: prim,
                    blocking: false,
                },
                span,
            ),
            (
                PrimKind::Condition,
                "wait" | "wait_while" | "wait_timeout" | "wait_timeout_while",
            ) => {
                let guard = args.first().cloned().unwrap_or_default();
                let released = match guard {
                    Value::Guard(g) => {
                        // The lock is let go while waiting: what an `if` decided under it
                        // may no longer hold after the wait.
                        for check in &mut self.walk.checks {
                            check.retain(|&held| held != g);
                        }
                        Some(self.guard_lock(g))
                    }
                    _ => None,
                };
                let op = Op::CondWait {
                    condition: prim,
                    released,
                    blocking: matches!(method, "wait" | "wait_while"),
                    looped: matches!(method, "wait_while" | "wait_timeout_while"),
                };
                let events = self.event_count();
                let event = self.emit(op, span);
                if method == "wait" && self.event_count() > events {
                    self.note_wait_in_loop(event);
                }
                match (api, method) {
                    // parking_lot's waits take `&mut guard` and give it back in place.
                    (Api::ParkingLot, _) => Value::Unknown,
                    (_, "wait_timeout" | "wait_timeout_while") => {
                        Value::Tuple(Rc::from(vec![guard, Value::Unknown]))
                    }
                    _ => guard,
                }
            }
            (PrimKind::Condition, "notify" | "notify_all") => {
                self.emit_op(Op::Notify { condition: prim }, span)
            }
            // A semaphore of one permit whose permit is held as a guard is a mutex: its
            // acquisitions are ordered against locks like a lock's.
            (PrimKind::Semaphore, "acquire") if self.model.prim(prim).capacity == Some(1) => {
                self.acquire(prim, true, Access::Exclusive, span)
            }
            (PrimKind::Semaphore, "try_acquire" | "acquire_timeout")
                if self.model.prim(prim).capacity == Some(1) =>
            {
                self.acquire(prim, false, Access::Exclusive, span)
            }
            (PrimKind::Semaphore, "acquire") => self.emit_op(
                Op::SemAcquire {
                    semaphore: prim,
                    blocking: true,
                },
                span,
            ),
            (PrimKind::Semaphore, "try_acquire" | "acquire_timeout") => self.emit_op(
                Op::SemAcquire {
                    semaphore: prim,
                    blocking: false,
                },
                span,
            ),
            (PrimKind::Semaphore, "release") => {
                self.emit_op(Op::SemRelease { semaphore: prim }, span)
            }
            (PrimKind::Barrier, "wait") => {
                if self.walk_depth_of_unknown_closures > 0 {
                    // Waited on by code that may run once per thread of a pool the model does
                    // not see: its waiters cannot be counted against its parties.
                    self.model.prims[prim.0 as usize].capacity = None;
                }
                self.emit_op(Op::BarrierWait { barrier: prim }, span)
            }
            (PrimKind::Queue | PrimKind::JoinableQueue, _) => {
                let received = self.queue_method(prim, method, args, span);
                // `for command in rx.iter()`: the messages, one an iteration.
                match original {
                    "iter" | "into_iter" | "try_iter" => {
                        let message = self.message_of(prim);
                        self.new_bag(Some(message))
                    }
                    _ => received,
                }
            }
            (PrimKind::Connection, "send") => self.emit_op(Op::Send { end: prim }, span),
            (PrimKind::Connection, "recv") => {
                self.emit(Op::Recv { end: prim }, span);
                Value::Unknown
            }
            (PrimKind::Pool, _) => self.pool_method(prim, method, args, span),
            (PrimKind::Shared, "get") => {
                let event = self.emit(Op::SharedGet { shared: prim }, span);
                Value::data(Taint {
                    shared: vec![SharedRead {
                        shared: prim,
                        held: Rc::from(self.walk.held.clone()),
                        at: (self.walk.template, event),
                    }],
                    ..Taint::default()
                })
            }
            (PrimKind::Shared, "set") => {
                let taint = args.first().map(Value::taint).unwrap_or_default();
                let reads = || taint.shared.iter().filter(|r| r.shared == prim);
                // Guards held across every read the value comes from, and the write.
                let rmw = reads().next().map(|first| Rmw {
                    guards: first
                        .held
                        .iter()
                        .copied()
                        .filter(|g| {
                            self.walk.held.contains(g) && reads().all(|r| r.held.contains(g))
                        })
                        .collect(),
                    read: first.at,
                });
                self.emit_op(Op::SharedSet { shared: prim, rmw }, span)
            }
            (_, "clone" | "as_ref" | "borrow") => Value::Prim(prim),
            _ => Value::Unknown,
        }
    }

    /// A `RwLock`'s acquisitions: `write` alone, `read` beside other readers. parking_lot's
    /// `upgradable_read` excludes writers and other upgradable readers but not readers: it is
    /// taken as a read.
    fn rwlock_method(&mut self, prim: PrimId, api: Api, method: &str, span: Span) -> Value<'a> {
        let shared = Access::Shared { recursive: false };
        let (blocking, access) = match method {
            "write" => (true, Access::Exclusive),
            "try_write" | "try_write_for" | "try_write_until" => (false, Access::Exclusive),
            "read" | "upgradable_read" => (true, shared),
            "read_recursive" if api == Api::ParkingLot => {
                (true, Access::Shared { recursive: true })
            }
            "try_read" | "try_read_for" | "try_read_until" | "try_upgradable_read" => {
                (false, shared)
            }
            "clone" => return Value::Prim(prim),
            _ => return Value::Unknown,
        };
        self.acquire(prim, blocking, access, span)
    }

    fn emit_op(&mut self, op: Op, span: Span) -> Value<'a> {
        self.emit(op, span);
        Value::Unknown
    }

    fn queue_method(
        &mut self,
        queue: PrimId,
        method: &str,
        args: Vec<Value<'a>>,
        span: Span,
    ) -> Value<'a> {
        let bounded = self.model.prim(queue).bounded;
        let op = match method {
            "put" => Op::Put {
                queue,
                blocking: bounded,
            },
            "try_put" | "put_timeout" => Op::Put {
                queue,
                blocking: false,
            },
            "get" => Op::Get {
                queue,
                blocking: true,
            },
            "try_get" | "get_timeout" => Op::Get {
                queue,
                blocking: false,
            },
            "task_done" => Op::TaskDone { queue },
            "join" if self.model.prim(queue).kind == PrimKind::JoinableQueue => {
                Op::QueueJoin { queue }
            }
            "clone" => return Value::Prim(queue),
            _ => return Value::Unknown,
        };
        if matches!(op, Op::Put { .. }) {
            // What goes through a queue leaves this thread: join handles sent away are kept.
            args.iter().for_each(|a| self.mark_kept(a));
            if let Some(message) = args.first() {
                let bag = self.messages_of(queue);
                self.bag_add(bag, message.clone());
            }
        }
        let received = matches!(op, Op::Get { .. });
        self.emit(op, span);
        if received {
            return self.message_of(queue);
        }
        Value::Unknown
    }

    /// The queue whose messages an operation on `queue` puts or takes: an element of a family
    /// of channels (`inboxes[group]`) is one of the channels the family's first stands for.
    fn messages_key(&self, queue: PrimId) -> PrimId {
        self.model
            .prim(queue)
            .element
            .map_or(queue, |(family, _)| family)
    }

    /// The collection of the messages put in `queue`.
    fn messages_of(&mut self, queue: PrimId) -> BagId {
        let queue = self.messages_key(queue);
        if let Some(&bag) = self.store.messages.get(&queue) {
            return bag;
        }
        let Value::Bag(bag) = self.new_bag(None) else {
            unreachable!("a new collection is a bag")
        };
        self.store.messages.insert(queue, bag);
        bag
    }

    /// A message received from `queue`: one of those put in it so far (a walk before this one
    /// put them), or nothing known.
    pub(super) fn message_of(&self, queue: PrimId) -> Value<'a> {
        let message = self
            .store
            .messages
            .get(&self.messages_key(queue))
            .map(|&bag| self.bag_content(bag));
        if message
            .as_ref()
            .is_none_or(|m| !m.is_followed() || self.is_opaque(m))
        {
            self.nothing_sent_yet();
        }
        message.unwrap_or(Value::Unknown)
    }

    fn pool_method(
        &mut self,
        pool: PrimId,
        method: &str,
        args: Vec<Value<'a>>,
        span: Span,
    ) -> Value<'a> {
        match method {
            "close" | "terminate" => self.emit_op(Op::PoolClose { pool }, span),
            "join" => self.emit_op(Op::PoolJoin { pool }, span),
            "map" | "imap" | "imap_unordered" | "apply" | "apply_async" => {
                let mut args = args.into_iter();
                let Some(target) = args.next().and_then(|f| f.callables().into_iter().next())
                else {
                    return Value::Unknown;
                };
                let per_item = method != "apply" && method != "apply_async";
                let (param, instances, var) = if per_item {
                    match args.next().unwrap_or_default() {
                        Value::Range(start, end) => {
                            let (element, var, count) = self.range_element("item", start, end);
                            (element, Instances::Many(count), Some(var))
                        }
                        items => (self.element_of(&items), Instances::Many(None), None),
                    }
                } else {
                    (Value::Unknown, Instances::One, None)
                };
                // One worker runs the tasks one after another.
                let instances = if self.model.prim(pool).capacity == Some(1) {
                    Instances::One
                } else {
                    instances
                };
                let builder = Builder {
                    target,
                    name: None,
                    arg: None,
                };
                let Some(task) =
                    self.spawn_template(&builder, vec![param], &span, true, Some(instances), var)
                else {
                    return Value::Unknown;
                };
                self.model.templates[task.0 as usize].handle_kept = true;
                let sync = matches!(method, "map" | "apply");
                self.emit(Op::Submit { pool, task, sync }, span);
                if method == "apply_async" {
                    Value::AsyncResult(task)
                } else {
                    self.new_bag(None)
                }
            }
            "clone" => Value::Prim(pool),
            _ => Value::Unknown,
        }
    }

    /// A primitive made by a constructor call: its literal capacity (barrier parties, queue
    /// bound…), and for a lock, what it protects.
    pub(super) fn construct(
        &mut self,
        (kind, api): (PrimKind, Api),
        args: Vec<Value<'a>>,
        bounded: bool,
        span: &Span,
    ) -> Value<'a> {
        let capacity = match args.first() {
            Some(Value::Int(n)) => Some(*n),
            _ => None,
        };
        let prim = self.new_prim((kind, api), span, capacity, bounded);
        if let (PrimKind::Lock | PrimKind::RLock | PrimKind::RwLock, Some(content)) =
            (kind, args.first())
        {
            // (A primitive too: `Mutex<Receiver<T>>`, `Mutex<Sender<T>>` share a channel's end.)
            if matches!(
                content,
                Value::Obj(..) | Value::Bag(_) | Value::Dyn(_) | Value::Threads(_) | Value::Prim(_)
            ) {
                self.store.contents.insert(prim, content.clone());
            }
            // A handle kept inside a lock is joined through it, maybe by code reached
            // another way: it leaves the model's sight as a handle stored in a field does.
            self.mark_kept(content);
        }
        Value::Prim(prim)
    }

    /// A primitive's method called by path, its receiver first (`Lock::acquire(&A)`,
    /// `Mutex::lock(&m)`).
    pub(super) fn method_by_path(
        &mut self,
        kind: PrimKind,
        method: &str,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        let mut args = args.into_iter();
        match args.next() {
            Some(Value::Prim(prim)) if self.model.prim(prim).kind == kind => {
                self.prim_method(prim, method, args.collect(), span)
            }
            _ => Value::Unknown,
        }
    }

    /// Calls of racecheck paths: the constructors of the primitives, and methods called by path
    /// (`Lock::acquire(&A)`, `JoinHandle::join(t)`).
    pub(super) fn racecheck_call(
        &mut self,
        item: RacecheckItem,
        assoc: Option<&str>,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match (item, assoc) {
            (RacecheckItem::Prim(kind), Some("new" | "bounded" | "default")) => {
                let bounded = assoc == Some("bounded");
                self.construct((kind, Api::Racecheck), args, bounded, span)
            }
            (RacecheckItem::Pipe, Some("new")) => {
                let end = (PrimKind::Connection, Api::Racecheck);
                let a = self.new_prim(end, span, None, false);
                let b = self.new_prim(end, span, None, false);
                self.model.prims[a.0 as usize].peer = Some(b);
                self.model.prims[b.0 as usize].peer = Some(a);
                Value::Tuple(Rc::from(vec![Value::Prim(a), Value::Prim(b)]))
            }
            // Methods called by path (`Lock::acquire(&A)`, `JoinHandle::join(t)`).
            (RacecheckItem::Prim(kind), Some(method)) => {
                self.method_by_path(kind, method, args, span)
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
                    .map(|target| Builder {
                        target,
                        name: None,
                        arg: None,
                    })
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
}
