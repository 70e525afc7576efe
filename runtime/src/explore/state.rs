//! The state of one execution: its logical threads, the models of the primitives it touched,
//! the scheduler, the trace and the choices made. All of it is private to one worker thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use corosensei::Yielder;

use super::clock::{Order, SyncClock, VectorClock};
use super::detect::lock_order::LockOrderGraph;
use super::ids::{HeldLock, Loc, ObjectId, ThreadId, WaitFor, MAIN_THREAD};
use super::object::{is_static_address, ErasedValue, Stamp};
use super::scheduler::{Candidate, Scheduler};
use super::side_table::{
    BarrierModel, ChannelModel, ConditionModel, EventModel, LockModel, ObjectKind, ObjectState,
    QueueModel, SemaphoreModel, SharedModel,
};
use super::trace::{Event, Target};

/// Suspends a logical thread's coroutine until the executor resumes it.
pub(crate) type ThreadYielder = Yielder<(), ()>;

/// Consecutive polls without progress after which a thread counts as spinning.
const SPIN_THRESHOLD: u32 = 2;

/// Consecutive polls without progress after which a spinning thread that is all that can still
/// run counts as polling forever: time is logical, so its timed waits only ever time out, and
/// nothing it polls can change. Low enough that the trace of such a livelock still holds what
/// led to it (a finding's JSON keeps its last 1,000 events).
const LIVELOCK_POLLS: u32 = 200;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Wait {
    pub(crate) on: WaitFor,
    /// Whether the wait has a timeout, which fires once nothing else can run.
    pub(crate) timed: bool,
    pub(crate) location: Loc,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum RunState {
    Ready,
    Blocked(Wait),
    Finished,
}

#[derive(Debug, Clone)]
pub(crate) struct PanicRecord {
    pub(crate) message: String,
    pub(crate) location: Option<crate::SourceLocation>,
}

pub(crate) struct LogicalThread {
    pub(crate) name: String,
    pub(crate) run: RunState,
    pub(crate) clock: SyncClock,
    /// The operation it is about to perform (`None` before its first).
    pub(crate) next_operation: Option<Loc>,
    /// What that operation will wait for, if it blocks until something holds.
    pub(crate) next_wait: Option<WaitFor>,
    pub(crate) spawned_at: Option<Loc>,
    /// The user's call its operations are made on behalf of, if any (see
    /// `context::on_behalf_of`): their events carry this location.
    pub(crate) acting_for: Option<Loc>,
    /// Consecutive polls that saw no progress, and the object polled last.
    pub(crate) spins: u32,
    pub(crate) polling: Option<ObjectId>,
    /// Set by `notify` for a thread waiting on a condition variable.
    pub(crate) notified: bool,
    /// Locks held, in acquisition order.
    pub(crate) held: Vec<HeldLock>,
    /// The `since` clock of the lock released last, kept for the next acquire to reuse.
    pub(crate) spare_clock: VectorClock,
    pub(crate) panic: Option<PanicRecord>,
    /// Where the panic hook saw the last panic of this thread.
    pub(crate) last_panic_location: Option<crate::SourceLocation>,
    /// A `join` returned this thread's panic to its caller.
    pub(crate) panic_observed: bool,
    /// Another thread asked it to stop (a process's `terminate`), there: it unwinds at its next
    /// scheduling point.
    pub(crate) stop_requested: Option<Loc>,
    /// It ended by being stopped, not by returning or panicking.
    pub(crate) stopped: bool,
    /// The entry point, until the executor starts the thread.
    pub(crate) entry: Option<Box<dyn FnOnce() + Send>>,
    pub(crate) yielder: *const ThreadYielder,
}

/// Why a schedule ended before every thread finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stop {
    StepLimit,
    /// No thread can run and some are blocked: a deadlock, or a hang once the body returned.
    Blocked,
    /// The threads that can run only poll, and have done so [`LIVELOCK_POLLS`] times each
    /// without progress, while the others are blocked or finished: reported as `Blocked` is,
    /// since no thread will ever make progress.
    Livelock,
    /// The program misused racecheck; exploration stops and reports it as a panic.
    UsageError(String),
}

