//! A connection's requests, applied by whichever thread of the server's process gets to them
//! first: the connection's own thread, or a thread blocked in a get (or a pipe's `recv`) on a
//! channel that the connection's client puts into.
//!
//! A child that answers its parent through a queue would otherwise cost three wake-ups per
//! message: the child, the connection thread that applies the child's put, and the parent it
//! wakes. A parent blocked on a channel that connections have put into (its feeders, recorded
//! by the channel's [`Handoff`]) waits on those connections' sockets itself and applies what
//! arrives, so the child's put wakes the parent directly. Meanwhile the connection thread's
//! epoll set leaves that socket out (it still hears the connection's end, and its bell), so it
//! is not woken for what the getter applies. It keeps every request that may block (a getter
//! applies only requests that cannot, and leaves it the rest), the timing of a wait a getter
//! registered, and the connection's end.
//!
//! A connection's requests are applied in order, one thread at a time (its `state` lock), so
//! the guarantees of one connection hold whoever applies them. The connection thread lets go of
//! the lock while a request blocks: its client sends nothing more until answered.

use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Weak};
use std::time::Instant;

use parking_lot::{Mutex, MutexGuard};

use super::client::Stream;
use super::handoff::Handoff;
use super::protocol::{Reply, Request};
use super::served::{Handed, Parked, Served};
use super::server::{Applied, Server};
use super::wire::{write_frame, Inbox};

/// One served connection: its socket and what reading it has left.
pub(crate) struct Lane {
    server: Arc<Server>,
    number: u64,
    socket: Arc<Stream>,
    state: Mutex<LaneState>,
    /// Wakes the connection's thread: a getter left it a request, a wait to time, or the end.
    bell: Bell,
    /// What the connection's thread waits on: the bell, and the socket unless a getter watches
    /// it (the thread is then not woken for requests the getter applies).
    waits: Epoll,
    /// How many getters watch the socket.
    watchers: Mutex<usize>,
}

struct LaneState {
    inbox: Inbox,
    /// A request a getter read but may not apply (it may block): the connection thread's next.
    left: Option<Request>,
    /// The client's get or recv, waiting in its channel's hand-off.
    parked: Option<Parked>,
    /// What the connection holds (a lock), let go when it ends.
    holds: Vec<Arc<dyn Served>>,
    /// The client left, or the connection failed: nothing more is read.
    ended: bool,
}

/// Who applies a connection's requests.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// The connection's own thread: every request.
    Connection,
    /// A thread waiting on a channel the connection puts into: requests that cannot block.
    Getter,
}

thread_local! {
    /// The connection whose request this thread is applying: a put it makes feeds the channel.
    static APPLYING: RefCell<Option<Weak<Lane>>> = const { RefCell::new(None) };
    /// The hand-off whose feeders this thread waits on: a put it makes needs no bell.
    static WATCHING: Cell<*const Handoff> = const { Cell::new(std::ptr::null()) };
}

/// The connection whose request this thread is applying, if it is.
pub(crate) fn applying() -> Option<Weak<Lane>> {
    APPLYING.with(|applying| applying.borrow().clone())
}

/// Whether this thread is the one waiting on `handoff`'s feeders.
pub(crate) fn watching(handoff: &Handoff) -> bool {
    WATCHING.with(|watching| std::ptr::eq(watching.get(), handoff))
}

impl Lane {
    pub(crate) fn new(server: Arc<Server>, number: u64, stream: Stream) -> io::Result<Arc<Lane>> {
        let bell = Bell::new()?;
        let waits = Epoll::new()?;
        waits.watch(bell.fd(), true, BELL)?;
        waits.watch(stream.fd(), true, SOCKET)?;
        Ok(Arc::new(Lane {
            server,
            number,
            socket: Arc::new(stream),
            state: Mutex::new(LaneState {
                inbox: Inbox::default(),
                left: None,
                parked: None,
                holds: Vec::new(),
                ended: false,
            }),
            bell,
            waits,
            watchers: Mutex::new(0),
        }))
    }

