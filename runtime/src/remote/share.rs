//! Shared objects in serde form. Serializing a [`Queue`], [`JoinableQueue`], pipe
//! [`Connection`], static [`Event`] or static [`Lock`] (as a [`Process`](crate::Process)'s argument) exports it from
//! this process's server and writes its [`RemoteRef`]; deserializing one (in the child) gives an
//! object of the same type whose operations are calls to that server ([`Remote`]). A remote
//! object passed on again is written as the same reference.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::client::{Link, Unacked};
use super::protocol::{Op, Reply, Wait};
use super::served::{ServedConnection, ServedEvent, ServedLock, ServedQueue, StaticOrOwned};
use super::{export, RemoteRef, Served};
use crate::{Connection, Event, JoinableQueue, Lock, Queue};

/// How a remote object's items cross: chosen where the item type's serde bounds are known, so
/// the primitives' own methods need none.
struct Codec<T> {
    encode: fn(&T) -> Result<Value, serde_json::Error>,
    decode: fn(Value) -> Result<T, serde_json::Error>,
}

/// A primitive living in another process: its reference, and how its items cross.
pub(crate) struct Remote<T> {
    target: RemoteRef,
    codec: Codec<T>,
    /// What the object is, for error messages.
    what: &'static str,
    /// A queue's capacity, asked once: a put into an unbounded queue never waits, so it is sent
    /// without waiting for its reply.
    capacity: OnceLock<Option<usize>>,
    /// A pipe end: an earlier send found the other end gone.
    ended: Arc<AtomicBool>,
    items: PhantomData<fn(T) -> T>,
}

impl<T: Serialize + DeserializeOwned> Remote<T> {
    pub(crate) fn new(target: RemoteRef, what: &'static str) -> Self {
        Remote {
            target,
            codec: Codec {
                encode: |item| serde_json::to_value(item),
                decode: serde_json::from_value,
            },
            what,
            capacity: OnceLock::new(),
            ended: Arc::default(),
            items: PhantomData,
        }
    }
}

impl<T> Remote<T> {
    pub(crate) fn target(&self) -> &RemoteRef {
        &self.target
    }

    #[track_caller]
    pub(crate) fn call(&self, op: Op) -> Reply {
        self.target.expect(self.what, op)
    }

    #[track_caller]
    fn encode(&self, item: &T) -> Value {
        (self.codec.encode)(item).unwrap_or_else(|error| {
            panic!(
                "racecheck: an item for a {} in another process cannot be serialized: {error}",
                self.what
            )
        })
    }

    #[track_caller]
    fn item(&self, reply: Reply) -> Option<T> {
        match reply {
            Reply::Item(value) => Some((self.codec.decode)(value).unwrap_or_else(|error| {
                panic!("racecheck: an item from a {} in another process does not fit its type: {error}", self.what)
            })),
            Reply::Nothing => None,
            reply => self.unexpected(reply),
        }
    }

    #[track_caller]
    pub(crate) fn flag(&self, op: Op) -> bool {
        match self.call(op) {
            Reply::Flag(flag) => flag,
            reply => self.unexpected(reply),
        }
    }

    #[track_caller]
    pub(crate) fn count(&self, op: Op) -> usize {
        match self.call(op) {
            Reply::Count(count) => count,
            reply => self.unexpected(reply),
        }
    }

    #[track_caller]
    fn unexpected(&self, reply: Reply) -> ! {
        panic!(
            "racecheck: the server of a {} answered {reply:?}",
            self.what
        )
    }

    /// Puts `item`, waiting as `wait` says; gives it back if there was no room.
    #[track_caller]
    pub(crate) fn put(&self, item: T, wait: Wait) -> Result<(), T> {
        let value = self.encode(&item);
        if matches!(wait, Wait::Forever) && self.capacity().is_none() {
            let put = Op::Put { item: value, wait };
            self.sent(put, Unacked::Put { what: self.what });
            return Ok(());
        }
        if self.flag(Op::Put { item: value, wait }) {
            Ok(())
        } else {
            Err(item)
        }
    }

    #[track_caller]
    pub(crate) fn get(&self, wait: Wait) -> Option<T> {
        let reply = self.call(Op::Get { wait });
        self.item(reply)
    }

    #[track_caller]
    pub(crate) fn capacity(&self) -> Option<usize> {
        *self.capacity.get_or_init(|| match self.call(Op::Capacity) {
            Reply::Capacity(capacity) => capacity,
            reply => self.unexpected(reply),
        })
    }

    /// `false` when an earlier send found the other end gone. The send itself does not wait
    /// for its reply: like a write to a socket, a send into a pipe whose other end has just
    /// gone succeeds, and the next one fails.
    #[track_caller]
    pub(crate) fn send(&self, item: &T) -> bool {
        if self.ended.load(Ordering::SeqCst) {
            return false;
        }
        let value = self.encode(item);
        let ended = Arc::clone(&self.ended);
        self.sent(Op::Send { item: value }, Unacked::Send { ended });
        true
    }

    /// Sends `op` without waiting for its reply (see `client::Link`).
    #[track_caller]
    fn sent(&self, op: Op, unacked: Unacked) {
        self.target.send(op, unacked).unwrap_or_else(|error| {
            panic!(
                "racecheck: a {} shared from another process: {error}",
                self.what
            )
        });
    }

    #[track_caller]
    pub(crate) fn recv(&self) -> Option<T> {
        let reply = self.call(Op::Recv);
        self.item(reply)
    }
}

/// `Forever`, or the timeout.
pub(crate) fn wait_for(d: Option<Duration>) -> Wait {
    d.map_or(Wait::Forever, Wait::timeout)
}

