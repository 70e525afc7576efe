//! The client's side: references to served objects, the keys of the servers this process may
//! talk to, and each thread's idle authenticated connections (a blocking call holds its
//! connection alone, so other threads' calls go through others).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use super::auth::{self, HandshakeError};
use super::protocol::{Op, Reply, Request};
use super::server::SERVER_OBJECT;
use super::wire::{read_frame, write_frame, WireError};

/// Where an object server listens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum Address {
    /// A Linux abstract Unix socket name: this machine only.
    Local(String),
    /// `host:port`.
    Tcp(String),
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Local(name) => write!(f, "unix:@{name}"),
            Address::Tcp(address) => write!(f, "tcp:{address}"),
        }
    }
}

/// A connection to a server, either kind.
pub(crate) enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    pub(crate) fn open(address: &Address) -> io::Result<Stream> {
        match address {
            Address::Local(name) => {
                use std::os::linux::net::SocketAddrExt;
                let address = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
                UnixStream::connect_addr(&address).map(Stream::Unix)
            }
            Address::Tcp(address) => {
                let stream = TcpStream::connect(address)?;
                stream.set_nodelay(true)?;
                Ok(Stream::Tcp(stream))
            }
        }
    }

    pub(crate) fn fd(&self) -> RawFd {
        match self {
            Stream::Unix(stream) => stream.as_raw_fd(),
            Stream::Tcp(stream) => stream.as_raw_fd(),
        }
    }

    /// `true` once the peer has closed its end (or the connection failed): a look without
    /// waiting and without consuming anything.
    pub(crate) fn peer_gone(&self) -> bool {
        self.peek() == Peek::Gone
    }

    /// [`peer_gone`](Stream::peer_gone) where a write would not tell: over TCP a write to a
    /// peer that has closed still succeeds, while over a Unix socket it fails, so there the
    /// look is left to the write.
    pub(crate) fn gone_unless_written(&self) -> bool {
        matches!(self, Stream::Tcp(_)) && self.peer_gone()
    }

    /// Reads what has arrived, without waiting: `None` if nothing has.
    pub(crate) fn read_now(&self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        loop {
            // SAFETY: a read into `buf`, of at most its length, on a descriptor we own.
            let read = unsafe {
                libc::recv(
                    self.fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if let Ok(n) = usize::try_from(read) {
                return Ok(Some(n));
            }
            let error = io::Error::last_os_error();
            match error.kind() {
                io::ErrorKind::WouldBlock => return Ok(None),
                io::ErrorKind::Interrupted => {}
                _ => return Err(error),
            }
        }
    }

    /// `true` if something has arrived to read: a look without waiting.
    fn readable(&self) -> bool {
        self.peek() == Peek::Data
    }

    fn peek(&self) -> Peek {
        let mut byte = 0u8;
        // SAFETY: a one-byte peek into a local buffer on a descriptor we own.
        let read = unsafe {
            libc::recv(
                self.fd(),
                (&raw mut byte).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        match read {
            0 => Peek::Gone,
            n if n > 0 => Peek::Data,
            _ => match io::Error::last_os_error().kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Peek::Nothing,
                _ => Peek::Gone,
            },
        }
    }

    /// Bounds each read from now on by [`PATIENCE`] (`patient`), or lets it wait as long as it
    /// takes; a failure to say so is a connection error of the server at `address`.
    fn bound_reads(&self, address: &Address, patient: bool) -> Result<(), RemoteError> {
        let timeout = patient.then_some(PATIENCE);
        match self {
            Stream::Unix(stream) => stream.set_read_timeout(timeout),
            Stream::Tcp(stream) => stream.set_read_timeout(timeout),
        }
        .map_err(|error| connection_error(address, WireError::Io(error)))
    }

    pub(crate) fn shutdown(&self) {
        let _ = match self {
            Stream::Unix(stream) => stream.shutdown(std::net::Shutdown::Both),
            Stream::Tcp(stream) => stream.shutdown(std::net::Shutdown::Both),
        };
    }

    pub(crate) fn try_clone(&self) -> io::Result<Stream> {
        Ok(match self {
            Stream::Unix(stream) => Stream::Unix(stream.try_clone()?),
            Stream::Tcp(stream) => Stream::Tcp(stream.try_clone()?),
        })
    }
}

/// Writes through a shared handle: a put hands a waiting client its reply this way (`handoff.rs`)
/// while the connection's own thread waits for it.
impl Write for &Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match **self {
            Stream::Unix(ref stream) => Write::write(&mut &*stream, buf),
            Stream::Tcp(ref stream) => Write::write(&mut &*stream, buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(stream) => stream.read(buf),
            Stream::Tcp(stream) => stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(stream) => stream.write(buf),
            Stream::Tcp(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(stream) => stream.flush(),
            Stream::Tcp(stream) => stream.flush(),
        }
    }
}

/// What a look at a connection found.
#[derive(PartialEq, Eq)]
enum Peek {
    Data,
    Nothing,
    Gone,
}

/// Why a call to a server failed.
#[derive(Debug)]
pub enum RemoteError {
    /// Nothing accepts connections there (the server is not running, or has ended).
    Unreachable {
        /// The server's address.
        address: String,
        /// What the operating system said.
        error: io::Error,
    },
    /// The server refused the key.
    KeyRefused {
        /// The server's address.
        address: String,
    },
    /// The server could not prove it knows the key.
    ServerUnproven {
        /// The server's address.
        address: String,
    },
    /// This process holds no key for that server.
    NoKey {
        /// The server's address.
        address: String,
    },
    /// The connection failed, ended mid-call, or carried a malformed or oversized message.
    Connection {
        /// The server's address.
        address: String,
        /// What went wrong.
        reason: String,
    },
    /// The server understood the request and refused it.
    Refused {
        /// The server's explanation.
        reason: String,
    },
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteError::Unreachable { address, error } => {
                write!(f, "cannot reach the server at {address}: {error}")
            }
            RemoteError::KeyRefused { address } => {
                write!(f, "the server at {address} refused the authentication key")
            }
            RemoteError::ServerUnproven { address } => write!(
                f,
                "the server at {address} could not prove it knows the authentication key"
            ),
            RemoteError::NoKey { address } => {
                write!(f, "this process holds no authentication key for {address}")
            }
            RemoteError::Connection { address, reason } => {
                write!(f, "the connection to {address} failed: {reason}")
            }
            RemoteError::Refused { reason } => write!(f, "the server refused: {reason}"),
        }
    }
}

