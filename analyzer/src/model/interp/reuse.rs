//! Reusing what a call returned instead of walking the callee again.
//!
//! A function walked with plain arguments (no primitive, guard, handle or callable in them) that
//! recorded nothing the rules observe (no event, template, primitive or guard)
//! records nothing either when called again with the same arguments, and returns the same thing
//! (the drop tokens of objects it made and returns, the only guards it may have made, are made
//! anew with them: see `drops`):
//! - what it returns for any such arguments, when that holds no object and no number (which may
//!   be computed from the arguments), is kept by function ([`Memo::inert`]);
//! - anything else it returns is kept by function and arguments, with the objects and collections
//!   the call made and returns ([`Made`]): each reuse makes them anew (a fresh identity, as a
//!   second walk would have made), with the fields they had when the call returned.
//!
//! So a constructor (`Hir::empty()`) or a getter is walked once per distinct input, not once per
//! call path reaching it: call paths multiply down a recursive-descent parser. A walk that made
//! objects while shaped by the calls around it (a recursive call cut at a frame outside the
//! callee, or the call depth bound) is not kept. An inert function is kept even then: a call back
//! into the recursion that was cut there may record something when the function is called from
//! elsewhere, which reuse then misses (checking this too left recursive-descent crates such as
//! regex-automata cut short at the step budget).
//!
//! [`Memo::inert`]: super::Memo
use super::guards::{GuardInfo, Holds};
use super::object_fields::FieldId;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{FnId, StructId};
use crate::model::value::{BagId, GuardId, ObjectId, Value};
use crate::model::IndexKey;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// A plain argument, as far as it decides what a call does: values of one key are walked alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Input {
    Unknown,
    Int(i64),
    /// An integer the call spells out (a literal, or a parameter passed one): the callee may
    /// take one arm of a branch on it, which it does not for the same value computed.
    Literal(i64),
    Index(IndexKey),
    Range(Option<i64>, Option<i64>),
    Str(Rc<str>),
    Obj(StructId, ObjectId),
    Dyn(Rc<str>),
    /// Data of no origin the rules follow; computed or not.
    Data(bool),
    Tuple(Box<[Input]>),
}

impl Input {
    /// The key of a value a callee could not synchronize on or hand back (primitives, guards,
    /// handles, callables and collections are not plain): `None` when it is not plain.
    pub(super) fn of(value: &Value<'_>) -> Option<Input> {
        Some(match value {
            Value::Unknown => Input::Unknown,
            Value::Int(n) => Input::Int(*n),
            Value::Index(k) => Input::Index(*k),
            Value::Range(a, b) => Input::Range(*a, *b),
            Value::Str(s) => Input::Str(s.clone()),
            Value::Obj(s, o) => Input::Obj(*s, *o),
            Value::Dyn(name) => Input::Dyn(name.clone()),
            Value::Data(taint) if taint.is_empty() => Input::Data(taint.computed),
            Value::Tuple(items) => {
                Input::Tuple(items.iter().map(Input::of).collect::<Option<_>>()?)
            }
            _ => return None,
        })
    }
}

/// A call: the function, whether a receiver was given apart from the arguments, its inputs, and
/// whether the objects made now stand for several (the call is in a loop, or in a thread that
/// runs many times): every object a call made there stands for several, whatever the callee does.
pub(super) type CallKey = (FnId, bool, Box<[Input]>, bool);

/// Where the store stood when a call began: what is above it was made by the call.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mark {
    objects: ObjectId,
    bags: usize,
    vars: usize,
    lazy_objects: usize,
    guards: usize,
}

/// What a call returned and the objects and collections it made for it.
#[derive(Debug)]
pub(super) struct Made<'a> {
    result: Value<'a>,
    objects: Vec<MadeObject<'a>>,
    /// Each collection made, with what one element was.
    bags: Vec<(BagId, Option<Value<'a>>)>,
    /// The drop token of each object made whose type has a `Drop` impl (see `drops`): the
    /// result carries them to the caller.
    tokens: Vec<MadeToken>,
    /// Its walk took one arm of a branch on its literal inputs: so does each walk that reuses it
    /// (which is then not taken for any arguments).
    decided: bool,
}

#[derive(Debug)]
struct MadeToken {
    id: GuardId,
    of: StructId,
    object: ObjectId,
    span: Span,
}

