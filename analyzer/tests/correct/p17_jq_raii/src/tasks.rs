use racecheck::JoinableQueue;

pub struct Task {
    pub n: u32,
}

/// Marks the item done however the handler leaves (return, `?`, panic).
pub struct Done<'a, T: Send>(pub &'a JoinableQueue<T>);

impl<T: Send> Drop for Done<'_, T> {
    fn drop(&mut self) {
        self.0.task_done().expect("one task_done per get");
    }
}