impl std::error::Error for RemoteError {}

/// The keys of the servers this process may call, by address.
static KEYS: LazyLock<Mutex<HashMap<Address, Vec<u8>>>> = LazyLock::new(Mutex::default);

/// How many idle connections a thread keeps.
const MAX_IDLE: usize = 8;

thread_local! {
    /// This thread's idle authenticated connections. Each thread keeps its own, so a call takes
    /// no lock and allocates nothing, and a blocking call never holds up another thread's.
    static IDLE: RefCell<Vec<Link>> = const { RefCell::new(Vec::new()) };
}

/// Every key this process holds: what a child it starts inherits.
pub(crate) fn keyring() -> Vec<(Address, Vec<u8>)> {
    KEYS.lock()
        .iter()
        .map(|(address, key)| (address.clone(), key.clone()))
        .collect()
}

pub(crate) fn install_keys(keys: impl IntoIterator<Item = (Address, Vec<u8>)>) {
    KEYS.lock().extend(keys);
}

/// How long a client waits for what a live server sends at once: its side of the handshake,
/// and the reply that confirms the requests sent without waiting (those never block on the
/// server: see [`Link`]). A server that says nothing for this long is not answering (its
/// process is stopped, or its connection was left open by a server that ended), and without
/// the bound the caller, or a process settling its puts as it exits, would wait for good.
/// Real time is fine here: an explored program reaches a server only outside the schedule.
#[cfg(not(test))]
const PATIENCE: Duration = Duration::from_secs(30);
#[cfg(test)]
const PATIENCE: Duration = Duration::from_secs(1);

