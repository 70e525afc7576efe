//! Threads (Python: `threading.Thread`, `threading.current_thread`, `threading.enumerate`).

use std::fmt;
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::explore::ExploredJoinHandle;
use crate::panic_message::panic_message;
use crate::thread_registry;
use crate::vocab::{Panicked, ThreadInfo};

/// A thread to start (Python: `threading.Thread(target=f, name=...)`).
///
/// Build it with [`Thread::new`], optionally [`name`](Thread::name) it, then
/// [`start`](Thread::start) it; [`Thread::spawn`] does all of it at once.
///
/// ```
/// use racecheck::Thread;
///
/// let worker = Thread::new(|| 6 * 7).name("worker-1").start();
/// assert_eq!(worker.name(), "worker-1");
/// assert_eq!(worker.join(), Ok(42));
/// ```
pub struct Thread<F> {
    f: F,
    name: Option<String>,
}

impl<F, T> Thread<F>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    /// A thread that will run `f` (Python's `target`).
    ///
    /// ```
    /// let thread = racecheck::Thread::new(|| "done");
    /// assert_eq!(thread.start().join(), Ok("done"));
    /// ```
    pub fn new(f: F) -> Self {
        Thread { f, name: None }
    }

    /// Names the thread; unnamed threads are called `Thread-N`, N counting from 1 as in Python.
    ///
    /// ```
    /// let handle = racecheck::Thread::new(|| racecheck::current_thread().name).name("reader").start();
    /// assert_eq!(handle.join().unwrap(), "reader");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Starts the thread. It is listed by [`enumerate`](crate::enumerate) from the moment this
    /// returns until its function returns.
    ///
    /// ```
    /// let handle = racecheck::Thread::new(|| 1 + 1).start();
    /// assert_eq!(handle.join(), Ok(2));
    /// ```
    #[track_caller]
    pub fn start(self) -> JoinHandle<T> {
        if let Some(cx) = crate::explore::context() {
            let handle = ExploredJoinHandle::spawn(cx, self.name, self.f, Location::caller());
            return JoinHandle {
                repr: HandleRepr::Explored(handle),
            };
        }
        let name = self.name.unwrap_or_else(thread_registry::default_name);
        JoinHandle {
            repr: HandleRepr::Real(RealJoinHandle::spawn(name, self.f)),
        }
    }

    /// Starts an unnamed thread: `Thread::new(f).start()`.
    ///
    /// ```
    /// let handle = racecheck::Thread::spawn(|| racecheck::current_thread().name);
    /// assert!(handle.join().unwrap().starts_with("Thread-"));
    /// ```
    #[track_caller]
    pub fn spawn(f: F) -> JoinHandle<T> {
        Thread::new(f).start()
    }
}

/// The handle of a started thread; [`join`](JoinHandle::join) it to get what its function
/// returned.
///
/// Dropping the handle detaches the thread, which then runs on unobserved (racecheck's analyzer
/// reports that as `L001 thread-never-joined`).
///
/// ```
/// let handle = racecheck::Thread::spawn(|| vec![1, 2, 3]);
/// assert_eq!(handle.join().unwrap().len(), 3);
/// ```
pub struct JoinHandle<T> {
    repr: HandleRepr<T>,
}

/// How the handle's thread runs; the exploration engine adds its own variant.
enum HandleRepr<T> {
    Real(RealJoinHandle<T>),
    Explored(ExploredJoinHandle<T>),
}

impl<T> JoinHandle<T> {
    /// The thread's name.
    ///
    /// ```
    /// let handle = racecheck::Thread::new(|| ()).name("logger").start();
    /// assert_eq!(handle.name(), "logger");
    /// # handle.join().unwrap();
    /// ```
    pub fn name(&self) -> &str {
        match &self.repr {
            HandleRepr::Real(handle) => &handle.info.name,
            HandleRepr::Explored(handle) => &handle.info().name,
        }
    }

    /// The thread's ident, the one [`current_thread`] reports on it.
    ///
    /// ```
    /// let handle = racecheck::Thread::spawn(|| racecheck::current_thread().ident);
    /// let ident = handle.ident();
    /// assert_eq!(handle.join(), Ok(ident));
    /// ```
    pub fn ident(&self) -> u64 {
        match &self.repr {
            HandleRepr::Real(handle) => handle.info.ident,
            HandleRepr::Explored(handle) => handle.info().ident,
        }
    }

    /// `true` until the thread's function has returned (or panicked).
    ///
    /// ```
    /// let gate = std::sync::Arc::new(racecheck::Event::new());
    /// let opened = gate.clone();
    /// let handle = racecheck::Thread::spawn(move || opened.wait());
    /// assert!(handle.is_alive());
    /// gate.set();
    /// handle.join().unwrap();
    /// ```
    #[track_caller]
    pub fn is_alive(&self) -> bool {
        match &self.repr {
            HandleRepr::Real(handle) => !handle.completion.is_done(),
            HandleRepr::Explored(handle) => handle.is_alive(),
        }
    }

