//! What a server does with each kind of object: the [`Served`] trait and its implementations
//! for queues, joinable queues, events, locks and pipe ends (a process's own, of any item type), and
//! for the kinds a Manager creates by name, whose items stay in their serde form.

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::mem::forget;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::client::Stream;
use super::handoff::{Handoff, Offer, Ticket};
use super::protocol::{Kind, Op, Reply, Wait};
use super::wire::write_frame;
use crate::{Connection, Event, JoinableQueue, Lock, Queue};

/// How often a blocked operation looks whether its client is still there.
const PEER_CHECK: Duration = Duration::from_millis(100);

/// The client a request came from: its connection's number, whether it is gone (a blocked
/// operation then gives up), and its socket, through which a put on another thread may answer a
/// blocked get directly (`handoff.rs`).
pub(crate) struct Peer<'a> {
    connection: u64,
    gone: &'a dyn Fn() -> bool,
    socket: Option<&'a Arc<Stream>>,
    handed: Cell<Option<Handed>>,
}

/// A request whose reply is not the server's to send: it was written already, or a later put
/// writes it.
pub(crate) enum Handed {
    /// The reply was written to the client (by the hand-off).
    Answered,
    /// The client waits in the channel's hand-off (a blocked get or recv).
    Parked(Parked),
}

/// A blocked get or recv registered in its channel's hand-off: the put that brings an item
/// answers the client, while the connection's thread reads on (the client sends nothing more
/// until answered). What the thread keeps is how to take the wait back, and when it runs out.
pub(crate) struct Parked {
    withdraw: Box<dyn FnOnce() -> bool + Send>,
    deadline: Option<Instant>,
}

impl Parked {
    /// When the wait runs out, if it does.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Takes the wait back (it ran out, or the client is gone): `true` if nothing answered it,
    /// so that nothing was taken for it and its reply is still to be sent; `false` if a put has
    /// answered it or is answering it.
    pub(crate) fn withdraw(self) -> bool {
        (self.withdraw)()
    }
}

impl<'a> Peer<'a> {
    pub(crate) fn new(connection: u64, gone: &'a dyn Fn() -> bool) -> Self {
        Peer {
            connection,
            gone,
            socket: None,
            handed: Cell::new(None),
        }
    }

    /// A peer whose blocked gets may be answered on `socket` by the thread that puts.
    pub(crate) fn with_socket(mut self, socket: &'a Arc<Stream>) -> Self {
        self.socket = Some(socket);
        self
    }

    /// Whether the reply is not the server's to send (see [`Handed`]).
    pub(crate) fn handed(&self) -> Option<Handed> {
        self.handed.take()
    }

    /// Registers the client's blocked call in `handoff`: `offer` answers it now or from a later
    /// put, and `withdraw` takes the wait back. What `offer` did if it answered at once. Only
    /// for a peer with a socket and a wait that may block.
    fn wait_handed(
        &self,
        handoff: &Handoff,
        wait: Wait,
        offer: impl Fn() -> Offer + Send + Sync + 'static,
        withdraw: impl FnOnce(&Ticket) -> bool + Send + 'static,
    ) -> Option<Offer> {
        let deadline = match wait {
            Wait::Millis(ms) => Some(Instant::now() + Duration::from_millis(ms)),
            Wait::Forever | Wait::Never => None,
        };
        match handoff.register(offer) {
            Ok(outcome) => {
                // Answered, or the client was found gone: either way nothing more is sent.
                self.handed.set(Some(Handed::Answered));
                Some(outcome)
            }
            Err(ticket) => {
                self.handed.set(Some(Handed::Parked(Parked {
                    withdraw: Box::new(move || withdraw(&ticket)),
                    deadline,
                })));
                None
            }
        }
    }

    /// The socket to hand replies to, for a wait that may block.
    fn handoff_socket(&self, wait: Wait) -> Option<Arc<Stream>> {
        if matches!(wait, Wait::Never) {
            return None;
        }
        self.socket.cloned()
    }
}