/// A new authenticated connection to `address`.
pub(crate) fn connect(address: &Address, key: &[u8]) -> Result<Stream, RemoteError> {
    let name = address.to_string();
    let mut stream = Stream::open(address).map_err(|error| RemoteError::Unreachable {
        address: name.clone(),
        error,
    })?;
    stream.bound_reads(address, true)?;
    auth::connect(&mut stream, key).map_err(|error| match error {
        HandshakeError::KeyRefused => RemoteError::KeyRefused { address: name },
        HandshakeError::ServerUnproven => RemoteError::ServerUnproven { address: name },
        HandshakeError::Wire(error) => connection_error(address, error),
    })?;
    // A call may wait as long as its operation does (a blocking get).
    stream.bound_reads(address, false)?;
    Ok(stream)
}

fn connection_error(address: &Address, error: WireError) -> RemoteError {
    let reason = match error {
        WireError::Io(error)
            if matches!(
                error.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            format!(
                "the server did not answer within {} s (its process is stopped, or it ended \
                 without closing this connection)",
                PATIENCE.as_secs()
            )
        }
        error => error.to_string(),
    };
    RemoteError::Connection {
        address: address.to_string(),
        reason,
    }
}

/// An authenticated connection to one server, read through a buffer (a reply is one `read`).
///
/// A put or a pipe's send is sent without waiting ([`RemoteRef::send`]): the server applies it
/// and answers only if it failed. The server applies a connection's requests in order, and the
/// thread's next call goes over the same connection (before it uses another, it confirms this
/// one), so every later call of the thread finds the put applied; the reply of that call comes
/// after the failures of the requests before it, so a failure is that call's error. At the
/// latest the requests are confirmed when the thread ends or the process's function returns
/// ([`settle_thread`]).
pub(crate) struct Link {
    address: Address,
    stream: BufReader<Stream>,
    /// Requests sent without waiting since the last reply; their objects, and what a failure
    /// of each means.
    unconfirmed: usize,
    sent_to: Vec<(u64, Unacked)>,
}

/// A request sent without waiting for its reply: what a failure reported for it means.
#[derive(Clone)]
pub(crate) enum Unacked {
    /// A put into a queue (`what` it is): any failure is an error of the next call.
    Put { what: &'static str },
    /// A send into a pipe: `Flag(false)` means the other end was gone and the message dropped,
    /// which the end's next send reports (`ended`), as a socket's next write does.
    Send { ended: Arc<AtomicBool> },
}

/// Requests a connection may send without waiting before it confirms them: bounds how many
/// failures the server may have to write ahead of the client reading them.
const MAX_UNCONFIRMED: usize = 256;

/// Confirms the requests this thread sent without waiting on every idle connection: what a call
/// does before it is sent on another, so that it cannot overtake them.
fn settle_idle() -> Result<(), RemoteError> {
    // During the thread's own teardown the idle connections settle as they are dropped.
    IDLE.try_with(|idle| {
        let mut idle = idle.borrow_mut();
        let mut failed = None;
        idle.retain_mut(|link| match link.settle() {
            Ok(()) => true,
            Err(error) => {
                // A failed connection is not used again; a refusal leaves it sound.
                let sound = matches!(error, RemoteError::Refused { .. });
                failed.get_or_insert(error);
                sound
            }
        });
        failed.map_or(Ok(()), Err)
    })
    .unwrap_or(Ok(()))
}

/// Confirms every request this thread sent without waiting: when the function of a process
/// returns, before its value is sent back, so its parent finds all its puts applied.
pub(crate) fn settle_thread() -> Result<(), RemoteError> {
    settle_idle()
}

impl Link {
    /// One of this thread's idle connections to `address`, or a new one.
    fn take(address: &Address) -> Result<Link, RemoteError> {
        let idle = IDLE.with(|idle| {
            let mut idle = idle.borrow_mut();
            let at = idle.iter().rposition(|link| link.address == *address)?;
            Some(idle.swap_remove(at))
        });
        if let Some(link) = idle {
            return Ok(link);
        }
        let key = KEYS
            .lock()
            .get(address)
            .cloned()
            .ok_or_else(|| RemoteError::NoKey {
                address: address.to_string(),
            })?;
        Ok(Link {
            address: address.clone(),
            stream: BufReader::new(connect(address, &key)?),
            unconfirmed: 0,
            sent_to: Vec::new(),
        })
    }

