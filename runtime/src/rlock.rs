//! API SKELETON
use std::time::Duration;
pub struct RLock<T: ?Sized = ()> {
    _state: u8,
    data: T,
}
unsafe impl<T: ?Sized + Send> Sync for RLock<T> {}
impl<T> RLock<T> {
    pub const fn new(v: T) -> Self {
        RLock { _state: 0, data: v }
    }
}
impl<T: ?Sized> RLock<T> {
    #[track_caller]
    pub fn acquire(&self) -> RLockGuard<'_, T> {
        unimplemented!()
    }
    #[track_caller]
    pub fn try_acquire(&self) -> Option<RLockGuard<'_, T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn acquire_timeout(&self, _d: Duration) -> Option<RLockGuard<'_, T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn locked(&self) -> bool {
        unimplemented!()
    }
}
pub struct RLockGuard<'a, T: ?Sized> {
    lock: &'a RLock<T>,
}
impl<T: ?Sized> std::ops::Deref for RLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.lock.data
    }
}
