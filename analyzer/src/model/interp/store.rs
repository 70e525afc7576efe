//! The identity store: what each primitive, object, collection and loop variable of the crate
//! is, shared by the walks of every template.
//!
//! A lock is a static, a struct field of one object (`Bank.a`), a constructor call walked
//! (followed through `Arc::clone` / `.clone()`), or an element of an indexed family kept
//! symbolic (`forks[i]`, `forks[(i + 1) % n]`). Each struct literal or constructor walk is a new
//! object (`Value::Obj(struct, ObjectId)`), and a literal's fields hold the values it was given;
//! what comes out of a collection or a merge of two branches is [`ANY_OBJECT`], whose fields are
//! "several" locks (D002 ignores them). Each walk of a primitive constructor makes a new
//! primitive: a helper that makes a lock, called twice, makes two locks.
use super::object_fields::ObjectFields;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{StaticId, StructDef, StructId};
use crate::model::types::{is_collection, is_map, lock_data, shape_in, shape_of, Shape};
use crate::model::value::{BagId, GuardId, ObjectId, Place, Taint, Value, ANY_OBJECT};
use crate::model::{Api, IndexKey, PrimId, PrimInfo, PrimKind, TemplateId, VarId};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// How a primitive is identified across the program.
/// The objects a struct shape the model did not see made stands for.
#[derive(Debug, Clone, Copy)]
enum Objects {
    /// One new object: the one a binding of the type names.
    New,
    /// Any object of the struct: the elements of a collection no code was seen filling (so a
    /// struct holding a collection of itself is not made again level after level).
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum PrimKey {
    Static(StaticId),
    /// A field of one object (or of any object) of a struct.
    Field(StructId, ObjectId, String),
    Element(PrimId, IndexKey),
    /// The family a lock's data is (`RwLock<HashMap<Id, Arc<Mutex<Room>>>>`).
    Content(PrimId),
}

#[derive(Debug)]
pub(super) struct Store<'a> {
    prim_keys: HashMap<PrimKey, PrimId>,
    /// Whether a primitive's name came from a binding (and should not be renamed).
    pub(super) prim_named: Vec<bool>,
    statics: HashMap<StaticId, Value<'a>>,
    pub(super) fields: ObjectFields<'a>,
    /// Objects made so far (ids above `ANY_OBJECT`).
    pub(super) objects: ObjectId,
    /// The binding each object was first bound to.
    pub(super) object_names: HashMap<ObjectId, String>,
    /// What one element of each collection is; `None` while it is empty.
    pub(super) bags: Vec<Option<Value<'a>>>,
    /// When each collection last took something the model follows, by [`Store::tick`].
    pub(super) bag_changed_at: HashMap<BagId, u64>,
    /// Counts those changes: a clock of what collections hold.
    pub(super) tick: u64,
    /// Collections given two things followed that do not join: what an element is stays
    /// unknown.
    pub(super) lost_bags: HashSet<BagId>,
    pub(super) var_names: Vec<String>,
    /// What each lock protects, when it is something the model follows (an object, a
    /// collection, trait objects, handles): given to its constructor.
    pub(super) contents: HashMap<PrimId, Value<'a>>,
    /// What each queue (a std or crossbeam channel too) carries: the collection of the messages
    /// put in it so far, which a receive gives one of.
    pub(super) messages: HashMap<PrimId, BagId>,
    /// Objects that stand for several: made in a loop, or by a thread that runs many times.
    pub(super) several_objects: HashSet<ObjectId>,
    /// Collections sorted in place (`ids.sort()`): their first element is the lowest.
    pub(super) sorted_bags: HashSet<BagId>,
    /// Guards kept in the fields of objects: the object owns them.
    pub(super) object_guards: HashMap<ObjectId, Vec<GuardId>>,
    /// Primitives an enum variant carried (a request's reply channel, see `variant_value`):
    /// channels of one kind among them kept together are alternatives, not a family.
    pub(super) carried: HashSet<PrimId>,
    /// The field of each struct variant (by enum and variant name) that carries the one value
    /// the model follows (`Request::Now { reply, .. }`: `reply`; see `variant_value`).
    pub(super) carrying_fields: HashMap<(StructId, String), String>,
    /// What each variant (by enum and variant name) was seen to carry: a pattern of the
    /// variant binds a carried value only of such a shape. A collection of requests holds one
    /// value for all its variants, and `New(order)` must not bind `Cancel`'s reply channel.
    pub(super) carried_shapes: HashMap<(StructId, String), Vec<CarriedShape>>,
    /// What the plain fields of an object built by a struct literal were read from through
    /// guards (`Stats { hits: old.hits + 1, ..old }`), for the stale-read rule: those fields
    /// are not kept (see `new_object_of`).
    pub(super) object_reads: HashMap<ObjectId, Rc<Taint>>,
    /// The threads spawned on each thread scope (`Spawner::Scope` indexes it).
    pub(super) thread_scopes: Vec<Vec<TemplateId>>,
    /// Objects made as the value of a field or static when first read, each with the object
    /// whose field it is (`ANY_OBJECT` for a static), in the order made.
    pub(super) lazy_objects: Vec<(ObjectId, ObjectId)>,
}