    /// A getter watches the socket from now on: the connection's thread stops waiting on it.
    fn lend(&self) {
        let mut watchers = self.watchers.lock();
        if *watchers == 0 {
            self.waits.rewatch(self.socket.fd(), false, SOCKET);
        }
        *watchers += 1;
    }

    /// A getter no longer watches the socket: the last one gives it back to the connection's
    /// thread, which is woken at once if something arrived meanwhile.
    fn give_back(&self) {
        let mut watchers = self.watchers.lock();
        *watchers -= 1;
        if *watchers == 0 {
            self.waits.rewatch(self.socket.fd(), true, SOCKET);
        }
    }

    /// Whether nothing more will be read from it (a connection being applied now is not).
    pub(crate) fn ended(&self) -> bool {
        self.state.try_lock().is_some_and(|state| state.ended)
    }

    /// The connection's thread: applies requests as they arrive until the client leaves. What
    /// the connection holds is let go once it ends, however it ends.
    pub(crate) fn run(self: &Arc<Self>) {
        loop {
            let deadline = {
                let mut state = self.state.lock();
                if !self.apply_arrived(&mut state, Reader::Connection) {
                    break;
                }
                let deadline = state.parked.as_ref().and_then(Parked::deadline);
                if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                    let wait = state.parked.take().expect("a parked wait");
                    // Withdrawn before a put took it: the client learns the wait ran out.
                    if wait.withdraw() && write_frame(&mut &*self.socket, &Reply::Nothing).is_err()
                    {
                        break;
                    }
                    continue;
                }
                deadline
            };
            if self.waits.wait(deadline).contains(&BELL) {
                self.bell.clear();
            }
        }
        let mut state = self.state.lock();
        state.ended = true;
        // A client gone (or the server stopping) while it waited takes nothing.
        if let Some(wait) = state.parked.take() {
            wait.withdraw();
        }
        for held in std::mem::take(&mut state.holds) {
            held.disconnected(self.number);
        }
    }

    /// Applies, on behalf of a thread waiting on a channel this connection feeds, the requests
    /// that have arrived and cannot block.
    fn apply_as_getter(self: &Arc<Self>) {
        let mut state = self.state.lock();
        if !self.apply_arrived(&mut state, Reader::Getter) {
            state.ended = true;
            self.bell.ring();
        }
    }

    /// Applies what has arrived: `false` once the connection is over.
    fn apply_arrived(
        self: &Arc<Self>,
        state: &mut MutexGuard<'_, LaneState>,
        reader: Reader,
    ) -> bool {
        if state.ended {
            return false;
        }
        if let Some(request) = state.left.take() {
            if reader == Reader::Getter {
                state.left = Some(request);
                return true;
            }
            if !self.apply_one(state, request, reader) {
                return false;
            }
        }
        let open = state
            .inbox
            .fill(|buf| self.socket.read_now(buf))
            .unwrap_or(false);
        while let Some(frame) = state.inbox.next::<Request>() {
            let request = match frame {
                Ok(request) => request,
                Err(error) => {
                    // Answer, then close: after a bad frame the stream's framing is not trusted.
                    let _ = write_frame(&mut &*self.socket, &Reply::Refused(error.to_string()));
                    return false;
                }
            };
            if reader == Reader::Getter && request.may_block() {
                state.left = Some(request);
                self.bell.ring();
                return true;
            }
            if !self.apply_one(state, request, reader) {
                return false;
            }
        }
        // A request cut short by the client's end is not applied.
        open
    }

    /// Applies one request and sends its reply: `false` if the connection is over.
    fn apply_one(
        self: &Arc<Self>,
        state: &mut MutexGuard<'_, LaneState>,
        request: Request,
        reader: Reader,
    ) -> bool {
        // A client sends its next request only once answered; one that did not wait is not
        // answered later.
        if let Some(wait) = state.parked.take() {
            wait.withdraw();
        }
        let (target, unacknowledged) = (request.object, request.unacknowledged);
        let previous = APPLYING.with(|applying| applying.replace(Some(Arc::downgrade(self))));
        let applied = if request.may_block() {
            // Not holding up the getters meanwhile: the client sends nothing more until it is
            // answered, so there is nothing for them to apply out of order.
            MutexGuard::unlocked(state, || {
                self.server.apply(request, self.number, &self.socket)
            })
        } else {
            self.server.apply(request, self.number, &self.socket)
        };
        APPLYING.with(|applying| *applying.borrow_mut() = previous);
        let (reply, object) = match applied {
            Applied::Reply(reply, object) => (reply, object),
            Applied::Handed(Handed::Answered) => return true,
            Applied::Handed(Handed::Parked(wait)) => {
                if reader == Reader::Getter && wait.deadline().is_some() {
                    // The connection's thread times the wait.
                    self.bell.ring();
                }
                state.parked = Some(wait);
                return true;
            }
        };
        let mut socket = &*self.socket;
        if unacknowledged {
            // A put or a send: answered only if it failed.
            if matches!(reply, Reply::Flag(true)) {
                return true;
            }
            let failure = Reply::Unacknowledged {
                object: target,
                reply: Box::new(reply),
            };
            return write_frame(&mut socket, &failure).is_ok();
        }
        if self.server.stopping() {
            // A wait cut short by the shutdown is no answer: the client learns the server ended,
            // and an item taken meanwhile goes back.
            if let Some(object) = object {
                object.restore(reply);
            }
            return false;
        }
        let Some(object) = object else {
            return write_frame(&mut socket, &reply).is_ok();
        };
        if object.holds(self.number) && !state.holds.iter().any(|held| Arc::ptr_eq(held, &object)) {
            state.holds.push(Arc::clone(&object));
        }
        // A reply that carries something away is sent only to a client still there (over TCP,
        // a write to a peer that has closed still succeeds), and taken back otherwise.
        let delivered = if object.takes_back(&reply) {
            !self.socket.peer_gone() && write_frame(&mut socket, &reply).is_ok()
        } else {
            write_frame(&mut socket, &reply).is_ok()
        };
        if !delivered {
            object.restore(reply);
        }
        delivered
    }
}

