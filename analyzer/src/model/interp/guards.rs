//! Guards: each acquisition of a lock is a guard, held until its owner releases it. Objects
//! whose type has a `Drop` impl are owned the same way, through a drop token (see `drops`).
use super::drops::Site;
use super::walk::{merge_going_on, push_new, Flow};
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::StructId;
use crate::model::types::{shape_in, Shape};
use crate::model::value::{BagId, GuardId, GuardRead, MapKey, ObjectId, Place, Taint, Value};
use crate::model::{Access, Op, PrimId};
use std::rc::Rc;

/// Methods that copy what they are called on.
const COPIES: &[&str] = &["clone", "to_owned", "to_vec", "cloned", "copied"];

/// Methods of a collection that hand back a place in it (an element), not a copy.
pub(super) const LOOKUPS: &[&str] = &[
    "get",
    "get_mut",
    "first",
    "first_mut",
    "last",
    "last_mut",
    "front",
    "front_mut",
    "back",
    "back_mut",
];

/// Methods that hand on a place in a guard's data as the same place (the `Option` it came in
/// unwrapped, or borrowed again); any other method reads out of it.
pub(super) const KEEP_PLACE: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_unchecked",
    "as_mut",
    "as_deref_mut",
    "deref_mut",
    "borrow_mut",
];

/// What an owned token stands for, and what releasing it does.
#[derive(Debug, Clone, Copy)]
pub(super) enum Holds {
    /// A lock's guard: the lock is released.
    Lock(PrimId),
    /// An object of a type with a `Drop` impl: its `drop` runs, once.
    Object {
        ty: StructId,
        object: ObjectId,
        dropped: bool,
    },
}

#[derive(Debug)]
pub(super) struct GuardInfo {
    pub(super) holds: Holds,
    pub(super) span: Span,
    /// The acquisition event.
    pub(super) event: usize,
    /// A `try_acquire`/`try_lock`: it may have taken nothing.
    pub(super) tried: bool,
    /// Reads through it since the acquisition (a write after a re-read is a re-validated
    /// update; an `if` decided by a read through it is decided under its lock).
    pub(super) reads: u32,
    /// Wrapped in `Some(…)`: its `Option`'s `take()` moves it out (see `method_call`).
    pub(super) in_option: bool,
    /// The calls being walked at the acquisition (frame ids, outermost first).
    pub(super) frames: Rc<[u32]>,
}

