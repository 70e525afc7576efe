//! The concurrency model of a crate: its primitives, and per thread template (main, each spawn
//! site, each pool task) the ordered synchronization operations it performs, each with its span
//! and the locks held at that point.
//!
//! The model is built by abstract interpretation ([`interp`]): starting from each root (`main`,
//! tests), function bodies are walked in program order, calls are followed into their callees
//! with arguments bound to parameters, and every spawn or pool task becomes a template of its own.
use crate::diagnostic::Span;
use crate::frontend::macro_rules::ExpansionCut;
pub(crate) use crate::frontend::resolve::PrimKind;
pub(crate) use crate::frontend::sync_items::Api;

mod env;
pub(crate) mod guard_uses;
pub(crate) mod interp;
pub(crate) mod syntax;
mod types;
mod value;

/// A primitive of the program: a static, a struct field, a binding's constructor, or one element
/// of an indexed family of those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PrimId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TemplateId(pub u32);

/// A loop variable (`for i in 0..n`), the name thread instances of a loop are told apart by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct VarId(pub u32);

/// An index into a family of primitives, as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IndexKey {
    Const(i64),
    /// `var + offset`, taken modulo the family's length when `wraps`.
    Rotated {
        var: VarId,
        offset: i64,
        wraps: bool,
    },
    /// A value known only at run time (an account id, a key's hash): some element, maybe
    /// another one at each acquisition. `rank` tells the two ends of an ordered pair apart.
    Id(IdRank),
    Unknown,
}

/// Where a run-time index stands in a pair ordered by value (`min(a, b)`, `max(a, b)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IdRank {
    /// Not ordered against another id.
    Any,
    /// The lower of two ids.
    Low,
    /// The higher of two ids.
    High,
}

#[derive(Debug, Clone)]
pub(crate) struct PrimInfo {
    pub kind: PrimKind,
    /// Whose type it is (racecheck's, std's, parking_lot's, crossbeam's).
    pub api: Api,
    /// How the program names it (`A`, `Bank.a`, `forks[i]`).
    pub name: String,
    /// For an element of a family: the family and the index.
    pub element: Option<(PrimId, IndexKey)>,
    /// Barrier parties, queue bound, pool workers, semaphore permits, when a literal says.
    pub capacity: Option<i64>,
    /// A bounded queue.
    pub bounded: bool,
    /// The other end of a pipe.
    pub peer: Option<PrimId>,
    /// A field of any object of a struct (see `value::ANY_OBJECT`): it may stand for the fields
    /// of several objects, so two acquisitions of it may be of two locks.
    pub several: bool,
}

impl PrimInfo {
    /// How diagnostics name its type (`Mutex`, `Lock`).
    pub(crate) fn type_name(&self) -> &'static str {
        crate::frontend::sync_items::type_name(self.kind, self.api)
    }

    /// An element whose index the model could not follow: it may be any element, so the lock
    /// order and double-acquire rules leave it alone.
    pub(crate) fn is_unknown_element(&self) -> bool {
        matches!(self.element, Some((_, IndexKey::Unknown)))
    }

    /// An element taken by an id known only at run time: two threads holding it may hold two
    /// different elements.
    pub(crate) fn is_element_by_id(&self) -> bool {
        matches!(self.element, Some((_, IndexKey::Id(_))))
    }
}

/// How many threads run a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Instances {
    One,
    /// Spawned in a loop (or by a template that itself runs many times): the count, when known.
    Many(Option<u64>),
}

impl Instances {
    pub(crate) fn times(self, other: Instances) -> Instances {
        match (self, other) {
            (Instances::One, x) | (x, Instances::One) => x,
            (Instances::Many(a), Instances::Many(b)) => {
                Instances::Many(a.zip(b).and_then(|(a, b)| a.checked_mul(b)))
            }
        }
    }

    pub(crate) fn count(self) -> Option<u64> {
        match self {
            Instances::One => Some(1),
            Instances::Many(n) => n,
        }
    }

    pub(crate) fn is_many(self) -> bool {
        !matches!(self, Instances::One) && self.count() != Some(1)
    }
}

