//! Collections (`Vec`, arrays, maps, iterators): the model keeps what one element is, and a
//! collection of primitives of one kind is a family whose elements are told apart by index.
use super::std_model::is_id;
use super::store::CarriedShape;
use super::walk::push_new;
use super::Interp;
use crate::diagnostic::Span;
use crate::model::value::{BagId, Value, ANY_OBJECT};
use crate::model::{IdRank, IndexKey, PrimId, PrimKind};
use std::rc::Rc;

/// Traits of std that crate types implement for themselves, not to be called through a trait
/// object of the crate's own.
const STD_TRAITS: &[&str] = &[
    "Drop",
    "Clone",
    "Default",
    "Debug",
    "Display",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "From",
    "Iterator",
    "Deref",
    "DerefMut",
    "AsRef",
    "Error",
];

/// At most this many channels stand as alternatives for one element of a collection; beyond,
/// what an element is stays unknown.
const MAX_CHANNELS: usize = 16;
/// At most this many shapes of payload stand for one element of a collection of requests.
const MAX_VARIANT_SHAPES: usize = 8;

impl<'a> Interp<'a> {
    /// A collection holding `content`; its objects stand for any object of their type, since
    /// its elements are not told apart.
    pub(super) fn new_bag(&mut self, content: Option<Value<'a>>) -> Value<'a> {
        if let Some(value) = &content {
            self.share_fields_with_any(value);
        }
        self.store.bags.push(content.map(Value::merged_objects));
        Value::Bag(self.store.bags.len() as BagId - 1)
    }

    /// What one element of a collection is, read by the program (see `rewalk`).
    pub(super) fn bag_content(&self, bag: BagId) -> Value<'a> {
        self.walk.bags_read.borrow_mut().insert(bag);
        self.bag_peek(bag)
    }

