//! Processes (Python: `multiprocessing.Process`): a function run in a new OS process, its
//! arguments and return value carried across by serde.
//!
//! Outside [`explore`](crate::explore()) a process is real: the current executable is started
//! again (`real.rs`), and its start-up code (`child.rs`, run first by `#[racecheck::main]` and
//! `#[racecheck::test]`) runs the function instead of `main`. Inside `explore`, a process is a
//! logical thread that shares nothing but what it is given (`ProcessHandle` over an explored join
//! handle): the engine schedules it, and every operation on the objects passed to it is a
//! scheduling point with its happens-before edges, as between threads.

mod child;
mod real;

use std::fmt;
use std::panic::Location;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::explore::{self, Ended, ExploredJoinHandle};

/// The signal `terminate` sends, which a process stopped under exploration reports.
const SIGTERM: i32 = libc::SIGTERM;

pub use child::child_main;

/// A function to run in a new OS process (Python: `multiprocessing.Process(target=f, args=...)`).
///
/// `f` is a plain function (or a closure that captures nothing): a process shares no memory with
/// its parent, so everything it needs comes through its [`args`](Process::args), which cross by
/// serde, as its return value does. A [`Queue`](crate::Queue), [`JoinableQueue`](crate::JoinableQueue),
/// [`Connection`](crate::Connection), static [`Event`](crate::Event) or static [`Lock`](crate::Lock)
/// among the arguments is shared with the child: the child's operations reach the parent's object.
///
/// ```
/// use racecheck::Process;
///
/// fn square(n: u64) -> u64 {
///     n * n
/// }
///
/// # racecheck::child_main();
/// let child = Process::new(square).args(12).name("squarer").start();
/// assert_eq!(child.name(), "squarer");
/// assert_eq!(child.join(), Ok(144));
/// ```
pub struct Process<A, R> {
    f: fn(A) -> R,
    args: Option<A>,
    name: Option<String>,
}

impl<A, R> Process<A, R>
where
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    /// A process that will run `f` (Python's `target`).
    pub fn new(f: fn(A) -> R) -> Self {
        Process {
            f,
            args: None,
            name: None,
        }
    }

    /// What `f` is called with (Python's `args`); several arguments go in a tuple. May be left
    /// out when `f` takes `()`.
    pub fn args(mut self, args: A) -> Self {
        self.args = Some(args);
        self
    }

    /// Names the process; unnamed processes are called `Process-N` as in Python.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Starts the process.
    ///
    /// # Panics
    ///
    /// If `f` takes arguments and none were given, if the arguments cannot be serialized, or if
    /// the operating system cannot start the process.
    #[track_caller]
    pub fn start(self) -> ProcessHandle<R> {
        let args = match self.args {
            Some(args) => args,
            // `()` (and `Option`) deserialize from nothing: the arguments of a `fn(())`.
            None => serde_json::from_value(serde_json::Value::Null).unwrap_or_else(|_| {
                panic!("racecheck: this process's function takes arguments: give them with `.args(..)`")
            }),
        };
        if let Some(cx) = explore::context() {
            let f = self.f;
            let handle =
                ExploredJoinHandle::spawn(cx, self.name, move || f(args), Location::caller());
            return ProcessHandle {
                name: handle.info().name.clone(),
                repr: Repr::Explored(handle),
            };
        }
        let name = self.name.unwrap_or_else(real::default_name);
        match real::RealProcess::start(self.f, &args) {
            Ok(process) => ProcessHandle {
                name,
                repr: Repr::Real(process),
            },
            Err(error) => panic!("racecheck: could not start process {name:?}: {error}"),
        }
    }
}

/// A started [`Process`]; [`join`](ProcessHandle::join) it for what its function returned.
///
/// Dropping the handle leaves the process running on its own.
pub struct ProcessHandle<R> {
    name: String,
    repr: Repr<R>,
}

/// A real OS process, or a logical thread under exploration.
enum Repr<R> {
    Real(real::RealProcess<R>),
    Explored(ExploredJoinHandle<R>),
}

