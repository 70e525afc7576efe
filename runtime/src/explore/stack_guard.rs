//! A logical thread that overflows its coroutine stack hits the stack's guard page. Rust's own
//! handler only knows the OS thread's stack, so it would let the process die of SIGSEGV without a
//! word. This module's handler recognises a fault on the guard page of the coroutine running on
//! the faulting thread, says which logical thread overflowed and where it last was, and aborts,
//! as Rust does for a real thread ("has overflowed its stack"). Any other fault goes to the
//! handler that was installed before.
//!
//! Recovering instead of aborting is not sound: the overflow may have happened anywhere, e.g. in
//! the allocator with its lock held. The handler runs on the OS thread's alternate signal stack
//! (which std sets up for every thread it starts, and which [`ensure_alternate_stack`] provides
//! otherwise) and only reads a thread-local and writes to stderr.

use std::cell::Cell;

use corosensei::trap::CoroutineTrapHandler;

use super::ids::Loc;

/// What the handler needs to know about the logical thread running on this OS thread.
#[derive(Clone, Copy)]
pub(crate) struct Running {
    /// Tells whether an address lies in the coroutine's stack, guard page included.
    pub(crate) stack: CoroutineTrapHandler<()>,
    pub(crate) stack_size: usize,
    /// The thread's name: its bytes stay in place while it runs (its `String` is not touched).
    pub(crate) name: *const u8,
    pub(crate) name_len: usize,
    /// Its last racecheck operation, if any.
    pub(crate) location: Option<Loc>,
    pub(crate) schedule: usize,
}

thread_local! {
    static RUNNING: Cell<Option<Running>> = const { Cell::new(None) };
    #[cfg(unix)]
    static ALTERNATE_STACK_CHECKED: Cell<bool> = const { Cell::new(false) };
}

/// Marks `running` as the logical thread on this OS thread's processor until `f` returns.
pub(crate) fn while_running<T>(running: Running, f: impl FnOnce() -> T) -> T {
    RUNNING.with(|slot| slot.set(Some(running)));
    let result = f();
    RUNNING.with(|slot| slot.set(None));
    result
}

#[cfg(unix)]
/// Bytes of the alternate signal stack set up where the OS thread has none.
const ALTERNATE_STACK_SIZE: usize = 64 << 10;

/// Elsewhere an overflow ends the process as the platform does.
#[cfg(not(unix))]
pub(crate) fn install() {}

/// Installs the handler once per process and makes sure the calling OS thread can run it.
#[cfg(unix)]
pub(crate) fn install() {
    PREVIOUS.get_or_init(|| {
        [libc::SIGSEGV, libc::SIGBUS].map(|signal| {
            // SAFETY: zeroed `sigaction`s are valid values to fill; the handler is
            // async-signal-safe.
            unsafe {
                let mut previous: libc::sigaction = std::mem::zeroed();
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_fault as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, &mut previous);
                previous
            }
        })
    });
    ensure_alternate_stack();
}

/// The handlers in place before ours, for SIGSEGV and SIGBUS.
#[cfg(unix)]
static PREVIOUS: std::sync::OnceLock<[libc::sigaction; 2]> = std::sync::OnceLock::new();

#[cfg(unix)]
fn slot_of(signal: libc::c_int) -> usize {
    usize::from(signal == libc::SIGBUS)
}

/// Gives the calling OS thread an alternate signal stack if it has none (std gives one to the
/// threads it starts); it is kept for the thread's life.
#[cfg(unix)]
fn ensure_alternate_stack() {
    if ALTERNATE_STACK_CHECKED.with(|checked| checked.replace(true)) {
        return;
    }
    // SAFETY: querying and setting the alternate stack of the calling thread; the memory is
    // leaked, so it outlives the thread.
    unsafe {
        let mut current: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(std::ptr::null(), &mut current) != 0
            || current.ss_flags & libc::SS_DISABLE == 0
        {
            return;
        }
        let memory = Box::leak(vec![0u8; ALTERNATE_STACK_SIZE].into_boxed_slice());
        let stack = libc::stack_t {
            ss_sp: memory.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: ALTERNATE_STACK_SIZE,
        };
        libc::sigaltstack(&stack, std::ptr::null_mut());
    }
}

#[cfg(unix)]
extern "C" fn on_fault(
    signal: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a valid `siginfo_t` to an SA_SIGINFO handler.
    let address = unsafe { (*info).si_addr() } as usize;
    if let Some(running) = RUNNING.with(Cell::get) {
        if running.stack.stack_ptr_in_bounds(address) {
            report_overflow(&running);
            // SAFETY: ends the process, as Rust does on a stack overflow.
            unsafe { libc::abort() };
        }
    }
    let Some(previous) = PREVIOUS.get().map(|actions| actions[slot_of(signal)]) else {
        // Still being installed: the default action, on the re-run of the faulting instruction.
        // SAFETY: setting the default action.
        unsafe { libc::signal(signal, libc::SIG_DFL) };
        return;
    };
    if previous.sa_sigaction == libc::SIG_DFL || previous.sa_sigaction == libc::SIG_IGN {
        // Returning re-runs the faulting instruction, which now gets the default action.
        // SAFETY: restoring a valid action.
        unsafe { libc::sigaction(signal, &previous, std::ptr::null_mut()) };
    } else if previous.sa_flags & libc::SA_SIGINFO != 0 {
        let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            // SAFETY: an SA_SIGINFO handler has this signature.
            unsafe { std::mem::transmute(previous.sa_sigaction) };
        handler(signal, info, context);
    } else {
        // SAFETY: a plain handler takes the signal number.
        let handler: extern "C" fn(libc::c_int) =
            unsafe { std::mem::transmute(previous.sa_sigaction) };
        handler(signal);
    }
}

/// `racecheck: logical thread 'Thread-1' has overflowed its stack of 2097152 bytes …`, written
/// with `write(2)` alone: no allocation in a signal handler.
#[cfg(unix)]
fn report_overflow(running: &Running) {
    // SAFETY: the name's bytes stay in place while the thread runs (see `Running::name`).
    let name = unsafe { std::slice::from_raw_parts(running.name, running.name_len) };
    write_text(b"\nracecheck: logical thread '");
    write_text(name);
    write_text(b"' has overflowed its stack of ");
    write_number(running.stack_size as u64);
    write_text(b" bytes in explored schedule ");
    write_number(running.schedule as u64);
    match running.location {
        Some(location) => {
            write_text(b"; its last racecheck operation was at ");
            write_text(location.file().as_bytes());
            write_text(b":");
            write_number(u64::from(location.line()));
            write_text(b":");
            write_number(u64::from(location.column()));
        }
        None => write_text(b", before its first racecheck operation"),
    }
    write_text(
        b"\nracecheck: deep recursion? give logical threads more stack with Config::stack_size \
          or RACECHECK_STACK_SIZE (bytes)\nfatal runtime error: stack overflow, aborting\n",
    );
}

/// Writes to stderr straight through `write(2)`.
#[cfg(unix)]
fn write_text(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: writing initialised bytes to fd 2.
        let written = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        if written <= 0 {
            return;
        }
        bytes = &bytes[written as usize..];
    }
}

#[cfg(unix)]
fn write_number(mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    write_text(&digits[start..]);
}
