//! The Manager (Python: `multiprocessing.Manager`, `multiprocessing.managers.BaseManager`): a
//! server of named shared objects, to the processes of one machine ([`Manager::start`]) or, over
//! TCP with an authentication key, across hosts ([`Manager::serve`], [`Manager::connect`]).

mod collections;

use std::marker::PhantomData;
use std::net::ToSocketAddrs;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::remote::protocol::{Kind, Op, Reply};
use crate::remote::share::{Remote, RemoteLock};
use crate::remote::{auth, install_keys, Address, RemoteError, RemoteRef, Server};
use crate::{Event, JoinableQueue, Lock, Queue};

pub use collections::{Dict, List};

/// A connection to a server of named shared objects, or the server itself.
///
/// Each object is created on the server the first time any client asks for its name, and the
/// same name gives every client the same object. The objects have the API of their local
/// counterparts ([`Queue`], [`JoinableQueue`], [`Event`], [`Lock`]) plus a [`Dict`] and a
/// [`List`]; any of them can be given to a [`Process`](crate::Process).
///
/// ```
/// use racecheck::Manager;
///
/// let server = Manager::serve("127.0.0.1:0", b"secret key").unwrap();
/// let client = Manager::connect(&server.address(), b"secret key").unwrap();
/// server.list::<u32>("log").unwrap().push(7).unwrap();
/// assert_eq!(client.list::<u32>("log").unwrap().items().unwrap(), [7]);
///
/// let error = Manager::connect(&server.address(), b"wrong").unwrap_err();
/// assert!(error.to_string().contains("refused the authentication key"));
/// ```
pub struct Manager {
    address: Address,
    /// The server, when this manager runs it: it stops when the manager is dropped.
    server: Option<Arc<Server>>,
}

impl Manager {
    /// A server for the processes of this machine (a Unix socket only this machine reaches,
    /// with a random key that processes started from here inherit).
    pub fn start() -> Result<Manager, RemoteError> {
        let key = auth::random_nonce().map_err(|error| RemoteError::Connection {
            address: "(new server)".to_owned(),
            reason: error.to_string(),
        })?;
        let server = Server::bind_local(key).map_err(|error| RemoteError::Unreachable {
            address: "(new local server)".to_owned(),
            error,
        })?;
        Ok(Manager::serving(server))
    }

    /// A server on a TCP address (`"0.0.0.0:5000"`, or port 0 for any free port) that admits
    /// only clients proving they know `authkey`.
    pub fn serve(address: impl ToSocketAddrs, authkey: &[u8]) -> Result<Manager, RemoteError> {
        let server = Server::bind_tcp(address, authkey.to_vec()).map_err(|error| {
            RemoteError::Unreachable {
                address: "(new TCP server)".to_owned(),
                error,
            }
        })?;
        Ok(Manager::serving(server))
    }

    fn serving(server: Arc<Server>) -> Manager {
        Manager {
            address: server.address().clone(),
            server: Some(server),
        }
    }

    /// A client of the server at `address` (`host:port`). Both sides prove they know `authkey`
    /// before anything else is said; the key itself is never sent.
    pub fn connect(address: &str, authkey: &[u8]) -> Result<Manager, RemoteError> {
        let address = Address::Tcp(address.to_owned());
        // Authenticate now, so a wrong key or an absent server is this call's error.
        crate::remote::connect_once(&address, authkey)?;
        install_keys([(address.clone(), authkey.to_vec())]);
        Ok(Manager {
            address,
            server: None,
        })
    }

    /// Where the server listens: `host:port` for TCP (what [`connect`](Manager::connect)
    /// takes), `unix:@name` for a local one.
    pub fn address(&self) -> String {
        match &self.address {
            Address::Tcp(address) => address.clone(),
            local => local.to_string(),
        }
    }

    /// Stops the server this manager runs (dropping it does too): clients' calls fail from then
    /// on, and calls blocked on the server end with an error. A client manager just closes.
    pub fn shutdown(self) {}

    fn open(&self, name: &str, kind: Kind) -> Result<RemoteRef, RemoteError> {
        let server = RemoteRef {
            address: self.address.clone(),
            object: crate::remote::SERVER_OBJECT,
        };
        let op = Op::Open {
            name: name.to_owned(),
            kind,
        };
        match server.call(op)? {
            Reply::Object(object) => Ok(RemoteRef {
                address: self.address.clone(),
                object,
            }),
            reply => Err(RemoteError::Refused {
                reason: format!("unexpected answer {reply:?}"),
            }),
        }
    }

    /// The server's queue of that name (Python: `manager.Queue()`).
    pub fn queue<T>(&self, name: &str) -> Result<Queue<T>, RemoteError>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
    {
        let target = self.open(name, Kind::Queue)?;
        Ok(Queue::from_remote(Remote::new(target, "Queue")))
    }

    /// The server's joinable queue of that name (Python: `manager.JoinableQueue()`).
    pub fn joinable_queue<T>(&self, name: &str) -> Result<JoinableQueue<T>, RemoteError>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
    {
        let target = self.open(name, Kind::JoinableQueue)?;
        Ok(JoinableQueue::from_remote(Remote::new(
            target,
            "JoinableQueue",
        )))
    }

    /// The server's event of that name (Python: `manager.Event()`).
    pub fn event(&self, name: &str) -> Result<Event, RemoteError> {
        self.open(name, Kind::Event).map(Event::from_remote)
    }

    /// The server's lock of that name (Python: `manager.Lock()`). A holder whose connection
    /// closes (its process ended or was killed) lets it go.
    pub fn lock(&self, name: &str) -> Result<Lock, RemoteError> {
        self.open(name, Kind::Lock)
            .map(|target| Lock::from_remote(RemoteLock::new(target)))
    }

    /// The server's map of that name (Python: `manager.dict()`).
    pub fn dict<K, V>(&self, name: &str) -> Result<Dict<K, V>, RemoteError>
    where
        K: Serialize + DeserializeOwned,
        V: Serialize + DeserializeOwned,
    {
        self.open(name, Kind::Dict).map(Dict::new)
    }

    /// The server's list of that name (Python: `manager.list()`).
    pub fn list<T>(&self, name: &str) -> Result<List<T>, RemoteError>
    where
        T: Serialize + DeserializeOwned,
    {
        self.open(name, Kind::List).map(List::new)
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown();
        }
    }
}

impl std::fmt::Debug for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager")
            .field("address", &self.address())
            .field("serving", &self.server.is_some())
            .finish()
    }
}

/// What a collection's items are, for its handle's type.
type Items<T> = PhantomData<fn(T) -> T>;
