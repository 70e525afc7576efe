//! Two connected ends talking both ways (Python: `multiprocessing.Pipe`).

use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, Select, Sender, TryRecvError};

use crate::explore::{self, ChannelEnd, Stamp};
use crate::remote::protocol::{Op, Wait};
use crate::remote::share::Remote;
use crate::remote::Handoff;

/// Makes a pair of connected [`Connection`]s (Python: `multiprocessing.Pipe()`).
///
/// ```
/// use racecheck::{Pipe, Thread};
///
/// let (parent, child) = Pipe::new();
/// let echo = Thread::spawn(move || {
///     while let Ok(message) = child.recv() {
///         child.send(format!("echo: {message}")).unwrap();
///     }
/// });
/// parent.send("ping".to_owned()).unwrap();
/// assert_eq!(parent.recv().unwrap(), "echo: ping");
/// drop(parent); // the child's `recv` now ends with `Disconnected`
/// echo.join().unwrap();
/// ```
pub struct Pipe;

impl Pipe {
    /// Two ends of a duplex pipe: what one end sends, the other receives, in order.
    ///
    /// ```
    /// let (a, b) = racecheck::Pipe::new();
    /// a.send(1).unwrap();
    /// b.send(2).unwrap();
    /// assert_eq!((b.recv(), a.recv()), (Ok(1), Ok(2)));
    /// ```
    #[allow(clippy::new_ret_no_self)]
    #[track_caller]
    pub fn new<T: Send>() -> (Connection<T>, Connection<T>) {
        let (to_b, from_a) = crossbeam_channel::unbounded();
        let (to_a, from_b) = crossbeam_channel::unbounded();
        let (a_to_b, b_to_a) = (Way::new(), Way::new());
        (
            Connection::real(
                Direction {
                    channel: Some(to_b),
                    way: a_to_b.clone(),
                },
                Direction {
                    channel: from_b,
                    way: b_to_a.clone(),
                },
            ),
            Connection::real(
                Direction {
                    channel: Some(to_a),
                    way: b_to_a,
                },
                Direction {
                    channel: from_a,
                    way: a_to_b,
                },
            ),
        )
    }
}

/// One end of a [`Pipe`]: sends to the other end and receives from it (Python:
/// `multiprocessing.connection.Connection`). Dropping it closes this end.
///
/// ```
/// let (a, b) = racecheck::Pipe::new();
/// drop(b);
/// assert_eq!(a.send(1), Err(racecheck::Disconnected));
/// ```
pub struct Connection<T> {
    repr: ConnectionRepr<T>,
}

/// How messages travel; the exploration engine adds its own variant.
enum ConnectionRepr<T> {
    Real {
        /// `None` once dropped (see `Drop`).
        outgoing: Direction<Option<Sender<T>>>,
        incoming: Direction<Receiver<T>>,
    },
    /// An end held by another process's server, given to this one.
    Remote(Remote<T>),
}

/// One end of one direction of the pipe, and what both ends of that direction share.
struct Direction<End> {
    channel: End,
    way: Arc<Way>,
}

/// One direction of the pipe: its identity under exploration (the channel stores the messages;
/// the engine decides when an operation may go ahead), and the receiver in another process
/// waiting on it, which a send hands its message to directly.
struct Way {
    stamp: Stamp,
    handoff: Handoff,
}

impl Way {
    /// Stamped at the user's `Pipe::new` call.
    #[track_caller]
    fn new() -> Arc<Way> {
        Arc::new(Way {
            stamp: Stamp::new(),
            handoff: Handoff::default(),
        })
    }
}

impl<T: Send> Connection<T> {
    fn real(outgoing: Direction<Option<Sender<T>>>, incoming: Direction<Receiver<T>>) -> Self {
        Connection {
            repr: ConnectionRepr::Real { outgoing, incoming },
        }
    }

    pub(crate) fn from_remote(remote: Remote<T>) -> Self {
        Connection {
            repr: ConnectionRepr::Remote(remote),
        }
    }

    pub(crate) fn remote(&self) -> Option<&Remote<T>> {
        match &self.repr {
            ConnectionRepr::Real { .. } => None,
            ConnectionRepr::Remote(remote) => Some(remote),
        }
    }

    /// For the server serving this end: the hand-off its receiver waits on, and a look at the
    /// next message that never blocks (`Err` once the other end is gone and all is drained).
    pub(crate) fn served_incoming(&self) -> Option<(&Handoff, &Receiver<T>)> {
        match &self.repr {
            ConnectionRepr::Real { incoming, .. } => {
                Some((&incoming.way.handoff, &incoming.channel))
            }
            ConnectionRepr::Remote(_) => None,
        }
    }

    /// A second handle on this end's channels, for the server that serves it to a child; the
    /// other end sees this end closed once both handles are gone.
    pub(crate) fn share(&self) -> Self {
        match &self.repr {
            ConnectionRepr::Real { outgoing, incoming } => Connection::real(
                Direction {
                    channel: outgoing.channel.clone(),
                    way: outgoing.way.clone(),
                },
                Direction {
                    channel: incoming.channel.clone(),
                    way: incoming.way.clone(),
                },
            ),
            ConnectionRepr::Remote(_) => unreachable!("a remote end is passed on as its reference"),
        }
    }