/// Writes `reply` to a waiting client's socket from the thread that has its answer (which has
/// looked whether the client is gone, [`Stream::gone_unless_written`]): `Gone` if the write
/// failed.
fn answer(socket: &Stream, reply: &Reply) -> Offer {
    if write_frame(&mut &*socket, reply).is_ok() {
        Offer::Answered
    } else {
        Offer::Gone
    }
}

/// An object a server serves.
pub(crate) trait Served: Send + Sync {
    /// Applies one operation.
    fn call(&self, op: Op, peer: &Peer<'_>) -> Reply;

    /// Whether `reply` carries something away that [`restore`](Served::restore) puts back should
    /// it not be delivered.
    fn takes_back(&self, _reply: &Reply) -> bool {
        false
    }

    /// Takes back the effect of `reply`, which could not be delivered.
    fn restore(&self, _reply: Reply) {}

    /// Whether connection `connection` holds this object (a lock it acquired).
    fn holds(&self, _connection: u64) -> bool {
        false
    }

    /// Connection `connection` has closed: what it held is let go.
    fn disconnected(&self, _connection: u64) {}
}

/// Tries `attempt` (given how long it may wait) within `wait`, in slices so that a forever
/// wait ends when its client is gone.
fn within<T>(
    wait: Wait,
    peer: &Peer<'_>,
    mut attempt: impl FnMut(Duration) -> Option<T>,
) -> Option<T> {
    let deadline = match wait {
        Wait::Never => return attempt(Duration::ZERO),
        Wait::Forever => None,
        Wait::Millis(ms) => Some(Instant::now() + Duration::from_millis(ms)),
    };
    loop {
        let slice = match deadline {
            Some(deadline) => deadline
                .saturating_duration_since(Instant::now())
                .min(PEER_CHECK),
            None => PEER_CHECK,
        };
        if let Some(done) = attempt(slice) {
            return Some(done);
        }
        let expired = deadline.is_some_and(|deadline| Instant::now() >= deadline);
        if expired || (peer.gone)() {
            return None;
        }
    }
}

fn refused(op: &Op, what: &str) -> Reply {
    Reply::Refused(format!("{what} has no operation {op:?}"))
}

fn decode<T: DeserializeOwned>(value: Value) -> Result<T, Reply> {
    serde_json::from_value(value)
        .map_err(|error| Reply::Refused(format!("the item does not fit this object: {error}")))
}

fn encode<T: Serialize>(value: &T) -> Reply {
    serde_json::to_value(value).map_or_else(
        |error| Reply::Refused(format!("the item cannot be serialized: {error}")),
        Reply::Item,
    )
}

/// A [`Queue`], or the queue of a [`JoinableQueue`] with its task count.
pub(crate) struct ServedQueue<T> {
    queue: Queue<T>,
    joinable: Option<JoinableQueue<T>>,
}

impl<T: Send> ServedQueue<T> {
    pub(crate) fn plain(queue: Queue<T>) -> Self {
        ServedQueue {
            queue,
            joinable: None,
        }
    }

    pub(crate) fn joinable(queue: JoinableQueue<T>) -> Self {
        ServedQueue {
            queue: queue.queue().clone(),
            joinable: Some(queue),
        }
    }

