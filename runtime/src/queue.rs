//! The FIFO queue threads hand work over with (Python: `queue.Queue`, `multiprocessing.Queue`).

use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::explore::{self, Patience, QueueInit, Stamp};
use crate::remote::protocol::{Op, Wait};
use crate::remote::share::{wait_for, Remote};
use crate::remote::Handoff;

/// A first-in, first-out queue shared between threads (Python: `queue.Queue`,
/// `multiprocessing.Queue`). `Queue` is a handle: clones share the same queue, so give each
/// thread its own clone.
///
/// An unbounded queue ([`Queue::new`]) always accepts; a bounded one ([`Queue::bounded`]) makes
/// [`put`](Queue::put) wait while it is full, which slows a fast producer down to its consumers'
/// pace (back-pressure).
///
/// ```
/// use racecheck::{Queue, Thread};
///
/// let jobs = Queue::bounded(2);
/// let producer = {
///     let jobs = jobs.clone();
///     Thread::spawn(move || for job in 0..5 { jobs.put(job) })
/// };
/// let received: Vec<i32> = (0..5).map(|_| jobs.get()).collect();
/// producer.join().unwrap();
/// assert_eq!(received, [0, 1, 2, 3, 4]);
/// ```
pub struct Queue<T> {
    repr: QueueRepr<T>,
}

/// Where the items live; the exploration engine adds its own variant.
enum QueueRepr<T> {
    Real(Arc<RealQueue<T>>),
    /// Another process's queue (given to this process, or a Manager's).
    Remote(Arc<Remote<T>>),
}

/// A channel of which every handle holds both ends: it never disconnects while a handle exists.
struct RealQueue<T> {
    /// The queue's identity under exploration, where the channel only stores the items and the
    /// engine decides when an operation may go ahead.
    stamp: Stamp,
    sender: Sender<T>,
    receiver: Receiver<T>,
    /// Getters in other processes waiting for an item, which a put hands its item to directly.
    handoff: Handoff,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        match &self.repr {
            QueueRepr::Real(queue) => Queue {
                repr: QueueRepr::Real(queue.clone()),
            },
            QueueRepr::Remote(remote) => Queue {
                repr: QueueRepr::Remote(remote.clone()),
            },
        }
    }
}

impl<T: Send> Queue<T> {
    /// An unbounded queue.
    ///
    /// ```
    /// let queue = racecheck::Queue::new();
    /// queue.put("hello");
    /// assert_eq!(queue.get(), "hello");
    /// ```
    #[track_caller]
    pub fn new() -> Self {
        Queue::real(crossbeam_channel::unbounded())
    }

    /// A queue holding at most `cap` items. As in Python, a capacity of 0 means unbounded.
    ///
    /// ```
    /// let queue = racecheck::Queue::bounded(1);
    /// queue.put(1);
    /// assert_eq!(queue.try_put(2), Err(racecheck::Full(2)));
    /// ```
    #[track_caller]
    pub fn bounded(cap: usize) -> Self {
        if cap == 0 {
            Queue::new()
        } else {
            Queue::real(crossbeam_channel::bounded(cap))
        }
    }

    #[track_caller]
    fn real((sender, receiver): (Sender<T>, Receiver<T>)) -> Self {
        Queue {
            repr: QueueRepr::Real(Arc::new(RealQueue {
                stamp: Stamp::new(),
                sender,
                receiver,
                handoff: Handoff::default(),
            })),
        }
    }

    /// Adds `v` at the back, waiting while a bounded queue is full.
    ///
    /// ```
    /// let queue = racecheck::Queue::new();
    /// queue.put(1);
    /// assert_eq!(queue.len(), 1);
    /// ```
    #[track_caller]
    pub fn put(&self, v: T) {
        if let Some(cx) = explore::context() {
            self.put_explored(cx, v, Patience::Forever)
                .unwrap_or_else(|_| unreachable!("a blocking put ends with room"));
            return;
        }
        match &self.repr {
            QueueRepr::Real(queue) => {
                queue
                    .sender
                    .send(v)
                    .expect("a queue holds its own receiver, so it never disconnects");
                queue.handoff.after_put();
            }
            QueueRepr::Remote(remote) => remote
                .put(v, Wait::Forever)
                .unwrap_or_else(|_| unreachable!("a blocking put ends with room")),
        }
    }