#[derive(Debug)]
struct MadeObject<'a> {
    of: StructId,
    id: ObjectId,
    /// Stands for several (made in a loop, of the callee or around the call).
    several: bool,
    name: Option<String>,
    fields: Vec<(FieldId, Value<'a>)>,
    /// The drop tokens it owns (its own, its fields').
    tokens: Vec<GuardId>,
}

impl<'a> Interp<'a> {
    pub(super) fn mark(&self) -> Mark {
        Mark {
            objects: self.store.objects,
            bags: self.store.bags.len(),
            vars: self.store.var_names.len(),
            lazy_objects: self.store.lazy_objects.len(),
            guards: self.walk.guards.len(),
        }
    }

    /// What a call with this key returned, made anew, if it was kept.
    pub(super) fn reuse(&mut self, key: &CallKey) -> Option<Value<'a>> {
        let made = self.memo.made.get(key)?.clone();
        if made.decided {
            self.walk.branches_decided += 1;
        }
        Some(self.make_again(&made))
    }

    /// Keeps what a call walked since `mark` returned, when it can be made again.
    pub(super) fn keep(&mut self, key: CallKey, result: &Value<'a>, mark: Mark, decided: bool) {
        // Objects made by the call but cached as the lazily made field of an older object (or a
        // static) are that field's: a second walk would find them, not make new ones.
        let mut owned: HashMap<ObjectId, ObjectId> = HashMap::new();
        for &(owner, object) in &self.store.lazy_objects[mark.lazy_objects..] {
            owned.insert(object, owner);
        }
        let mut collect = Collect {
            mark,
            owned,
            made: Made {
                result: result.clone(),
                objects: Vec::new(),
                bags: Vec::new(),
                tokens: Vec::new(),
                decided,
            },
            seen_objects: HashSet::new(),
            seen_bags: HashSet::new(),
        };
        if !collect.value(self, result) {
            return;
        }
        // Guards made by the call are drop tokens of objects it made and returns, as many as
        // those objects own, or it is not kept.
        let carried = self.owned_guards(result);
        let objects: HashSet<ObjectId> = collect.made.objects.iter().map(|o| o.id).collect();
        for id in mark.guards..self.walk.guards.len() {
            let info = &self.walk.guards[id];
            let id = id as GuardId;
            match info.holds {
                Holds::Object {
                    ty,
                    object,
                    dropped: false,
                } if objects.contains(&object) && carried.contains(&id) => {
                    collect.made.tokens.push(MadeToken {
                        id,
                        of: ty,
                        object,
                        span: info.span.clone(),
                    });
                }
                _ => return,
            }
        }
        let made: HashSet<GuardId> = collect.made.tokens.iter().map(|t| t.id).collect();
        if collect
            .made
            .objects
            .iter()
            .any(|o| o.tokens.iter().any(|t| !made.contains(t)))
        {
            // An object made holds a token from before the call (moved into one of its fields).
            return;
        }
        self.memo.made.insert(key, Rc::new(collect.made));
    }

    /// The objects and collections of `made` made anew, and its result naming them.
    fn make_again(&mut self, made: &Made<'a>) -> Value<'a> {
        let mut objects = HashMap::new();
        for object in &made.objects {
            let id = self.new_object();
            if object.several {
                self.store.several_objects.insert(id);
            }
            if let Some(name) = &object.name {
                self.store.object_names.insert(id, name.clone());
            }
            objects.insert(object.id, id);
        }
        let mut bags = HashMap::new();
        for &(bag, _) in &made.bags {
            self.store.bags.push(None);
            bags.insert(bag, self.store.bags.len() as BagId - 1);
        }
        let mut tokens = HashMap::new();
        for token in &made.tokens {
            tokens.insert(token.id, self.walk.guards.len() as GuardId);
            let info = GuardInfo {
                holds: Holds::Object {
                    ty: token.of,
                    object: objects[&token.object],
                    dropped: false,
                },
                span: token.span.clone(),
                event: self.event_count(),
                tried: false,
                reads: 0,
                in_option: false,
                frames: self.frame_ids(),
            };
            self.walk.guards.push(info);
        }
        for object in made.objects.iter().filter(|o| !o.tokens.is_empty()) {
            let owned = object.tokens.iter().map(|t| tokens[t]).collect();
            self.store.object_guards.insert(objects[&object.id], owned);
        }
        let renamed = Renamed {
            objects: &objects,
            bags: &bags,
        };
        for (bag, content) in &made.bags {
            self.store.bags[bags[bag] as usize] = content.as_ref().map(|v| renamed.value(v));
        }
        for object in &made.objects {
            let id = objects[&object.id];
            for (field, value) in &object.fields {
                let value = renamed.value(value);
                self.store.fields.insert_by_id(object.of, id, *field, value);
            }
        }
        let result = renamed.value(&made.result);
        // As the call's return hands them on: temporaries of the caller's statement.
        if !self.walk.frames.is_empty() {
            for token in self.owned_guards(&result) {
                self.add_temp(token);
            }
        }
        result
    }
}