pub(crate) struct Object {
    pub(crate) kind: ObjectKind,
    /// The constructor call that created it: what names it in a finding.
    pub(crate) created_at: Loc,
    pub(crate) state: ObjectState,
}

/// A finding made while the schedule ran, kept until the schedule ends.
#[derive(Debug, Clone)]
pub(crate) struct RaceRecord {
    pub(crate) object: ObjectId,
    pub(crate) first: (ThreadId, Loc, &'static str),
    pub(crate) second: (ThreadId, Loc, &'static str),
    /// Trace length when it was found.
    pub(crate) trace_len: usize,
}

/// Hashes a primitive's address: looked up at every operation, and not chosen by an adversary,
/// so a multiply does (SipHash, the default, costs more than the rest of the lookup).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let mixed = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = mixed ^ (mixed >> 32);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(crate) struct State {
    pub(crate) execution: u64,
    pub(crate) threads: Vec<LogicalThread>,
    /// The thread whose coroutine runs (or last ran).
    pub(crate) current: ThreadId,
    /// What the executor resumes next; `None` ends the schedule.
    pub(crate) next: Option<ThreadId>,
    pub(crate) objects: Vec<Object>,
    index: HashMap<usize, ObjectId, BuildHasherDefault<AddressHasher>>,
    /// The objects' names, worked out when a finding first needs one.
    object_names: RefCell<Vec<String>>,
    pub(crate) scheduler: Box<dyn Scheduler>,
    pub(crate) choices: Vec<u64>,
    pub(crate) trace: Vec<Event>,
    pub(crate) steps: usize,
    /// Steps at which more than one thread could run.
    pub(crate) contested_steps: usize,
    /// Where the events of the step being run start in `trace`.
    step_start: usize,
    pub(crate) max_steps: usize,
    pub(crate) stop: Option<Stop>,
    pub(crate) tearing_down: bool,
    pub(crate) races: Vec<RaceRecord>,
    pub(crate) lock_order: LockOrderGraph,
    /// The N of the next unnamed `Thread-N`.
    next_thread_number: usize,
    candidates: Vec<Candidate>,
}

/// The growing parts of a finished schedule's state, emptied, for the next schedule on the same
/// worker thread: once warm, a schedule's trace, choices, threads and objects grow without
/// allocating.
#[derive(Default)]
struct Buffers {
    threads: Vec<LogicalThread>,
    objects: Vec<Object>,
    index: HashMap<usize, ObjectId, BuildHasherDefault<AddressHasher>>,
    choices: Vec<u64>,
    trace: Vec<Event>,
    candidates: Vec<Candidate>,
}

thread_local! {
    static SPARE_BUFFERS: RefCell<Option<Buffers>> = const { RefCell::new(None) };
}

impl Drop for State {
    fn drop(&mut self) {
        let mut buffers = Buffers {
            threads: std::mem::take(&mut self.threads),
            objects: std::mem::take(&mut self.objects),
            index: std::mem::take(&mut self.index),
            choices: std::mem::take(&mut self.choices),
            trace: std::mem::take(&mut self.trace),
            candidates: std::mem::take(&mut self.candidates),
        };
        // Emptied here, before the buffers are stored: dropping what they hold runs the
        // program's destructors (a static lock's copy of its data).
        buffers.threads.clear();
        buffers.objects.clear();
        buffers.index.clear();
        buffers.choices.clear();
        buffers.trace.clear();
        buffers.candidates.clear();
        let _ = SPARE_BUFFERS.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                *spare = Some(buffers);
            }
        });
    }
}

