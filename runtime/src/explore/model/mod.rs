//! Engine-side models of the primitives, one file per family. Each model is the per-execution
//! state of one primitive (kept in the execution's side table) plus the operations primitives
//! call through [`Cx`](super::Cx) when they run under exploration.

mod barrier;
mod channel;
mod condition;
mod event;
mod lock;
mod outside;
mod queue;
mod semaphore;
mod shared;
mod thread;

use super::context::Cx;
use super::ids::{Loc, ObjectId, ThreadId, WaitFor};
use super::object::Stamp;
use super::side_table::{ObjectKind, ObjectState};
use super::state::State;

pub(crate) use channel::ChannelEnd;
pub(crate) use queue::QueueInit;
pub(crate) use thread::Ended;

/// How an operation that may have to wait waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Patience {
    /// Blocks until it can proceed.
    Forever,
    /// Gives up at once.
    Never,
    /// Gives up after a timeout, which is a scheduling choice, not wall time.
    Timeout,
}

impl Patience {
    /// The patience of a `*_timeout(d)` operation: a zero timeout only polls.
    pub(crate) fn timeout(d: std::time::Duration) -> Self {
        if d.is_zero() {
            Patience::Never
        } else {
            Patience::Timeout
        }
    }
}

/// What the trace calls each outcome of a blocking operation (see [`Cx::block_until`]).
pub(crate) struct WaitVerbs {
    /// Went through at once.
    pub(crate) done: &'static str,
    /// Went through after blocking.
    pub(crate) woken: &'static str,
    /// About to block (recorded once), if the operation names it.
    pub(crate) blocks: Option<&'static str>,
    /// A `try_*` that could not proceed.
    pub(crate) tried: &'static str,
    /// A `*_timeout` that timed out.
    pub(crate) timed_out: &'static str,
}

impl Cx {
    /// The id of the primitive behind `stamp`, registered at its first use in this execution.
    pub(crate) fn object(
        &self,
        stamp: &Stamp,
        kind: ObjectKind,
        init: impl FnOnce() -> ObjectState,
    ) -> ObjectId {
        let found = self.state().object(stamp, kind, init);
        found.unwrap_or_else(|message| self.usage_error(message))
    }

    /// The scheduling point of an operation that waits for `on` with `patience`: none when it is
    /// about to block, since blocking lets the others run anyway: a preemption just before it
    /// would reach no other interleaving and only spend one of PCT's change points (shuttle's
    /// "double yield"). Only for pure waits, whose blocking changes nothing another thread sees.
    pub(crate) fn schedule_before_wait(&self, on: WaitFor, patience: Patience, location: Loc) {
        let blocks = patience == Patience::Forever && {
            let state = self.state();
            !state.is_satisfied(state.current, on)
        };
        if !blocks {
            let waits = (patience == Patience::Forever).then_some(on);
            self.schedule_operation(location, waits);
        }
    }

    /// Waits for `on` with the given patience: `true` once it holds, `false` if the caller gives
    /// up. A timeout fires at once or once nothing else can run, as the scheduler chooses.
    pub(crate) fn wait_for(&self, on: WaitFor, patience: Patience, location: Loc) -> bool {
        {
            let mut state = self.state();
            let me = state.current;
            if state.is_satisfied(me, on) {
                return true;
            }
            if patience == Patience::Never
                || (patience == Patience::Timeout && state.choose(2) == 0)
            {
                return false;
            }
        }
        self.block(on, patience == Patience::Timeout, location)
    }

    /// The loop every blocking operation on an object shares: `proceed` tries the operation under
    /// the state (returning `true` when it went through); otherwise the caller waits for `on` with
    /// its patience and tries again once woken, or gives up. `verbs` names what the trace records.
    pub(crate) fn block_until(
        &self,
        id: ObjectId,
        on: WaitFor,
        patience: Patience,
        location: Loc,
        verbs: &WaitVerbs,
        mut proceed: impl FnMut(&mut State, ThreadId) -> bool,
    ) -> bool {
        self.schedule_before_wait(on, patience, location);
        let mut blocked = false;
        loop {
            {
                let mut state = self.state();
                let me = state.current;
                if proceed(&mut state, me) {
                    state.progressed(me);
                    state.changed(id);
                    drop(state);
                    self.record(if blocked { verbs.woken } else { verbs.done }, id, location);
                    return true;
                }
            }
            if let (Patience::Forever, false, Some(blocks)) = (patience, blocked, verbs.blocks) {
                self.record(blocks, id, location);
            }
            blocked = true;
            if !self.wait_for(on, patience, location) {
                let mut state = self.state();
                let me = state.current;
                state.polled(me, Some(id), false);
                drop(state);
                let gave_up = if patience == Patience::Never {
                    verbs.tried
                } else {
                    verbs.timed_out
                };
                self.record(gave_up, id, location);
                return false;
            }
        }
    }

    /// Records an operation of the calling thread on an object.
    pub(crate) fn record(&self, verb: &'static str, id: ObjectId, location: Loc) {
        let mut state = self.state();
        let me = state.current;
        state.record(me, verb, super::trace::Target::Object(id), location);
    }
}
