//! Runs one schedule on the calling OS thread: logical threads are stackful coroutines
//! (corosensei), resumed one at a time as the scheduler decides. Stacks are pooled per worker
//! thread, so exploring many schedules allocates no new stacks once warm; an overflow of one is
//! reported by `stack_guard`.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult};

use super::context::{context, Entered, Execution, Stopped, UsageError};
use super::finding::Finding;
use super::ids::{ThreadId, MAIN_THREAD};
use super::object::MAX_EXECUTION;
use super::scheduler::Scheduler;
use super::stack_guard::{self, Running};
use super::state::{PanicRecord, RunState, State, Stop};
use super::watchdog::Heart;

/// Stacks kept for reuse per worker thread.
const POOLED_STACKS: usize = 256;

type ThreadCoroutine = Coroutine<(), (), (), DefaultStack>;

/// Pooled stacks, all of the size they were made for.
struct StackPool {
    size: usize,
    stacks: Vec<DefaultStack>,
}

thread_local! {
    static STACKS: RefCell<StackPool> = const {
        RefCell::new(StackPool { size: 0, stacks: Vec::new() })
    };
}

/// What every schedule of an exploration shares.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_steps: usize,
    /// Bytes of stack per logical thread; only address space is reserved up front.
    pub(crate) stack_size: usize,
}

/// Executions are numbered process-wide so that a primitive can tell which one touched it.
static NEXT_EXECUTION: AtomicU64 = AtomicU64::new(0);

/// The body every schedule runs.
pub(crate) type Body = Arc<dyn Fn() + Send + Sync>;

/// What one schedule found.
pub(crate) struct ScheduleResult {
    pub(crate) findings: Vec<Finding>,
    /// Steps at which more than one thread could run.
    pub(crate) contested_steps: usize,
    pub(crate) usage_error: Option<String>,
    /// A replay stopped following its token.
    pub(crate) replay_diverged: bool,
}

pub(crate) fn run_schedule(
    body: &Body,
    scheduler: Box<dyn Scheduler>,
    limits: Limits,
    index: usize,
    heart: Option<Arc<Heart>>,
) -> ScheduleResult {
    stack_guard::install();
    let execution_id = NEXT_EXECUTION.fetch_add(1, Ordering::Relaxed) % MAX_EXECUTION + 1;
    let execution = Box::new(Execution {
        state: RefCell::new(State::new(execution_id, scheduler, limits.max_steps)),
        in_thread: Cell::new(false),
        heart,
    });
    let schedule = Schedule {
        execution: &execution,
        limits,
        index,
    };
    if let Some(heart) = &execution.heart {
        heart.schedule_started(index);
    }
    let _entered = Entered::new(&execution);
    let body = Arc::clone(body);
    execution.state.borrow_mut().add_thread(
        Some("MainThread".to_owned()),
        Box::new(move || body()),
        None,
        None,
    );

    let mut coroutines: Vec<Option<ThreadCoroutine>> = Vec::new();
    execution.state.borrow_mut().next = Some(MAIN_THREAD);
    loop {
        let next = execution.state.borrow_mut().next.take();
        let Some(thread) = next else { break };
        schedule.run_step(&mut coroutines, thread);
    }

    let result = {
        let state = execution.state.borrow();
        ScheduleResult {
            findings: super::detect::findings(&state, index),
            contested_steps: state.contested_steps,
            usage_error: match &state.stop {
                Some(Stop::UsageError(message)) => Some(message.clone()),
                _ => None,
            },
            replay_diverged: state.scheduler.diverged(),
        }
    };
    schedule.teardown(coroutines);
    if let Some(heart) = &execution.heart {
        heart.schedule_ended();
    }
    result
}

/// The schedule being run, as the executor sees it.
struct Schedule<'a> {
    execution: &'a Execution,
    limits: Limits,
    index: usize,
}