impl State {
    pub(crate) fn new(execution: u64, scheduler: Box<dyn Scheduler>, max_steps: usize) -> Self {
        let Buffers {
            threads,
            objects,
            index,
            choices,
            trace,
            candidates,
        } = SPARE_BUFFERS
            .try_with(|spare| spare.borrow_mut().take())
            .ok()
            .flatten()
            .unwrap_or_default();
        State {
            execution,
            threads,
            current: MAIN_THREAD,
            next: None,
            objects,
            index,
            object_names: RefCell::new(Vec::new()),
            scheduler,
            choices,
            trace,
            steps: 0,
            contested_steps: 0,
            step_start: 0,
            max_steps,
            stop: None,
            tearing_down: false,
            races: Vec::new(),
            lock_order: LockOrderGraph::default(),
            next_thread_number: 1,
            candidates,
        }
    }

    /// Adds a logical thread, ready to run `entry`; its clock starts after its parent's.
    pub(crate) fn add_thread(
        &mut self,
        name: Option<String>,
        entry: Box<dyn FnOnce() + Send>,
        parent: Option<ThreadId>,
        spawned_at: Option<Loc>,
    ) -> ThreadId {
        let id = self.threads.len();
        let name = name.unwrap_or_else(|| {
            let n = self.next_thread_number;
            self.next_thread_number += 1;
            format!("Thread-{n}")
        });
        let mut clock = parent
            .map(|p| self.threads[p].clock.clone())
            .unwrap_or_default();
        clock.tick(id);
        self.threads.push(LogicalThread {
            name,
            run: RunState::Ready,
            clock,
            next_operation: None,
            next_wait: None,
            spawned_at,
            acting_for: None,
            spins: 0,
            polling: None,
            notified: false,
            held: Vec::new(),
            spare_clock: VectorClock::default(),
            panic: None,
            last_panic_location: None,
            panic_observed: false,
            stop_requested: None,
            stopped: false,
            entry: Some(entry),
            yielder: std::ptr::null(),
        });
        if let Some(parent) = parent {
            self.threads[parent].clock.tick(parent);
        }
        self.scheduler.thread_created(id);
        id
    }

    /// The model of the primitive whose stamp this is, created from `init` at its first use in
    /// this execution. `Err` if the primitive belongs to another execution.
    pub(crate) fn object(
        &mut self,
        stamp: &Stamp,
        kind: ObjectKind,
        init: impl FnOnce() -> ObjectState,
    ) -> Result<ObjectId, String> {
        let key = stamp.key();
        let is_static = is_static_address(key);
        if !is_static {
            if let Some(id) = stamp.object_in(self.execution) {
                if self
                    .objects
                    .get(id)
                    .is_some_and(|object| object.kind == kind)
                {
                    return Ok(id);
                }
            }
            match stamp.execution() {
                0 => {
                    // Never touched by an execution: new, even if a dead object had this address.
                    stamp.claim(self.execution);
                    self.index.remove(&key);
                }
                owner if owner == self.execution => {}
                _ => {
                    return Err(format!(
                        "racecheck: this {kind} was used by another explored schedule: primitives shared \
                         between schedules would leak state from one schedule into the next; create it \
                         inside the explored closure"
                    ))
                }
            }
        }
        if let Some(&id) = self.index.get(&key) {
            if self.objects[id].kind == kind {
                return Ok(id);
            }
        }
        let id = self.objects.len();
        self.objects.push(Object {
            kind,
            created_at: stamp.created_at(),
            state: init(),
        });
        self.index.insert(key, id);
        if !is_static {
            stamp.note_object(self.execution, id);
        }
        Ok(id)
    }

    /// How a finding names the object: see [`naming`](super::naming).
    pub(crate) fn object_name(&self, id: ObjectId) -> String {
        let mut names = self.object_names.borrow_mut();
        if names.len() < self.objects.len() {
            *names = super::naming::object_names(&self.objects);
        }
        names[id].clone()
    }