    /// Adds `v` at the back if there is room now; gives it back in [`Full`] if not (Python:
    /// `put_nowait`).
    ///
    /// ```
    /// let queue = racecheck::Queue::bounded(1);
    /// assert_eq!(queue.try_put('a'), Ok(()));
    /// assert_eq!(queue.try_put('b'), Err(racecheck::Full('b')));
    /// ```
    #[track_caller]
    pub fn try_put(&self, v: T) -> Result<(), Full<T>> {
        if let Some(cx) = explore::context() {
            return self.put_explored(cx, v, Patience::Never);
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue.handed_off(
                queue
                    .sender
                    .try_send(v)
                    .map_err(|error| Full(error.into_inner())),
            ),
            QueueRepr::Remote(remote) => remote.put(v, Wait::Never).map_err(Full),
        }
    }

    /// Adds `v` at the back, waiting at most `d` for room; gives it back in [`Full`] on timeout.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let queue = racecheck::Queue::bounded(1);
    /// queue.put(1);
    /// assert_eq!(queue.put_timeout(2, Duration::from_millis(1)), Err(racecheck::Full(2)));
    /// ```
    #[track_caller]
    pub fn put_timeout(&self, v: T, d: Duration) -> Result<(), Full<T>> {
        if let Some(cx) = explore::context() {
            return self.put_explored(cx, v, Patience::timeout(d));
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue.handed_off(
                queue
                    .sender
                    .send_timeout(v, d)
                    .map_err(|error| Full(error.into_inner())),
            ),
            QueueRepr::Remote(remote) => remote.put(v, wait_for(Some(d))).map_err(Full),
        }
    }

    /// Takes the item at the front, waiting while the queue is empty.
    ///
    /// ```
    /// let queue = racecheck::Queue::new();
    /// queue.put(1);
    /// queue.put(2);
    /// assert_eq!((queue.get(), queue.get()), (1, 2));
    /// ```
    #[track_caller]
    pub fn get(&self) -> T {
        if let Some(cx) = explore::context() {
            return self
                .get_explored(cx, Patience::Forever)
                .unwrap_or_else(|Empty| unreachable!("a blocking get ends with an item"));
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue
                .take_fed(None)
                .flatten()
                .map_or_else(|| queue.receiver.recv().ok(), Some)
                .expect("a queue holds its own sender, so it never disconnects"),
            QueueRepr::Remote(remote) => remote
                .get(Wait::Forever)
                .unwrap_or_else(|| unreachable!("a blocking get ends with an item")),
        }
    }

    /// Takes the item at the front if there is one (Python: `get_nowait`).
    ///
    /// ```
    /// let queue = racecheck::Queue::<u8>::new();
    /// assert_eq!(queue.try_get(), Err(racecheck::Empty));
    /// ```
    #[track_caller]
    pub fn try_get(&self) -> Result<T, Empty> {
        if let Some(cx) = explore::context() {
            return self.get_explored(cx, Patience::Never);
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue.receiver.try_recv().map_err(|_| Empty),
            QueueRepr::Remote(remote) => remote.get(Wait::Never).ok_or(Empty),
        }
    }