/// Waits until `take` gives something, reading meanwhile the requests of the connections that
/// feed `handoff`'s channel (see the module's note), until `deadline` if there is one: `None`
/// if no connection feeds it (the caller waits its own way), else what `take` gave (`None`
/// once the deadline passed).
pub(crate) fn take_fed<T>(
    handoff: &Handoff,
    deadline: Option<Instant>,
    mut take: impl FnMut() -> Option<T>,
) -> Option<Option<T>> {
    let mut feeders = handoff.feeders();
    if feeders.is_empty() {
        return None;
    }
    // Something there already: no need to watch.
    if let Some(item) = take() {
        return Some(Some(item));
    }
    let bell = handoff.watch()?;
    let previous = WATCHING.with(|watching| watching.replace(handoff));
    for lane in &feeders {
        lane.lend();
    }
    let watched = feeders.clone();
    let taken = loop {
        if let Some(item) = take() {
            break Some(item);
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            break None;
        }
        let mut fds: Vec<libc::pollfd> = std::iter::once(bell.fd())
            .chain(feeders.iter().map(|lane| lane.socket.fd()))
            .map(pollfd)
            .collect();
        wait_readable(&mut fds, deadline);
        if fds[0].revents != 0 {
            bell.clear();
        }
        for (lane, fd) in feeders.iter().zip(&fds[1..]) {
            if fd.revents != 0 {
                lane.apply_as_getter();
            }
        }
        // A connection that ended is left out; one that began feeding since is its own
        // thread's, and what it puts rings the bell.
        feeders.retain(|lane| !lane.ended());
    };
    for lane in &watched {
        lane.give_back();
    }
    WATCHING.with(|watching| watching.set(previous));
    handoff.unwatch();
    Some(taken)
}

fn pollfd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// Waits until one of `fds` is readable (or closed), or `deadline` passes.
fn wait_readable(fds: &mut [libc::pollfd], deadline: Option<Instant>) {
    let count = libc::nfds_t::try_from(fds.len()).expect("a few descriptors");
    // SAFETY: `fds` is a valid array of `count` pollfds; an interrupted wait is a spurious wake,
    // which every caller tolerates (it looks again).
    unsafe { libc::poll(fds.as_mut_ptr(), count, timeout_millis(deadline)) };
}