impl<'a> Interp<'a> {
    pub(super) fn acquire(
        &mut self,
        lock: PrimId,
        blocking: bool,
        access: Access,
        span: Span,
    ) -> Value<'a> {
        let event = self.emit(
            Op::Acquire {
                lock,
                blocking,
                access,
            },
            span.clone(),
        );
        let id = self.walk.guards.len() as GuardId;
        self.walk.guards.push(GuardInfo {
            holds: Holds::Lock(lock),
            span,
            event,
            tried: !blocking,
            reads: 0,
            in_option: false,
            frames: self.frame_ids(),
        });
        self.walk.held.push(id);
        self.add_temp(id);
        Value::Guard(id)
    }

    /// The value of `call`, evaluated by `evaluate`: a guard the call took and whose value is
    /// only read (see `guard_uses`) marks its acquisition, which cannot change the lock's data.
    pub(super) fn noting_only_read(
        &mut self,
        call: &syn::Expr,
        evaluate: impl FnOnce(&mut Self) -> Value<'a>,
    ) -> Value<'a> {
        let first_event = self.event_count();
        let value = evaluate(self);
        if let Value::Guard(guard) = value {
            let event = self.walk.guards[guard as usize].event;
            if event >= first_event && self.memo.read_only.contains(call) {
                let template = &mut self.model.templates[self.walk.template.0 as usize];
                if let Some(e) = template.events.get_mut(event) {
                    e.only_read = true;
                }
            }
        }
        value
    }

    /// An owner lets go of `guard` at `at`: a lock is released, an object dropped.
    pub(super) fn release(&mut self, guard: GuardId, at: Option<Site<'_>>) {
        match self.walk.guards[guard as usize].holds {
            Holds::Lock(_) => self.walk.held.retain(|&g| g != guard),
            Holds::Object { .. } => self.drop_object(guard, at),
        }
    }

    /// After alternative paths of control that each started with the same locks held (the arms
    /// of an `if` or a `match`): a lock is held if a path that goes on holds it. Paths that
    /// left (`return`, `break`, `continue`) do not reach what follows.
    pub(super) fn merge_held(&mut self, before: Vec<GuardId>, arms: Vec<(Vec<GuardId>, Flow)>) {
        self.walk.held = merge_going_on(before, arms, |mut held, arm| {
            push_new(&mut held, arm);
            held
        });
    }

    pub(super) fn release_value(&mut self, value: &Value<'a>, at: Option<Site<'_>>) {
        let guards = self.owned_guards(value);
        for g in guards {
            self.release(g, at);
        }
    }

    /// The lock of a guard. Only a lock's guard is ever a value (`Value::Guard`), or held.
    pub(super) fn guard_lock(&self, guard: GuardId) -> PrimId {
        match self.walk.guards[guard as usize].holds {
            Holds::Lock(lock) => lock,
            Holds::Object { .. } => unreachable!("a drop token is never a guard value"),
        }
    }

    /// Whether a guard excludes every other holder of its lock (not a `RwLock`'s read guard).
    pub(super) fn guard_is_exclusive(&self, guard: GuardId) -> bool {
        let event = self.walk.guards[guard as usize].event;
        !matches!(
            self.model
                .template(self.walk.template)
                .events
                .get(event)
                .map(|e| &e.op),
            Some(Op::Acquire {
                access: Access::Shared { .. },
                ..
            })
        )
    }

    pub(super) fn guard_was_read(&self, guard: GuardId) -> bool {
        self.walk.guards[guard as usize].reads > 0
    }

    /// A read through a guard: data tainted by the guard, for the stale-read rule.
    pub(super) fn guard_read(&mut self, guard: GuardId) -> Value<'a> {
        self.guard_read_of(guard, None)
    }

    /// A read of one field (`state.requested`), or of the whole data (`None`), through a guard.
    pub(super) fn guard_read_of(&mut self, guard: GuardId, field: Option<&str>) -> Value<'a> {
        self.guard_read_keyed(guard, field, None)
    }

    /// [`Interp::guard_read_of`] of the element of a map at `key`.
    fn guard_read_keyed(
        &mut self,
        guard: GuardId,
        field: Option<&str>,
        key: Option<MapKey>,
    ) -> Value<'a> {
        self.walk.guards[guard as usize].reads += 1;
        self.walk.guard_reads_made += 1;
        let lock = self.guard_lock(guard);
        Value::data(Taint {
            guard_reads: vec![GuardRead {
                lock,
                guard,
                field: field.map(Rc::from),
                key,
            }],
            ..Taint::default()
        })
    }

    /// A place in a guard's data (`element`, which `get_mut` gave, at `key` when the lookup
    /// named one): reading through it is a read of the guard, writing through it a write through
    /// the guard.
    pub(super) fn place_in_guard(
        &self,
        guard: GuardId,
        element: &Value<'a>,
        key: Option<MapKey>,
    ) -> Value<'a> {
        Value::data(Taint {
            place_in: Some(guard),
            place_key: key,
            ..element.taint()
        })
    }

    /// The key `key` names (`&id`, `id.clone()`, `tenant.to_string()`, `alert.device`: the
    /// binding `id`, `tenant`, or a field of the binding `alert`), followed up through the
    /// parameters it was passed down as, while the caller passed a binding (or a field of one)
    /// too, to the outermost frame that names it; `None` when it is not a binding.
    pub(super) fn map_key(&self, key: &'a syn::Expr) -> Option<MapKey> {
        let (mut name, mut fields) = key_binding(key)?;
        let mut frames = self.walk.frames.iter().rev().peekable();
        while let Some(frame) = frames.next() {
            // A parameter not bound anew since the call is the caller's argument.
            let (arg, binding) = frame.passed_argument(&name);
            let passed = arg.and_then(key_binding);
            match passed {
                Some((outer, outer_fields)) if frames.peek().is_some() => {
                    name = outer;
                    fields = outer_fields + &fields;
                }
                _ => {
                    return Some(MapKey {
                        frame: frame.id,
                        name: Rc::from(name + &fields),
                        binding,
                    })
                }
            }
        }
        None
    }

    /// The element an `or_insert…` of `bag`'s entry gives: a place in the data of the guard the
    /// entry was taken through, while it is held (see `Walk::entries`).
    pub(super) fn entry_element(&mut self, bag: BagId, element: Value<'a>) -> Value<'a> {
        let Some(at) = self.walk.entries.iter().rposition(|(b, _, _)| *b == bag) else {
            return element;
        };
        let (_, guard, key) = self.walk.entries.remove(at);
        if !self.walk.held.contains(&guard) {
            return element;
        }
        match element {
            Value::Obj(s, o) => {
                self.place_object((s, o), guard, key);
                element
            }
            Value::Unknown | Value::Data(_) => self.place_in_guard(guard, &element, key),
            other => other,
        }
    }

    /// `object` was handed out by a lookup through `guard` (at `key`, when the lookup named one).
    pub(super) fn place_object(
        &mut self,
        object: (StructId, ObjectId),
        guard: GuardId,
        key: Option<MapKey>,
    ) {
        self.walk.places.retain(|(o, _, _)| *o != object);
        self.walk.places.push((object, guard, key));
    }

    /// The guard (and key) through which a lookup handed out `object`, while that guard is held.
    fn object_place(&self, object: (StructId, ObjectId)) -> Option<(GuardId, Option<MapKey>)> {
        let (_, guard, key) = self.walk.places.iter().find(|(o, _, _)| *o == object)?;
        self.walk
            .held
            .contains(guard)
            .then(|| (*guard, key.clone()))
    }

    /// A copy (`clone()`, `cloned()`, `copied()`) of an element object a lookup through a guard
    /// handed out, of a struct of plain data: a snapshot of the guard's data, whose fields were
    /// read through the guard (see `Store::object_reads`). `None` when `object` is no such
    /// element, or holds what the model follows (a clone of an `Arc` of it is the object).
    pub(super) fn copy_of_place(&mut self, object: (StructId, ObjectId)) -> Option<Value<'a>> {
        let (guard, key) = self.object_place(object)?;
        if !self.holds_plain_data(object.0) {
            return None;
        }
        let read = self.guard_read_keyed(guard, None, key).taint();
        let copy = self.new_object();
        self.store.object_reads.insert(copy, Rc::new(read));
        Some(Value::Obj(object.0, copy))
    }

    /// Whether every field of struct `s` is plain data: no primitive, object, trait object or
    /// collection of them.
    fn holds_plain_data(&self, s: StructId) -> bool {
        let def = &self.index.structs[s.index()];
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: Some(s),
        };
        def.fields()
            .iter()
            .all(|(_, ty)| shape_in(self.index, place, ty, Some(def)) == Shape::Unknown)
    }

    /// The guard `value` is a place in the data of, while that guard is held: an element a
    /// lookup through it gave (data, or an object).
    /// With it, the key of the map element it is, when the lookup named one.
    fn place_guard(&self, value: &Value<'a>) -> Option<(GuardId, Option<MapKey>)> {
        match value {
            Value::Obj(s, o) => self.object_place((*s, *o)),
            Value::Data(taint) => taint
                .place_in
                .filter(|g| self.walk.held.contains(g))
                .map(|g| (g, taint.place_key.clone())),
            _ => None,
        }
    }

    /// `read`, read out of `place` (its `field`, or all of it): when that is a place in a
    /// guard's data, a read of the guard.
    pub(super) fn read_through_place(
        &mut self,
        place: &Value<'a>,
        read: Value<'a>,
        field: Option<&str>,
    ) -> Value<'a> {
        match self.place_guard(place) {
            Some((guard, key)) => {
                let through = self.guard_read_keyed(guard, field, key);
                super::exprs::with_read(read, &through)
            }
            None => read,
        }
    }

    /// `value` used as an operand (compared, computed with, a method's receiver): a place in a
    /// guard's data is read.
    pub(super) fn operand(&mut self, value: Value<'a>) -> Value<'a> {
        if value.place_in().is_none() {
            return value;
        }
        let read = Value::data(value.taint().read_out());
        self.read_through_place(&value, read, None)
    }

    /// The guard a write through `place` (a field or a deref of it) writes through.
    pub(super) fn written_place(&self, place: &Value<'a>) -> Option<GuardId> {
        match place {
            Value::Guard(g) => Some(*g),
            other => self.place_guard(other).map(|(guard, _)| guard),
        }
    }

    /// What a method called through a guard acts on: the value the lock protects, when the model
    /// follows it (objects, collections, trait objects, handles). A copy (`clone`) of plain data
    /// is a read of the guard instead, for the stale-read rule.
    pub(super) fn guarded_content(&self, guard: GuardId, method: &str) -> Option<Value<'a>> {
        let content = self.lock_content(self.guard_lock(guard))?.clone();
        if COPIES.contains(&method) && !self.holds_followed(&content) {
            return None;
        }
        Some(content)
    }

    /// What a lock protects, when the model follows it: an element of a family taken by index
    /// (`shards[idx]`) protects what the family's elements do.
    pub(super) fn lock_content(&self, lock: PrimId) -> Option<&Value<'a>> {
        self.store.contents.get(&lock).or_else(|| {
            let (family, _) = self.model.prim(lock).element?;
            self.store.contents.get(&family)
        })
    }

    /// Whether a value holds something calls or joins can reach: trait objects, handles,
    /// primitives, callables (directly or as a collection's elements).
    fn holds_followed(&self, value: &Value<'a>) -> bool {
        match value {
            Value::Bag(b) => {
                let element = self.bag_peek(*b);
                !matches!(element, Value::Bag(_)) && self.holds_followed(&element)
            }
            other => other.is_followed(),
        }
    }

    /// The guards a value owns (moving it moves them): guards, in tuples, and those kept in the
    /// fields of an object (`Batch { shard: shards[i].acquire(), .. }`).
    pub(super) fn owned_guards(&self, value: &Value<'a>) -> Vec<GuardId> {
        let mut out = Vec::new();
        value.guards(&mut out);
        let mut objects = Vec::new();
        value.objects(&mut objects);
        for object in objects {
            if let Some(kept) = self.store.object_guards.get(&object) {
                out.extend(
                    kept.iter()
                        .filter(|g| !out.contains(g))
                        .copied()
                        .collect::<Vec<_>>(),
                );
            }
        }
        out
    }
}

