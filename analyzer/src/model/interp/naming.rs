//! How primitives and threads are named in messages: after the binding, field or struct that
//! holds them, told apart by object when one field is several primitives.
use super::Interp;
use crate::frontend::index::StructId;
use crate::model::value::{ObjectId, Value, ANY_OBJECT};
use crate::model::{IdRank, IndexKey, PrimId, PrimKind};
use std::collections::{HashMap, HashSet};

impl<'a> Interp<'a> {
    /// Names what a binding holds after the binding, unless a better name is known: a
    /// primitive (or the family of a collection of them), or a thread spawned without a name.
    pub(super) fn name_after_binding(&mut self, value: &Value<'a>, name: &str) {
        let prim = match value {
            Value::Prim(p) => Some(*p),
            Value::Bag(b) => match self.bag_peek(*b) {
                Value::Prim(p) => Some(p),
                _ => None,
            },
            Value::Threads(threads) => {
                for t in threads.iter() {
                    let template = &mut self.model.templates[t.0 as usize];
                    if !template.named {
                        template.named = true;
                        template.name = name.trim_start_matches('_').to_owned();
                    }
                }
                None
            }
            Value::Obj(_, object) if *object != ANY_OBJECT => {
                self.store
                    .object_names
                    .entry(*object)
                    .or_insert_with(|| name.to_owned());
                None
            }
            _ => None,
        };
        if let Some(p) = prim {
            let i = p.0 as usize;
            if !self.store.prim_named[i] && self.model.prims[i].element.is_none() {
                self.store.prim_named[i] = true;
                self.model.prims[i].name = name.to_owned();
            }
        }
    }

    /// Fields are named after their struct (`Account.balance`); when the field is several
    /// primitives (of several objects), each is named after the binding of its object
    /// (`from.balance`, `to.balance`) so messages tell them apart. Elements of a renamed family
    /// follow.
    pub(super) fn name_fields_apart(&mut self) {
        self.name_objects_after_their_fields();
        let mut prims_per_field: HashMap<(StructId, &str), Vec<PrimId>> = HashMap::new();
        for (s, object, field, value) in self.store.fields.iter() {
            if let (Value::Prim(p), false) = (value, object == ANY_OBJECT) {
                let prims = prims_per_field.entry((s, field)).or_default();
                if !prims.contains(p) {
                    prims.push(*p);
                }
            }
        }
        let mut renamed: Vec<(PrimId, String, String)> = Vec::new();
        for (s, object, field, value) in self.store.fields.iter() {
            let Value::Prim(p) = value else {
                continue;
            };
            let generic = format!("{}.{field}", self.index.structs[s.index()].name);
            let several = prims_per_field
                .get(&(s, field))
                .is_some_and(|prims| prims.len() > 1);
            match self.store.object_names.get(&object) {
                Some(binding) if several && self.model.prim(*p).name == generic => {
                    renamed.push((*p, generic, format!("{binding}.{field}")));
                }
                _ => {}
            }
        }
        // A primitive two named objects hold is renamed once, the same way on every run.
        renamed.sort();
        renamed.dedup_by_key(|(id, _, _)| *id);
        for (id, old, name) in renamed {
            self.model.prims[id.0 as usize].name = name.clone();
            for info in &mut self.model.prims {
                if info.element.is_some_and(|(family, _)| family == id) {
                    if let Some(index) = info.name.strip_prefix(&old) {
                        info.name = format!("{name}{index}");
                    }
                }
            }
        }
    }
}

impl Interp<'_> {
    /// An object no binding names, kept in a field of another (`Cache { a: Shard { .. } }`), is
    /// named after that field (`cache.a` when the holder is bound, else `Cache.a`), so its own
    /// fields read `cache.a.data`. Of several holders, a bound one first, then the least name,
    /// whatever the map's order. Only objects holding a primitive are named: no other name is
    /// read (a crate's model may make hundreds of thousands of plain objects).
    fn name_objects_after_their_fields(&mut self) {
        let holding_prims: HashSet<ObjectId> = self
            .store
            .fields
            .iter()
            .filter(|(_, _, _, value)| matches!(value, Value::Prim(_)))
            .map(|(_, object, _, _)| object)
            .collect();
        let mut names: Vec<(ObjectId, bool, String)> = Vec::new();
        for (s, holder, field, value) in self.store.fields.iter() {
            let Value::Obj(_, object) = value else {
                continue;
            };
            if *object == ANY_OBJECT
                || !holding_prims.contains(object)
                || self.store.object_names.contains_key(object)
            {
                continue;
            }
            let (unbound, holder_name) = match self.store.object_names.get(&holder) {
                Some(binding) if holder != ANY_OBJECT => (false, binding.as_str()),
                _ => (true, self.index.structs[s.index()].name.as_str()),
            };
            names.push((*object, unbound, format!("{holder_name}.{field}")));
        }
        names.sort_unstable();
        names.dedup_by_key(|(object, _, _)| *object);
        let names = names.into_iter().map(|(object, _, name)| (object, name));
        self.store.object_names.extend(names);
    }

    /// How an index is written in an element's name (`i`, `(i + 1) % n`, `_`).
    pub(super) fn index_text(&self, index: IndexKey) -> String {
        match index {
            IndexKey::Const(c) => c.to_string(),
            IndexKey::Rotated { var, offset, wraps } => {
                let var = &self.store.var_names[var.0 as usize];
                match (offset, wraps) {
                    (0, false) => var.clone(),
                    (0, true) => format!("{var} % n"),
                    (o, false) => format!("{var} {} {}", if o < 0 { '-' } else { '+' }, o.abs()),
                    (o, true) => {
                        format!("({var} {} {}) % n", if o < 0 { '-' } else { '+' }, o.abs())
                    }
                }
            }
            IndexKey::Id(IdRank::Any) => "id".to_owned(),
            IndexKey::Id(IdRank::Low) => "low id".to_owned(),
            IndexKey::Id(IdRank::High) => "high id".to_owned(),
            IndexKey::Unknown => "_".to_owned(),
        }
    }
}

/// The name of a primitive made by a constructor, before a binding names it.
pub(super) fn kind_name(kind: PrimKind) -> &'static str {
    match kind {
        PrimKind::Lock => "lock",
        PrimKind::RLock => "rlock",
        PrimKind::RwLock => "rwlock",
        PrimKind::Event => "event",
        PrimKind::Condition => "condition",
        PrimKind::Semaphore => "semaphore",
        PrimKind::Barrier => "barrier",
        PrimKind::Queue => "queue",
        PrimKind::JoinableQueue => "joinable queue",
        PrimKind::Connection => "connection",
        PrimKind::Pool => "pool",
        PrimKind::Shared => "shared value",
    }
}