/// A wait's timeout as `poll` and `epoll_wait` take it: -1 for none, rounded up.
fn timeout_millis(deadline: Option<Instant>) -> i32 {
    deadline.map_or(-1, |deadline| {
        let left = deadline.saturating_duration_since(Instant::now());
        i32::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX)
    })
}

/// A Linux eventfd: one thread rings it, another waits on it among sockets.
pub(crate) struct Bell(OwnedFd);

impl Bell {
    pub(crate) fn new() -> io::Result<Bell> {
        // SAFETY: creates a descriptor, owned from here on if valid.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just created and nothing else owns it.
        Ok(Bell(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    pub(crate) fn ring(&self) {
        let one = 1u64;
        // SAFETY: an 8-byte write from a local; a full counter (never, in practice) is already
        // a rung bell.
        unsafe { libc::write(self.fd(), (&raw const one).cast(), 8) };
    }

    /// Silences it once its waiter has woken.
    pub(crate) fn clear(&self) {
        let mut count = 0u64;
        // SAFETY: an 8-byte read into a local; a bell not rung gives `EAGAIN`, which is fine.
        unsafe { libc::read(self.fd(), (&raw mut count).cast(), 8) };
    }

    fn fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

/// The connection thread's waits: which one woke it.
const BELL: u64 = 0;
const SOCKET: u64 = 1;

/// A Linux epoll set: unlike a `poll`, another thread can change what it waits on while it
/// waits.
struct Epoll(OwnedFd);

impl Epoll {
    fn new() -> io::Result<Epoll> {
        // SAFETY: creates a descriptor, owned from here on if valid.
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just created and nothing else owns it.
        Ok(Epoll(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    fn watch(&self, fd: RawFd, readable: bool, token: u64) -> io::Result<()> {
        self.control(libc::EPOLL_CTL_ADD, fd, readable, token)
    }

    /// Waits on `fd` again, or only for its end (`readable` false).
    fn rewatch(&self, fd: RawFd, readable: bool, token: u64) {
        // Changing a descriptor already in the set fails only if the set or it is gone, and
        // then there is nothing left to wait on.
        let _ = self.control(libc::EPOLL_CTL_MOD, fd, readable, token);
    }

    fn control(&self, op: i32, fd: RawFd, readable: bool, token: u64) -> io::Result<()> {
        let mut event = libc::epoll_event {
            events: if readable { libc::EPOLLIN as u32 } else { 0 },
            u64: token,
        };
        // SAFETY: a valid event on descriptors we own.
        if unsafe { libc::epoll_ctl(self.0.as_raw_fd(), op, fd, &raw mut event) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Waits until something is ready or `deadline` passes: the tokens of what is ready.
    fn wait(&self, deadline: Option<Instant>) -> Vec<u64> {
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 2];
        // SAFETY: `events` holds room for the count given.
        let ready = unsafe {
            libc::epoll_wait(
                self.0.as_raw_fd(),
                events.as_mut_ptr(),
                2,
                timeout_millis(deadline),
            )
        };
        let ready = usize::try_from(ready).unwrap_or(0);
        events[..ready].iter().map(|event| event.u64).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::Value;

    use super::*;
    use crate::remote::client::connect;
    use crate::remote::protocol::{Op, Wait};
    use crate::remote::served::{ServedEvent, ServedQueue, StaticOrOwned};
    use crate::remote::wire::read_frame;
    use crate::{Event, Queue};

    /// A server with `queue` served on it, and a client connection that has fed it once (so
    /// that a getter of `queue` reads the connection itself).
    fn fed_queue(queue: &Queue<u32>) -> (Arc<Server>, u64, Stream) {
        let server = Server::bind_tcp("127.0.0.1:0", b"key".to_vec()).unwrap();
        let id = server.add(Arc::new(ServedQueue::plain(queue.clone())));
        let mut client = connect(server.address(), b"key").unwrap();
        // A reply that never comes fails the test instead of hanging it.
        if let Stream::Tcp(tcp) = &client {
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        }
        write_frame(&mut client, &put(id, 0)).unwrap();
        assert_eq!(queue.get(), 0);
        (server, id, client)
    }

    fn put(object: u64, item: u32) -> Request {
        Request {
            object,
            op: Op::Put {
                item: Value::from(item),
                wait: Wait::Forever,
            },
            unacknowledged: true,
        }
    }

    /// Several requests in one write, so that one reader finds them all.
    fn write_all(client: &mut Stream, requests: &[Request]) {
        let mut bytes = Vec::new();
        for request in requests {
            write_frame(&mut bytes, request).unwrap();
        }
        std::io::Write::write_all(client, &bytes).unwrap();
    }

    #[test]
    fn a_getter_receives_a_connections_puts_in_order_nothing_lost() {
        let queue = Queue::new();
        let (_server, id, mut client) = fed_queue(&queue);
        let getter = {
            let queue = queue.clone();
            std::thread::spawn(move || (1..=500).map(|_| queue.get()).collect::<Vec<u32>>())
        };
        for item in 1..=500 {
            write_frame(&mut client, &put(id, item)).unwrap();
        }
        assert_eq!(getter.join().unwrap(), (1..=500).collect::<Vec<_>>());
        // The connection still answers calls in order after the puts.
        write_frame(&mut client, &Request::awaited(id, Op::Len)).unwrap();
        assert!(matches!(
            read_frame::<Reply>(&mut client),
            Ok(Reply::Count(0))
        ));
    }

    #[test]
    fn a_request_that_may_block_is_left_to_the_connections_thread() {
        let queue = Queue::new();
        let (server, id, mut client) = fed_queue(&queue);
        let event = server.add(Arc::new(ServedEvent(StaticOrOwned::Owned(Event::new()))));
        let getter = {
            let queue = queue.clone();
            std::thread::spawn(move || queue.get())
        };
        // The getter is woken by the put; the wait behind it blocks, so it is not the getter's.
        let wait = Op::WaitSet {
            wait: Wait::Millis(30),
        };
        write_all(&mut client, &[put(id, 7), Request::awaited(event, wait)]);
        assert_eq!(getter.join().unwrap(), 7);
        assert!(matches!(
            read_frame::<Reply>(&mut client),
            Ok(Reply::Flag(false))
        ));
    }

    #[test]
    fn a_timed_get_a_getter_registered_still_runs_out() {
        let (queue, other) = (Queue::new(), Queue::<u32>::new());
        let (server, id, mut client) = fed_queue(&queue);
        let other_id = server.add(Arc::new(ServedQueue::plain(other.clone())));
        let getter = {
            let queue = queue.clone();
            std::thread::spawn(move || queue.get())
        };
        let get = Op::Get {
            wait: Wait::Millis(30),
        };
        write_all(&mut client, &[put(id, 5), Request::awaited(other_id, get)]);
        assert_eq!(getter.join().unwrap(), 5);
        assert!(matches!(
            read_frame::<Reply>(&mut client),
            Ok(Reply::Nothing)
        ));
        other.put(1);
        assert_eq!(other.len(), 1, "the wait that ran out took nothing");
    }

    #[test]
    fn a_getter_watching_a_connection_that_ends_still_gets_a_local_put() {
        let queue = Queue::new();
        let (_server, _id, client) = fed_queue(&queue);
        let getter = {
            let queue = queue.clone();
            std::thread::spawn(move || queue.get_timeout(Duration::from_secs(20)))
        };
        drop(client);
        std::thread::sleep(Duration::from_millis(20));
        queue.put(3);
        assert_eq!(getter.join().unwrap(), Ok(3));
    }

    #[test]
    fn a_getter_watching_gives_up_at_its_deadline() {
        let queue = Queue::<u32>::new();
        let (_server, _id, _client) = fed_queue(&queue);
        assert_eq!(
            queue.get_timeout(Duration::from_millis(20)),
            Err(crate::Empty)
        );
    }
}
