//! The abstract values the model tracks through bindings, fields, arguments and returns.
use super::{IdRank, IndexKey, PrimId, TemplateId};
use crate::frontend::index::{FnId, ModId, StructId};
use std::rc::Rc;

/// A guard: one acquisition of a lock.
pub(crate) type GuardId = u32;

/// One object of a crate struct, as far as the model tells objects apart: each struct literal
/// or constructor call walked makes a new one. [`ANY_OBJECT`] stands for any object of its type
/// (what a collection holds, what two branches may leave in one binding).
pub(crate) type ObjectId = u32;
pub(crate) const ANY_OBJECT: ObjectId = 0;

/// A growable collection (`Vec`, array, map, iterator): the model keeps what one element is.
pub(crate) type BagId = u32;

/// Where data came from, for the read-modify-write rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Taint {
    /// `Shared::get` of these, each with the guards held at the read.
    pub shared: Vec<SharedRead>,
    /// Read through these guards.
    pub guard_reads: Vec<GuardRead>,
    /// `load`s of atomics this derives from.
    pub atomics: Vec<AtomicRead>,
    /// The value went through a computation (arithmetic, a method): not just a copy of a read.
    pub computed: bool,
    /// The value is a place inside this guard's data (an element a lookup such as `get_mut`
    /// returned): a write through it is a write through the guard. Lost by any combination.
    pub place_in: Option<GuardId>,
    /// The key of the map element it is a place of (`get(&id)`), when the code names one.
    pub place_key: Option<MapKey>,
}

/// A map's key as the code names it: a binding, in the outermost frame it was passed down from
/// as an argument (`raise_cap(id)` calling `cap(id)` and `set_cap(id, …)`: both are the
/// caller's `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MapKey {
    /// The frame the binding is in (see `Frame::id`).
    pub frame: u32,
    pub name: Rc<str>,
    /// Which binding of the name it is: each `let` of it, or assignment to it, makes another
    /// (`let id = a; … let id = b;` names two keys).
    pub binding: u32,
}

/// A read through a guard: of the whole data, or of one field of it (`state.requested`), so that
/// writing another field (`state.completed`) is not a write-back of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuardRead {
    pub lock: PrimId,
    pub guard: GuardId,
    pub field: Option<Rc<str>>,
    /// The map element read (`get(&id)`), when the code names its key.
    pub key: Option<MapKey>,
}

impl GuardRead {
    /// Whether writing `field` (or the whole data, `None`) under another guard of the lock
    /// writes back what this read.
    /// A write of a map's element by key (`insert(id, …)`, `key`) writes back only a read of the
    /// element of that same key.
    pub(crate) fn is_overwritten_by(
        &self,
        lock: PrimId,
        guard: GuardId,
        field: Option<&str>,
        key: Option<&MapKey>,
    ) -> bool {
        self.lock == lock
            && self.guard != guard
            && match (&self.field, field) {
                (Some(read), Some(written)) => &**read == written,
                _ => true,
            }
            && key.is_none_or(|key| self.key.as_ref() == Some(key))
    }
}

/// A `Shared::get`: of which, the guards held at it, and the event (template, index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SharedRead {
    pub shared: PrimId,
    pub held: Rc<[GuardId]>,
    pub at: (TemplateId, usize),
}

/// A std atomic `load`, and what surrounded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AtomicRead {
    /// The atomic, by how the receiver is written (`self.count`, `HITS`).
    pub atomic: Rc<str>,
    /// Atomic read-modify-writes (`compare_exchange`, `fetch_*`, `swap`) seen before the load:
    /// one after it means the update is coordinated another way.
    pub rmw_before: u32,
    /// Guards held at the load.
    pub held: Rc<[GuardId]>,
}

impl Taint {
    pub(crate) fn union(&self, other: &Taint) -> Taint {
        let mut out = self.clone();
        for s in &other.shared {
            if !out.shared.contains(s) {
                out.shared.push(s.clone());
            }
        }
        for g in &other.guard_reads {
            if !out.guard_reads.contains(g) {
                out.guard_reads.push(g.clone());
            }
        }
        for a in &other.atomics {
            if !out.atomics.contains(a) {
                out.atomics.push(a.clone());
            }
        }
        out.computed |= other.computed;
        out.place_in = None;
        out.place_key = None;
        out
    }

    /// The same origins, marked as computed from them.
    pub(crate) fn computed(mut self) -> Taint {
        self.computed = true;
        self.place_in = None;
        self.place_key = None;
        self
    }

    /// The same origins, for one field read out of them: what was read whole through a guard
    /// (`let s = *g;`) is, of `s.requested`, a read of that field.
    pub(crate) fn of_field(mut self, field: &str) -> Taint {
        for read in &mut self.guard_reads {
            if read.field.is_none() {
                read.field = Some(Rc::from(field));
            }
        }
        self
    }