    fn put(&self, item: T, d: Duration) -> Result<(), T> {
        match &self.joinable {
            Some(joinable) => joinable.put_timeout(item, d),
            None => self.queue.put_timeout(item, d),
        }
        .map_err(|full| full.0)
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static> ServedQueue<T> {
    /// A blocking get answered by whichever thread has the item: this one if the queue holds
    /// one now, else the put that brings one, which writes the reply to `socket` itself.
    fn get_handed(&self, wait: Wait, peer: &Peer<'_>, socket: Arc<Stream>) -> Reply {
        let queue = self.queue.clone();
        let offer = move || {
            let parts = queue
                .served_parts()
                .expect("a served queue is this process's own");
            if socket.gone_unless_written() {
                return Offer::Gone;
            }
            let Some(item) = parts.take_now() else {
                return Offer::Empty;
            };
            let answered = answer(&socket, &encode(&item));
            if answered == Offer::Gone {
                parts.put_back(item);
            }
            answered
        };
        let parts = self
            .queue
            .served_parts()
            .expect("a served queue is this process's own");
        let queue = self.queue.clone();
        let withdraw = move |ticket: &Ticket| {
            queue
                .served_parts()
                .expect("a served queue is this process's own")
                .handoff()
                .withdraw(ticket)
        };
        if peer.wait_handed(parts.handoff(), wait, offer, withdraw) == Some(Offer::Gone) {
            // The client has gone: an item put back meanwhile goes to the next getter.
            parts.handoff().after_put();
        }
        Reply::Nothing
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Served for ServedQueue<T> {
    fn call(&self, op: Op, peer: &Peer<'_>) -> Reply {
        match op {
            Op::Put { item, wait } => {
                let mut item = match decode::<T>(item) {
                    Ok(item) => Some(item),
                    Err(refusal) => return refusal,
                };
                let put = within(wait, peer, |d| {
                    let next = item.take().expect("an item is kept until it is put");
                    self.put(next, d).map_err(|back| item = Some(back)).ok()
                });
                Reply::Flag(put.is_some())
            }
            Op::Get { wait } => {
                if let Some(socket) = peer.handoff_socket(wait) {
                    return self.get_handed(wait, peer, socket);
                }
                within(wait, peer, |d| self.queue.get_timeout(d).ok())
                    .map_or(Reply::Nothing, |item| encode(&item))
            }
            Op::Len => Reply::Count(self.queue.len()),
            Op::Capacity => Reply::Capacity(self.queue.capacity()),
            Op::TaskDone | Op::JoinTasks if self.joinable.is_none() => refused(&op, "a Queue"),
            Op::TaskDone => match self.joinable.as_ref().map(JoinableQueue::task_done) {
                Some(Ok(())) => Reply::Flag(true),
                _ => Reply::Flag(false),
            },
            Op::JoinTasks => {
                let joinable = self.joinable.as_ref().expect("checked above");
                let done = within(Wait::Forever, peer, |d| {
                    joinable.join_timeout(d).then_some(())
                });
                Reply::Flag(done.is_some())
            }
            op => refused(&op, "a queue"),
        }
    }

    fn takes_back(&self, reply: &Reply) -> bool {
        matches!(reply, Reply::Item(_))
    }

    /// An item taken for a client that is gone goes back (at the back: the queue may have moved
    /// on meanwhile).
    fn restore(&self, reply: Reply) {
        if let Reply::Item(value) = reply {
            if let Ok(item) = serde_json::from_value::<T>(value) {
                self.queue.put(item);
            }
        }
    }
}

/// A primitive a server refers to: a process's static one, or a Manager's own.
pub(crate) enum StaticOrOwned<T: 'static> {
    Static(&'static T),
    Owned(T),
}

impl<T> Deref for StaticOrOwned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            StaticOrOwned::Static(object) => object,
            StaticOrOwned::Owned(object) => object,
        }
    }
}

/// An [`Event`].
pub(crate) struct ServedEvent(pub(crate) StaticOrOwned<Event>);

impl Served for ServedEvent {
    fn call(&self, op: Op, peer: &Peer<'_>) -> Reply {
        let event = &*self.0;
        match op {
            Op::Set => {
                event.set();
                Reply::Done
            }
            Op::Clear => {
                event.clear();
                Reply::Done
            }
            Op::IsSet => Reply::Flag(event.is_set()),
            Op::WaitSet { wait } => {
                Reply::Flag(within(wait, peer, |d| event.wait_timeout(d).then_some(())).is_some())
            }
            op => refused(&op, "an Event"),
        }
    }
}

/// A [`Lock`], held on behalf of one connection at a time. Like a robust mutex, it is let go
/// when the connection holding it closes: a holder that dies (or is killed) while holding it
/// leaves it free for the next, instead of taken for good.
pub(crate) struct ServedLock {
    lock: StaticOrOwned<Lock>,
    /// The connection holding it.
    holder: Mutex<Option<u64>>,
}

impl ServedLock {
    pub(crate) fn new(lock: StaticOrOwned<Lock>) -> Self {
        ServedLock {
            lock,
            holder: Mutex::new(None),
        }
    }