    /// Keeps this connection for the thread's next call to its server. A thread keeps a few at
    /// most: the oldest goes (it may lead to a server that has ended since).
    pub(crate) fn give_back(self) {
        let evicted = IDLE.with(|idle| {
            let mut idle = idle.borrow_mut();
            let evicted = (idle.len() == MAX_IDLE).then(|| idle.remove(0));
            idle.push(self);
            evicted
        });
        // Dropped outside the borrow: it confirms what was sent on it, which is a call.
        drop(evicted);
    }

    /// One request and its reply. Its reply comes after the failures of the requests sent
    /// before it without waiting: the first of those is this call's error. A failed connection
    /// is dropped by the caller.
    pub(crate) fn call(&mut self, object: u64, op: Op) -> Result<Reply, RemoteError> {
        settle_idle()?;
        self.call_on_this(object, op)
    }

    /// [`Link::call`], leaving the other connections alone.
    fn call_on_this(&mut self, object: u64, op: Op) -> Result<Reply, RemoteError> {
        self.write_request(Request::awaited(object, op))?;
        let mut earlier = None;
        let reply = loop {
            match self.read_reply() {
                Ok(Reply::Unacknowledged { object, reply }) => {
                    if let Some(error) = self.failed(object, *reply) {
                        earlier.get_or_insert(error);
                    }
                }
                reply => break reply,
            }
        };
        self.unconfirmed = 0;
        self.sent_to.clear();
        match earlier {
            Some(error) => Err(error),
            None => reply,
        }
    }

    /// Sends a request without waiting for its reply (see [`Link`]).
    fn send(&mut self, object: u64, op: Op, unacked: Unacked) -> Result<(), RemoteError> {
        settle_idle()?;
        if self.unconfirmed >= MAX_UNCONFIRMED {
            self.settle()?;
        }
        if matches!(unacked, Unacked::Send { .. }) {
            self.read_arrived_failures()?;
        }
        self.write_request(Request {
            object,
            op,
            unacknowledged: true,
        })?;
        self.unconfirmed += 1;
        if !self.sent_to.iter().any(|(sent, _)| *sent == object) {
            self.sent_to.push((object, unacked));
        }
        Ok(())
    }

    /// Confirms the requests sent without waiting: one call whose reply follows them all. The
    /// server answers it as soon as it has applied them, which never blocks, so the wait is
    /// bounded by [`PATIENCE`]: a process exiting with puts to confirm ([`settle_thread`]) ends
    /// with an error, never waits for good, on a server that does not answer.
    fn settle(&mut self) -> Result<(), RemoteError> {
        if self.unconfirmed == 0 {
            return Ok(());
        }
        if let Err(error) = self.stream.get_ref().bound_reads(&self.address, true) {
            self.unconfirmed = 0;
            return Err(error);
        }
        let settled = self.call_on_this(SERVER_OBJECT, Op::Sync).map(drop);
        // Back to waiting as long as a call takes: a refusal leaves the connection in use (one
        // that timed out is dropped by the caller, as every failed connection is).
        let restored = self.stream.get_ref().bound_reads(&self.address, false);
        settled.and(restored)
    }