fn export_or_fail<S: Serializer>(object: Arc<dyn Served>) -> Result<RemoteRef, S::Error> {
    export(object).map_err(serde::ser::Error::custom)
}

/// Writes a shared object: the reference it already is, or that of its export (`served`).
fn write_shared<S: Serializer, T>(
    remote: Option<&Remote<T>>,
    served: impl FnOnce() -> Arc<dyn Served>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match remote {
        Some(remote) => remote.target().serialize(serializer),
        None => export_or_fail::<S>(served())?.serialize(serializer),
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Serialize for Queue<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_shared(
            self.remote(),
            || Arc::new(ServedQueue::plain(self.clone())),
            serializer,
        )
    }
}

impl<'de, T: Serialize + DeserializeOwned + Send + 'static> Deserialize<'de> for Queue<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let target = RemoteRef::deserialize(deserializer)?;
        Ok(Queue::from_remote(Remote::new(target, "Queue")))
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Serialize for JoinableQueue<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_shared(
            self.queue().remote(),
            || Arc::new(ServedQueue::joinable(self.clone())),
            serializer,
        )
    }
}

impl<'de, T: Serialize + DeserializeOwned + Send + 'static> Deserialize<'de> for JoinableQueue<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let target = RemoteRef::deserialize(deserializer)?;
        Ok(JoinableQueue::from_remote(Remote::new(
            target,
            "JoinableQueue",
        )))
    }
}

/// `object` as a `&'static`, if it lies in the executable's static data: only such an object
/// can be exported without a handle, since the server refers to it for as long as it serves it.
fn as_static<T, E: serde::ser::Error>(object: &T, what: &str) -> Result<&'static T, E> {
    if !crate::explore::is_static_address(std::ptr::from_ref(object) as usize) {
        return Err(E::custom(format!(
            "only a static {what} (or one from a Manager) can be given to a Process"
        )));
    }
    // SAFETY: `object` lies in the executable's static data, so it lives as long as the process.
    Ok(unsafe { &*std::ptr::from_ref(object) })
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(remote) = self.remote() {
            return remote.serialize(serializer);
        }
        let event = as_static::<_, S::Error>(self, "Event")?;
        let served = Arc::new(ServedEvent(StaticOrOwned::Static(event)));
        export_or_fail::<S>(served)?.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RemoteRef::deserialize(deserializer).map(Event::from_remote)
    }
}

/// A `&'static Event` argument (the parent's static) arrives in the child as an event of the
/// child's own, which lives for the rest of the child.
impl<'de> Deserialize<'de> for &'static Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Event::deserialize(deserializer).map(|event| &*Box::leak(Box::new(event)))
    }
}

/// A lock that guards no data (Python's `Lock`) can be shared: processes share no memory, so
/// there would be no data for a child's guard to reach.
impl Serialize for Lock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(remote) = self.remote() {
            return remote.target.serialize(serializer);
        }
        let lock = as_static::<_, S::Error>(self, "Lock")?;
        let served = Arc::new(ServedLock::new(StaticOrOwned::Static(lock)));
        export_or_fail::<S>(served)?.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Lock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RemoteRef::deserialize(deserializer)
            .map(|target| Lock::from_remote(RemoteLock::new(target)))
    }
}

/// A `&'static Lock` argument arrives in the child as a lock of the child's own, which lives for
/// the rest of the child.
impl<'de> Deserialize<'de> for &'static Lock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Lock::deserialize(deserializer).map(|lock| &*Box::leak(Box::new(lock)))
    }
}

/// A [`Lock`] living in another process. While one of this process's threads holds it, the
/// connection it was taken on is kept here: the server lets the lock go if that connection
/// closes, so a holder that dies never leaves it taken.
pub(crate) struct RemoteLock {
    target: RemoteRef,
    held: Mutex<Option<Link>>,
}

impl RemoteLock {
    pub(crate) fn new(target: RemoteRef) -> Self {
        RemoteLock {
            target,
            held: Mutex::new(None),
        }
    }

    /// Takes the lock, waiting as `wait` says; `false` if it stayed taken.
    #[track_caller]
    pub(crate) fn acquire(&self, wait: Wait) -> bool {
        match self.target.call_keeping(Op::Acquire { wait }) {
            Ok((Reply::Flag(true), link)) => {
                *self.held.lock() = Some(link);
                true
            }
            Ok((Reply::Flag(false), link)) => {
                link.give_back();
                false
            }
            Ok((reply, _)) => panic!("racecheck: the server of a Lock answered {reply:?}"),
            Err(error) => panic!("racecheck: a Lock shared from another process: {error}"),
        }
    }

    /// Lets the lock go. Should the server be gone, the lock went with it: nothing is left to
    /// release.
    pub(crate) fn release(&self) {
        if let Some(mut link) = self.held.lock().take() {
            if link.call(self.target.object, Op::Release).is_ok() {
                link.give_back();
            }
        }
    }

    #[track_caller]
    pub(crate) fn locked(&self) -> bool {
        match self.target.expect("a Lock", Op::Locked) {
            Reply::Flag(locked) => locked,
            reply => panic!("racecheck: the server of a Lock answered {reply:?}"),
        }
    }
}

/// Serializing an end of a pipe hands it over: the server keeps a handle to the same channels
/// until the child drops its end.
impl<T: Serialize + DeserializeOwned + Send + 'static> Serialize for Connection<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_shared(
            self.remote(),
            || Arc::new(ServedConnection::new(self.share())),
            serializer,
        )
    }
}

impl<'de, T: Serialize + DeserializeOwned + Send + 'static> Deserialize<'de> for Connection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let target = RemoteRef::deserialize(deserializer)?;
        Ok(Connection::from_remote(Remote::new(target, "pipe end")))
    }
}
