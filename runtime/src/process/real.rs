//! A [`Process`](super::Process) as a real OS process: the current executable started again with
//! a private channel (one end of a Unix socket pair, its descriptor named by `RACECHECK_PROCESS`),
//! over which the parent sends what to run and the child sends back the outcome.

use std::io;
use std::marker::PhantomData;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::child::{self, Launch, Outcome, CHILD_VAR};
use super::ProcessError;
use crate::remote::wire::{read_frame, write_frame, WireError};
use crate::remote::{self, Exports};

/// `Process-N`, N counting from 1 as in Python.
pub(super) fn default_name() -> String {
    static STARTED: AtomicU64 = AtomicU64::new(0);
    format!("Process-{}", STARTED.fetch_add(1, Ordering::Relaxed) + 1)
}

pub(super) struct RealProcess<R> {
    child: Mutex<Child>,
    channel: UnixStream,
    /// The parent's objects this process was given: served until it is joined.
    _exports: Exports,
    value: PhantomData<fn() -> R>,
}

impl<R: DeserializeOwned> RealProcess<R> {
    pub(super) fn start<A: Serialize + DeserializeOwned>(
        f: fn(A) -> R,
        args: &A,
    ) -> io::Result<Self>
    where
        R: Serialize,
    {
        // A child that did not run `child_main` reaches here instead: it runs its function now.
        child::child_main();
        let (args, exports) = remote::export_while(|| serde_json::to_value(args));
        let args = args.map_err(|error| {
            io::Error::other(format!("its arguments cannot be serialized: {error}"))
        })?;
        let launch = Launch {
            trampoline: child::trampoline_offset::<A, R>(),
            entry: child::offset_of(f as usize),
            args,
            keys: remote::keyring(),
        };
        let (mut channel, child_end) = UnixStream::pair()?;
        let fd = child_end.as_raw_fd();
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(test_filter())
            .env(CHILD_VAR, fd.to_string())
            .stdin(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec: keep the child's end open
        // across `exec` (the socket pair was made close-on-exec).
        unsafe {
            command.pre_exec(move || {
                if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let spawned = command.spawn()?;
        drop(child_end);
        // A child that died at once closed its end: `join` reports how it ended.
        let _ = write_frame(&mut channel, &launch);
        Ok(RealProcess {
            child: Mutex::new(spawned),
            channel,
            _exports: exports,
            value: PhantomData,
        })
    }

    pub(super) fn pid(&self) -> u32 {
        self.child.lock().id()
    }

    pub(super) fn exitcode(&self) -> Option<i32> {
        match self.child.lock().try_wait() {
            Ok(Some(status)) => Some(python_exitcode(status)),
            Ok(None) => None,
            Err(error) => panic!("racecheck: cannot query a child process: {error}"),
        }
    }

    pub(super) fn terminate(&self) {
        let mut child = self.child.lock();
        // Reaped processes are left alone: their pid may already name another process.
        if let Ok(None) = child.try_wait() {
            // SAFETY: plain `kill(2)` on our own unreaped child.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        }
    }

    pub(super) fn join(mut self, name: &str) -> Result<R, ProcessError> {
        // Ends with the child's message, or at end of stream when the child is gone: never hangs
        // on a dead child.
        let outcome = read_frame::<Outcome>(&mut self.channel);
        let status = self
            .child
            .get_mut()
            .wait()
            .map_err(|error| lost(name, format!("cannot wait for it: {error}")))?;
        match outcome {
            Ok(Outcome::Returned(value)) => serde_json::from_value(value)
                .map_err(|error| lost(name, format!("its value did not survive serde: {error}"))),
            Ok(Outcome::Panicked(message)) => Err(ProcessError::Panicked {
                process: name.to_owned(),
                message,
            }),
            Ok(Outcome::Unusable(reason)) => Err(lost(name, reason)),
            Err(WireError::Closed | WireError::Io(_)) => Err(ended_early(name, status)),
            Err(error) => Err(lost(name, format!("its answer was unreadable: {error}"))),
        }
    }
}

/// A child that ended without an answer.
fn ended_early(name: &str, status: ExitStatus) -> ProcessError {
    let process = name.to_owned();
    match (status.code(), status.signal()) {
        (_, Some(signal)) => ProcessError::Killed { process, signal },
        (Some(0) | None, None) => lost(
            name,
            "it ended without running its function: does the program's `main` carry \
             `#[racecheck::main]` or call `racecheck::child_main()` first?"
                .to_owned(),
        ),
        (Some(code), None) => ProcessError::Exited { process, code },
    }
}

fn lost(name: &str, reason: String) -> ProcessError {
    ProcessError::Lost {
        process: name.to_owned(),
        reason,
    }
}

fn python_exitcode(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|signal| -signal))
        .unwrap_or(1)
}

/// In a test binary, the arguments that run only the calling test: libtest names each test's
/// thread after the test. A `#[racecheck::main]` binary ignores them (its child leaves in
/// `child_main` before reading any argument).
fn test_filter() -> Vec<String> {
    match std::thread::current().name() {
        Some(test) if test != "main" => vec![
            test.to_owned(),
            "--exact".to_owned(),
            "--nocapture".to_owned(),
            "--test-threads=1".to_owned(),
            "-q".to_owned(),
        ],
        _ => Vec::new(),
    }
}
