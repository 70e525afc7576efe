//! API SKELETON
use std::time::Duration;
pub struct Semaphore {
    _initial: usize,
    _bounded: bool,
}
impl Semaphore {
    pub const fn new(n: usize) -> Self {
        Semaphore { _initial: n, _bounded: false }
    }
    pub const fn bounded(n: usize) -> Self {
        Semaphore { _initial: n, _bounded: true }
    }
    #[track_caller]
    pub fn acquire(&self) -> Permit<'_> {
        unimplemented!()
    }
    #[track_caller]
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn acquire_timeout(&self, _d: Duration) -> Option<Permit<'_>> {
        unimplemented!()
    }
    #[track_caller]
    pub fn release(&self) -> Result<(), OverRelease> {
        unimplemented!()
    }
}
pub struct Permit<'a> {
    _sem: &'a Semaphore,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease;
