//! Two connected ends talking both ways (Python: `multiprocessing.Pipe`).

use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, Select, Sender};

use crate::explore::{self, ChannelEnd, Stamp};

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
        let (a_to_b, b_to_a) = (Arc::new(Stamp::new()), Arc::new(Stamp::new()));
        (
            Connection::real(
                Direction {
                    channel: to_b,
                    stamp: a_to_b.clone(),
                },
                Direction {
                    channel: from_b,
                    stamp: b_to_a.clone(),
                },
            ),
            Connection::real(
                Direction {
                    channel: to_a,
                    stamp: b_to_a,
                },
                Direction {
                    channel: from_a,
                    stamp: a_to_b,
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
        outgoing: Direction<Sender<T>>,
        incoming: Direction<Receiver<T>>,
    },
}

/// One end of one direction of the pipe, with that direction's identity under exploration (the
/// channel stores the messages; the engine decides when an operation may go ahead).
struct Direction<End> {
    channel: End,
    stamp: Arc<Stamp>,
}

impl<T: Send> Connection<T> {
    fn real(outgoing: Direction<Sender<T>>, incoming: Direction<Receiver<T>>) -> Self {
        Connection {
            repr: ConnectionRepr::Real { outgoing, incoming },
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
        let ConnectionRepr::Real { outgoing, .. } = &self.repr;
        if let Some(cx) = explore::context() {
            if !cx.channel_send(&outgoing.stamp, outgoing.channel.len(), Location::caller()) {
                return Err(Disconnected);
            }
        }
        outgoing.channel.send(v).map_err(|_| Disconnected)
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
        let ConnectionRepr::Real { incoming, .. } = &self.repr;
        if let Some(cx) = explore::context() {
            if !cx.channel_recv(&incoming.stamp, incoming.channel.len(), Location::caller()) {
                return Err(Disconnected);
            }
            return incoming
                .channel
                .try_recv()
                .map_err(|_| unreachable!("the engine counted a message"));
        }
        incoming.channel.recv().map_err(|_| Disconnected)
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
        let ConnectionRepr::Real { incoming, .. } = &self.repr;
        if let Some(cx) = explore::context() {
            return cx.channel_poll(
                &incoming.stamp,
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
        let ConnectionRepr::Real { outgoing, incoming } = &self.repr;
        if let Some(cx) = explore::context() {
            cx.channel_close(&outgoing.stamp, outgoing.channel.len(), ChannelEnd::Sender);
            cx.channel_close(
                &incoming.stamp,
                incoming.channel.len(),
                ChannelEnd::Receiver,
            );
        }
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
