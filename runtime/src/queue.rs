//! API SKELETON
use std::time::Duration;
pub struct Queue<T> {
    _p: std::sync::Arc<std::marker::PhantomData<T>>,
}
impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue { _p: self._p.clone() }
    }
}
impl<T: Send> Queue<T> {
    pub fn new() -> Self {
        unimplemented!()
    }
    pub fn bounded(_cap: usize) -> Self {
        unimplemented!()
    }
    #[track_caller]
    pub fn put(&self, _v: T) {
        unimplemented!()
    }
    #[track_caller]
    pub fn try_put(&self, _v: T) -> Result<(), Full<T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn put_timeout(&self, _v: T, _d: Duration) -> Result<(), Full<T>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn get(&self) -> T {
        unimplemented!()
    }
    #[track_caller]
    pub fn try_get(&self) -> Result<T, Empty> {
        unimplemented!()
    }
    #[track_caller]
    pub fn get_timeout(&self, _d: Duration) -> Result<T, Empty> {
        unimplemented!()
    }
    #[track_caller]
    pub fn len(&self) -> usize {
        unimplemented!()
    }
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        unimplemented!()
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Empty;
/// The queue was full; gives the item back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full<T>(pub T);
