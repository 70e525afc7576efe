//! The object server: a listening socket, a thread per connection, and a table of served
//! objects. A connection first passes the key's challenge–response; then each whole request
//! frame is applied once, and its reply sent. A request is never applied before its frame has
//! fully arrived, and a reply that cannot be delivered is taken back (an item goes back into its
//! queue), so a client that dies mid-call loses nothing and changes nothing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::net::{TcpListener, ToSocketAddrs};
use std::os::unix::net::UnixListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use parking_lot::Mutex;

use super::auth;
use super::client::{install_keys, Address, Stream};
use super::lane::Lane;
use super::protocol::{Kind, Op, Reply, Request};
use super::served::{self, Handed, Peer, Served};

/// The number of the server itself in requests ([`Op::Open`]).
pub(crate) const SERVER_OBJECT: u64 = 0;

pub(crate) struct Server {
    address: Address,
    key: Vec<u8>,
    objects: Mutex<HashMap<u64, Arc<dyn Served>>>,
    /// Named objects (a Manager's): name → kind and number.
    names: Mutex<HashMap<String, (Kind, u64)>>,
    next: AtomicU64,
    stopping: AtomicBool,
    /// Every open connection, to close them on shutdown.
    connections: Mutex<HashMap<u64, Stream>>,
    /// Disconnects when the acceptor has left and closed the listening socket, so that after
    /// `shutdown` a new connection is refused rather than half-accepted.
    listener_closed: Mutex<Option<mpsc::Receiver<()>>>,
}

enum Listener {
    Unix(UnixListener),
    Tcp(TcpListener),
}

impl Listener {
    fn accept(&self) -> io::Result<Stream> {
        match self {
            Listener::Unix(listener) => listener.accept().map(|(stream, _)| Stream::Unix(stream)),
            Listener::Tcp(listener) => listener.accept().map(|(stream, _)| {
                let _ = stream.set_nodelay(true);
                Stream::Tcp(stream)
            }),
        }
    }
}

impl Server {
    /// A server on a fresh abstract Unix socket: this machine only.
    pub(crate) fn bind_local(key: Vec<u8>) -> io::Result<Arc<Server>> {
        use std::os::linux::net::SocketAddrExt;
        static SERVERS: AtomicU64 = AtomicU64::new(0);
        let nonce: u64 = auth::random_nonce()
            .map_err(|error| io::Error::other(error.to_string()))?
            .iter()
            .take(8)
            .fold(0, |n, byte| n << 8 | u64::from(*byte));
        let name = format!(
            "racecheck-{}-{}-{nonce:016x}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::Relaxed)
        );
        let address = std::os::unix::net::SocketAddr::from_abstract_name(&name)?;
        let listener = UnixListener::bind_addr(&address)?;
        Ok(Server::run(
            Address::Local(name),
            key,
            Listener::Unix(listener),
        ))
    }

    /// A server on a TCP address.
    pub(crate) fn bind_tcp(address: impl ToSocketAddrs, key: Vec<u8>) -> io::Result<Arc<Server>> {
        let listener = TcpListener::bind(address)?;
        let address = Address::Tcp(listener.local_addr()?.to_string());
        Ok(Server::run(address, key, Listener::Tcp(listener)))
    }

    fn run(address: Address, key: Vec<u8>, listener: Listener) -> Arc<Server> {
        install_keys([(address.clone(), key.clone())]);
        let server = Arc::new(Server {
            address,
            key,
            objects: Mutex::default(),
            names: Mutex::default(),
            next: AtomicU64::new(SERVER_OBJECT + 1),
            stopping: AtomicBool::new(false),
            connections: Mutex::default(),
            listener_closed: Mutex::default(),
        });
        let (closing, closed) = mpsc::channel::<()>();
        *server.listener_closed.lock() = Some(closed);
        let acceptor = Arc::clone(&server);
        std::thread::Builder::new()
            .name("racecheck-server".to_owned())
            .spawn(move || {
                acceptor.accept_loop(listener);
                drop(closing);
            })
            .expect("racecheck: cannot start the object server's thread");
        server
    }

    pub(crate) fn address(&self) -> &Address {
        &self.address
    }