    fn release(&self) {
        *self.holder.lock() = None;
        // SAFETY: the holder was set, so this server took the lock (and forgot the guard).
        unsafe { self.lock.release_taken() };
    }
}

impl Served for ServedLock {
    fn call(&self, op: Op, peer: &Peer<'_>) -> Reply {
        match op {
            Op::Acquire { wait } => {
                // The guard is forgotten: the lock stays taken until `Release` or the
                // connection closes.
                let taken = within(wait, peer, |d| self.lock.acquire_timeout(d).map(forget));
                if taken.is_some() {
                    *self.holder.lock() = Some(peer.connection);
                }
                Reply::Flag(taken.is_some())
            }
            Op::Release if self.holds(peer.connection) => {
                self.release();
                Reply::Done
            }
            Op::Release => Reply::Refused("this client does not hold the lock".to_owned()),
            Op::Locked => Reply::Flag(self.lock.locked()),
            op => refused(&op, "a Lock"),
        }
    }

    fn holds(&self, connection: u64) -> bool {
        *self.holder.lock() == Some(connection)
    }

    fn disconnected(&self, connection: u64) {
        if self.holds(connection) {
            self.release();
        }
    }
}

/// One end of a [`Pipe`](crate::Pipe), served until its remote holder closes it.
pub(crate) struct ServedConnection<T> {
    end: Mutex<Option<Arc<Connection<T>>>>,
    /// Messages taken for a client found gone as its reply was written: the next `recv`'s,
    /// before the pipe's own.
    returned: Arc<Mutex<VecDeque<T>>>,
}

impl<T> ServedConnection<T> {
    pub(crate) fn new(end: Connection<T>) -> Self {
        ServedConnection {
            end: Mutex::new(Some(Arc::new(end))),
            returned: Arc::default(),
        }
    }