/// The binding a map key is read from: `id` of `&id`, `*id`, `id.clone()`, `id.to_string()` and
/// the like.
/// The binding a key expression reads, and the fields of it it reads (`.device`, or none).
fn key_binding(key: &syn::Expr) -> Option<(String, String)> {
    use syn::Expr;
    match key {
        Expr::Field(f) => {
            let (root, fields) = key_binding(&f.base)?;
            let member = match &f.member {
                syn::Member::Named(n) => n.to_string(),
                syn::Member::Unnamed(i) => i.index.to_string(),
            };
            Some((root, format!("{fields}.{member}")))
        }
        Expr::Reference(r) => key_binding(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => key_binding(&u.expr),
        Expr::Paren(p) => key_binding(&p.expr),
        Expr::MethodCall(m)
            if m.args.is_empty() && KEY_COPIES.contains(&&*m.method.to_string()) =>
        {
            key_binding(&m.receiver)
        }
        Expr::Path(p) if p.qself.is_none() => {
            p.path.get_ident().map(|i| (i.to_string(), String::new()))
        }
        _ => None,
    }
}

/// Methods that hand on a key as it is, by copy or conversion.
const KEY_COPIES: &[&str] = &[
    "clone",
    "to_string",
    "to_owned",
    "into",
    "as_str",
    "as_ref",
    "borrow",
];