impl<R: DeserializeOwned + Send + 'static> ProcessHandle<R> {
    /// The process's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The operating system's process id (Python: `pid`); under exploration, the logical
    /// thread's ident.
    pub fn pid(&self) -> u32 {
        match &self.repr {
            Repr::Real(process) => process.pid(),
            Repr::Explored(handle) => handle.info().ident as u32,
        }
    }

    /// `true` until the process has ended.
    #[track_caller]
    pub fn is_alive(&self) -> bool {
        match &self.repr {
            Repr::Real(process) => process.exitcode().is_none(),
            Repr::Explored(handle) => handle.is_alive(),
        }
    }

    /// Python's `exitcode`: `None` while the process runs, then 0 if its function returned, 1 if
    /// it panicked, the code it passed to `exit`, or `-N` if signal `N` ended it. Under
    /// exploration: `None` while the logical thread runs, then 0, 1 if it panicked, or `-15`
    /// (`SIGTERM`) if it was terminated.
    #[track_caller]
    pub fn exitcode(&self) -> Option<i32> {
        match &self.repr {
            Repr::Real(process) => process.exitcode(),
            Repr::Explored(handle) => (!handle.is_alive()).then(|| {
                if handle.was_stopped() {
                    -SIGTERM
                } else if handle.panicked() {
                    1
                } else {
                    0
                }
            }),
        }
    }

    /// Asks the process to stop (Python: `terminate()`, `SIGTERM` on Unix); its `join` then
    /// reports [`ProcessError::Killed`]. Does nothing once the process has ended.
    ///
    /// Under exploration the process's logical thread stops at its next operation on a shared
    /// object (at once if it is blocked), unwinding: its guards are dropped, so a lock it held
    /// is let go, as the server of a lock shared with a process lets go of what a killed holder
    /// held.
    #[track_caller]
    pub fn terminate(&self) {
        match &self.repr {
            Repr::Real(process) => process.terminate(),
            Repr::Explored(handle) => handle.stop(),
        }
    }

    /// Waits for the process to end: what its function returned, or why it returned nothing.
    /// A process that panics, exits or is killed never leaves `join` waiting.
    #[track_caller]
    pub fn join(self) -> Result<R, ProcessError> {
        match self.repr {
            Repr::Real(process) => process.join(&self.name),
            Repr::Explored(handle) => handle.join_ended().map_err(|ended| match ended {
                Ended::Panicked(panicked) => ProcessError::Panicked {
                    process: self.name,
                    message: panicked.message,
                },
                Ended::Stopped => ProcessError::Killed {
                    process: self.name,
                    signal: SIGTERM,
                },
            }),
        }
    }
}

impl<R> fmt::Debug for ProcessHandle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessHandle")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Why a process gave back no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessError {
    /// Its function panicked; the panic's message.
    Panicked {
        /// The process's name.
        process: String,
        /// The panic's message.
        message: String,
    },
    /// It ended through `exit` (or returned from `main`) before its function returned.
    Exited {
        /// The process's name.
        process: String,
        /// Its exit status.
        code: i32,
    },
    /// A signal ended it.
    Killed {
        /// The process's name.
        process: String,
        /// The signal's number.
        signal: i32,
    },
    /// It could not run its function, or its value could not be read back.
    Lost {
        /// The process's name.
        process: String,
        /// What went wrong.
        reason: String,
    },
}

impl ProcessError {
    /// The exit code Python's `exitcode` shows for this ending: 1 for a panic (an uncaught
    /// exception), the status given to `exit`, or `-N` for signal `N`.
    ///
    /// ```
    /// let error = racecheck::ProcessError::Killed { process: "p".into(), signal: 9 };
    /// assert_eq!(error.exitcode(), -9);
    /// ```
    pub fn exitcode(&self) -> i32 {
        match self {
            ProcessError::Panicked { .. } | ProcessError::Lost { .. } => 1,
            ProcessError::Exited { code, .. } => *code,
            ProcessError::Killed { signal, .. } => -signal,
        }
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcessError::Panicked { process, message } => {
                write!(f, "process '{process}' panicked: {message}")
            }
            ProcessError::Exited { process, code } => {
                write!(
                    f,
                    "process '{process}' exited with status {code} before returning"
                )
            }
            ProcessError::Killed { process, signal } => {
                write!(f, "process '{process}' was killed by signal {signal}")
            }
            ProcessError::Lost { process, reason } => write!(f, "process '{process}': {reason}"),
        }
    }
}

impl std::error::Error for ProcessError {}