    fn end(&self) -> Option<Arc<Connection<T>>> {
        self.end.lock().clone()
    }
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Served for ServedConnection<T> {
    fn call(&self, op: Op, peer: &Peer<'_>) -> Reply {
        let Some(end) = self.end() else {
            return Reply::Refused("this end of the pipe was closed".to_owned());
        };
        match op {
            Op::Send { item } => match decode::<T>(item) {
                Ok(item) => Reply::Flag(end.send(item).is_ok()),
                Err(refusal) => refusal,
            },
            Op::Recv => {
                if let Some(socket) = peer.handoff_socket(Wait::Forever) {
                    return recv_handed(end, Arc::clone(&self.returned), peer, socket);
                }
                if let Some(item) = self.returned.lock().pop_front() {
                    return encode(&item);
                }
                match within(Wait::Forever, peer, |d| end.poll(d).then_some(())) {
                    Some(()) => end.recv().map_or(Reply::Nothing, |item| encode(&item)),
                    None => Reply::Nothing,
                }
            }
            Op::Poll { .. } if !self.returned.lock().is_empty() => Reply::Flag(true),
            Op::Poll { wait } => {
                Reply::Flag(within(wait, peer, |d| end.poll(d).then_some(())).is_some())
            }
            Op::Close => {
                self.end.lock().take();
                Reply::Done
            }
            op => refused(&op, "a pipe's end"),
        }
    }
}

/// A blocking `recv` answered by whichever thread has the message: this one if the pipe holds
/// one (or has ended) now, else the other end's `send` (or drop), which writes the reply to
/// `socket` itself. A message taken for a client found gone goes to `returned`, first for the
/// next `recv` (the pipe's channel has no front to put it back at).
fn recv_handed<T: Serialize + Send + 'static>(
    end: Arc<Connection<T>>,
    returned: Arc<Mutex<VecDeque<T>>>,
    peer: &Peer<'_>,
    socket: Arc<Stream>,
) -> Reply {
    let offer = {
        let end = Arc::clone(&end);
        move || {
            let (_, incoming) = end
                .served_incoming()
                .expect("a served end is this process's own");
            if socket.gone_unless_written() {
                return Offer::Gone;
            }
            let taken = returned.lock().pop_front().map(Ok);
            match taken.unwrap_or_else(|| incoming.try_recv()) {
                Ok(item) => {
                    let answered = answer(&socket, &encode(&item));
                    if answered == Offer::Gone {
                        returned.lock().push_front(item);
                    }
                    answered
                }
                Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    answer(&socket, &Reply::Nothing)
                }
                Err(crossbeam_channel::TryRecvError::Empty) => Offer::Empty,
            }
        }
    };
    let (handoff, _) = end
        .served_incoming()
        .expect("a served end is this process's own");
    let withdraw = {
        let end = Arc::clone(&end);
        move |ticket: &Ticket| {
            let (handoff, _) = end
                .served_incoming()
                .expect("a served end is this process's own");
            handoff.withdraw(ticket)
        }
    };
    if peer.wait_handed(handoff, Wait::Forever, offer, withdraw) == Some(Offer::Gone) {
        // The client has gone: a message it was given back goes to the next reader.
        handoff.after_put();
    }
    Reply::Nothing
}

/// A Manager's map, keyed by each key's serde form.
#[derive(Default)]
struct ServedDict {
    entries: Mutex<BTreeMap<String, (Value, Value)>>,
}

impl Served for ServedDict {
    fn call(&self, op: Op, _peer: &Peer<'_>) -> Reply {
        let mut entries = self.entries.lock();
        match op {
            Op::DictGet { key } => entries
                .get(&key.to_string())
                .map_or(Reply::Nothing, |(_, value)| Reply::Item(value.clone())),
            Op::DictInsert { key, value } => entries
                .insert(key.to_string(), (key, value))
                .map_or(Reply::Nothing, |(_, old)| Reply::Item(old)),
            Op::DictRemove { key } => entries
                .remove(&key.to_string())
                .map_or(Reply::Nothing, |(_, old)| Reply::Item(old)),
            Op::DictItems => Reply::Pairs(entries.values().cloned().collect()),
            Op::Len => Reply::Count(entries.len()),
            op => refused(&op, "a dict"),
        }
    }
}

/// A Manager's list.
#[derive(Default)]
struct ServedList {
    items: Mutex<Vec<Value>>,
}

impl Served for ServedList {
    fn call(&self, op: Op, _peer: &Peer<'_>) -> Reply {
        let mut items = self.items.lock();
        match op {
            Op::ListPush { item } => {
                items.push(item);
                Reply::Count(items.len())
            }
            Op::ListGet { index } => items
                .get(index)
                .map_or(Reply::Nothing, |item| Reply::Item(item.clone())),
            Op::ListSet { index, item } => match items.get_mut(index) {
                Some(slot) => Reply::Item(std::mem::replace(slot, item)),
                None => Reply::Refused(format!(
                    "index {index} is out of range for a list of {}",
                    items.len()
                )),
            },
            Op::ListItems => Reply::Items(items.clone()),
            Op::Len => Reply::Count(items.len()),
            op => refused(&op, "a list"),
        }
    }
}

/// A fresh object of `kind`, as a Manager creates it by name: its items in serde form.
pub(crate) fn new_of_kind(kind: Kind) -> Arc<dyn Served> {
    match kind {
        Kind::Queue => Arc::new(ServedQueue::plain(Queue::<Value>::new())),
        Kind::JoinableQueue => Arc::new(ServedQueue::joinable(JoinableQueue::<Value>::new())),
        Kind::Event => Arc::new(ServedEvent(StaticOrOwned::Owned(Event::new()))),
        Kind::Lock => Arc::new(ServedLock::new(StaticOrOwned::Owned(Lock::new(())))),
        Kind::Dict => Arc::<ServedDict>::default(),
        Kind::List => Arc::<ServedList>::default(),
    }
}