    /// Takes the item at the front, waiting at most `d` for one.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let queue = racecheck::Queue::<u8>::new();
    /// assert_eq!(queue.get_timeout(Duration::from_millis(1)), Err(racecheck::Empty));
    /// ```
    #[track_caller]
    pub fn get_timeout(&self, d: Duration) -> Result<T, Empty> {
        if let Some(cx) = explore::context() {
            return self.get_explored(cx, Patience::timeout(d));
        }
        match &self.repr {
            QueueRepr::Real(queue) => {
                // A look without waiting (a server's `get_nowait`) watches no connection.
                let fed = (!d.is_zero())
                    .then(|| queue.take_fed(Instant::now().checked_add(d)))
                    .flatten();
                match fed {
                    Some(taken) => taken.ok_or(Empty),
                    None => queue.receiver.recv_timeout(d).map_err(|_| Empty),
                }
            }
            QueueRepr::Remote(remote) => remote.get(wait_for(Some(d))).ok_or(Empty),
        }
    }

    /// How many items are waiting (Python: `qsize()`); a snapshot, which may be stale by the
    /// time it is read.
    ///
    /// ```
    /// let queue = racecheck::Queue::new();
    /// queue.put(());
    /// assert_eq!(queue.len(), 1);
    /// ```
    #[track_caller]
    pub fn len(&self) -> usize {
        if let Some(cx) = explore::context() {
            let (stamp, init) = self.explored();
            return cx.queue_len(stamp, init, Location::caller());
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue.receiver.len(),
            QueueRepr::Remote(remote) => remote.count(Op::Len),
        }
    }

    /// `true` if no item is waiting (Python: `empty()`); a snapshot.
    ///
    /// ```
    /// assert!(racecheck::Queue::<u8>::new().is_empty());
    /// ```
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        if let Some(cx) = explore::context() {
            let (stamp, init) = self.explored();
            return cx.queue_len(stamp, init, Location::caller()) == 0;
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue.receiver.is_empty(),
            QueueRepr::Remote(remote) => remote.count(Op::Len) == 0,
        }
    }

    /// The most items the queue holds (Python: `maxsize`); `None` if unbounded.
    ///
    /// ```
    /// assert_eq!(racecheck::Queue::<u8>::bounded(8).capacity(), Some(8));
    /// assert_eq!(racecheck::Queue::<u8>::new().capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        match &self.repr {
            QueueRepr::Real(queue) => queue.sender.capacity(),
            QueueRepr::Remote(remote) => remote.capacity(),
        }
    }

    /// The queue as another process's, given to this one.
    pub(crate) fn from_remote(remote: Remote<T>) -> Self {
        Queue {
            repr: QueueRepr::Remote(Arc::new(remote)),
        }
    }

    /// The other process's queue this one stands for, if it does.
    pub(crate) fn remote(&self) -> Option<&Remote<T>> {
        match &self.repr {
            QueueRepr::Real(_) => None,
            QueueRepr::Remote(remote) => Some(remote),
        }
    }
}

impl<T> RealQueue<T> {
    /// A blocking get's wait, when clients of other processes put into this queue: this thread
    /// reads their requests itself (`remote::take_fed`). `None` if none do.
    fn take_fed(&self, deadline: Option<Instant>) -> Option<Option<T>> {
        crate::remote::take_fed(&self.handoff, deadline, || self.receiver.try_recv().ok())
    }

    /// Hands the item of a put that went through to a getter of another process, if one waits.
    fn handed_off<E>(&self, put: Result<(), E>) -> Result<(), E> {
        if put.is_ok() {
            self.handoff.after_put();
        }
        put
    }
}