impl Default for Store<'_> {
    fn default() -> Self {
        Self {
            prim_keys: HashMap::new(),
            prim_named: Vec::new(),
            statics: HashMap::new(),
            fields: ObjectFields::default(),
            objects: ANY_OBJECT,
            object_names: HashMap::new(),
            bags: Vec::new(),
            bag_changed_at: HashMap::new(),
            tick: 0,
            lost_bags: HashSet::new(),
            messages: HashMap::new(),
            var_names: Vec::new(),
            contents: HashMap::new(),
            several_objects: HashSet::new(),
            object_guards: HashMap::new(),
            object_reads: HashMap::new(),
            carrying_fields: HashMap::new(),
            carried_shapes: HashMap::new(),
            carried: HashSet::new(),
            sorted_bags: HashSet::new(),
            thread_scopes: Vec::new(),
            lazy_objects: Vec::new(),
        }
    }
}

impl<'a> Interp<'a> {
    pub(super) fn intern(&mut self, key: PrimKey, make: impl FnOnce() -> PrimInfo) -> PrimId {
        if let Some(&id) = self.store.prim_keys.get(&key) {
            return id;
        }
        let id = self.add_prim(make());
        self.store.prim_keys.insert(key, id);
        id
    }

    pub(super) fn add_prim(&mut self, info: PrimInfo) -> PrimId {
        let id = PrimId(self.model.prims.len() as u32);
        self.model.prims.push(info);
        self.store.prim_named.push(false);
        id
    }

    /// The primitive a constructor call at `span` creates. Each walk of a constructor call is
    /// a primitive of its own: a helper that makes a lock, called twice, makes two locks (a loop
    /// body is walked once, and an element of a collection is told apart by its index).
    pub(super) fn new_prim(
        &mut self,
        (kind, api): (PrimKind, Api),
        span: &Span,
        capacity: Option<i64>,
        bounded: bool,
    ) -> PrimId {
        self.add_prim(PrimInfo {
            kind,
            api,
            name: format!(
                "{} at line {}",
                super::naming::kind_name(kind),
                span.line_start
            ),
            element: None,
            capacity,
            bounded,
            peer: None,
            several: false,
        })
    }

    /// A new object of a struct (a struct literal or constructor call walked).
    pub(super) fn new_object(&mut self) -> ObjectId {
        self.store.objects += 1;
        let object = self.store.objects;
        if self.making_several() {
            self.store.several_objects.insert(object);
        }
        object
    }

    /// Whether an object made now stands for several: made in a loop, or by a thread that runs
    /// many times.
    pub(super) fn making_several(&self) -> bool {
        self.walk.loops.iter().any(|l| l.count != Some(1))
            || self
                .model
                .templates
                .get(self.walk.template.0 as usize)
                .is_some_and(|t| t.instances.is_many())
    }