/// The identities of a reuse: old object and collection ids to the new ones.
struct Renamed<'m> {
    objects: &'m HashMap<ObjectId, ObjectId>,
    bags: &'m HashMap<BagId, BagId>,
}

impl Renamed<'_> {
    fn value<'a>(&self, value: &Value<'a>) -> Value<'a> {
        match value {
            Value::Obj(s, o) => Value::Obj(*s, *self.objects.get(o).unwrap_or(o)),
            Value::Bag(b) => Value::Bag(*self.bags.get(b).unwrap_or(b)),
            Value::Tuple(items) => Value::Tuple(items.iter().map(|v| self.value(v)).collect()),
            other => other.clone(),
        }
    }
}

/// Gathers the objects and collections a result reaches that the call made.
struct Collect<'a> {
    mark: Mark,
    /// Objects made by the call that are a lazily made field of another object: by object.
    owned: HashMap<ObjectId, ObjectId>,
    made: Made<'a>,
    seen_objects: HashSet<ObjectId>,
    seen_bags: HashSet<BagId>,
}

impl<'a> Collect<'a> {
    /// Adds what `value` reaches; false when something in it cannot be made again.
    fn value(&mut self, interp: &Interp<'a>, value: &Value<'a>) -> bool {
        match value {
            Value::Unknown
            | Value::Int(_)
            | Value::Range(..)
            | Value::Str(_)
            | Value::Dyn(_)
            // Primitives are not made by a call that recorded nothing: an older one, kept.
            | Value::Prim(_)
            | Value::Prims(_) => true,
            Value::Index(IndexKey::Rotated { var, .. }) => (var.0 as usize) < self.mark.vars,
            Value::Index(_) => true,
            Value::Data(taint) => taint.is_empty(),
            Value::Tuple(items) => items.iter().all(|v| self.value(interp, v)),
            Value::Obj(s, o) => self.object(interp, *s, *o),
            Value::Bag(b) => self.bag(interp, *b),
            _ => false,
        }
    }

    fn made_by_call(&self, object: ObjectId) -> bool {
        if object <= self.mark.objects {
            return false;
        }
        match self.owned.get(&object) {
            Some(&owner) => self.made_by_call(owner),
            None => true,
        }
    }

    fn object(&mut self, interp: &Interp<'a>, s: StructId, object: ObjectId) -> bool {
        if !self.made_by_call(object) || !self.seen_objects.insert(object) {
            return true;
        }
        let mut fields = Vec::new();
        for (name, _) in interp.index.structs[s.index()].fields() {
            let Some(id) = interp.store.fields.id_of(name) else {
                continue;
            };
            if let Some(value) = interp.store.fields.get_by_id(s, object, id) {
                if !self.value(interp, value) {
                    return false;
                }
                fields.push((id, value.clone()));
            }
        }
        self.made.objects.push(MadeObject {
            of: s,
            id: object,
            several: interp.store.several_objects.contains(&object),
            name: interp.store.object_names.get(&object).cloned(),
            fields,
            tokens: interp
                .store
                .object_guards
                .get(&object)
                .cloned()
                .unwrap_or_default(),
        });
        true
    }

    fn bag(&mut self, interp: &Interp<'a>, bag: BagId) -> bool {
        if (bag as usize) < self.mark.bags || !self.seen_bags.insert(bag) {
            return true;
        }
        let content = interp.store.bags[bag as usize].clone();
        if let Some(v) = &content {
            if !self.value(interp, v) {
                return false;
            }
        }
        self.made.bags.push((bag, content));
        true
    }
}
