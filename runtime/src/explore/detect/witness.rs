//! A finding's witness: the schedule's trace rendered with the names of its threads and objects.

use crate::explore::finding::TraceEvent;
use crate::explore::state::State;
use crate::explore::trace::{source_location, Target};

impl State {
    /// The first `len` events of the trace, numbered from 1.
    pub(crate) fn render_trace(&self, len: usize) -> Vec<TraceEvent> {
        self.trace[..len.min(self.trace.len())]
            .iter()
            .zip(1..)
            .map(|(event, index)| TraceEvent {
                index,
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