    /// A new object of struct `s` whose fields are given these values: a field given a
    /// primitive, a handle or an object is that value (`Worker { jobs: jobs.clone() }` shares
    /// the queue `jobs`); other fields get what their declared type says.
    pub(super) fn new_object_of(
        &mut self,
        s: StructId,
        fields: Vec<(String, Value<'a>)>,
    ) -> Value<'a> {
        let object = self.new_object();
        for (field, value) in fields {
            if matches!(value, Value::Unknown | Value::Data(_)) {
                continue;
            }
            if let Value::Guard(g) = value {
                self.store.object_guards.entry(object).or_default().push(g);
            }
            let made_here = match value {
                Value::Prim(p) => Some(p),
                Value::Bag(b) => match self.bag_peek(b) {
                    Value::Prim(p) => Some(p),
                    _ => None,
                },
                _ => None,
            };
            if let Some(p) = made_here {
                // A primitive (or family) made for the field is named after it.
                let i = p.0 as usize;
                if !self.store.prim_named[i] && self.model.prims[i].element.is_none() {
                    self.store.prim_named[i] = true;
                    self.model.prims[i].name =
                        format!("{}.{field}", self.index.structs[s.index()].name);
                }
            }
            self.fill_empty_from_type(s, object, &field, &value);
            self.store.fields.insert(s, object, &field, value);
        }
        Value::Obj(s, object)
    }

