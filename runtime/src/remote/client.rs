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
use std::sync::LazyLock;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use super::auth::{self, HandshakeError};
use super::protocol::{Op, Reply, Request};
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
    fn open(address: &Address) -> io::Result<Stream> {
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

    fn fd(&self) -> RawFd {
        match self {
            Stream::Unix(stream) => stream.as_raw_fd(),
            Stream::Tcp(stream) => stream.as_raw_fd(),
        }
    }

    /// `true` once the peer has closed its end (or the connection failed): a look without
    /// waiting and without consuming anything.
    pub(crate) fn peer_gone(&self) -> bool {
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
            0 => true,
            n if n > 0 => false,
            _ => {
                let error = io::Error::last_os_error();
                !matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                )
            }
        }
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

/// A new authenticated connection to `address`.
pub(crate) fn connect(address: &Address, key: &[u8]) -> Result<Stream, RemoteError> {
    let name = address.to_string();
    let mut stream = Stream::open(address).map_err(|error| RemoteError::Unreachable {
        address: name.clone(),
        error,
    })?;
    auth::connect(&mut stream, key).map_err(|error| match error {
        HandshakeError::KeyRefused => RemoteError::KeyRefused { address: name },
        HandshakeError::ServerUnproven => RemoteError::ServerUnproven { address: name },
        HandshakeError::Wire(error) => connection_error(address, error),
    })?;
    Ok(stream)
}

fn connection_error(address: &Address, error: WireError) -> RemoteError {
    RemoteError::Connection {
        address: address.to_string(),
        reason: error.to_string(),
    }
}

/// An authenticated connection to one server, read through a buffer (a reply is one `read`).
pub(crate) struct Link {
    address: Address,
    stream: BufReader<Stream>,
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
        })
    }

    /// Keeps this connection for the thread's next call to its server. A thread keeps a few at
    /// most: the oldest goes (it may lead to a server that has ended since).
    pub(crate) fn give_back(self) {
        IDLE.with(|idle| {
            let mut idle = idle.borrow_mut();
            if idle.len() == MAX_IDLE {
                idle.remove(0);
            }
            idle.push(self);
        });
    }

    /// One request and its reply. A failed connection is dropped by the caller.
    pub(crate) fn call(&mut self, object: u64, op: Op) -> Result<Reply, RemoteError> {
        let request = Request { object, op };
        write_frame(self.stream.get_mut(), &request)
            .map_err(|e| connection_error(&self.address, e))?;
        match read_frame::<Reply>(&mut self.stream) {
            Ok(Reply::Refused(reason)) => Err(RemoteError::Refused { reason }),
            Ok(reply) => Ok(reply),
            Err(WireError::Closed) => Err(RemoteError::Connection {
                address: self.address.to_string(),
                reason: "the server closed the connection mid-call (it ended, or refused the \
                         request)"
                    .to_owned(),
            }),
            Err(error) => Err(connection_error(&self.address, error)),
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

    /// A call on behalf of a primitive whose API has no room for a connection error: a failure
    /// is a panic naming the object's server.
    #[track_caller]
    pub(crate) fn expect(&self, what: &str, op: Op) -> Reply {
        self.call(op).unwrap_or_else(|error| {
            panic!("racecheck: {what} shared from another process: {error}")
        })
    }
}
