//! API SKELETON
use std::time::Duration;
pub struct Event {
    _state: u8,
}
impl Event {
    pub const fn new() -> Self {
        Event { _state: 0 }
    }
    #[track_caller]
    pub fn set(&self) {
        unimplemented!()
    }
    #[track_caller]
    pub fn clear(&self) {
        unimplemented!()
    }
    #[track_caller]
    pub fn is_set(&self) -> bool {
        unimplemented!()
    }
    #[track_caller]
    pub fn wait(&self) {
        unimplemented!()
    }
    /// `true` if the event was set, `false` on timeout (Python's return value).
    #[track_caller]
    pub fn wait_timeout(&self, _d: Duration) -> bool {
        unimplemented!()
    }
}
