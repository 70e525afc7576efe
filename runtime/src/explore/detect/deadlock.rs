//! Explaining a schedule where no thread can make progress: for each blocked thread, what it
//! waits for, who holds it and where it was taken; in a livelock, also each thread that only
//! polls, and where.

use std::fmt::Write as _;

use crate::explore::finding::FindingKind;
use crate::explore::ids::{ThreadId, WaitFor, MAIN_THREAD};
use crate::explore::state::{RunState, State, Stop, Wait};
use crate::explore::trace::source_location;
use crate::SourceLocation;

/// What a deadlock or hang finding says.
pub(crate) struct Explanation {
    pub(crate) kind: FindingKind,
    pub(crate) message: String,
    pub(crate) threads: Vec<String>,
    pub(crate) locations: Vec<SourceLocation>,
}

pub(crate) fn explain(state: &State) -> Explanation {
    let blocked: Vec<(ThreadId, Wait)> = state
        .threads
        .iter()
        .enumerate()
        .filter_map(|(id, thread)| match thread.run {
            RunState::Blocked(wait) => Some((id, wait)),
            _ => None,
        })
        .collect();
    // In a livelock the threads that can run poll forever: a timed wait of theirs only ever
    // times out.
    let livelock = state.stop == Some(Stop::Livelock);
    let polling: Vec<ThreadId> = (0..state.threads.len())
        .filter(|&id| livelock && matches!(state.threads[id].run, RunState::Ready))
        .collect();
    let body_returned = matches!(state.threads[MAIN_THREAD].run, RunState::Finished);
    let (kind, mut message) = match (body_returned, livelock) {
        (true, false) => (
            FindingKind::Hang,
            "the body returned, but threads stay blocked forever:".to_owned(),
        ),
        (true, true) => (
            FindingKind::Hang,
            "the body returned, but threads stay blocked or poll without progress forever:"
                .to_owned(),
        ),
        (false, false) => (
            FindingKind::Deadlock,
            "every live thread is blocked:".to_owned(),
        ),
        (false, true) => (
            FindingKind::Deadlock,
            "every live thread is blocked or polls without progress forever (a livelock: its \
             timed waits only time out):"
                .to_owned(),
        ),
    };
    // A join only waits for a thread that waits for something else: those waits tell more.
    let mut locations: Vec<SourceLocation> = blocked
        .iter()
        .filter(|(_, wait)| !matches!(wait.on, WaitFor::Join(_)))
        .chain(
            blocked
                .iter()
                .filter(|(_, wait)| matches!(wait.on, WaitFor::Join(_))),
        )
        .map(|(_, wait)| source_location(wait.location))
        .collect();
    // Locks whose holder took them elsewhere than they were first acquired: named in a legend.
    let mut unnamed_locks = Vec::new();
    for &(thread, wait) in &blocked {
        let waiter = &state.threads[thread];
        let _ = write!(message, "\n  {}", waiter.name);
        if let Some(spawned_at) = waiter.spawned_at {
            let _ = write!(message, " (started at {})", source_location(spawned_at));
        }
        let _ = write!(
            message,
            " waits for {}{} at {}",
            waited_for(state, wait.on),
            if wait.timed { " (with a timeout)" } else { "" },
            source_location(wait.location)
        );
        if let WaitFor::Lock(lock) = wait.on {
            let model = state.lock(lock);
            if let Some(taken_at) = model.taken_at {
                if model.first_taken_at != Some(taken_at) {
                    unnamed_locks.push(lock);
                }
                let taken_at = source_location(taken_at);
                if !locations.contains(&taken_at) {
                    locations.push(taken_at);
                }
            }
        }
    }
    for &thread in &polling {
        let poller = &state.threads[thread];
        let _ = write!(message, "\n  {} polls without progress", poller.name);
        if let Some(next) = poller.next_operation {
            let next = source_location(next);
            let _ = write!(message, ", next at {next}");
            if !locations.contains(&next) {
                locations.push(next);
            }
        }
    }
    message.push_str(&super::lock_legend(state, &unnamed_locks));
    Explanation {
        kind,
        message,
        threads: blocked
            .iter()
            .map(|&(thread, _)| thread)
            .chain(polling.iter().copied())
            .map(|thread| state.threads[thread].name.clone())
            .collect(),
        locations,
    }
}

fn waited_for(state: &State, on: WaitFor) -> String {
    match on {
        WaitFor::Lock(id) => {
            let lock = state.lock(id);
            match (lock.holder, lock.taken_at) {
                (Some(holder), Some(taken_at)) => format!(
                    "{}, held by {} (taken at {})",
                    state.object_name(id),
                    state.threads[holder].name,
                    source_location(taken_at)
                ),
                _ => state.object_name(id),
            }
        }
        WaitFor::Event(id) => format!("{} to be set", state.object_name(id)),
        WaitFor::Notify(id) => format!("a notify on {}", state.object_name(id)),
        WaitFor::Permit(id) => format!("a permit of {}", state.object_name(id)),
        WaitFor::Barrier(id, _) => {
            let barrier = state.barrier(id);
            format!(
                "{} ({} of {} arrived)",
                state.object_name(id),
                barrier.arrived,
                barrier.parties()
            )
        }
        WaitFor::QueueItem(id) => format!("an item on {} (empty)", state.object_name(id)),
        WaitFor::QueueRoom(id) => {
            format!(
                "room on {} (full at {})",
                state.object_name(id),
                state.queue(id).capacity.unwrap_or(0)
            )
        }
        WaitFor::QueueDone(id) => {
            format!(
                "{} unfinished item(s) of {} to be marked done",
                state.queue(id).unfinished,
                state.object_name(id)
            )
        }
        WaitFor::Message(id) => format!("a message on {}", state.object_name(id)),
        WaitFor::Join(thread) => {
            let target = &state.threads[thread];
            match target.run {
                RunState::Blocked(_) => format!("{} to finish (itself blocked)", target.name),
                _ => format!("{} to finish", target.name),
            }
        }
    }
}