    /// Waits for the thread to finish: what its function returned, or [`Panicked`] with the
    /// panic's message.
    ///
    /// ```
    /// let handle = racecheck::Thread::new(|| -> u8 { panic!("bad input") }).name("parser").start();
    /// let error = handle.join().unwrap_err();
    /// assert_eq!(error.thread, "parser");
    /// assert_eq!(error.message, "bad input");
    /// ```
    #[track_caller]
    pub fn join(self) -> Result<T, Panicked> {
        match self.repr {
            HandleRepr::Real(handle) => handle.join(),
            HandleRepr::Explored(handle) => handle.join(),
        }
    }

    /// Waits at most `d` for the thread to finish; gives the handle back if it is still running.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let gate = std::sync::Arc::new(racecheck::Event::new());
    /// let opened = gate.clone();
    /// let handle = racecheck::Thread::spawn(move || opened.wait());
    /// let handle = handle.join_timeout(Duration::from_millis(1)).unwrap_err();
    /// gate.set();
    /// assert_eq!(handle.join_timeout(Duration::from_secs(60)).ok(), Some(Ok(())));
    /// ```
    #[track_caller]
    pub fn join_timeout(self, d: Duration) -> Result<Result<T, Panicked>, Self> {
        match self.repr {
            HandleRepr::Real(handle) => {
                if handle.completion.wait_timeout(d) {
                    Ok(handle.join())
                } else {
                    Err(JoinHandle {
                        repr: HandleRepr::Real(handle),
                    })
                }
            }
            HandleRepr::Explored(handle) => handle.join_timeout(d).map_err(|handle| JoinHandle {
                repr: HandleRepr::Explored(handle),
            }),
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("name", &self.name())
            .field("ident", &self.ident())
            .field("alive", &self.is_alive())
            .finish()
    }
}

/// A racecheck thread running on an OS thread.
struct RealJoinHandle<T> {
    info: ThreadInfo,
    completion: Arc<Completion>,
    thread: std::thread::JoinHandle<Result<T, Panicked>>,
}

impl<T> RealJoinHandle<T> {
    fn spawn<F>(name: String, f: F) -> Self
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let info = thread_registry::register(name);
        let completion = Arc::new(Completion::default());
        let body = {
            let info = info.clone();
            let completion = completion.clone();
            move || {
                let ident = info.ident;
                let thread_name = info.name.clone();
                thread_registry::adopt(info);
                let outcome =
                    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| Panicked {
                        thread: thread_name,
                        message: panic_message(&*payload),
                    });
                // Leave the live set before signalling completion: once `is_alive()` is false or
                // `join` returned, `enumerate()` no longer lists this thread.
                thread_registry::unregister(ident);
                completion.mark_done();
                outcome
            }
        };
        let mut builder = std::thread::Builder::new();
        // The OS name is a debugging aid only; a name the OS cannot take is kept by racecheck.
        if !info.name.contains('\0') {
            builder = builder.name(info.name.clone());
        }
        match builder.spawn(body) {
            Ok(thread) => RealJoinHandle {
                info,
                completion,
                thread,
            },
            Err(error) => {
                thread_registry::unregister(info.ident);
                panic!(
                    "racecheck: the OS could not start thread {:?}: {error}",
                    info.name
                )
            }
        }
    }

    fn join(self) -> Result<T, Panicked> {
        // The body catches its own panics, so the OS thread itself cannot have panicked.
        self.thread.join().unwrap_or_else(|payload| {
            Err(Panicked {
                thread: self.info.name,
                message: panic_message(&*payload),
            })
        })
    }
}

/// Set once a thread's function has returned; what `is_alive` and `join_timeout` look at.
#[derive(Default)]
struct Completion {
    done: Mutex<bool>,
    finished: Condvar,
}

impl Completion {
    fn mark_done(&self) {
        *self.done.lock() = true;
        self.finished.notify_all();
    }

    fn is_done(&self) -> bool {
        *self.done.lock()
    }

    /// `true` if done within `d`.
    fn wait_timeout(&self, d: Duration) -> bool {
        let mut done = self.done.lock();
        // parking_lot waits without a deadline when `d` is too long to represent one.
        self.finished.wait_while_for(&mut done, |done| !*done, d);
        *done
    }
}

/// The calling thread (Python: `threading.current_thread()`). Works on every thread: the main
/// thread is `MainThread`; a thread racecheck did not start keeps its own name, or is called
/// `Dummy-N` when it has none, as in Python.
///
/// ```
/// let name = racecheck::Thread::new(|| racecheck::current_thread().name).name("w").start().join();
/// assert_eq!(name.as_deref(), Ok("w"));
/// ```
pub fn current_thread() -> ThreadInfo {
    if let Some(cx) = crate::explore::context() {
        return cx.current_thread();
    }
    thread_registry::current()
}

/// The main thread followed by every live racecheck thread, in start order (Python:
/// `threading.enumerate()`).
///
/// ```
/// let gate = std::sync::Arc::new(racecheck::Event::new());
/// let opened = gate.clone();
/// let handle = racecheck::Thread::new(move || opened.wait()).name("waiter").start();
/// let names: Vec<String> = racecheck::enumerate().into_iter().map(|t| t.name).collect();
/// assert_eq!(names[0], "MainThread");
/// assert!(names.iter().any(|name| name == "waiter"));
/// gate.set();
/// handle.join().unwrap();
/// ```
pub fn enumerate() -> Vec<ThreadInfo> {
    if let Some(cx) = crate::explore::context() {
        return cx.enumerate();
    }
    thread_registry::live_threads()
}