    /// Where an operation `thread` performs at `location` is reported: at the user's call it
    /// acts for, if any.
    pub(crate) fn site(&self, thread: ThreadId, location: Loc) -> Loc {
        self.threads[thread].acting_for.unwrap_or(location)
    }

    pub(crate) fn record(
        &mut self,
        thread: ThreadId,
        verb: &'static str,
        target: Target,
        location: Loc,
    ) {
        if !self.tearing_down {
            let location = self.site(thread, location);
            self.trace.push(Event {
                step: self.steps,
                thread,
                verb,
                target,
                location,
            });
        }
    }

    /// Whether a blocked thread's wait is over.
    pub(crate) fn is_satisfied(&self, thread: ThreadId, on: WaitFor) -> bool {
        match on {
            WaitFor::Join(target) => matches!(self.threads[target].run, RunState::Finished),
            WaitFor::Notify(_) => self.threads[thread].notified,
            WaitFor::Lock(id) => self.lock(id).available_to(thread),
            WaitFor::Event(id) => self.event(id).is_set(),
            WaitFor::Permit(id) => self.semaphore(id).available(),
            WaitFor::Barrier(id, generation) => self.barrier(id).released(generation),
            WaitFor::QueueItem(id) => self.queue(id).has_item(),
            WaitFor::QueueRoom(id) => self.queue(id).has_room(),
            WaitFor::QueueDone(id) => self.queue(id).all_done(),
            WaitFor::Message(id) => self.channel(id).readable(),
        }
    }

    fn can_run(&self, thread: ThreadId) -> bool {
        match self.threads[thread].run {
            RunState::Ready => true,
            RunState::Blocked(wait) => self.is_satisfied(thread, wait.on),
            RunState::Finished => false,
        }
    }

    /// Decides who runs the next step; `None` ends the schedule (every thread finished, a
    /// deadlock, the step limit, or an earlier stop).
    pub(crate) fn decide(&mut self) -> Option<ThreadId> {
        self.scheduler.step_events(&self.trace[self.step_start..]);
        self.step_start = self.trace.len();
        if self.stop.is_some() {
            return None;
        }
        if self.steps >= self.max_steps {
            self.stop = Some(Stop::StepLimit);
            return None;
        }
        self.steps += 1;
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        candidates.extend(
            (0..self.threads.len())
                .filter(|&t| self.can_run(t))
                .map(|thread| self.candidate(thread)),
        );
        if candidates.is_empty() {
            // Time passes: the timed waits may now time out.
            candidates.extend(
                (0..self.threads.len())
                    .filter(|&t| self.is_timed_wait(t))
                    .map(|thread| self.candidate(thread)),
            );
        }
        if candidates.is_empty() {
            if self
                .threads
                .iter()
                .any(|t| !matches!(t.run, RunState::Finished))
            {
                self.stop = Some(Stop::Blocked);
            }
            self.candidates = candidates;
            return None;
        }
        // Spinning threads run only when nothing else can: a poll loop cannot starve the threads
        // that would end it, and cannot livelock PCT.
        if candidates
            .iter()
            .any(|c| self.threads[c.thread].spins < SPIN_THRESHOLD)
        {
            candidates.retain(|c| self.threads[c.thread].spins < SPIN_THRESHOLD);
        } else if candidates
            .iter()
            .all(|c| self.threads[c.thread].spins >= LIVELOCK_POLLS)
        {
            self.stop = Some(Stop::Livelock);
            self.candidates = candidates;
            return None;
        }
        let chosen = self
            .scheduler
            .next_thread(&candidates, Some(self.current), self.steps);
        if candidates.len() > 1 {
            self.contested_steps += 1;
            self.choices.push(chosen as u64);
        }
        self.candidates = candidates;
        Some(chosen)
    }

    fn candidate(&self, thread: ThreadId) -> Candidate {
        let next = &self.threads[thread];
        Candidate {
            thread,
            next_operation: next.next_operation,
            would_block: matches!(next.run, RunState::Ready)
                && next
                    .next_wait
                    .is_some_and(|on| !self.is_satisfied(thread, on)),
        }
    }

