//! Trace events: recorded compactly while a schedule runs, rendered only for a finding.

use super::ids::{Loc, ObjectId, ThreadId};
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