/// Where a template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// `main` or a test: a program of its own.
    Root,
    /// Started by the event `event` of template `parent`.
    Spawned { parent: TemplateId, event: usize },
}

#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub name: String,
    /// The name was given (`.name(…)`, the function run, a binding), not made up.
    pub named: bool,
    /// The root this template belongs to; templates of different roots never run together.
    pub world: u32,
    pub origin: Origin,
    pub instances: Instances,
    /// The loop variable telling its instances apart (`for i in 0..n { spawn(move || … i …) }`).
    pub instance_var: Option<VarId>,
    /// Each instance has a value of `instance_var` of its own (the variable's loop alone makes
    /// the instances: not nested in another loop that spawns again).
    pub instance_var_unique: bool,
    /// The spawn expression (or pool submission) that creates it.
    pub spawn_span: Option<Span>,
    /// A pool task rather than a thread.
    pub pool_task: bool,
    pub events: Vec<Event>,
    /// Event index ranges `(first, last)` of loop bodies, for the loop-back edges of the
    /// happens-before graph.
    pub loops: Vec<(usize, usize)>,
    /// Blocking waits under a branch inside a loop that a `?` after them leaves before the loop
    /// comes round (event index, the `?`): the predicate checked before waiting is not checked
    /// again on that path (see `Event::in_predicate_loop`).
    pub unchecked_waits: Vec<(usize, Span)>,
    /// Someone joins its handle, or the handle leaves the model's sight (returned, stored,
    /// passed to code the model does not follow).
    pub handle_kept: bool,
}

/// A lock held when an event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    pub lock: PrimId,
    /// The acquisition holding it (two holds of an `RLock` are two guards).
    pub guard: u32,
    /// Where it was acquired.
    pub span: Span,
    /// The index of the acquisition among the events of the holding template.
    pub event: usize,
}

/// A call walked (followed into its callee), as a node of a tree: its caller's call is its
/// parent. The chain from a node up to the root is the call-site stack an event ran under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CallId(pub u32);

#[derive(Debug, Clone)]
pub(crate) struct CallSite {
    /// The call this one was made in, if it was made in a call too.
    pub parent: Option<CallId>,
    /// The call expression (for an implicit `drop`, where its object is let go).
    pub span: Span,
    /// An implicit `drop` rather than a call written in the code.
    pub dropping: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub op: Op,
    pub span: Span,
    /// The innermost call the event ran in, within its template's walk (`None`: in the code the
    /// template starts with).
    pub call: Option<CallId>,
    /// Locks held, in acquisition order.
    pub held: Vec<Held>,
    /// Inside a `while` or `loop` of this template.
    pub in_predicate_loop: bool,
    /// Inside an arm of an `if` of this template (after a check).
    pub in_if: bool,
    /// A `task_done`, `set` or `notify` that some path skips: a `return` (or, for `task_done`,
    /// a `continue` of its loop) leaves before it, without having done it.
    pub skipped: bool,
    /// Made on one of several channels (`Value::Prims`): it may be this one's, so it can end a
    /// wait on it, but it orders nothing (no hand-off edge of the happens-before graph).
    pub alternative: bool,
    /// The arms of `if`s and `match`es it is in, outermost first, as (branch, arm) numbers of
    /// its template's walk: two events in different arms of one branch are alternatives, not
    /// one after the other (see `graph::happens_before`).
    pub arms: ArmPath,
    /// An acquisition of an element of a family taken by a run-time index (which stands for
    /// several) by the same index as a held guard of that element (`shards[idx]` locked by a
    /// callee given the caller's `idx`): the same element, whatever the index is.
    pub same_element: bool,
    /// An acquisition whose guard is only read through (a getter's copy, a binding only read:
    /// see [`guard_uses`]): it cannot change the lock's data.
    pub only_read: bool,
}

/// Where an event is among the alternatives of its template (see [`Event::arms`]).
pub(crate) type ArmPath = std::rc::Rc<[(u32, u32)]>;

