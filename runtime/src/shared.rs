//! API SKELETON
pub struct Shared<T: Copy> {
    _init: T,
}
unsafe impl<T: Copy + Send> Sync for Shared<T> {}
impl<T: Copy> Shared<T> {
    pub const fn new(v: T) -> Self {
        Shared { _init: v }
    }
    #[track_caller]
    pub fn get(&self) -> T {
        unimplemented!()
    }
    #[track_caller]
    pub fn set(&self, _v: T) {
        unimplemented!()
    }
}
