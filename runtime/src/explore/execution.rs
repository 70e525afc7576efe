//! Runs one schedule on the calling OS thread: logical threads are stackful coroutines
//! (corosensei), resumed one at a time as the scheduler decides. Stacks are pooled per worker
//! thread, so exploring many schedules allocates no new stacks once warm.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult};

use super::context::{Entered, Execution, TeardownUnwind, UsageError};
use super::finding::Finding;
use super::scheduler::{Scheduler, ThreadId};
use super::state::{PanicRecord, Resume, RunState, State, Stop, MAIN_THREAD};

/// Stack of each logical thread, as large as a std thread's by default: only address space is
/// reserved, pages are committed as they are touched.
const STACK_SIZE: usize = 2 << 20;
/// Stacks kept for reuse per worker thread.
const POOLED_STACKS: usize = 256;

type ThreadCoroutine = Coroutine<Resume, (), (), DefaultStack>;

thread_local! {
    static STACKS: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
}

/// Executions are numbered process-wide so that a primitive can tell which one touched it.
static NEXT_EXECUTION: AtomicU64 = AtomicU64::new(1);

/// The body every schedule runs.
pub(crate) type Body = Arc<dyn Fn() + Send + Sync>;

/// What one schedule found.
pub(crate) struct ScheduleResult {
    pub(crate) findings: Vec<Finding>,
    /// Steps at which more than one thread could run.
    pub(crate) contested_steps: usize,
    pub(crate) usage_error: Option<String>,
}

pub(crate) fn run_schedule(
    body: &Body,
    scheduler: Box<dyn Scheduler>,
    max_steps: usize,
    index: usize,
) -> ScheduleResult {
    let execution_id = NEXT_EXECUTION.fetch_add(1, Ordering::Relaxed);
    let execution = Box::new(Execution {
        state: RefCell::new(State::new(execution_id, scheduler, max_steps)),
        in_thread: Cell::new(false),
    });
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
        run_step(&execution, &mut coroutines, thread);
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
        }
    };
    teardown(&execution, coroutines);
    result
}

/// Resumes `thread` until it suspends or finishes; a finished thread's stack goes back to the pool
/// and the scheduler picks who runs next.
fn run_step(
    execution: &Execution,
    coroutines: &mut Vec<Option<ThreadCoroutine>>,
    thread: ThreadId,
) {
    execution.state.borrow_mut().current = thread;
    if coroutines.len() <= thread {
        coroutines.resize_with(thread + 1, || None);
    }
    let coroutine = coroutines[thread].get_or_insert_with(|| start_thread(execution, thread));
    execution.in_thread.set(true);
    let outcome = coroutine.resume(Resume::Run);
    execution.in_thread.set(false);
    if let CoroutineResult::Return(()) = outcome {
        if let Some(done) = coroutines[thread].take() {
            recycle(done.into_stack());
        }
        let mut state = execution.state.borrow_mut();
        state.next = state.decide();
    }
}

fn start_thread(execution: &Execution, thread: ThreadId) -> ThreadCoroutine {
    let entry = execution.state.borrow_mut().threads[thread]
        .entry
        .take()
        .expect("a thread starts once");
    let stack = STACKS
        .with(|stacks| stacks.borrow_mut().pop())
        .unwrap_or_else(|| {
            DefaultStack::new(STACK_SIZE).expect("racecheck: cannot allocate a coroutine stack")
        });
    let execution = execution as *const Execution;
    Coroutine::with_stack(stack, move |yielder, _first: Resume| {
        // SAFETY: the execution outlives its coroutines (see `run_schedule`).
        let execution = unsafe { &*execution };
        execution.state.borrow_mut().threads[thread].yielder = yielder;
        let outcome = panic::catch_unwind(AssertUnwindSafe(entry));
        thread_finished(execution, thread, outcome.err());
    })
}

fn thread_finished(
    execution: &Execution,
    thread: ThreadId,
    panic: Option<Box<dyn std::any::Any + Send>>,
) {
    let mut state = execution.state.borrow_mut();
    state.threads[thread].run = RunState::Finished;
    let Some(payload) = panic else { return };
    if payload.is::<TeardownUnwind>() || state.tearing_down {
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
    STACKS.with(|stacks| {
        let mut stacks = stacks.borrow_mut();
        if stacks.len() < POOLED_STACKS {
            stacks.push(stack);
        }
    });
}

/// Unwinds every unfinished thread so that its destructors run (locks release, values drop),
/// then drops the entries of threads that never started and the static locks' data copies. A thread whose destructor blocks during
/// the unwinding cannot be finished: its coroutine and stack are leaked rather than risk an abort.
fn teardown(execution: &Execution, coroutines: Vec<Option<ThreadCoroutine>>) {
    execution.state.borrow_mut().tearing_down = true;
    for (thread, coroutine) in coroutines.into_iter().enumerate() {
        let Some(mut coroutine) = coroutine else {
            continue;
        };
        execution.state.borrow_mut().current = thread;
        execution.in_thread.set(true);
        let outcome = coroutine.resume(Resume::Teardown);
        execution.in_thread.set(false);
        match outcome {
            CoroutineResult::Return(()) => recycle(coroutine.into_stack()),
            CoroutineResult::Yield(()) => std::mem::forget(coroutine),
        }
    }
    // Destructors run user code, which may touch primitives: not with the state borrowed.
    let unstarted: Vec<_> = execution
        .state
        .borrow_mut()
        .threads
        .iter_mut()
        .filter_map(|thread| thread.entry.take())
        .collect();
    drop(unstarted);
    let static_lock_data = execution.state.borrow_mut().take_static_lock_data();
    drop(static_lock_data);
}
