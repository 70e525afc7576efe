//! API SKELETON
pub struct Pool {
    _n: usize,
}
impl Pool {
    #[track_caller]
    pub fn new(_workers: usize) -> Self {
        unimplemented!()
    }
    #[track_caller]
    pub fn map<A, R, F>(&self, _f: F, _items: impl IntoIterator<Item = A>) -> Vec<R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        unimplemented!()
    }
    #[track_caller]
    pub fn apply<R, F>(&self, _f: F) -> R
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        unimplemented!()
    }
    #[track_caller]
    pub fn apply_async<R, F>(&self, _f: F) -> AsyncResult<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        unimplemented!()
    }
    #[track_caller]
    pub fn imap<A, R, F>(&self, _f: F, _items: impl IntoIterator<Item = A>) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        unimplemented!();
        #[allow(unreachable_code)]
        std::iter::empty()
    }
    #[track_caller]
    pub fn imap_unordered<A, R, F>(&self, _f: F, _items: impl IntoIterator<Item = A>) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        unimplemented!();
        #[allow(unreachable_code)]
        std::iter::empty()
    }
    #[track_caller]
    pub fn close(&self) {
        unimplemented!()
    }
    #[track_caller]
    pub fn terminate(&self) {
        unimplemented!()
    }
    /// Errs at once if the pool is neither closed nor terminated (Python raises ValueError).
    #[track_caller]
    pub fn join(&self) -> Result<(), PoolError> {
        unimplemented!()
    }
}
pub struct AsyncResult<R> {
    _p: std::marker::PhantomData<R>,
}
impl<R> AsyncResult<R> {
    /// Waits for the result; a panic of the task is resumed here with its message.
    #[track_caller]
    pub fn get(self) -> R {
        unimplemented!()
    }
    #[track_caller]
    pub fn ready(&self) -> bool {
        unimplemented!()
    }
    #[track_caller]
    pub fn wait(&self) {
        unimplemented!()
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// `join` on a pool that is still open.
    StillOpen,
    /// `map`/`apply` on a pool after `close`/`terminate`.
    Closed,
}