    /// Serves `object` from now on; its number.
    pub(crate) fn add(&self, object: Arc<dyn Served>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.objects.lock().insert(id, object);
        id
    }

    pub(crate) fn remove(&self, id: u64) {
        self.objects.lock().remove(&id);
    }

    /// The named object of that kind, created on first use.
    fn open(&self, name: String, kind: Kind) -> Reply {
        let mut names = self.names.lock();
        if let Some(&(existing, id)) = names.get(&name) {
            return if existing == kind {
                Reply::Object(id)
            } else {
                Reply::Refused(format!("{name:?} is a {existing:?}, not a {kind:?}"))
            };
        }
        let id = self.add(served::new_of_kind(kind));
        names.insert(name, (kind, id));
        Reply::Object(id)
    }

    /// Stops accepting and closes every connection: blocked clients get an error at once.
    pub(crate) fn shutdown(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(closed) = self.listener_closed.lock().take() {
            // Wake the acceptor, which sees `stopping` and leaves, unless a client's connection
            // already has: its address is then free, and may be another process's by now. The
            // wake-up is a bare connection, closed at once, with no handshake to wait on: a
            // listener that is not this server's may never speak.
            if matches!(closed.try_recv(), Err(TryRecvError::Empty)) {
                let _ = Stream::open(&self.address);
            }
            // Bounded: should the wake-up connection have failed, shutdown still returns.
            let _ = closed.recv_timeout(Duration::from_secs(5));
        }
        for (_, connection) in self.connections.lock().drain() {
            connection.shutdown();
        }
    }

    fn accept_loop(self: Arc<Self>, listener: Listener) {
        let mut numbers = 0u64;
        while !self.stopping.load(Ordering::SeqCst) {
            let Ok(stream) = listener.accept() else {
                continue;
            };
            numbers += 1;
            let number = numbers;
            if !self.admit(&stream, number) {
                // Dropped, so closed: the client's handshake fails at once.
                continue;
            }
            let server = Arc::clone(&self);
            let started = std::thread::Builder::new()
                .name("racecheck-connection".to_owned())
                .spawn(move || {
                    server.serve(stream, number);
                    server.connections.lock().remove(&number);
                });
            if started.is_err() {
                self.connections.lock().remove(&number);
            }
        }
    }

    /// Records an accepted connection among those `shutdown` closes: `false` if it is not to be
    /// served (the server is stopping, or no copy of it could be kept to close it by). The
    /// check is made under the lock `shutdown` drains the connections with, after it has set
    /// `stopping`: every connection is either drained or never served, however late the
    /// acceptor gets here (`shutdown` waits for it only so long), so no client is left waiting
    /// on a connection nobody closes.
    fn admit(&self, stream: &Stream, number: u64) -> bool {
        let mut connections = self.connections.lock();
        if self.stopping.load(Ordering::SeqCst) {
            return false;
        }
        let Ok(copy) = stream.try_clone() else {
            return false;
        };
        connections.insert(number, copy);
        true
    }

    /// One connection: the handshake, then requests until the client leaves (`lane.rs`).
    fn serve(self: &Arc<Self>, mut stream: Stream, number: u64) {
        if auth::accept(&mut stream, &self.key).is_err() {
            return;
        }
        // The handshake alternates strictly, so nothing of a request has been read ahead of it.
        if let Ok(lane) = Lane::new(Arc::clone(self), number, stream) {
            lane.run();
        }
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Applies one request: its reply and the object it went to, or what became of a reply
    /// that is not this thread's to send (a blocked get that a put answers, `handoff.rs`).
    pub(crate) fn apply(&self, request: Request, number: u64, socket: &Arc<Stream>) -> Applied {
        if request.object == SERVER_OBJECT {
            let reply = match request.op {
                Op::Open { name, kind } => self.open(name, kind),
                Op::Sync => Reply::Done,
                op => Reply::Refused(format!("the server itself has no operation {op:?}")),
            };
            return Applied::Reply(reply, None);
        }
        let Some(object) = self.objects.lock().get(&request.object).cloned() else {
            return Applied::Reply(
                Reply::Refused(format!("no object {} is served here", request.object)),
                None,
            );
        };
        let gone = || socket.peer_gone() || self.stopping.load(Ordering::SeqCst);
        let peer = Peer::new(number, &gone).with_socket(socket);
        let reply = object.call(request.op, &peer);
        match peer.handed() {
            Some(handed) => Applied::Handed(handed),
            None => Applied::Reply(reply, Some(object)),
        }
    }
}

/// What applying a request gave.
pub(crate) enum Applied {
    /// The reply to send, and the object the request went to (`None`: the server itself).
    Reply(Reply, Option<Arc<dyn Served>>),
    /// No reply to send (see [`Handed`]).
    Handed(Handed),
}

/// This process's own server, for the objects it gives to its child processes.
static OWN: OnceLock<Arc<Server>> = OnceLock::new();

fn own_server() -> io::Result<&'static Arc<Server>> {
    if let Some(server) = OWN.get() {
        return Ok(server);
    }
    let key = auth::random_nonce().map_err(|error| io::Error::other(error.to_string()))?;
    let server = Server::bind_local(key)?;
    // Two threads racing here both bound a server; one is kept, the other serves nothing.
    Ok(OWN.get_or_init(|| server))
}

