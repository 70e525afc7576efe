//! Objects served from outside the explored program (a Manager's): the engine cannot see into
//! them, so their operations are the real calls, each after a scheduling point, and a blocking
//! one looks again and again, as a poll does.

use crate::explore::context::Cx;
use crate::explore::ids::Loc;

impl Cx {
    /// One look at an object served from outside the program: a scheduling point, then `look`.
    /// A look that found nothing is a poll without progress, so a thread that keeps looking
    /// yields to the others, whose calls may change what it will find.
    pub(crate) fn look_outside<T>(
        &self,
        location: Loc,
        look: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        self.schedule(location);
        let found = look();
        let mut state = self.state();
        let me = state.current;
        state.polled(me, None, found.is_some());
        found
    }
}
