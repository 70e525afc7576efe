//! API SKELETON
use crate::{Empty, Full, Queue};
use std::time::Duration;
pub struct JoinableQueue<T> {
    _q: Queue<T>,
}
impl<T> Clone for JoinableQueue<T> {
    fn clone(&self) -> Self {
        JoinableQueue { _q: self._q.clone() }
    }
}
impl<T: Send> JoinableQueue<T> {
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
    /// Errs when called more often than items were put.
    #[track_caller]
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        unimplemented!()
    }
    /// Blocks until every item put has been marked done.
    #[track_caller]
    pub fn join(&self) {
        unimplemented!()
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError;
