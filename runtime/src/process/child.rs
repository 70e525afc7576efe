//! The child's side of a [`Process`](super::Process): started again as the same executable, it
//! finds `RACECHECK_PROCESS` in its environment, reads what to run from the channel that variable
//! names, runs it, and sends back the value or the panic's message.
//!
//! The function to run travels as its address relative to [`child_main`]'s: the child is the very
//! same executable, so the same offset lands on the same code however the loader placed it.

use std::io::Write;
use std::os::fd::FromRawFd;
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::panic_message::panic_message;
use crate::remote::wire::{read_frame, write_frame};
use crate::remote::{install_keys, settle_thread, Address};

/// Names the file descriptor of the child's channel to its parent.
pub(super) const CHILD_VAR: &str = "RACECHECK_PROCESS";

/// The exit status of a child whose function panicked (Python's for an uncaught exception).
const PANIC_EXIT_CODE: i32 = 1;

/// Runs one `fn(A) -> R` on arguments in their serde form.
type Trampoline = fn(usize, Value) -> Result<Value, String>;

/// What the parent sends: which function, through which trampoline, with what.
#[derive(Serialize, Deserialize)]
pub(super) struct Launch {
    pub(super) trampoline: isize,
    pub(super) entry: isize,
    pub(super) args: Value,
    /// The keys of the servers whose objects may be among the arguments.
    pub(super) keys: Vec<(Address, Vec<u8>)>,
}

/// What the child sends back.
#[derive(Serialize, Deserialize)]
pub(super) enum Outcome {
    Returned(Value),
    Panicked(String),
    /// The arguments or the value did not survive serde.
    Unusable(String),
}

/// A function's address as an offset from [`child_main`], the same in parent and child.
pub(super) fn offset_of(address: usize) -> isize {
    address.wrapping_sub(child_main as fn() as usize) as isize
}

/// The offset of the trampoline that runs a `fn(A) -> R`.
pub(super) fn trampoline_offset<A: DeserializeOwned, R: Serialize>() -> isize {
    offset_of(trampoline::<A, R> as Trampoline as usize)
}

fn trampoline<A: DeserializeOwned, R: Serialize>(
    entry: usize,
    args: Value,
) -> Result<Value, String> {
    // SAFETY: `entry` is the address of a `fn(A) -> R` in this same executable: the parent
    // computed its offset from a `fn(A) -> R` and chose this trampoline by the same `A` and `R`.
    let f = unsafe { std::mem::transmute::<usize, fn(A) -> R>(entry) };
    let args = serde_json::from_value(args)
        .map_err(|error| format!("its arguments did not survive serde: {error}"))?;
    serde_json::to_value(f(args))
        .map_err(|error| format!("its value could not be serialized: {error}"))
}

/// The start-up of a racecheck program: in a child started by [`Process`](crate::Process), runs
/// the process's function and exits; anywhere else, returns at once.
///
/// `#[racecheck::main]` and `#[racecheck::test]` call it first, so their users write nothing. A
/// plain `fn main` that starts processes calls it as its first statement. In a plain `#[test]`
/// without it, the child runs that test again up to its first `Process::start`, where it runs the
/// function instead.
pub fn child_main() {
    let Some(fd) = std::env::var_os(CHILD_VAR) else {
        return;
    };
    // The variable is this process's alone: a process it starts gets its own.
    std::env::remove_var(CHILD_VAR);
    let Some(fd) = fd.to_str().and_then(|fd| fd.parse::<i32>().ok()) else {
        eprintln!("racecheck: {CHILD_VAR}={fd:?} is not a file descriptor");
        std::process::exit(2);
    };
    // SAFETY: the parent left this descriptor open, for this process alone, across `exec`.
    let mut channel = unsafe { UnixStream::from_raw_fd(fd) };
    // SAFETY: `fd` is open and ours; keep it from the processes this one starts.
    unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    let code = match read_frame::<Launch>(&mut channel) {
        Ok(launch) => {
            let (outcome, code) = run(launch);
            // Nobody to tell if the parent is gone: the exit status still says it.
            let _ = write_frame(&mut channel, &outcome);
            code
        }
        Err(error) => {
            eprintln!("racecheck: this process could not read what to run: {error}");
            PANIC_EXIT_CODE
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code)
}

fn run(launch: Launch) -> (Outcome, i32) {
    install_keys(launch.keys);
    let base = child_main as fn() as usize;
    let entry = base.wrapping_add(launch.entry as usize);
    // SAFETY: the parent sent the offset of a `Trampoline` in this same executable.
    let trampoline = unsafe {
        std::mem::transmute::<usize, Trampoline>(base.wrapping_add(launch.trampoline as usize))
    };
    let ran = panic::catch_unwind(AssertUnwindSafe(|| trampoline(entry, launch.args)));
    // Puts sent without waiting are confirmed before the parent hears the function ended.
    if let (Err(error), Ok(Ok(_))) = (settle_thread(), &ran) {
        return (Outcome::Panicked(error.to_string()), PANIC_EXIT_CODE);
    }
    match ran {
        Ok(Ok(value)) => (Outcome::Returned(value), 0),
        Ok(Err(reason)) => (Outcome::Unusable(reason), PANIC_EXIT_CODE),
        Err(payload) => (Outcome::Panicked(panic_message(&*payload)), PANIC_EXIT_CODE),
    }
}
