//! Two connected ends talking both ways (Python: `multiprocessing.Pipe`).

use std::fmt;
use std::time::Duration;

use crossbeam_channel::{Receiver, Select, Sender};

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
    pub fn new<T: Send>() -> (Connection<T>, Connection<T>) {
        let (to_b, from_a) = crossbeam_channel::unbounded();
        let (to_a, from_b) = crossbeam_channel::unbounded();
        (
            Connection::real(to_b, from_b),
            Connection::real(to_a, from_a),
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
        outgoing: Sender<T>,
        incoming: Receiver<T>,
    },
}

impl<T: Send> Connection<T> {
    fn real(outgoing: Sender<T>, incoming: Receiver<T>) -> Self {
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
        match &self.repr {
            ConnectionRepr::Real { outgoing, .. } => outgoing.send(v).map_err(|_| Disconnected),
        }
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
        match &self.repr {
            ConnectionRepr::Real { incoming, .. } => incoming.recv().map_err(|_| Disconnected),
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
        match &self.repr {
            ConnectionRepr::Real { incoming, .. } => {
                let mut select = Select::new();
                select.recv(incoming);
                select.ready_timeout(d).is_ok()
            }
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