    /// Reads the failures the server has already reported, without waiting: what a pipe's send
    /// does, so that its sender learns soon that the other end is gone (a put's failure waits
    /// for the next call).
    fn read_arrived_failures(&mut self) -> Result<(), RemoteError> {
        // With every request confirmed (the last call's reply came after their failures), none
        // can have arrived since.
        if self.unconfirmed == 0 && self.stream.buffer().is_empty() {
            return Ok(());
        }
        while !self.stream.buffer().is_empty() || self.stream.get_ref().readable() {
            match self.read_reply()? {
                Reply::Unacknowledged { object, reply } => {
                    if let Some(error) = self.failed(object, *reply) {
                        return Err(error);
                    }
                }
                reply => {
                    return Err(RemoteError::Connection {
                        address: self.address.to_string(),
                        reason: format!("the server answered {reply:?} to no request"),
                    })
                }
            }
        }
        Ok(())
    }

    /// A request to `object` sent without waiting failed with `reply`: the error to report, if
    /// it is one.
    fn failed(&self, object: u64, reply: Reply) -> Option<RemoteError> {
        let unacked = self
            .sent_to
            .iter()
            .find(|(sent, _)| *sent == object)
            .map(|(_, unacked)| unacked);
        match (unacked, reply) {
            (Some(Unacked::Send { ended }), Reply::Flag(false)) => {
                ended.store(true, Ordering::SeqCst);
                None
            }
            (Some(Unacked::Put { what }), Reply::Refused(reason)) => Some(RemoteError::Refused {
                reason: format!("an earlier put into a {what} was refused: {reason}"),
            }),
            (_, reply) => Some(RemoteError::Refused {
                reason: format!("a request sent without waiting was answered {reply:?}"),
            }),
        }
    }

    /// Writes one request; after a failure nothing sent on this connection can be confirmed.
    fn write_request(&mut self, request: Request) -> Result<(), RemoteError> {
        write_frame(self.stream.get_mut(), &request).map_err(|error| {
            self.unconfirmed = 0;
            connection_error(&self.address, error)
        })
    }

    fn read_reply(&mut self) -> Result<Reply, RemoteError> {
        let reply = match read_frame::<Reply>(&mut self.stream) {
            Ok(Reply::Refused(reason)) => return Err(RemoteError::Refused { reason }),
            Ok(reply) => return Ok(reply),
            Err(WireError::Closed) => RemoteError::Connection {
                address: self.address.to_string(),
                reason: "the server closed the connection mid-call (it ended, or refused the \
                         request)"
                    .to_owned(),
            },
            Err(error) => connection_error(&self.address, error),
        };
        // Nothing more will come on this connection.
        self.unconfirmed = 0;
        Err(reply)
    }
}

/// A connection dropped with requests unconfirmed (its thread ended, or it made room among the
/// idle ones) confirms them first, and tells a failure.
impl Drop for Link {
    fn drop(&mut self) {
        if let Err(error) = self.settle() {
            eprintln!("racecheck: {error}");
        }
    }
}

/// A served object: its server and its number there. This is what a shared object is, in
/// another process than its owner's, and how it is written when passed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RemoteRef {
    pub(crate) address: Address,
    pub(crate) object: u64,
}

impl RemoteRef {
    /// One request and its reply.
    pub(crate) fn call(&self, op: Op) -> Result<Reply, RemoteError> {
        let (reply, link) = self.call_keeping(op)?;
        link.give_back();
        Ok(reply)
    }

    /// One request and its reply, on a connection the caller then holds: what a lock's holder
    /// does, since the server lets go of what a connection holds once it closes.
    pub(crate) fn call_keeping(&self, op: Op) -> Result<(Reply, Link), RemoteError> {
        let mut link = Link::take(&self.address)?;
        let reply = link.call(self.object, op);
        match reply {
            Ok(reply) => Ok((reply, link)),
            // A refusal leaves the connection sound.
            Err(refused @ RemoteError::Refused { .. }) => {
                link.give_back();
                Err(refused)
            }
            Err(error) => Err(error),
        }
    }

    /// Sends a request without waiting for its reply (see [`Link`]).
    pub(crate) fn send(&self, op: Op, unacked: Unacked) -> Result<(), RemoteError> {
        let mut link = Link::take(&self.address)?;
        link.send(self.object, op, unacked)?;
        link.give_back();
        Ok(())
    }

