//! The Manager's map and list: handles on a server's collection, each operation one call.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::Items;
use crate::remote::protocol::{Op, Reply};
use crate::remote::{RemoteError, RemoteRef};

fn encode<T: Serialize>(value: &T) -> Result<Value, RemoteError> {
    serde_json::to_value(value).map_err(|error| RemoteError::Refused {
        reason: format!("the value cannot be serialized: {error}"),
    })
}

fn decode<T: DeserializeOwned>(value: Value) -> Result<T, RemoteError> {
    serde_json::from_value(value).map_err(|error| RemoteError::Refused {
        reason: format!("a stored value does not fit the type asked for: {error}"),
    })
}

fn unexpected<T>(reply: Reply) -> Result<T, RemoteError> {
    Err(RemoteError::Refused {
        reason: format!("unexpected answer {reply:?}"),
    })
}

/// An optional item: `Some` for `Reply::Item`, `None` for `Reply::Nothing`.
fn maybe<T: DeserializeOwned>(reply: Reply) -> Result<Option<T>, RemoteError> {
    match reply {
        Reply::Item(value) => decode(value).map(Some),
        Reply::Nothing => Ok(None),
        reply => unexpected(reply),
    }
}

fn count(reply: Reply) -> Result<usize, RemoteError> {
    match reply {
        Reply::Count(count) => Ok(count),
        reply => unexpected(reply),
    }
}

/// A map served by a [`Manager`](super::Manager) (Python: `manager.dict()`); clones and copies
/// given to processes all reach the same map.
pub struct Dict<K, V> {
    target: RemoteRef,
    types: Items<(K, V)>,
}

impl<K: Serialize + DeserializeOwned, V: Serialize + DeserializeOwned> Dict<K, V> {
    pub(super) fn new(target: RemoteRef) -> Self {
        Dict {
            target,
            types: Items::default(),
        }
    }

    /// The value under `key`, if any.
    pub fn get(&self, key: &K) -> Result<Option<V>, RemoteError> {
        maybe(self.target.call(Op::DictGet { key: encode(key)? })?)
    }

    /// Sets `key` to `value`; the value it replaces, if any.
    pub fn insert(&self, key: K, value: V) -> Result<Option<V>, RemoteError> {
        let op = Op::DictInsert {
            key: encode(&key)?,
            value: encode(&value)?,
        };
        maybe(self.target.call(op)?)
    }

    /// Removes `key`; its value, if it had one.
    pub fn remove(&self, key: &K) -> Result<Option<V>, RemoteError> {
        maybe(self.target.call(Op::DictRemove { key: encode(key)? })?)
    }

    /// How many entries there are.
    pub fn len(&self) -> Result<usize, RemoteError> {
        count(self.target.call(Op::Len)?)
    }

    /// `true` if there is no entry.
    pub fn is_empty(&self) -> Result<bool, RemoteError> {
        self.len().map(|len| len == 0)
    }

    /// A copy of every entry, ordered by the keys' serde form.
    pub fn items(&self) -> Result<Vec<(K, V)>, RemoteError> {
        match self.target.call(Op::DictItems)? {
            Reply::Pairs(pairs) => pairs
                .into_iter()
                .map(|(key, value)| Ok((decode(key)?, decode(value)?)))
                .collect(),
            reply => unexpected(reply),
        }
    }
}

/// A list served by a [`Manager`](super::Manager) (Python: `manager.list()`).
pub struct List<T> {
    target: RemoteRef,
    types: Items<T>,
}

impl<T: Serialize + DeserializeOwned> List<T> {
    pub(super) fn new(target: RemoteRef) -> Self {
        List {
            target,
            types: Items::default(),
        }
    }

    /// Appends `item`; the list's new length.
    pub fn push(&self, item: T) -> Result<usize, RemoteError> {
        count(self.target.call(Op::ListPush {
            item: encode(&item)?,
        })?)
    }

    /// The item at `index`, if there is one.
    pub fn get(&self, index: usize) -> Result<Option<T>, RemoteError> {
        maybe(self.target.call(Op::ListGet { index })?)
    }

    /// Replaces the item at `index`; the item it replaced. An index past the end is refused.
    pub fn set(&self, index: usize, item: T) -> Result<T, RemoteError> {
        let op = Op::ListSet {
            index,
            item: encode(&item)?,
        };
        match self.target.call(op)? {
            Reply::Item(old) => decode(old),
            reply => unexpected(reply),
        }
    }

    /// How many items there are.
    pub fn len(&self) -> Result<usize, RemoteError> {
        count(self.target.call(Op::Len)?)
    }

    /// `true` if there is no item.
    pub fn is_empty(&self) -> Result<bool, RemoteError> {
        self.len().map(|len| len == 0)
    }

    /// A copy of every item, in order.
    pub fn items(&self) -> Result<Vec<T>, RemoteError> {
        match self.target.call(Op::ListItems)? {
            Reply::Items(items) => items.into_iter().map(decode).collect(),
            reply => unexpected(reply),
        }
    }
}

macro_rules! handle_traits {
    ($name:ident < $($param:ident),+ >) => {
        impl<$($param),+> Clone for $name<$($param),+> {
            fn clone(&self) -> Self {
                $name { target: self.target.clone(), types: Items::default() }
            }
        }

        impl<$($param),+> std::fmt::Debug for $name<$($param),+> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("server", &self.target.address.to_string()).finish_non_exhaustive()
            }
        }

        /// Written as its reference, so a copy given to a process reaches the same collection.
        impl<$($param),+> Serialize for $name<$($param),+> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.target.serialize(serializer)
            }
        }

        impl<'de, $($param),+> Deserialize<'de> for $name<$($param),+> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                RemoteRef::deserialize(deserializer).map(|target| $name { target, types: Items::default() })
            }
        }
    };
}

handle_traits!(Dict<K, V>);
handle_traits!(List<T>);