/// A synchronization operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// `acquire` (blocking) or `try_acquire`/`acquire_timeout` (not) of a `Lock` or `RLock`,
    /// or a `RwLock`'s `write` or `read`.
    Acquire {
        lock: PrimId,
        blocking: bool,
        access: Access,
    },
    Spawn {
        child: TemplateId,
    },
    /// Waits for the end of these templates (a `JoinHandle::join`, an `AsyncResult::get`).
    Join {
        threads: Vec<TemplateId>,
    },
    /// Hands tasks to a pool; `sync` for `map`/`apply`, which return after the tasks end.
    Submit {
        pool: PrimId,
        task: TemplateId,
        sync: bool,
    },
    PoolClose {
        pool: PrimId,
    },
    PoolJoin {
        pool: PrimId,
    },
    Put {
        queue: PrimId,
        blocking: bool,
    },
    Get {
        queue: PrimId,
        blocking: bool,
    },
    TaskDone {
        queue: PrimId,
    },
    QueueJoin {
        queue: PrimId,
    },
    Set {
        event: PrimId,
    },
    /// `Event::clear`; `consumes`: right after the thread saw the event set (`is_set()` or
    /// `wait()` in the statement before, or in the condition of the `if` it opens), taking the
    /// signal before acting on it; `checked_under`: the locks held exclusively from the
    /// condition of the innermost `if` it is in to the clear, which that condition read through
    /// (`if p.is_empty() { e.clear() }` under `p`'s guard), no wait on them between.
    Clear {
        event: PrimId,
        consumes: bool,
        checked_under: Vec<PrimId>,
    },
    /// `Event::wait` (blocking) or `wait_timeout` (not).
    Wait {
        event: PrimId,
        blocking: bool,
    },
    /// `Condition::wait`; `released`: the lock of the guard it gives up while waiting;
    /// `looped`: `wait_while`, which carries its own predicate loop.
    CondWait {
        condition: PrimId,
        released: Option<PrimId>,
        blocking: bool,
        looped: bool,
    },
    Notify {
        condition: PrimId,
    },
    BarrierWait {
        barrier: PrimId,
    },
    SemAcquire {
        semaphore: PrimId,
        blocking: bool,
    },
    SemRelease {
        semaphore: PrimId,
    },
    Send {
        end: PrimId,
    },
    Recv {
        end: PrimId,
    },
    /// A pipe end dropped: its peer's `recv` returns `Err(Disconnected)` from then on. Also a
    /// std or crossbeam channel's end dropped where the thread owning it ends (`end` is the
    /// channel): a receive may return because of it once every sender is gone.
    Disconnect {
        end: PrimId,
    },
    SharedGet {
        shared: PrimId,
    },
    /// `Shared::set`; `rmw`: the value written derives from a `get` of the same `Shared`.
    SharedSet {
        shared: PrimId,
        rmw: Option<Rmw>,
    },
    /// A std atomic `store` of a value derived from a `load` of the same atomic.
    AtomicSplitStore {
        atomic: String,
    },
    /// A write through a guard of `lock` of a value read under an earlier guard of it.
    StaleWriteBack {
        lock: PrimId,
    },
}

/// How an acquisition holds its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Alone: a `Lock`'s `acquire`, a `RwLock`'s `write`.
    Exclusive,
    /// Beside other readers: a `RwLock`'s `read`. `recursive`: it never waits behind a queued
    /// writer (parking_lot's `read_recursive`), so a thread that already reads may read again.
    Shared { recursive: bool },
}

impl Access {
    /// Whether two holds of one lock, in these accesses, exclude each other.
    pub(crate) fn excludes(self, other: Access) -> bool {
        self == Access::Exclusive || other == Access::Exclusive
    }
}

/// What a read-modify-write of a `Shared` read: the guards held across both the `get` and the
/// `set`, and the `get` (the event of the walk that made it; a value handed to a thread may
/// carry a read of its parent's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rmw {
    pub guards: Vec<u32>,
    pub read: (TemplateId, usize),
}

