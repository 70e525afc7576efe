//! API SKELETON
use std::time::Duration;
pub struct Lock<T: ?Sized = ()> {
    _state: u8,
    data: std::cell::UnsafeCell<T>,
}
unsafe impl<T: ?Sized + Send> Send for Lock<T> {}
unsafe impl<T: ?Sized + Send> Sync for Lock<T> {}
impl<T> Lock<T> {
    pub const fn new(v: T) -> Self {
        Lock { _state: 0, data: std::cell::UnsafeCell::new(v) }
    }
}
impl<T: ?Sized> Lock<T> {
    #[track_caller]
    pub fn acquire(&self) -> LockGuard<'_, T> {
        unimplemented!()
    }
    #[track_caller]
    pub fn try_acquire(&self) -> Option<LockGuard<'_, T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn acquire_timeout(&self, _d: Duration) -> Option<LockGuard<'_, T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn locked(&self) -> bool {
        unimplemented!()
    }
}
pub struct LockGuard<'a, T: ?Sized> {
    lock: &'a Lock<T>,
}
impl<T: ?Sized> std::ops::Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        unsafe { &*self.lock.data.get() }
    }
}
impl<T: ?Sized> std::ops::DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.lock.data.get() }
    }
}
