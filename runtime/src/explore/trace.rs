//! Trace events: recorded compactly while a schedule runs, rendered only for a finding.

use super::finding::TraceEvent;
use super::scheduler::ThreadId;
use super::state::{Loc, ObjectId, State};
use crate::SourceLocation;

/// What an operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Object(ObjectId),
    Thread(ThreadId),
}

/// One operation of a schedule: `verb` is e.g. `acquire`, `wait (blocks)`, `try_get -> empty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) step: usize,
    pub(crate) thread: ThreadId,
    pub(crate) verb: &'static str,
    pub(crate) target: Target,
    pub(crate) location: Loc,
}

pub(crate) fn source_location(location: Loc) -> SourceLocation {
    SourceLocation {
        file: location.file().to_owned(),
        line: location.line(),
        column: location.column(),
    }
}

impl State {
    pub(crate) fn render_trace(&self, len: usize) -> Vec<TraceEvent> {
        self.trace[..len.min(self.trace.len())]
            .iter()
            .map(|event| TraceEvent {
                step: event.step,
                thread: self.threads[event.thread].name.clone(),
                operation: self.describe(event.verb, event.target),
                location: source_location(event.location),
            })
            .collect()
    }

    /// `acquire (blocks)` on Lock#1 reads `acquire Lock#1 (blocks)`.
    fn describe(&self, verb: &str, target: Target) -> String {
        let name = match target {
            Target::Object(object) => self.object_name(object),
            Target::Thread(thread) => self.threads[thread].name.clone(),
        };
        match verb.split_once(' ') {
            Some((verb, note)) => format!("{verb} {name} {note}"),
            None => format!("{verb} {name}"),
        }
    }
}
