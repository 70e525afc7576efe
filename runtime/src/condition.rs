//! API SKELETON
use crate::LockGuard;
use std::time::Duration;
pub struct Condition {
    _state: u8,
}
impl Condition {
    pub const fn new() -> Self {
        Condition { _state: 0 }
    }
    #[track_caller]
    pub fn wait<'a, T: ?Sized>(&self, _g: LockGuard<'a, T>) -> LockGuard<'a, T> {
        unimplemented!()
    }
    #[track_caller]
    pub fn wait_while<'a, T: ?Sized>(&self, _g: LockGuard<'a, T>, _pred: impl FnMut(&mut T) -> bool) -> LockGuard<'a, T> {
        unimplemented!()
    }
    /// Returns the guard and `true` if the wait timed out.
    #[track_caller]
    pub fn wait_timeout<'a, T: ?Sized>(&self, _g: LockGuard<'a, T>, _d: Duration) -> (LockGuard<'a, T>, bool) {
        unimplemented!()
    }
    #[track_caller]
    pub fn notify(&self) {
        unimplemented!()
    }
    #[track_caller]
    pub fn notify_all(&self) {
        unimplemented!()
    }
}
