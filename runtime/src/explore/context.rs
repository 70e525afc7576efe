//! The link between a primitive's operation and the execution running it: a thread-local pointer
//! to the worker's current execution, and [`Cx`], the handle primitives call the models through.

use std::cell::{Cell, RefCell, RefMut};
use std::panic::{self, PanicHookInfo};
use std::ptr::NonNull;
use std::sync::{Arc, Once};

use super::ids::{Loc, ThreadId, WaitFor};
use super::state::{RunState, State, Stop, Wait};
use super::watchdog::Heart;

/// One schedule being run on this worker thread.
pub(crate) struct Execution {
    pub(crate) state: RefCell<State>,
    /// Whether a logical thread (rather than the executor) is running: only its panics are the
    /// program's, to be reported as findings instead of printed.
    pub(crate) in_thread: Cell<bool>,
    /// Told of every step, when the stall watchdog is on.
    pub(crate) heart: Option<Arc<Heart>>,
}

thread_local! {
    static CURRENT: Cell<Option<NonNull<Execution>>> = const { Cell::new(None) };
}

/// Makes `execution` the current one of this OS thread until the guard is dropped.
pub(crate) struct Entered(());

impl Entered {
    pub(crate) fn new(execution: &Execution) -> Self {
        CURRENT.with(|current| current.set(Some(NonNull::from(execution))));
        Entered(())
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|current| current.set(None));
    }
}

/// The execution the calling logical thread runs in, if it is being explored. Primitives branch
/// on this at the top of every operation.
pub fn context() -> Option<Cx> {
    CURRENT
        .try_with(Cell::get)
        .ok()
        .flatten()
        .map(|execution| Cx { execution })
}

/// Runs `operations` with the events of the calling logical thread reported at `location`, the
/// user's call they are made for: a runtime type built from explored primitives (the `Pool`)
/// thus shows the user's coordinates, not its own. The outermost call wins, so a helper that
/// attributes its own operations keeps its caller's attribution. Outside exploration it only
/// runs `operations`.
pub(crate) fn on_behalf_of<T>(location: Loc, operations: impl FnOnce() -> T) -> T {
    let Some(cx) = context() else {
        return operations();
    };
    let thread = {
        let mut state = cx.state();
        let me = state.current;
        if state.threads[me].acting_for.is_some() {
            drop(state);
            return operations();
        }
        state.threads[me].acting_for = Some(location);
        me
    };
    let _restore = ActingFor { cx, thread };
    operations()
}

/// [`on_behalf_of`] `waiting_for` for an operation that takes something another call made: its
/// waits are reported at `waiting_for`, and the event that completes it at `taken_at(&result)`,
/// once the result says what was taken. A pool worker idles at `Pool::new` and takes each task at
/// the user's call that submitted it. Inside another attribution the outer one wins, as always.
pub(crate) fn on_behalf_of_taking<T>(
    waiting_for: Loc,
    operation: impl FnOnce() -> T,
    taken_at: impl FnOnce(&T) -> Loc,
) -> T {
    // The trace's length before, if this call attributes (it is the outermost).
    let before = context().and_then(|cx| {
        let state = cx.state();
        let me = state.current;
        state.threads[me]
            .acting_for
            .is_none()
            .then_some(state.trace.len())
    });
    let result = on_behalf_of(waiting_for, operation);
    if let Some((cx, before)) = context().zip(before) {
        let mut state = cx.state();
        let me = state.current;
        // The operation's last event is the trace's last: no other thread ran since it.
        if state.trace.len() > before {
            if let Some(event) = state.trace.last_mut().filter(|event| event.thread == me) {
                event.location = taken_at(&result);
            }
        }
    }
    result
}

/// Ends an [`on_behalf_of`], also when its operations unwind (a rejected submit, a teardown).
struct ActingFor {
    cx: Cx,
    thread: ThreadId,
}

impl Drop for ActingFor {
    fn drop(&mut self) {
        // SAFETY: as in `Cx::state`; `try_borrow_mut` because the engine itself may have
        // panicked with the state borrowed, and a second panic here would abort.
        if let Ok(mut state) = unsafe { self.cx.execution.as_ref() }.state.try_borrow_mut() {
            state.threads[self.thread].acting_for = None;
        }
    }
}

/// The payload of a misuse of racecheck found during exploration; it ends the exploration.
pub(crate) struct UsageError(pub(crate) String);

/// The payload a stopped logical thread unwinds with; the executor swallows it.
pub(crate) struct Stopped;

/// A handle on the current execution, for the duration of one operation. Not `Send`: it is only
/// valid on the worker thread running the schedule, while the schedule runs.
#[derive(Clone, Copy)]
pub struct Cx {
    execution: NonNull<Execution>,
}