impl Schedule<'_> {
    /// Resumes `thread` until it suspends or finishes; a finished thread's stack goes back to the
    /// pool and the scheduler picks who runs next.
    fn run_step(&self, coroutines: &mut Vec<Option<ThreadCoroutine>>, thread: ThreadId) {
        if coroutines.len() <= thread {
            coroutines.resize_with(thread + 1, || None);
        }
        let coroutine = coroutines[thread].get_or_insert_with(|| self.start_thread(thread));
        if let CoroutineResult::Return(()) = self.resume(coroutine, thread) {
            if let Some(done) = coroutines[thread].take() {
                recycle(done.into_stack());
            }
            let mut state = self.execution.state.borrow_mut();
            state.next = state.decide();
        }
    }

    /// The coroutine of `thread`, on a pooled stack of the configured size.
    fn start_thread(&self, thread: ThreadId) -> ThreadCoroutine {
        let (execution, stack_size) = (self.execution, self.limits.stack_size);
        let entry = {
            let mut state = execution.state.borrow_mut();
            if let Some(heart) = &execution.heart {
                heart.thread_started(thread, &state.threads[thread].name);
            }
            state.threads[thread]
                .entry
                .take()
                .expect("a thread starts once")
        };
        let stack = STACKS
            .with(|pool| {
                let mut pool = pool.borrow_mut();
                if pool.size != stack_size {
                    pool.stacks.clear();
                    pool.size = stack_size;
                }
                pool.stacks.pop()
            })
            .unwrap_or_else(|| {
                DefaultStack::new(stack_size).unwrap_or_else(|error| {
                    panic!("racecheck: cannot allocate a coroutine stack of {stack_size} bytes: {error}")
                })
            });
        let execution = execution as *const Execution;
        Coroutine::with_stack(stack, move |yielder, ()| {
            // SAFETY: the execution outlives its coroutines (see `run_schedule`).
            let execution = unsafe { &*execution };
            let stopped_early = {
                let mut state = execution.state.borrow_mut();
                state.threads[thread].yielder = yielder;
                state.threads[thread].stop_requested.is_some()
            };
            let outcome = if stopped_early {
                // Stopped before it ran: its function never starts, and what it was given is
                // dropped (whose destructors may panic, which is no finding of its own).
                let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(entry)));
                Err(Box::new(Stopped) as Box<dyn std::any::Any + Send>)
            } else {
                panic::catch_unwind(AssertUnwindSafe(entry))
            };
            let stopped = matches!(&outcome, Err(payload) if payload.is::<Stopped>());
            if stopped {
                if let Some(cx) = context() {
                    cx.let_go_of_held_locks();
                }
            }
            thread_finished(execution, thread, outcome.err());
        })
    }

    /// Runs `thread`'s coroutine until it suspends or returns, with the stack guard told who runs.
    fn resume(&self, coroutine: &mut ThreadCoroutine, thread: ThreadId) -> CoroutineResult<(), ()> {
        let running = {
            let mut state = self.execution.state.borrow_mut();
            state.current = thread;
            let name = &state.threads[thread].name;
            if let Some(heart) = &self.execution.heart {
                heart.beat(thread, state.threads[thread].next_operation);
            }
            Running {
                stack: coroutine.trap_handler(),
                stack_size: self.limits.stack_size,
                name: name.as_ptr(),
                name_len: name.len(),
                location: state.threads[thread].next_operation,
                schedule: self.index,
            }
        };
        self.execution.in_thread.set(true);
        let outcome = stack_guard::while_running(running, || coroutine.resume(()));
        self.execution.in_thread.set(false);
        outcome
    }

    /// Abandons every unfinished thread: its coroutine and stack are leaked and its destructors
    /// do not run. Unwinding it would run them, but a destructor that panics during an unwind
    /// aborts the process (one that blocks could never finish either), and the finding would be
    /// lost. Only a failing schedule leaves threads unfinished, so little is leaked. Then drops
    /// the entries of threads that never started and the static locks' data copies, whose
    /// destructors' panics are caught.
    fn teardown(&self, coroutines: Vec<Option<ThreadCoroutine>>) {
        let execution = self.execution;
        execution.state.borrow_mut().tearing_down = true;
        coroutines.into_iter().flatten().for_each(std::mem::forget);
        // Destructors run user code, which may touch primitives: not with the state borrowed.
        let unstarted: Vec<_> = execution
            .state
            .borrow_mut()
            .threads
            .iter_mut()
            .filter_map(|thread| thread.entry.take())
            .collect();
        let static_lock_data = execution.state.borrow_mut().take_static_lock_data();
        // Their panics are the program's: kept off stderr like a logical thread's.
        execution.in_thread.set(true);
        let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(unstarted)));
        let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(static_lock_data)));
        execution.in_thread.set(false);
    }
}

fn thread_finished(
    execution: &Execution,
    thread: ThreadId,
    panic: Option<Box<dyn std::any::Any + Send>>,
) {
    let mut state = execution.state.borrow_mut();
    state.threads[thread].run = RunState::Finished;
    let Some(payload) = panic else { return };
    if payload.is::<Stopped>() {
        state.threads[thread].stopped = true;
        return;
    }
    if let Some(UsageError(message)) = payload.downcast_ref::<UsageError>() {
        state
            .stop
            .get_or_insert_with(|| Stop::UsageError(message.clone()));
        return;
    }
    let location = state.threads[thread].last_panic_location.take();
    state.threads[thread].panic = Some(PanicRecord {
        message: crate::panic_message::panic_message(&*payload),
        location,
    });
    drop(state);
    // Dropping a payload runs user code, which may touch primitives: not with the state borrowed.
    drop(payload);
}

fn recycle(stack: DefaultStack) {
    STACKS.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.stacks.len() < POOLED_STACKS {
            pool.stacks.push(stack);
        }
    });
}