    /// A field's collection built empty (`HashMap::new()`, also as a lock's data) holds what
    /// the field's declared type says until the model sees it filled: elements may be added
    /// where the model does not follow (a caller's `insert`, an `entry(..).or_insert_with(..)`
    /// in a thread the model walks later), and are of that type anyway. A lock with no data
    /// the model follows gets what its declared data type tells (`declared_content`).
    fn fill_empty_from_type(
        &mut self,
        s: StructId,
        object: ObjectId,
        field: &str,
        value: &Value<'a>,
    ) {
        let index = self.index;
        let def = &index.structs[s.index()];
        let Some(&(_, ty)) = def.fields().iter().find(|(name, _)| name == field) else {
            return;
        };
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: Some(s),
        };
        let (bag, place, ty, key, name) = match value {
            Value::Bag(bag) => (
                *bag,
                place,
                ty,
                PrimKey::Field(s, object, field.to_owned()),
                format!("{}.{field}", def.name),
            ),
            Value::Prim(lock) => match (self.store.contents.get(lock), lock_data(index, place, ty))
            {
                (Some(&Value::Bag(bag)), Some((place, data))) => (
                    bag,
                    place,
                    data,
                    PrimKey::Content(*lock),
                    self.model.prim(*lock).name.clone(),
                ),
                // A lock whose data the model did not see made (`Mutex::default()`, or data it
                // does not follow): what its declared data type tells.
                (None, _) => {
                    self.declared_content(value, place, ty, Some(def));
                    return;
                }
                _ => return,
            },
            _ => return,
        };
        // A map collected from `(key, value)` pairs: its elements are the values.
        if let Some(Value::Tuple(pair)) = &self.store.bags[bag as usize] {
            if pair.len() == 2 && is_map(ty) {
                self.store.bags[bag as usize] = Some(pair[1].clone());
            }
        }
        if self.store.bags[bag as usize].is_some() {
            return;
        }
        let filled = match shape_in(index, place, ty, Some(def)) {
            shape @ Shape::Collection(_) => self.shape_value(shape, Objects::Any),
            shape @ Shape::Family(..) => self.shaped(shape, key, name, false),
            _ => return,
        };
        if let Value::Bag(filled) = filled {
            self.store.bags[bag as usize] = self.store.bags[filled as usize].clone();
        }
    }

    /// `value` stored into field `field` of `object` after it was made: of any object of the
    /// struct (an element of a collection), it joins what that field holds (one more handle).
    pub(super) fn store_field(
        &mut self,
        s: StructId,
        object: ObjectId,
        field: &str,
        value: Value<'a>,
    ) {
        let stored = match (
            object == ANY_OBJECT,
            self.store.fields.get(s, object, field),
        ) {
            (true, Some(Value::Threads(old))) => Value::Threads(old.clone()).join(&value),
            (true, Some(old)) if !matches!(old, Value::Unknown) => return,
            _ => value,
        };
        self.store.fields.insert(s, object, field, stored);
    }

    /// The element `index` of the family `family`.
    pub(super) fn element(&mut self, family: PrimId, index: IndexKey) -> PrimId {
        let info = self.model.prim(family).clone();
        let index_text = self.index_text(index);
        self.intern(PrimKey::Element(family, index), || PrimInfo {
            kind: info.kind,
            api: info.api,
            name: format!("{}[{index_text}]", info.name),
            element: Some((family, index)),
            capacity: info.capacity,
            bounded: info.bounded,
            peer: None,
            several: info.several || matches!(index, IndexKey::Id(_)),
        })
    }

    /// The element of a range iterated as a loop: a fresh loop variable (the index instances of
    /// the loop are told apart by), and the iteration count when the bounds are known.
    pub(super) fn range_element(
        &mut self,
        name: &str,
        start: Option<i64>,
        end: Option<i64>,
    ) -> (Value<'a>, VarId, Option<u64>) {
        let var = self.new_var(name);
        let count = start
            .zip(end)
            .and_then(|(s, e)| e.checked_sub(s))
            .and_then(|n| u64::try_from(n).ok());
        let element = Value::Index(IndexKey::Rotated {
            var,
            offset: 0,
            wraps: false,
        });
        (element, var, count)
    }

    pub(super) fn new_var(&mut self, name: &str) -> VarId {
        self.store.var_names.push(name.to_owned());
        VarId(self.store.var_names.len() as u32 - 1)
    }

    /// The value of a static, by its declared type.
    pub(super) fn static_value(&mut self, id: StaticId) -> Value<'a> {
        if let Some(v) = self.store.statics.get(&id) {
            return v.clone();
        }
        let def = &self.index.statics[id.index()];
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: None,
        };
        let name = def.path.clone();
        let value = self.shaped(
            shape_of(self.index, place, def.ty),
            PrimKey::Static(id),
            name,
            false,
        );
        if let (Value::Prim(p), syn::Expr::Call(init)) = (&value, def.init) {
            // `static B: Barrier = Barrier::new(3);`: the constructor's literal argument.
            let constructor = match &*init.func {
                syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            let capacity = init
                .args
                .first()
                .and_then(|a| self.eval_const(a, def.module));
            let info = &mut self.model.prims[p.0 as usize];
            info.capacity = capacity;
            info.bounded = constructor.as_deref() == Some("bounded");
        }
        if let Value::Obj(_, object @ 1..) = value {
            self.store.lazy_objects.push((ANY_OBJECT, object));
        }
        self.declared_content(&value, place, def.ty, None);
        self.store.statics.insert(id, value.clone());
        value
    }

    /// The value of a field of an object of a struct, by its declared type.
    pub(super) fn field_value(&mut self, s: StructId, object: ObjectId, field: &str) -> Value<'a> {
        if let Some(v) = self.store.fields.get(s, object, field) {
            return v.clone();
        }
        let def = &self.index.structs[s.index()];
        let Some((_, ty)) = def.fields().iter().find(|(n, _)| n == field) else {
            return Value::Unknown;
        };
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: Some(s),
        };
        let name = format!("{}.{field}", def.name);
        let value = self.shaped(
            shape_in(self.index, place, ty, Some(def)),
            PrimKey::Field(s, object, field.to_owned()),
            name,
            object == ANY_OBJECT,
        );
        if let Value::Obj(_, made @ 1..) = value {
            self.store.lazy_objects.push((object, made));
        }
        self.declared_content(&value, place, ty, Some(def));
        self.store.fields.insert(s, object, field, value.clone());
        value
    }

    /// What a lock of a declared type (a static's, a field's) that the model did not see made
    /// protects, when its data type tells something calls can reach: trait objects
    /// (`Mutex<Vec<Arc<dyn Listener>>>` holds implementors of `Listener`), collections of them,
    /// a family of primitives (`RwLock<HashMap<Id, Arc<Mutex<Room>>>>`).
    fn declared_content(
        &mut self,
        lock: &Value<'a>,
        place: Place,
        ty: &'a syn::Type,
        of_struct: Option<&StructDef<'_>>,
    ) {
        let Value::Prim(prim) = *lock else {
            return;
        };
        if self.store.contents.contains_key(&prim) {
            return;
        }
        let Some((place, data)) = lock_data(self.index, place, ty) else {
            return;
        };
        let content = match shape_in(self.index, place, data, of_struct) {
            shape @ (Shape::Dyn(_) | Shape::Collection(_)) => self.shape_value(shape, Objects::Any),
            shape @ Shape::Family(..) => {
                let info = self.model.prim(prim);
                let (name, several) = (info.name.clone(), info.several);
                self.shaped(shape, PrimKey::Content(prim), name, several)
            }
            // A collection of what the model does not follow by type (`Vec<JoinHandle<()>>`):
            // empty, to hold what is put in it.
            Shape::Unknown if is_collection(data) => self.new_bag(None),
            _ => return,
        };
        self.store.contents.insert(prim, content);
    }

    /// A value of a declared shape with a fixed identity (statics and fields); `several`: it
    /// belongs to any object of a struct.
    pub(super) fn shaped(
        &mut self,
        shape: Shape,
        key: PrimKey,
        name: String,
        several: bool,
    ) -> Value<'a> {
        match shape {
            Shape::Prim(kind, api) | Shape::Family(kind, api) => {
                let id = self.intern(key, || PrimInfo {
                    kind,
                    api,
                    name,
                    element: None,
                    capacity: None,
                    bounded: false,
                    peer: None,
                    several,
                });
                self.store.prim_named[id.0 as usize] = true;
                if matches!(shape, Shape::Family(..)) {
                    self.new_bag(Some(Value::Prim(id)))
                } else {
                    Value::Prim(id)
                }
            }
            Shape::Struct(s) if several => Value::Obj(s, ANY_OBJECT),
            Shape::Struct(s) => Value::Obj(s, self.new_object()),
            Shape::Dyn(name) => Value::Dyn(Rc::from(name)),
            // Elements the model did not see added: what their type tells.
            shape @ Shape::Collection(_) => self.shape_value(shape, Objects::Any),
            Shape::Unknown => Value::Unknown,
        }
    }

    /// What a binding of a declared type holds when nothing better is known.
    pub(super) fn typed_value(&mut self, ty: &syn::Type) -> Value<'a> {
        let shape = shape_of(self.index, self.place(), ty);
        self.shape_value(shape, Objects::New)
    }

    /// A value of a declared shape the model did not see made: implementors of a trait
    /// (`Vec<Box<dyn Job>>` holds them), an object of a struct as `objects` says, collections of
    /// those; nothing for primitives, which have an identity of their own (see [`Self::shaped`]).
    fn shape_value(&mut self, shape: Shape, objects: Objects) -> Value<'a> {
        match shape {
            Shape::Struct(s) => match objects {
                Objects::New => Value::Obj(s, self.new_object()),
                Objects::Any => Value::Obj(s, ANY_OBJECT),
            },
            Shape::Dyn(name) => Value::Dyn(Rc::from(name)),
            Shape::Collection(element) => {
                let element = self.shape_value(*element, objects);
                self.new_bag(Some(element))
            }
            Shape::Prim(..) | Shape::Family(..) | Shape::Unknown => Value::Unknown,
        }
    }
}

/// The shape of a value a variant carries (see `Store::carried_shapes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CarriedShape {
    Object(StructId),
    Channels,
    Collection,
    TraitObject,
    Handles,
    Callables,
}

impl CarriedShape {
    pub(super) fn of(value: &Value<'_>) -> Option<CarriedShape> {
        Some(match value {
            Value::Obj(s, _) => CarriedShape::Object(*s),
            Value::Prim(_) | Value::Prims(_) => CarriedShape::Channels,
            Value::Bag(_) => CarriedShape::Collection,
            Value::Dyn(_) => CarriedShape::TraitObject,
            Value::Threads(_) => CarriedShape::Handles,
            Value::Callable(_) | Value::Callables(_) => CarriedShape::Callables,
            _ => return None,
        })
    }
}