    fn is_timed_wait(&self, thread: ThreadId) -> bool {
        matches!(
            self.threads[thread].run,
            RunState::Blocked(Wait { timed: true, .. })
        )
    }

    /// `thread` hands on what it knows (a release, set, put, send…) and moves on: what it does
    /// next is not covered by what it handed on.
    pub(crate) fn publish(&mut self, thread: ThreadId, order: Order) -> SyncClock {
        let clock = &mut self.threads[thread].clock;
        let handed_on = clock.handed_on(order);
        clock.tick(thread);
        handed_on
    }

    /// `thread` and the model of `object`, to change both at once.
    pub(crate) fn thread_and_object(
        &mut self,
        thread: ThreadId,
        object: ObjectId,
    ) -> (&mut LogicalThread, &mut ObjectState) {
        (&mut self.threads[thread], &mut self.objects[object].state)
    }

    /// `thread` learns what was handed on to it (an acquire, wait, get, recv…).
    pub(crate) fn learn(&mut self, thread: ThreadId, handed_on: &SyncClock) {
        self.threads[thread].clock.join(handed_on);
    }

    /// A data choice among `n` outcomes, recorded for replay.
    pub(crate) fn choose(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let value = self.scheduler.choose(n);
        self.choices.push(value as u64);
        value
    }

    /// A poll's outcome: polls that see no progress, repeated, make a thread a spinner.
    pub(crate) fn polled(&mut self, thread: ThreadId, object: Option<ObjectId>, progress: bool) {
        let thread = &mut self.threads[thread];
        thread.spins = if progress {
            0
        } else {
            thread.spins.saturating_add(1)
        };
        thread.polling = object;
    }

    /// A thread did real work: it is not spinning.
    pub(crate) fn progressed(&mut self, thread: ThreadId) {
        self.threads[thread].spins = 0;
    }

    /// `object` changed: threads spinning on it have something new to see.
    pub(crate) fn changed(&mut self, object: ObjectId) {
        for thread in &mut self.threads {
            if thread.polling == Some(object) {
                thread.spins = 0;
                thread.polling = None;
            }
        }
    }
}

/// Typed access to a model; the side table never holds a model of another kind under an id
/// the model's own operations created.
macro_rules! model_accessors {
    ($($variant:ident => $model:ty, $get:ident, $get_mut:ident;)*) => {
        impl State {
            $(
                pub(crate) fn $get(&self, id: ObjectId) -> &$model {
                    match &self.objects[id].state {
                        ObjectState::$variant(model) => model,
                        _ => unreachable!("object {id} is not a {}", stringify!($variant)),
                    }
                }
                pub(crate) fn $get_mut(&mut self, id: ObjectId) -> &mut $model {
                    match &mut self.objects[id].state {
                        ObjectState::$variant(model) => model,
                        _ => unreachable!("object {id} is not a {}", stringify!($variant)),
                    }
                }
            )*
        }
    };
}

model_accessors! {
    Lock => LockModel, lock, lock_mut;
    Event => EventModel, event, event_mut;
    Condition => ConditionModel, condition, condition_mut;
    Semaphore => SemaphoreModel, semaphore, semaphore_mut;
    Barrier => BarrierModel, barrier, barrier_mut;
    Queue => QueueModel, queue, queue_mut;
    Channel => ChannelModel, channel, channel_mut;
    Shared => SharedModel, shared, shared_mut;
}

impl State {
    /// Takes the static locks' data copies out of this execution, for the caller to drop once
    /// every logical thread is gone (nothing can reach a copy then).
    pub(crate) fn take_static_lock_data(&mut self) -> Vec<ErasedValue> {
        self.objects
            .iter_mut()
            .filter_map(|object| match &mut object.state {
                ObjectState::Lock(lock) => lock.data_copy.take(),
                _ => None,
            })
            .collect()
    }
}
