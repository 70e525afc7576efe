//! API SKELETON — signatures are the contract; bodies are filled in by the runtime work.
use std::time::Duration;

/// A thread to start (Python: `threading.Thread(target=f, name=...)`).
pub struct Thread<F> {
    f: F,
    name: Option<String>,
}

impl<F, T> Thread<F>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    pub fn new(f: F) -> Self {
        Thread { f, name: None }
    }
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    #[track_caller]
    pub fn start(self) -> JoinHandle<T> {
        let _ = (self.f, self.name);
        unimplemented!()
    }
    #[track_caller]
    pub fn spawn(f: F) -> JoinHandle<T> {
        Thread::new(f).start()
    }
}

/// The handle of a started thread.
pub struct JoinHandle<T> {
    _p: std::marker::PhantomData<T>,
}

impl<T> JoinHandle<T> {
    pub fn name(&self) -> &str {
        unimplemented!()
    }
    pub fn is_alive(&self) -> bool {
        unimplemented!()
    }
    #[track_caller]
    pub fn join(self) -> Result<T, Panicked> {
        unimplemented!()
    }
    #[track_caller]
    pub fn join_timeout(self, _d: Duration) -> Result<Result<T, Panicked>, Self> {
        unimplemented!()
    }
}

/// The thread panicked; carries the panic message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    pub thread: String,
    pub message: String,
}

/// What `current_thread()` and `enumerate()` return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadInfo {
    pub name: String,
    pub ident: u64,
}
impl ThreadInfo {
    pub fn name(&self) -> &str {
        &self.name
    }
}

pub fn current_thread() -> ThreadInfo {
    unimplemented!()
}
pub fn enumerate() -> Vec<ThreadInfo> {
    unimplemented!()
}