    /// Sends `v` to the other end; [`Disconnected`] if the other end is gone (the value is then
    /// dropped). Never blocks.
    ///
    /// ```
    /// let (a, b) = racecheck::Pipe::new();
    /// assert_eq!(a.send("hi"), Ok(()));
    /// assert_eq!(b.recv(), Ok("hi"));
    /// ```
    #[track_caller]
    pub fn send(&self, v: T) -> Result<(), Disconnected> {
        let outgoing = match &self.repr {
            ConnectionRepr::Real { outgoing, .. } => outgoing,
            ConnectionRepr::Remote(remote) => {
                return remote.send(&v).then_some(()).ok_or(Disconnected);
            }
        };
        let channel = outgoing
            .channel
            .as_ref()
            .expect("an end is whole until dropped");
        if let Some(cx) = explore::context() {
            if !cx.channel_send(&outgoing.way.stamp, channel.len(), Location::caller()) {
                return Err(Disconnected);
            }
        }
        channel.send(v).map_err(|_| Disconnected)?;
        outgoing.way.handoff.after_put();
        Ok(())
    }

    /// Waits for the next value from the other end; [`Disconnected`] once the other end is gone
    /// and everything it sent has been received (Python raises `EOFError`).
    ///
    /// ```
    /// let (a, b) = racecheck::Pipe::new();
    /// a.send(1).unwrap();
    /// drop(a);
    /// assert_eq!(b.recv(), Ok(1)); // sent before the end was dropped: still delivered
    /// assert_eq!(b.recv(), Err(racecheck::Disconnected));
    /// ```
    #[track_caller]
    pub fn recv(&self) -> Result<T, Disconnected> {
        let incoming = match &self.repr {
            ConnectionRepr::Real { incoming, .. } => incoming,
            ConnectionRepr::Remote(remote) => return remote.recv().ok_or(Disconnected),
        };
        if let Some(cx) = explore::context() {
            if !cx.channel_recv(
                &incoming.way.stamp,
                incoming.channel.len(),
                Location::caller(),
            ) {
                return Err(Disconnected);
            }
            return incoming
                .channel
                .try_recv()
                .map_err(|_| unreachable!("the engine counted a message"));
        }
        // When the other end is in another process, this thread reads its sends itself.
        let fed = crate::remote::take_fed(&incoming.way.handoff, None, || {
            match incoming.channel.try_recv() {
                Ok(item) => Some(Ok(item)),
                Err(TryRecvError::Disconnected) => Some(Err(Disconnected)),
                Err(TryRecvError::Empty) => None,
            }
        });
        match fed.flatten() {
            Some(received) => received,
            None => incoming.channel.recv().map_err(|_| Disconnected),
        }
    }

    /// `true` if there is something to [`recv`](Connection::recv) (or the other end is gone, so
    /// `recv` would return at once) within `d`.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (a, b) = racecheck::Pipe::new();
    /// assert!(!b.poll(Duration::from_millis(1)));
    /// a.send(()).unwrap();
    /// assert!(b.poll(Duration::ZERO));
    /// ```
    #[track_caller]
    pub fn poll(&self, d: Duration) -> bool {
        let incoming = match &self.repr {
            ConnectionRepr::Real { incoming, .. } => incoming,
            ConnectionRepr::Remote(remote) => {
                return remote.flag(Op::Poll {
                    wait: Wait::timeout(d),
                })
            }
        };
        if let Some(cx) = explore::context() {
            return cx.channel_poll(
                &incoming.way.stamp,
                incoming.channel.len(),
                !d.is_zero(),
                Location::caller(),
            );
        }
        let mut select = Select::new();
        select.recv(&incoming.channel);
        select.ready_timeout(d).is_ok()
    }
}

impl<T> Drop for Connection<T> {
    /// Under exploration, tells the engine both directions lost this end: the other end's `recv`
    /// then ends once drained, and its `send` fails.
    fn drop(&mut self) {
        let (outgoing, incoming) = match &mut self.repr {
            ConnectionRepr::Real { outgoing, incoming } => (outgoing, incoming),
            ConnectionRepr::Remote(remote) => {
                // The server then lets go of its handle; if it is gone there is nothing to close.
                let _ = remote.target().call(Op::Close);
                return;
            }
        };
        let sender = outgoing.channel.take().expect("an end is dropped once");
        if let Some(cx) = explore::context() {
            cx.channel_close(&outgoing.way.stamp, sender.len(), ChannelEnd::Sender);
            cx.channel_close(
                &incoming.way.stamp,
                incoming.channel.len(),
                ChannelEnd::Receiver,
            );
        }
        drop(sender);
        // A receiver in another process waiting on this direction learns it ended.
        outgoing.way.handoff.after_put();
    }
}

impl<T> fmt::Debug for Connection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}

/// The other end of the [`Pipe`] is gone (Python: `EOFError`, `BrokenPipeError`).
///
/// ```
/// assert_eq!(racecheck::Disconnected.to_string(), "the other end of the pipe is closed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the other end of the pipe is closed")
    }
}

impl std::error::Error for Disconnected {}