impl Op {
    /// The primitive the operation acts on (the pool for submissions, the guarded lock for a
    /// write-back), if any.
    pub(crate) fn prim(&self) -> Option<PrimId> {
        Some(match *self {
            Op::Acquire { lock, .. } | Op::StaleWriteBack { lock } => lock,
            Op::Submit { pool, .. } | Op::PoolClose { pool } | Op::PoolJoin { pool } => pool,
            Op::Put { queue, .. }
            | Op::Get { queue, .. }
            | Op::TaskDone { queue }
            | Op::QueueJoin { queue } => queue,
            Op::Set { event } | Op::Clear { event, .. } | Op::Wait { event, .. } => event,
            Op::CondWait { condition, .. } | Op::Notify { condition } => condition,
            Op::BarrierWait { barrier } => barrier,
            Op::SemAcquire { semaphore, .. } | Op::SemRelease { semaphore } => semaphore,
            Op::Send { end } | Op::Recv { end } | Op::Disconnect { end } => end,
            Op::SharedGet { shared } | Op::SharedSet { shared, .. } => shared,
            Op::Spawn { .. } | Op::Join { .. } | Op::AtomicSplitStore { .. } => return None,
        })
    }
}

/// The model of one crate.
#[derive(Debug, Default)]
pub(crate) struct Model {
    pub prims: Vec<PrimInfo>,
    pub templates: Vec<Template>,
    /// The bounds that cut the walk short, each once, in the order reached. When any did,
    /// rules that report an absence (of a `close`, a `task_done`, a `set`, a `join`) stay quiet.
    pub cuts: Vec<Cut>,
    /// Methods that matter to those rules, called on receivers the model does not know: one of
    /// them might be the missing operation.
    pub unknown_receiver_calls: Vec<&'static str>,
    /// The calls events ran in (see [`Event::call`]).
    pub calls: Vec<CallSite>,
    /// The world of the crate's `main`, a whole program: every thread of it is in the model
    /// (a library's functions and tests have callers the model does not see).
    pub main_world: Option<u32>,
}

/// A bound on the model's work that cut its walk short (see `interp::budget`), or on the
/// expansion of the crate's macros before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The crate's steps (expressions and statements walked), a budget that grows with its size.
    Steps(u64),
    /// A thread's walk took its share of the crate's steps left (the threads after it got the
    /// rest).
    TemplateSteps,
    /// Events of one thread template.
    Events(usize),
    /// Locks recorded as held at the crate's events, all together.
    Held(usize),
    /// Thread templates of the crate.
    Templates(usize),
    /// Calls nested this deep are not followed.
    CallDepth(usize),
    /// Expressions nested this deep, counting through calls, are not walked.
    Nesting(usize),
    /// Invocations of the crate's macros left unexpanded.
    Expansion(ExpansionCut),
    /// D001 examined this many lock-order cycles (or searched as long as it may), shortest
    /// first; the model itself is whole.
    Cycles(usize),
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cut::Steps(n) => write!(f, "the walk reached its budget of {n} steps"),
            Cut::TemplateSteps => write!(
                f,
                "a thread's walk reached its share of the crate's steps, three quarters of \
                 those left"
            ),
            Cut::Events(n) => write!(f, "a thread reached the limit of {n} operations"),
            Cut::Held(n) => write!(
                f,
                "the crate's operations reached the limit of {n} locks held at them, all together"
            ),
            Cut::Templates(n) => write!(f, "the crate reached the limit of {n} threads"),
            Cut::CallDepth(n) => write!(f, "calls nested deeper than {n} were not followed"),
            Cut::Nesting(n) => write!(
                f,
                "expressions nested deeper than {n}, counting through calls, were not walked"
            ),
            Cut::Expansion(cut) => cut.fmt(f),
            Cut::Cycles(n) => write!(
                f,
                "the search for lock-order cycles stopped at {n} cycles or its budget of steps, \
                 shortest first"
            ),
        }
    }
}

impl Model {
    /// Whether a bound cut the walk short.
    pub(crate) fn truncated(&self) -> bool {
        !self.cuts.is_empty()
    }

    pub(crate) fn prim(&self, id: PrimId) -> &PrimInfo {
        &self.prims[id.0 as usize]
    }