    /// What one element of a collection is, looked at by the model itself (naming, typing,
    /// bookkeeping): not a read of the program's.
    pub(super) fn bag_peek(&self, bag: BagId) -> Value<'a> {
        self.store.bags[bag as usize].clone().unwrap_or_default()
    }

    /// `bag` took something the model follows (see `rewalk`).
    pub(super) fn note_bag_change(&mut self, bag: BagId) {
        self.store.tick += 1;
        self.store.bag_changed_at.insert(bag, self.store.tick);
    }

    pub(super) fn bag_add(&mut self, bag: BagId, value: Value<'a>) {
        // The collection owns it now: the model no longer drops it.
        self.forget_drops(&value);
        self.share_fields_with_any(&value);
        let value = value.merged_objects();
        if self.store.lost_bags.contains(&bag) {
            return;
        }
        if !self.is_opaque(&value) {
            self.note_bag_change(bag);
        }
        let old = self.store.bags[bag as usize].take();
        let joined = self.element_with(old, value);
        if joined.is_none() {
            self.store.lost_bags.insert(bag);
        }
        self.store.bags[bag as usize] = Some(joined.unwrap_or_default());
    }

    /// What one element of a collection is once `value` joins the elements that were `old`;
    /// `None` when it can no longer be known, whatever is put in later.
    fn element_with(&self, old: Option<Value<'a>>, value: Value<'a>) -> Option<Value<'a>> {
        Some(match old {
            None => value,
            // Requests of several shapes: the one of this value's shape takes it.
            Some(Value::Variants(alternatives)) => {
                let shape = CarriedShape::of(&value);
                let mut alternatives = alternatives.to_vec();
                match alternatives
                    .iter()
                    .position(|a| shape.is_some() && CarriedShape::of(a) == shape)
                {
                    Some(at) => {
                        let joined = self.element_with(Some(alternatives[at].clone()), value)?;
                        alternatives[at] = joined;
                    }
                    None if self.is_opaque(&value) => {}
                    None if alternatives.len() < MAX_VARIANT_SHAPES && shape.is_some() => {
                        alternatives.push(value)
                    }
                    None => return None,
                }
                Value::Variants(alternatives.into())
            }
            // Channels of one kind (requests' reply channels, workers' inboxes): any of them.
            Some(old @ (Value::Prim(_) | Value::Prims(_)))
                if self.channels_of_one_kind(&old, &value) =>
            {
                let (mut channels, mut added) = (Vec::new(), Vec::new());
                old.prims(&mut channels);
                value.prims(&mut added);
                push_new(&mut channels, added);
                match channels.len() {
                    1 => old,
                    n if n > MAX_CHANNELS => return None,
                    _ => Value::Prims(channels.into()),
                }
            }
            // A family of one kind: the first of its primitives stands for every element.
            Some(Value::Prim(family)) if self.same_kind(family, &value) => Value::Prim(family),
            // Variants of an enum in one collection (`Job::Flush(ack)` beside `Job::Stop`): the
            // one that carries something the model follows stands for all.
            Some(old) if self.is_opaque(&old) && !self.is_opaque(&value) => value,
            Some(old) if self.is_opaque(&value) && !self.is_opaque(&old) => old,
            Some(old) => {
                let joined = self
                    .common_trait(&old, &value)
                    .unwrap_or_else(|| old.join(&value));
                // Two things followed that do not join: of two shapes (an order object beside a
                // reply channel, two variants' payloads), each stays; else nothing is known.
                if matches!(joined, Value::Unknown) && !self.is_opaque(&old) {
                    let shapes = (CarriedShape::of(&old), CarriedShape::of(&value));
                    return match shapes {
                        (Some(a), Some(b)) if a != b => {
                            Some(Value::Variants(Rc::from(vec![old, value])))
                        }
                        _ => None,
                    };
                }
                joined
            }
        })
    }

    /// A value known to carry nothing the model follows: plain numbers and text, or a value of
    /// one of the crate's enums (a variant that carries nothing followed, see `variant_value`).
    /// An unknown value is not: it may be anything.
    pub(super) fn is_opaque(&self, value: &Value<'a>) -> bool {
        match value {
            Value::Int(_) | Value::Str(_) | Value::Index(_) | Value::Range(..) => true,
            Value::Obj(s, _) => self.index.structs[s.index()].is_enum(),
            _ => false,
        }
    }

    /// Whether `old` (what a collection holds) and `value` are channels (queues of std,
    /// crossbeam or racecheck, mixed) that requests carried (reply channels: one of them is
    /// meant each time). Channels the program keeps in a collection itself (workers'
    /// inboxes) are a family, the first standing for all.
    fn channels_of_one_kind(&self, old: &Value<'a>, value: &Value<'a>) -> bool {
        let (mut prims, mut added) = (Vec::new(), Vec::new());
        old.prims(&mut prims);
        value.prims(&mut added);
        let Some(&first) = prims.first() else {
            return false;
        };
        // Of any library: a reply is a reply, whether on std's channel or crossbeam's.
        let kind = |p: PrimId| self.model.prim(p).kind;
        kind(first) == PrimKind::Queue
            && matches!(value, Value::Prim(_))
            && added.iter().all(|&p| kind(p) == kind(first))
            && prims
                .iter()
                .chain(&added)
                .all(|p| self.store.carried.contains(p))
    }

    fn same_kind(&self, family: PrimId, value: &Value<'a>) -> bool {
        let Value::Prim(p) = *value else {
            return false;
        };
        let (a, b) = (self.model.prim(family), self.model.prim(p));
        (a.kind, a.api) == (b.kind, b.api)
    }

    /// Objects of two structs in one collection (`Vec<Arc<dyn Listener>>` given a `Tape` and a
    /// `Surveillance`): a trait object of a trait both implement, the first by name.
    fn common_trait(&self, a: &Value<'a>, b: &Value<'a>) -> Option<Value<'a>> {
        let (&Value::Obj(x, _), &Value::Obj(y, _)) = (a, b) else {
            return None;
        };
        if x == y {
            return None;
        }
        self.index
            .implementors
            .iter()
            .filter(|(name, types)| {
                types.contains(&x) && types.contains(&y) && !STD_TRAITS.contains(&name.as_str())
            })
            .map(|(name, _)| name)
            .min()
            .map(|name| Value::Dyn(Rc::from(name.as_str())))
    }

    /// A collection holding these values: a family when they are primitives of one kind.
    pub(super) fn collection_of(&mut self, items: Vec<Value<'a>>, span: &Span) -> Value<'a> {
        let prims: Vec<PrimId> = items
            .iter()
            .filter_map(|v| match v {
                Value::Prim(p) => Some(*p),
                _ => None,
            })
            .collect();
        if !prims.is_empty() && prims.len() == items.len() {
            let first = self.model.prim(prims[0]);
            let kind = (first.kind, first.api);
            if prims.iter().all(|p| {
                let info = self.model.prim(*p);
                (info.kind, info.api) == kind
            }) {
                let family = if prims.iter().all(|p| *p == prims[0]) {
                    prims[0]
                } else {
                    self.new_prim(kind, span, None, false)
                };
                return self.new_bag(Some(Value::Prim(family)));
            }
        }
        // The elements joined as a collection joins what is put in it (`[Job::Flush(ack),
        // Job::Stop]` holds the channel).
        let mut content = None;
        for item in items {
            match self.element_with(content, item.merged_objects()) {
                Some(joined) => content = Some(joined),
                None => {
                    let bag = self.store.bags.len() as BagId;
                    self.store.bags.push(Some(Value::Unknown));
                    self.store.lost_bags.insert(bag);
                    return Value::Bag(bag);
                }
            }
        }
        self.new_bag(content)
    }

    /// A collection built without telling what it holds (`Vec::new()`, a `vec!` of mixed
    /// types) learns its elements from the binding's declared type.
    pub(super) fn type_collection(&mut self, value: &Value<'a>, ty: &syn::Type) {
        let Value::Bag(bag) = value else {
            return;
        };
        if !matches!(self.bag_peek(*bag), Value::Unknown) {
            return;
        }
        if let Value::Bag(typed) = self.typed_value(ty) {
            self.store.bags[*bag as usize] = self.store.bags[typed as usize].clone();
        }
    }

    pub(super) fn index_bag(&mut self, bag: Value<'a>, index: Value<'a>) -> Value<'a> {
        let key = index_key(&index);
        match bag {
            // `ids.sort(); v[ids[0]] … v[ids[1]]`: the lower id, then a higher one.
            Value::Bag(b) if self.store.sorted_bags.contains(&b) && is_id(&self.bag_content(b)) => {
                match key {
                    IndexKey::Const(0) => Value::Index(IndexKey::Id(IdRank::Low)),
                    IndexKey::Const(_) => Value::Index(IndexKey::Id(IdRank::High)),
                    _ => Value::Unknown,
                }
            }
            Value::Bag(b) => match self.bag_content(b) {
                Value::Prim(family) if self.model.prim(family).element.is_none() => {
                    Value::Prim(self.element(family, key))
                }
                other => other,
            },
            _ => Value::Unknown,
        }
    }

    /// What one element of a collection (or iterator) is.
    pub(super) fn element_of(&mut self, value: &Value<'a>) -> Value<'a> {
        match value {
            Value::Bag(b) => self.bag_content(*b),
            Value::Threads(_) | Value::Builders(_) | Value::Data(_) => value.clone(),
            _ => Value::Unknown,
        }
    }

    /// An object put in a collection becomes "any object" of its struct there: what its fields
    /// hold (handles, primitives, objects, collections) is what that object's fields hold, when
    /// it is the only one of its struct put in a collection so far. Fields of a second object
    /// (or of an object made in a loop or by a thread run many times, which stands for several)
    /// leave them several.
    fn share_fields_with_any(&mut self, value: &Value<'a>) {
        let Value::Obj(s, object) = *value else {
            return;
        };
        if object == ANY_OBJECT {
            return;
        }
        let several = self.store.several_objects.contains(&object);
        let index = self.index;
        for (name, _) in index.structs[s.index()].fields() {
            // Made now if no code has used the field yet (an object built by `default()`):
            // it is the field the object will have when its methods run.
            let value = self.field_value(s, object, name);
            match (value, self.store.fields.get(s, ANY_OBJECT, name).cloned()) {
                // A channel end a request carries (`Ticket { reply, .. }` queued for a worker):
                // any request's is one of those put in, however many requests there are.
                (Value::Prim(p), theirs) if self.model.prim(p).kind == PrimKind::Queue => {
                    self.store.carried.insert(p);
                    match self.element_with(theirs, Value::Prim(p)) {
                        Some(joined) => self.store.fields.insert(s, ANY_OBJECT, name, joined),
                        None => self.store.fields.remove(s, ANY_OBJECT, name),
                    };
                }
                (Value::Threads(mine), Some(Value::Threads(theirs))) => {
                    let joined = Value::Threads(mine).join(&Value::Threads(theirs));
                    self.store.fields.insert(s, ANY_OBJECT, name, joined);
                }
                (v @ Value::Threads(_), None) => {
                    self.store.fields.insert(s, ANY_OBJECT, name, v);
                }
                (Value::Prim(p), None) if !several => {
                    self.store
                        .fields
                        .insert(s, ANY_OBJECT, name, Value::Prim(p));
                }
                (Value::Prim(p), Some(Value::Prim(q))) if p == q => {}
                // An object, trait object or collection it holds (`api.handlers`), while it is the
                // only one; of a second object, any of them.
                (v @ (Value::Obj(..) | Value::Dyn(_) | Value::Bag(_)), None) if !several => {
                    self.store.fields.insert(s, ANY_OBJECT, name, v);
                }
                (Value::Obj(s1, a), Some(Value::Obj(s2, b))) if (s1, a) == (s2, b) => {}
                (Value::Dyn(a), Some(Value::Dyn(b))) if a == b => {}
                (Value::Bag(a), Some(Value::Bag(b))) if a == b => {}
                (Value::Obj(..) | Value::Dyn(_) | Value::Bag(_), Some(_)) => {
                    self.store.fields.remove(s, ANY_OBJECT, name);
                    self.field_value(s, ANY_OBJECT, name);
                }
                (Value::Prim(_), _) => {
                    // Two objects' primitives: the field of any object is several of them.
                    self.store.fields.remove(s, ANY_OBJECT, name);
                    self.field_value(s, ANY_OBJECT, name);
                }
                _ => {}
            }
        }
    }
}

/// What an index value tells: a constant, a loop variable (rotated), a run-time id (a number
/// the model does not know, or a key of a crate type: `rooms.get(&RoomId(n))`), or nothing known.
pub(super) fn index_key(index: &Value<'_>) -> IndexKey {
    match index {
        Value::Int(n) => IndexKey::Const(*n),
        Value::Index(k) => *k,
        Value::Unknown | Value::Data(_) | Value::Obj(..) => IndexKey::Id(IdRank::Any),
        _ => IndexKey::Unknown,
    }
}