    /// A call on behalf of a primitive whose API has no room for a connection error: a failure
    /// is a panic naming the object's server.
    #[track_caller]
    pub(crate) fn expect(&self, what: &str, op: Op) -> Reply {
        self.call(op).unwrap_or_else(|error| {
            panic!("racecheck: {what} shared from another process: {error}")
        })
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::time::Instant;

    use serde_json::Value;

    use super::*;
    use crate::remote::protocol::Wait;
    use crate::remote::served::ServedQueue;
    use crate::remote::Server;
    use crate::Queue;

    /// Runs `f` on a thread of its own and waits for it at most `limit`: a call that never
    /// ends fails the test instead of hanging it.
    fn ends_within<T: Send + 'static>(
        limit: Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> T {
        let (done, result) = mpsc::channel();
        std::thread::spawn(move || done.send(f()));
        result
            .recv_timeout(limit)
            .unwrap_or_else(|_| panic!("still waiting after {limit:?}"))
    }

    #[test]
    fn a_handshake_the_server_never_answers_fails_in_time() {
        // The kernel accepts the connection; nobody ever writes to it.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = Address::Tcp(listener.local_addr().unwrap().to_string());
        let error = ends_within(PATIENCE * 5, move || connect(&address, b"key").map(drop))
            .unwrap_err()
            .to_string();
        assert!(error.contains("did not answer within"), "{error}");
        drop(listener);
    }

    #[test]
    fn settling_puts_the_server_never_confirms_fails_in_time() {
        // A connection whose server is still there but says nothing: a process settling its
        // puts as it exits gives up with an error instead of waiting for good.
        let (ours, silent) = UnixStream::pair().unwrap();
        let started = Instant::now();
        let error = ends_within(PATIENCE * 5, move || {
            Link {
                address: Address::Local("silent".to_owned()),
                stream: BufReader::new(Stream::Unix(ours)),
                unconfirmed: 1,
                sent_to: Vec::new(),
            }
            .give_back();
            settle_thread()
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("unix:@silent"), "{error}");
        assert!(error.contains("did not answer within"), "{error}");
        assert!(
            started.elapsed() >= PATIENCE,
            "it waited its patience out first"
        );
        drop(silent);
    }

    #[test]
    fn settling_puts_on_a_server_that_shut_down_fails_at_once() {
        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let queue = server.add(Arc::new(ServedQueue::plain(Queue::<u32>::new())));
        let target = RemoteRef {
            address: server.address().clone(),
            object: queue,
        };
        let started = Instant::now();
        let error = ends_within(PATIENCE * 5, move || {
            let put = Op::Put {
                item: Value::from(1),
                wait: Wait::Forever,
            };
            target.send(put, Unacked::Put { what: "Queue" }).unwrap();
            server.shutdown();
            settle_thread()
        })
        .unwrap_err();
        assert!(
            matches!(error, RemoteError::Connection { .. }),
            "the connection ended: {error}"
        );
        assert!(
            started.elapsed() < PATIENCE,
            "the closed connection told, not the patience running out: {error}"
        );
    }

    #[test]
    fn a_refused_put_leaves_the_connection_waiting_as_long_as_a_call_takes() {
        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let queue = Queue::<u32>::new();
        let id = server.add(Arc::new(ServedQueue::plain(queue.clone())));
        let target = RemoteRef {
            address: server.address().clone(),
            object: id,
        };
        let got = ends_within(PATIENCE * 10, move || {
            // Not a `u32`: refused, which the settle before the get reports.
            let put = Op::Put {
                item: Value::from("not a number"),
                wait: Wait::Forever,
            };
            target.send(put, Unacked::Put { what: "Queue" }).unwrap();
            let refused = settle_thread().unwrap_err();
            assert!(matches!(refused, RemoteError::Refused { .. }), "{refused}");
            // The same connection then waits out a get longer than the settle's patience.
            let wait = Wait::Millis(u64::try_from((PATIENCE * 2).as_millis()).unwrap());
            target.call(Op::Get { wait })
        });
        assert!(matches!(got, Ok(Reply::Nothing)), "{got:?}");
    }
}
