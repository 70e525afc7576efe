//! What the fields of objects hold, by struct, object and field name.
//!
//! A crate's model may make hundreds of thousands of objects (a call reused makes its objects
//! anew each time), most with a field or two: each object's fields are a short list of its own,
//! found by the object's id (ids are dense, from 1), with field names interned; a lookup by a
//! name never seen finds nothing without allocating. A hash map of every field would take twice
//! the room, and half as much again while it grows. The fields of any object of a struct
//! ([`ANY_OBJECT`]) are few and are kept apart, by struct.
use crate::frontend::index::StructId;
use crate::model::value::{ObjectId, Value, ANY_OBJECT};
use std::collections::HashMap;

/// A field name, interned.
pub(super) type FieldId = u32;

#[derive(Debug, Default)]
pub(super) struct ObjectFields<'a> {
    /// By object id: what its fields hold.
    of_object: Vec<Vec<(StructId, FieldId, Value<'a>)>>,
    of_any: HashMap<(StructId, FieldId), Value<'a>>,
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
        if object == ANY_OBJECT {
            return self.of_any.get(&(s, id));
        }
        let fields = self.of_object.get(object as usize)?;
        fields
            .iter()
            .find(|(of, field, _)| (*of, *field) == (s, id))
            .map(|(_, _, value)| value)
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
        if object == ANY_OBJECT {
            self.of_any.insert((s, id), value);
            return;
        }
        let at = object as usize;
        if self.of_object.len() <= at {
            self.of_object.resize_with(at + 1, Vec::new);
        }
        let fields = &mut self.of_object[at];
        match fields
            .iter_mut()
            .find(|(of, field, _)| (*of, *field) == (s, id))
        {
            Some((_, _, old)) => *old = value,
            None => {
                // Grown one by one: most objects have a field or two.
                fields.reserve_exact(1);
                fields.push((s, id, value));
            }
        }
    }

    pub(super) fn remove(&mut self, s: StructId, object: ObjectId, field: &str) {
        let Some(&id) = self.ids.get(field) else {
            return;
        };
        if object == ANY_OBJECT {
            self.of_any.remove(&(s, id));
        } else if let Some(fields) = self.of_object.get_mut(object as usize) {
            fields.retain(|(of, field, _)| (*of, *field) != (s, id));
        }
    }

    /// Every field that holds something, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (StructId, ObjectId, &str, &Value<'a>)> {
        let any = self
            .of_any
            .iter()
            .map(|(&(s, id), value)| (s, ANY_OBJECT, id, value));
        let objects = self
            .of_object
            .iter()
            .enumerate()
            .flat_map(|(object, fields)| {
                fields
                    .iter()
                    .map(move |(s, id, value)| (*s, object as ObjectId, *id, value))
            });
        any.chain(objects)
            .map(|(s, object, id, value)| (s, object, &*self.names[id as usize], value))
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