    /// The same origins, as a value read out of a place rather than the place.
    pub(crate) fn read_out(mut self) -> Taint {
        self.place_in = None;
        self.place_key = None;
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.shared.is_empty()
            && self.guard_reads.is_empty()
            && self.atomics.is_empty()
            && self.place_in.is_none()
    }
}

/// Where code runs: the module its paths resolve in, its file, and its `Self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub module: ModId,
    pub file: usize,
    pub self_ty: Option<StructId>,
}

/// Something that can be called.
#[derive(Debug, Clone)]
pub(crate) enum Callable<'a> {
    Closure {
        expr: &'a syn::ExprClosure,
        env: Rc<super::env::Scope<'a>>,
        place: Place,
    },
    Fn(FnId),
}

/// A `Thread::new(target)` or `Process::new(target)` not started yet.
#[derive(Debug, Clone)]
pub(crate) struct Builder<'a> {
    pub target: Callable<'a>,
    pub name: Option<Rc<str>>,
    /// A process's `.args(..)`: the one value its target is called with.
    pub arg: Option<Value<'a>>,
}

/// What starts threads through its methods.
#[derive(Debug, Clone)]
pub(crate) enum Spawner {
    /// A `std::thread::Builder`, with the name given to it.
    Builder(Option<Rc<str>>),
    /// A thread scope (`std::thread::scope`, `rayon::scope`): the threads spawned on it are
    /// joined at its end. The index of its list of threads in the store.
    Scope(u32),
}