    /// Whether two locks may be one at run time: the same primitive, or two elements of one
    /// family not told apart (one taken by an id known only at run time, or the family taken
    /// whole, element after element). Elements of different constant indices are two locks, so
    /// are a constant one and one a loop indexes, and an element whose index was not followed
    /// is left alone, as the lock order does.
    pub(crate) fn may_be_same_lock(&self, a: PrimId, b: PrimId) -> bool {
        if a == b {
            return true;
        }
        match (self.prim(a).element, self.prim(b).element) {
            (Some((_, IndexKey::Unknown)), _) | (_, Some((_, IndexKey::Unknown))) => false,
            (Some((fa, IndexKey::Const(x))), Some((fb, IndexKey::Const(y)))) => fa == fb && x == y,
            // A loop's index ranges over what the loop says, which may leave a constant out
            // (`slots[0]` beside `slots[i]` for `i in 1..4`).
            (Some((_, IndexKey::Const(_))), Some((_, IndexKey::Rotated { .. })))
            | (Some((_, IndexKey::Rotated { .. })), Some((_, IndexKey::Const(_)))) => false,
            (Some((fa, _)), Some((fb, _))) => fa == fb,
            (None, Some((family, _))) => family == a,
            (Some((family, _)), None) => family == b,
            (None, None) => false,
        }
    }

    /// Whether `a` and `b`, taken by instances of `template`, are each instance's own element
    /// of one family: indexed alike by the loop variable that tells the instances apart
    /// (`slots[i]` in `for i in 0..n { spawn(move || … slots[i] …) }`), so that no two
    /// instances take the same one.
    /// An index taken modulo something (`k % 2`) may give two instances one element, and is not
    /// their own.
    pub(crate) fn own_elements(&self, template: TemplateId, a: PrimId, b: PrimId) -> bool {
        let t = self.template(template);
        match (self.prim(a).element, self.prim(b).element) {
            (
                Some((
                    family_a,
                    IndexKey::Rotated {
                        var,
                        offset,
                        wraps: false,
                    },
                )),
                Some((family_b, key_b)),
            ) => {
                family_a == family_b
                    && t.instance_var == Some(var)
                    && t.instance_var_unique
                    && key_b
                        == IndexKey::Rotated {
                            var,
                            offset,
                            wraps: false,
                        }
            }
            _ => false,
        }
    }

    pub(crate) fn template(&self, id: TemplateId) -> &Template {
        &self.templates[id.0 as usize]
    }

    pub(crate) fn template_ids(&self) -> impl Iterator<Item = TemplateId> {
        (0..self.templates.len() as u32).map(TemplateId)
    }

    /// Every event of the model with where it is.
    pub(crate) fn events(&self) -> impl Iterator<Item = (TemplateId, usize, &Event)> {
        self.templates.iter().enumerate().flat_map(|(t, tpl)| {
            tpl.events
                .iter()
                .enumerate()
                .map(move |(i, e)| (TemplateId(t as u32), i, e))
        })
    }

    /// The calls made from the code `outer` ran in down to the code `inner` ran in, outermost
    /// first: the calls of `inner`'s chain that are not in `outer`'s (for an acquisition `outer`
    /// and an operation `inner` made while its guard is held, the calls made while it is).
    pub(crate) fn calls_between(
        &self,
        outer: Option<CallId>,
        inner: Option<CallId>,
    ) -> Vec<&CallSite> {
        let chain =
            |from: Option<CallId>| std::iter::successors(from, |c| self.calls[c.0 as usize].parent);
        let shared: Vec<CallId> = chain(outer).collect();
        let mut calls: Vec<&CallSite> = chain(inner)
            .take_while(|c| !shared.contains(c))
            .map(|c| &self.calls[c.0 as usize])
            .collect();
        calls.reverse();
        calls
    }

    /// Whether a call of `method` on an unknown receiver might stand for the operation a rule
    /// is looking for.
    pub(crate) fn maybe_called_elsewhere(&self, method: &str) -> bool {
        self.unknown_receiver_calls.contains(&method)
    }
}