impl Cx {
    pub(crate) fn state(&self) -> RefMut<'_, State> {
        // SAFETY: the execution outlives every coroutine of the schedule (it is only freed after
        // they are all finished or unwound), and `Cx` cannot leave the worker thread.
        unsafe { self.execution.as_ref() }.state.borrow_mut()
    }

    /// Whether the schedule is over and its threads are being unwound.
    pub(crate) fn tearing_down(&self) -> bool {
        self.state().tearing_down
    }

    /// A scheduling point: the calling thread is about to perform an operation at `location`;
    /// any runnable thread may run first.
    pub(crate) fn schedule(&self, location: Loc) {
        self.schedule_operation(location, None);
    }

    /// [`Cx::schedule`] before an operation that will block until `wait` holds, if it does not
    /// when the thread runs again: a scheduler may leave the thread until it does.
    pub(crate) fn schedule_operation(&self, location: Loc, wait: Option<WaitFor>) {
        {
            let mut state = self.state();
            // A thread unwinding from a panic (releasing its guards) is not preempted: the
            // panic count is per OS thread, so another logical thread would run "panicking".
            if state.tearing_down || std::thread::panicking() {
                return;
            }
            let me = state.current;
            state.threads[me].next_operation = Some(state.site(me, location));
            state.threads[me].next_wait = wait;
        }
        self.switch();
    }

    /// Blocks the calling thread until `on` is satisfied (`true`) or, for a timed wait, until the
    /// timeout fires (`false`). The caller re-checks its condition: a wait is a hint, not a lock.
    pub(crate) fn block(&self, on: WaitFor, timed: bool, location: Loc) -> bool {
        let (me, tearing_down) = {
            let mut state = self.state();
            let me = state.current;
            if state.is_satisfied(me, on) {
                return true;
            }
            let location = state.site(me, location);
            state.threads[me].next_operation = Some(location);
            state.threads[me].next_wait = None;
            state.threads[me].run = RunState::Blocked(Wait {
                on,
                timed,
                location,
            });
            (me, state.tearing_down)
        };
        if tearing_down {
            // A destructor run by the teardown (on the executor) blocks: nothing can ever wake
            // it. The teardown catches this panic.
            panic!("racecheck: a destructor blocked while its schedule was torn down");
        }
        self.switch();
        let mut state = self.state();
        state.threads[me].run = RunState::Ready;
        state.is_satisfied(me, on)
    }

    /// Lets the scheduler pick the next thread; suspends the caller unless it is picked.
    fn switch(&self) {
        let (yielder, next) = {
            let mut state = self.state();
            if state.tearing_down {
                return;
            }
            let me = state.current;
            let next = state.decide();
            if next == Some(me) {
                // It runs on without a resume: tell the stall watchdog here.
                // SAFETY: as in `Cx::state`.
                if let Some(heart) = &unsafe { self.execution.as_ref() }.heart {
                    heart.beat(me, state.threads[me].next_operation);
                }
                return;
            }
            state.next = next;
            (state.threads[me].yielder, next)
        };
        debug_assert!(next.is_none() || !yielder.is_null());
        suspend(yielder);
        self.unwind_if_stopped();
    }

    /// Unwinds the calling thread if another asked it to stop, unless it is unwinding already
    /// (its destructors then run on as they would).
    fn unwind_if_stopped(&self) {
        let stop = {
            let state = self.state();
            state.threads[state.current].stop_requested.is_some()
        };
        if stop && !std::thread::panicking() {
            // Not `panic!`: no hook runs, and nothing is printed or recorded as a panic.
            panic::resume_unwind(Box::new(Stopped));
        }
    }

    /// Ends exploration with a clear message about how racecheck was misused.
    pub(crate) fn usage_error(&self, message: String) -> ! {
        self.state().stop = Some(Stop::UsageError(message.clone()));
        panic::panic_any(UsageError(message))
    }
}

fn suspend(yielder: *const super::state::ThreadYielder) {
    // SAFETY: the yielder lives on the coroutine's stack, which is the stack running this code.
    unsafe { &*yielder }.suspend(());
}

/// Installs (once per process) a panic hook that keeps panics of explored schedules off stderr,
/// noting where they happened for the finding, and hands every other panic to the previous hook.
pub(crate) fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !note_explored_panic(info) {
                previous(info);
            }
        }));
    });
}

fn note_explored_panic(info: &PanicHookInfo<'_>) -> bool {
    let Some(cx) = context() else { return false };
    // SAFETY: as in `Cx::state`.
    if !unsafe { cx.execution.as_ref() }.in_thread.get() {
        return false;
    }
    // SAFETY: as in `Cx::state`; `try_borrow_mut` because the engine itself may have panicked
    // with the state borrowed.
    if let Ok(mut state) = unsafe { cx.execution.as_ref() }.state.try_borrow_mut() {
        let me = state.current;
        // A panic raised on behalf of a user's call (a pool task's, resumed in the caller) is
        // that call's: `#[track_caller]` does not reach through the pool's iterators.
        let location = state.threads[me]
            .acting_for
            .map(super::trace::source_location)
            .or_else(|| {
                info.location().map(|location| crate::SourceLocation {
                    file: location.file().to_owned(),
                    line: location.line(),
                    column: location.column(),
                })
            });
        if location.is_some() {
            state.threads[me].last_panic_location = location;
        }
    }
    true
}