#[derive(Debug, Clone, Default)]
pub(crate) enum Value<'a> {
    #[default]
    Unknown,
    Prim(PrimId),
    /// One of several channels (the reply channels of several requests, kept in one collection
    /// or sent over one channel): a send or receive on it is one on each, as alternatives.
    Prims(Rc<[PrimId]>),
    Bag(BagId),
    Obj(StructId, ObjectId),
    /// A trait object: any implementor of the trait (by name).
    Dyn(Rc<str>),
    Guard(GuardId),
    /// One of several guards (a binding given a guard by each of two branches): it owns them
    /// all.
    Guards(Rc<[GuardId]>),
    /// Join handles (one, or a collection's worth).
    Threads(Rc<[TemplateId]>),
    Builders(Rc<[Builder<'a>]>),
    Spawner(Spawner),
    AsyncResult(TemplateId),
    Callable(Callable<'a>),
    /// One of several callables (a collection of functions, a binding set in two branches).
    Callables(Rc<[Callable<'a>]>),
    Int(i64),
    Index(IndexKey),
    /// `start..end`.
    Range(Option<i64>, Option<i64>),
    Str(Rc<str>),
    Data(Rc<Taint>),
    Tuple(Rc<[Value<'a>]>),
    /// One element of a collection of an enum's values whose variants carried followed values
    /// of different shapes (an order object, reply channels): one value per shape, of which a
    /// variant's pattern takes the one it carried.
    Variants(Rc<[Value<'a>]>),
}

impl<'a> Value<'a> {
    pub(crate) fn data(taint: Taint) -> Self {
        if taint.is_empty() {
            Value::Unknown
        } else {
            Value::Data(Rc::new(taint))
        }
    }

    /// Whether the model follows what this value is (a primitive, an object, a collection, a
    /// trait object, handles, callables): an enum variant carrying it carries it on, a lock
    /// protecting it is followed through.
    pub(crate) fn is_followed(&self) -> bool {
        matches!(
            self,
            Value::Prim(_)
                | Value::Prims(_)
                | Value::Variants(_)
                | Value::Obj(..)
                | Value::Bag(_)
                | Value::Dyn(_)
                | Value::Threads(_)
                | Value::Callable(_)
                | Value::Callables(_)
        )
    }

    /// The guard whose data this value is a place in (see [`Taint::place_in`]).
    pub(crate) fn place_in(&self) -> Option<GuardId> {
        match self {
            Value::Data(t) => t.place_in,
            _ => None,
        }
    }

    pub(crate) fn taint(&self) -> Taint {
        match self {
            Value::Data(t) => (**t).clone(),
            Value::Tuple(items) | Value::Variants(items) => items
                .iter()
                .fold(Taint::default(), |acc, v| acc.union(&v.taint())),
            _ => Taint::default(),
        }
    }

    /// The guards this value owns (moving it moves them).
    pub(crate) fn guards(&self, out: &mut Vec<GuardId>) {
        match self {
            Value::Guard(g) => out.push(*g),
            Value::Guards(gs) => out.extend(gs.iter().copied()),
            Value::Tuple(items) => items.iter().for_each(|v| v.guards(out)),
            _ => {}
        }
    }

    /// The objects (told apart from any other) a value is, itself or as a tuple's items.
    pub(crate) fn objects(&self, out: &mut Vec<ObjectId>) {
        match self {
            Value::Obj(_, o) if *o != ANY_OBJECT => out.push(*o),
            Value::Tuple(items) => items.iter().for_each(|v| v.objects(out)),
            _ => {}
        }
    }

    /// The primitives a value is, itself or as a tuple's items.
    pub(crate) fn prims(&self, out: &mut Vec<PrimId>) {
        match self {
            Value::Prim(p) => out.push(*p),
            Value::Prims(ps) => out.extend(ps.iter().copied()),
            Value::Tuple(items) | Value::Variants(items) => items.iter().for_each(|v| v.prims(out)),
            _ => {}
        }
    }

    /// What calling this value may run.
    pub(crate) fn callables(&self) -> Vec<Callable<'a>> {
        match self {
            Value::Callable(c) => vec![c.clone()],
            Value::Callables(cs) => cs.to_vec(),
            _ => Vec::new(),
        }
    }

    /// The same value, with the objects in it standing for any object of their type: what one
    /// element of a collection is. An index made from a loop variable (`i % n`) is, once
    /// stored, a run-time id: read back elsewhere, that loop is not running.
    pub(crate) fn merged_objects(self) -> Value<'a> {
        match self {
            Value::Obj(s, _) => Value::Obj(s, ANY_OBJECT),
            Value::Index(IndexKey::Rotated { .. }) => Value::Index(IndexKey::Id(IdRank::Any)),
            Value::Tuple(items) => {
                Value::Tuple(items.iter().map(|v| v.clone().merged_objects()).collect())
            }
            Value::Variants(items) => {
                Value::Variants(items.iter().map(|v| v.clone().merged_objects()).collect())
            }
            v => v,
        }
    }

    /// Whether an object is (in) this value.
    pub(crate) fn holds_object(&self) -> bool {
        match self {
            Value::Obj(..) => true,
            Value::Tuple(items) | Value::Variants(items) => items.iter().any(Value::holds_object),
            _ => false,
        }
    }

    /// Join handles this value holds.
    pub(crate) fn threads(&self, out: &mut Vec<TemplateId>) {
        match self {
            Value::Threads(ts) => out.extend(ts.iter().copied()),
            Value::AsyncResult(t) => out.push(*t),
            Value::Tuple(items) | Value::Variants(items) => {
                items.iter().for_each(|v| v.threads(out))
            }
            _ => {}
        }
    }

    /// What two paths of control may leave in one place: the common part, or nothing known.
    pub(crate) fn join(&self, other: &Value<'a>) -> Value<'a> {
        match (self, other) {
            (Value::Unknown, x) | (x, Value::Unknown) if !matches!(x, Value::Guard(_)) => {
                if matches!(x, Value::Data(_) | Value::Threads(_) | Value::Builders(_)) {
                    x.clone()
                } else {
                    Value::Unknown
                }
            }
            (Value::Prim(a), Value::Prim(b)) if a == b => self.clone(),
            (Value::Prims(a), Value::Prims(b)) if a == b => self.clone(),
            (Value::Guard(a), Value::Guard(b)) if a == b => self.clone(),
            (Value::Guard(_) | Value::Guards(_), Value::Guard(_) | Value::Guards(_)) => {
                let mut guards = Vec::new();
                self.guards(&mut guards);
                other.guards(&mut guards);
                guards.dedup();
                Value::Guards(guards.into())
            }
            // A trait object and an object: any implementor (the object's type among them).
            (Value::Dyn(a), Value::Dyn(b)) if a == b => self.clone(),
            (Value::Dyn(_), Value::Obj(..)) => self.clone(),
            (Value::Obj(..), Value::Dyn(_)) => other.clone(),
            (Value::Bag(a), Value::Bag(b)) if a == b => self.clone(),
            (Value::Obj(a, x), Value::Obj(b, y)) if a == b => {
                Value::Obj(*a, if x == y { *x } else { ANY_OBJECT })
            }
            (Value::Int(a), Value::Int(b)) if a == b => self.clone(),
            (Value::Index(a), Value::Index(b)) if a == b => self.clone(),
            (Value::Threads(a), Value::Threads(b)) => {
                let mut all: Vec<TemplateId> = a.to_vec();
                all.extend(b.iter().filter(|t| !a.contains(t)));
                Value::Threads(all.into())
            }
            (Value::Builders(a), Value::Builders(b)) => {
                Value::Builders(a.iter().chain(b.iter()).cloned().collect())
            }
            (Value::Data(a), Value::Data(b)) => Value::data(a.union(b)),
            (Value::Callable(Callable::Fn(a)), Value::Callable(Callable::Fn(b))) if a == b => {
                self.clone()
            }
            (
                Value::Callable(_) | Value::Callables(_),
                Value::Callable(_) | Value::Callables(_),
            ) => Value::Callables(
                self.callables()
                    .into_iter()
                    .chain(other.callables())
                    .collect(),
            ),
            (Value::Tuple(a), Value::Tuple(b)) if a.len() == b.len() => {
                Value::Tuple(a.iter().zip(b.iter()).map(|(x, y)| x.join(y)).collect())
            }
            _ => Value::data(self.taint().union(&other.taint())),
        }
    }
}
