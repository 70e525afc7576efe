//! Logical threads: spawn (parent -> child is happens-before), join (child -> joiner),
//! `current_thread` and `enumerate`.

use super::Patience;
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ThreadId, WaitFor};
use crate::explore::state::RunState;
use crate::explore::trace::Target;
use crate::vocab::{Panicked, ThreadInfo};

/// Why a logical thread ended without returning.
#[derive(Debug)]
pub(crate) enum Ended {
    Panicked(Panicked),
    /// Another thread stopped it ([`Cx::stop`]).
    Stopped,
}

/// `ThreadInfo::ident` of a logical thread: its index from 1, `MainThread` being 1.
fn ident(thread: ThreadId) -> u64 {
    thread as u64 + 1
}

impl Cx {
    /// Starts a logical thread running `entry`; returns its id and name.
    pub(crate) fn spawn(
        &self,
        name: Option<String>,
        entry: Box<dyn FnOnce() + Send>,
        location: Loc,
    ) -> (ThreadId, String) {
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let spawned_at = state.site(me, location);
        let child = state.add_thread(name, entry, Some(me), Some(spawned_at));
        state.progressed(me);
        state.record(me, "start", Target::Thread(child), location);
        (child, state.threads[child].name.clone())
    }

    /// `join` (`Forever`) or `join_timeout` (`Timeout`): `None` if the timeout fired, else the
    /// thread's outcome; a panic returned here counts as observed.
    pub(crate) fn join(
        &self,
        thread: ThreadId,
        patience: Patience,
        location: Loc,
    ) -> Option<Result<(), Ended>> {
        let blocks = patience == Patience::Forever && !self.is_finished(thread);
        self.schedule_before_wait(WaitFor::Join(thread), patience, location);
        if blocks {
            let mut state = self.state();
            let me = state.current;
            state.record(me, "join (blocks)", Target::Thread(thread), location);
        }
        let finished = self.wait_for(WaitFor::Join(thread), patience, location);
        let mut state = self.state();
        let me = state.current;
        if !finished {
            state.polled(me, None, false);
            state.record(
                me,
                "join_timeout -> timed out",
                Target::Thread(thread),
                location,
            );
            return None;
        }
        let final_clock = state.threads[thread].clock.clone();
        state.learn(me, &final_clock);
        state.progressed(me);
        state.record(me, "join", Target::Thread(thread), location);
        let joined = &mut state.threads[thread];
        if joined.stopped {
            return Some(Err(Ended::Stopped));
        }
        Some(match &joined.panic {
            None => Ok(()),
            Some(panic) => {
                let outcome = Err(Ended::Panicked(Panicked {
                    thread: joined.name.clone(),
                    message: panic.message.clone(),
                }));
                joined.panic_observed = true;
                outcome
            }
        })
    }

    /// `terminate` of a process: `thread` unwinds at its next scheduling point (at once if it
    /// is blocked: its wait ends), as a killed process stops wherever it is. Nothing if it has
    /// ended.
    pub(crate) fn stop(&self, thread: ThreadId, location: Loc) {
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let target = &mut state.threads[thread];
        let live = !matches!(target.run, RunState::Finished);
        if live && target.stop_requested.is_none() {
            target.stop_requested = Some(location);
            target.run = RunState::Ready;
            target.next_wait = None;
        }
        state.progressed(me);
        state.record(
            me,
            if live {
                "terminate"
            } else {
                "terminate (already ended)"
            },
            Target::Thread(thread),
            location,
        );
    }

    /// Whether `thread` ended by being stopped.
    pub(crate) fn was_stopped(&self, thread: ThreadId) -> bool {
        self.state().threads[thread].stopped
    }

    /// Whether the thread ended by panicking.
    pub(crate) fn panicked(&self, thread: ThreadId) -> bool {
        self.state().threads[thread].panic.is_some()
    }

    fn is_finished(&self, thread: ThreadId) -> bool {
        matches!(self.state().threads[thread].run, RunState::Finished)
    }

    /// `is_alive`: a poll.
    pub(crate) fn is_alive(&self, thread: ThreadId, location: Loc) -> bool {
        self.schedule(location);
        let alive = !self.is_finished(thread);
        let mut state = self.state();
        let me = state.current;
        state.polled(me, None, !alive);
        state.record(
            me,
            if alive {
                "is_alive -> true"
            } else {
                "is_alive -> false"
            },
            Target::Thread(thread),
            location,
        );
        alive
    }

    pub(crate) fn current_thread(&self) -> ThreadInfo {
        let state = self.state();
        let me = state.current;
        ThreadInfo {
            name: state.threads[me].name.clone(),
            ident: ident(me),
        }
    }

    /// The logical threads started and not finished, `MainThread` first.
    pub(crate) fn enumerate(&self) -> Vec<ThreadInfo> {
        let state = self.state();
        (0..state.threads.len())
            .filter(|&t| !matches!(state.threads[t].run, RunState::Finished))
            .map(|t| ThreadInfo {
                name: state.threads[t].name.clone(),
                ident: ident(t),
            })
            .collect()
    }
}