impl<T: Send> Queue<T> {
    /// What the server serving this queue to other processes needs: the hand-off its getters
    /// wait on, a look at the front item that never blocks, and a way to put an item back that
    /// does not offer it to those getters (the caller is offering it). `None` for a remote queue.
    pub(crate) fn served_parts(&self) -> Option<ServedParts<'_, T>> {
        match &self.repr {
            QueueRepr::Real(queue) => Some(ServedParts { queue }),
            QueueRepr::Remote(_) => None,
        }
    }

    /// The queue's identity and current shape, for the engine.
    pub(crate) fn explored(&self) -> (&Stamp, QueueInit) {
        match &self.repr {
            QueueRepr::Real(queue) => (
                &queue.stamp,
                QueueInit {
                    capacity: queue.sender.capacity(),
                    len: queue.receiver.len(),
                },
            ),
            QueueRepr::Remote(_) => remote_unexplorable(),
        }
    }

    /// A put under exploration: the engine waits for room, then the item goes in the channel,
    /// which the engine's count guarantees has room.
    #[track_caller]
    fn put_explored(&self, cx: explore::Cx, v: T, patience: Patience) -> Result<(), Full<T>> {
        let (stamp, init) = self.explored();
        if !cx.queue_put(stamp, init, patience, Location::caller()) {
            return Err(Full(v));
        }
        match &self.repr {
            QueueRepr::Real(queue) => queue
                .sender
                .try_send(v)
                .map_err(|_| unreachable!("the engine counted room for the item")),
            QueueRepr::Remote(_) => remote_unexplorable(),
        }
    }

    /// A get under exploration: the engine waits for an item, then it comes out of the channel.
    /// A queue served from outside the program (a Manager's) is looked at instead, again and
    /// again while a blocking get finds nothing; a timed one gives up after one look (a timeout
    /// is a scheduling choice).
    #[track_caller]
    fn get_explored(&self, cx: explore::Cx, patience: Patience) -> Result<T, Empty> {
        if let QueueRepr::Remote(remote) = &self.repr {
            loop {
                if let Some(item) = cx.look_outside(Location::caller(), || remote.get(Wait::Never))
                {
                    return Ok(item);
                }
                if patience != Patience::Forever {
                    return Err(Empty);
                }
            }
        }
        let (stamp, init) = self.explored();
        if !cx.queue_get(stamp, init, patience, Location::caller()) {
            return Err(Empty);
        }
        match &self.repr {
            QueueRepr::Real(queue) => Ok(queue
                .receiver
                .try_recv()
                .unwrap_or_else(|_| unreachable!("the engine counted an item"))),
            QueueRepr::Remote(_) => remote_unexplorable(),
        }
    }
}

/// A real queue as its server sees it (see [`Queue::served_parts`]).
pub(crate) struct ServedParts<'a, T> {
    queue: &'a RealQueue<T>,
}

impl<T> ServedParts<'_, T> {
    pub(crate) fn handoff(&self) -> &Handoff {
        &self.queue.handoff
    }

    pub(crate) fn take_now(&self) -> Option<T> {
        self.queue.receiver.try_recv().ok()
    }

    /// Puts back an item taken for a client that turned out to be gone, at the back (the queue
    /// may have moved on meanwhile).
    pub(crate) fn put_back(&self, item: T) {
        let _ = self.queue.sender.send(item);
    }
}

/// Under exploration a process is a logical thread holding the very objects it was given, so
/// only a queue served from outside the program (a Manager's) can get here.
#[track_caller]
pub(crate) fn remote_unexplorable() -> ! {
    panic!(
        "racecheck: an object served by another process cannot be explored; create it inside \
         the explored closure and give it to the Process"
    )
}

impl<T: Send> Default for Queue<T> {
    /// An unbounded queue.
    #[track_caller]
    fn default() -> Self {
        Queue::new()
    }
}

impl<T: Send> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

/// The queue had no item to give (Python: `queue.Empty`).
///
/// ```
/// assert_eq!(racecheck::Empty.to_string(), "the queue is empty");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Empty;

impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is empty")
    }
}

impl std::error::Error for Empty {}

/// The queue was full; gives the item back (Python: `queue.Full`).
///
/// ```
/// let queue = racecheck::Queue::bounded(1);
/// queue.put(String::from("first"));
/// let racecheck::Full(back) = queue.try_put(String::from("second")).unwrap_err();
/// assert_eq!(back, "second");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full<T>(pub T);

impl<T> fmt::Display for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is full")
    }
}

impl<T: fmt::Debug> std::error::Error for Full<T> {}