thread_local! {
    /// The objects exported while a process's arguments are being serialized.
    static EXPORTING: RefCell<Option<Vec<u64>>> = const { RefCell::new(None) };
}

/// The objects exported for one child process: served until this is dropped (when the process
/// is joined or its handle dropped).
pub(crate) struct Exports {
    ids: Vec<u64>,
}

impl Drop for Exports {
    fn drop(&mut self) {
        if let Some(server) = OWN.get() {
            for id in self.ids.drain(..) {
                server.remove(id);
            }
        }
    }
}

/// Runs `serialize` (a process's arguments), collecting what it exports.
pub(crate) fn export_while<T>(serialize: impl FnOnce() -> T) -> (T, Exports) {
    EXPORTING.with(|exporting| *exporting.borrow_mut() = Some(Vec::new()));
    let value = serialize();
    let ids = EXPORTING
        .with(|exporting| exporting.borrow_mut().take())
        .unwrap_or_default();
    (value, Exports { ids })
}

/// Serves `object` from this process's own server, as part of the arguments being serialized.
pub(crate) fn export(object: Arc<dyn Served>) -> io::Result<super::RemoteRef> {
    let server = own_server()?;
    let id = server.add(object);
    let collected = EXPORTING.with(|exporting| match exporting.borrow_mut().as_mut() {
        Some(ids) => {
            ids.push(id);
            true
        }
        None => false,
    });
    if !collected {
        server.remove(id);
        return Err(io::Error::other(
            "a racecheck object can only be serialized as the argument of a `Process`",
        ));
    }
    Ok(super::RemoteRef {
        address: server.address().clone(),
        object: id,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use serde_json::Value;

    use super::*;
    use crate::remote::client::connect;
    use crate::remote::protocol::Wait;
    use crate::remote::wire::{read_frame, write_frame, WireError, MAX_FRAME};

    fn list_server() -> (Arc<Server>, u64) {
        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let Reply::Object(list) = server.open("log".to_owned(), Kind::List) else {
            panic!("a list is opened");
        };
        (server, list)
    }

    fn items(server: &Server, list: u64) -> usize {
        let object = server.objects.lock().get(&list).cloned().unwrap();
        match object.call(Op::Len, &Peer::new(0, &|| false)) {
            Reply::Count(count) => count,
            reply => panic!("{reply:?}"),
        }
    }

    #[test]
    fn an_oversized_frame_is_refused_and_the_connection_closed() {
        let (server, _) = list_server();
        let mut stream = connect(server.address(), b"key").unwrap();
        stream
            .write_all(&((MAX_FRAME + 1) as u32).to_be_bytes())
            .unwrap();
        match read_frame::<Reply>(&mut stream).unwrap() {
            Reply::Refused(reason) => assert!(reason.contains("exceeds the limit"), "{reason}"),
            reply => panic!("{reply:?}"),
        }
        assert!(matches!(
            read_frame::<Reply>(&mut stream),
            Err(WireError::Closed)
        ));
    }

    #[test]
    fn a_malformed_request_is_refused() {
        let (server, _) = list_server();
        let mut stream = connect(server.address(), b"key").unwrap();
        write_frame(&mut stream, &"not a request").unwrap();
        match read_frame::<Reply>(&mut stream).unwrap() {
            Reply::Refused(reason) => assert!(reason.starts_with("malformed message"), "{reason}"),
            reply => panic!("{reply:?}"),
        }
    }

    #[test]
    fn a_request_cut_short_by_a_dying_client_is_not_applied() {
        let (server, list) = list_server();
        let mut stream = connect(server.address(), b"key").unwrap();
        let request = Request {
            object: list,
            op: Op::ListPush {
                item: Value::from(1),
            },
            unacknowledged: false,
        };
        let mut frame = Vec::new();
        write_frame(&mut frame, &request).unwrap();
        stream.write_all(&frame[..frame.len() - 2]).unwrap();
        drop(stream);
        // A whole request on another connection is answered after the cut one was dropped.
        let mut other = connect(server.address(), b"key").unwrap();
        write_frame(&mut other, &Request::awaited(list, Op::Len)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut other).unwrap(),
            Reply::Count(0)
        ));
        assert_eq!(items(&server, list), 0);
    }

    /// A put sent without waiting, which the server refuses (a dict has no `Put`).
    fn refused_put(server: &Server) -> crate::remote::RemoteRef {
        let Reply::Object(dict) = server.open("d".to_owned(), Kind::Dict) else {
            panic!("a dict is opened");
        };
        let target = crate::remote::RemoteRef {
            address: server.address().clone(),
            object: dict,
        };
        let put = Op::Put {
            item: Value::from(1),
            wait: Wait::Forever,
        };
        target
            .send(put, crate::remote::client::Unacked::Put { what: "Queue" })
            .unwrap();
        target
    }

    #[test]
    fn a_refused_put_sent_without_waiting_fails_the_threads_next_call() {
        let (server, _) = list_server();
        std::thread::spawn(move || {
            let target = refused_put(&server);
            let error = target.call(Op::Len).unwrap_err().to_string();
            assert!(
                error.contains("an earlier put into a Queue was refused"),
                "{error}"
            );
            // Reported once: the connection stays sound.
            assert!(matches!(target.call(Op::Len), Ok(Reply::Count(0))));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_refused_put_sent_without_waiting_fails_the_end_of_the_function() {
        let (server, _) = list_server();
        std::thread::spawn(move || {
            refused_put(&server);
            let error = crate::remote::settle_thread().unwrap_err().to_string();
            assert!(error.contains("has no operation Put"), "{error}");
        })
        .join()
        .unwrap();
    }

    fn queue_server() -> (Arc<Server>, u64) {
        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let Reply::Object(queue) = server.open("jobs".to_owned(), Kind::Queue) else {
            panic!("a queue is opened");
        };
        (server, queue)
    }

    #[test]
    fn a_timed_get_that_runs_out_takes_nothing_and_the_connection_reads_on() {
        let (server, queue) = queue_server();
        let mut stream = connect(server.address(), b"key").unwrap();
        let get = Op::Get {
            wait: Wait::Millis(20),
        };
        write_frame(&mut stream, &Request::awaited(queue, get)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut stream),
            Ok(Reply::Nothing)
        ));
        // An item put after the wait ran out stays in the queue, for the next get.
        let put = Op::Put {
            item: Value::from(4),
            wait: Wait::Never,
        };
        write_frame(&mut stream, &Request::awaited(queue, put)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut stream),
            Ok(Reply::Flag(true))
        ));
        assert_eq!(items(&server, queue), 1);
        let get = Op::Get {
            wait: Wait::Millis(20),
        };
        write_frame(&mut stream, &Request::awaited(queue, get)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut stream),
            Ok(Reply::Item(item)) if item == 4
        ));
    }

    #[test]
    fn a_timed_get_is_answered_by_a_put_within_its_wait() {
        let (server, queue) = queue_server();
        let mut getter = connect(server.address(), b"key").unwrap();
        let get = Op::Get {
            wait: Wait::Millis(60_000),
        };
        write_frame(&mut getter, &Request::awaited(queue, get)).unwrap();
        let mut putter = connect(server.address(), b"key").unwrap();
        let put = Op::Put {
            item: Value::from(9),
            wait: Wait::Never,
        };
        write_frame(&mut putter, &Request::awaited(queue, put)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut putter),
            Ok(Reply::Flag(true))
        ));
        assert!(matches!(
            read_frame::<Reply>(&mut getter),
            Ok(Reply::Item(item)) if item == 9
        ));
        // The getter's connection serves its next request at once.
        write_frame(&mut getter, &Request::awaited(queue, Op::Len)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut getter),
            Ok(Reply::Count(0))
        ));
    }

    #[test]
    fn a_message_sent_as_its_waiting_reader_leaves_goes_to_the_next_reader() {
        // A Unix socket, where a write to a reader that has left fails.
        let server = Server::bind_local(b"key".to_vec()).unwrap();
        for message in 0..20 {
            let (parent, child) = crate::Pipe::new::<u32>();
            let end = server.add(Arc::new(served::ServedConnection::new(child)));
            let mut leaving = connect(server.address(), b"key").unwrap();
            write_frame(&mut leaving, &Request::awaited(end, Op::Recv)).unwrap();
            drop(leaving);
            parent.send(message).unwrap();
            let mut next = connect(server.address(), b"key").unwrap();
            write_frame(&mut next, &Request::awaited(end, Op::Recv)).unwrap();
            assert!(matches!(
                read_frame::<Reply>(&mut next),
                Ok(Reply::Item(item)) if item == message
            ));
        }
    }

    #[test]
    fn a_connection_accepted_as_the_server_shuts_down_is_closed_or_never_served() {
        use std::io::Read;
        use std::os::unix::net::UnixStream;

        let (server, _) = list_server();
        let (before, mut client_before) = UnixStream::pair().unwrap();
        assert!(server.admit(&Stream::Unix(before), 1));
        server.shutdown();
        // Admitted before the shutdown: closed by it, so its client's read ends.
        let mut byte = [0u8; 1];
        assert_eq!(client_before.read(&mut byte).unwrap(), 0);
        // Accepted meanwhile, admitted after it (an acceptor late past shutdown's wait): not
        // served, so no client waits on a connection nobody would close.
        let (after, _client_after) = UnixStream::pair().unwrap();
        assert!(!server.admit(&Stream::Unix(after), 2));
        assert!(server.connections.lock().is_empty());
    }

    #[test]
    fn a_shutdown_never_waits_on_what_now_listens_at_its_address() {
        use std::net::TcpListener;

        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let Address::Tcp(address) = server.address().clone() else {
            panic!("a TCP server");
        };
        // The shutdown has begun, and before it wakes its acceptor, a client's connection does:
        // the acceptor sees `stopping`, leaves and closes the listener.
        // (Refused when another test's stray connection to this reused port came first and made
        // the acceptor leave already: the state this test wants either way.)
        server.stopping.store(true, Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(&address);
        let closed = server.listener_closed.lock().take().unwrap();
        assert!(closed.recv_timeout(Duration::from_secs(10)).is_err());
        *server.listener_closed.lock() = Some(closed);
        // The port is free again, and another process's server takes it, one that never speaks
        // first.
        let other = TcpListener::bind(&address).unwrap();
        let (done, ended) = mpsc::channel();
        std::thread::spawn(move || {
            server.shutdown();
            let _ = done.send(());
        });
        assert!(
            ended.recv_timeout(Duration::from_secs(10)).is_ok(),
            "the shutdown still waits"
        );
        other.set_nonblocking(true).unwrap();
        assert!(
            other.accept().is_err(),
            "the shutdown connected to a listener not its own"
        );
    }

    #[test]
    fn an_item_taken_for_a_client_that_is_gone_goes_back() {
        let (server, queue) = queue_server();
        let object = server.objects.lock().get(&queue).cloned().unwrap();
        let peer = Peer::new(0, &|| false);
        object.call(
            Op::Put {
                item: Value::from(7),
                wait: Wait::Never,
            },
            &peer,
        );
        let taken = object.call(Op::Get { wait: Wait::Never }, &peer);
        assert!(matches!(taken, Reply::Item(_)));
        object.restore(taken);
        assert!(matches!(object.call(Op::Len, &peer), Reply::Count(1)));
    }
}
