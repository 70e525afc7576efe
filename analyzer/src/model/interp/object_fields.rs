//! What the fields of objects hold, by struct, object and field name.
//!
//! A crate's model may make hundreds of thousands of objects (a call reused makes its objects
//! anew each time), so a key is three integers: field names are interned once, and a lookup by
//! a name never seen finds nothing without allocating.
use crate::frontend::index::StructId;
use crate::model::value::{ObjectId, Value};
use std::collections::HashMap;

/// A field name, interned.
pub(super) type FieldId = u32;

#[derive(Debug, Default)]
pub(super) struct ObjectFields<'a> {
    values: HashMap<(StructId, ObjectId, FieldId), Value<'a>>,
    ids: HashMap<Box<str>, FieldId>,
    names: Vec<Box<str>>,
}

impl<'a> ObjectFields<'a> {
    pub(super) fn get(&self, s: StructId, object: ObjectId, field: &str) -> Option<&Value<'a>> {
        self.get_by_id(s, object, *self.ids.get(field)?)
    }

    /// The field named `field` holds something in some object: its id.
    pub(super) fn id_of(&self, field: &str) -> Option<FieldId> {
        self.ids.get(field).copied()
    }

    pub(super) fn get_by_id(
        &self,
        s: StructId,
        object: ObjectId,
        id: FieldId,
    ) -> Option<&Value<'a>> {
        self.values.get(&(s, object, id))
    }

    pub(super) fn insert(&mut self, s: StructId, object: ObjectId, field: &str, value: Value<'a>) {
        let id = self.id(field);
        self.insert_by_id(s, object, id, value);
    }

    /// `id` must come from this store.
    pub(super) fn insert_by_id(
        &mut self,
        s: StructId,
        object: ObjectId,
        id: FieldId,
        value: Value<'a>,
    ) {
        self.values.insert((s, object, id), value);
    }

    pub(super) fn remove(&mut self, s: StructId, object: ObjectId, field: &str) {
        if let Some(&id) = self.ids.get(field) {
            self.values.remove(&(s, object, id));
        }
    }

    /// Every field that holds something, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (StructId, ObjectId, &str, &Value<'a>)> {
        self.values
            .iter()
            .map(|(&(s, object, id), value)| (s, object, &*self.names[id as usize], value))
    }

    fn id(&mut self, field: &str) -> FieldId {
        if let Some(&id) = self.ids.get(field) {
            return id;
        }
        let id = self.names.len() as FieldId;
        self.names.push(field.into());
        self.ids.insert(field.into(), id);
        id
    }
}
