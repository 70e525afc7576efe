//! The tutorial's global variable (Python: a module-level variable several threads update).

use std::fmt;
use std::panic::Location;

use parking_lot::Mutex;

use crate::explore::{self, Stamp};

/// A value shared between threads, read and written whole (Python: a global variable).
///
/// Each [`get`](Shared::get) and each [`set`](Shared::set) is atomic, but nothing makes a `get`
/// and the `set` that follows it one step: another thread may write in between, and its update is
/// lost. That read-modify-write race is the bug this type exists to show (racecheck's analyzer
/// reports it as `R001 unguarded-shared-counter`, the explorer as a data race); guard the pair
/// with a [`Lock`](crate::Lock), or keep the value in the lock.
///
/// ```
/// use racecheck::{Lock, Shared, Thread};
///
/// static COUNTER: Shared<u64> = Shared::new(0);
/// static COUNTER_LOCK: Lock = Lock::new(());
///
/// let workers: Vec<_> = (0..2)
///     .map(|_| Thread::spawn(|| {
///         for _ in 0..1000 {
///             let _guard = COUNTER_LOCK.acquire(); // without it, increments may be lost
///             COUNTER.set(COUNTER.get() + 1);
///         }
///     }))
///     .collect();
/// for worker in workers {
///     worker.join().unwrap();
/// }
/// assert_eq!(COUNTER.get(), 2000);
/// ```
pub struct Shared<T: Copy> {
    /// The value it was made with: every explored schedule starts from it again.
    /// The value every explored schedule starts from.
    init: T,
    value: Mutex<T>,
    /// The variable's identity under exploration.
    stamp: Stamp,
}

// SAFETY: a `Shared` never hands out a reference to its values, only copies, which `T: Send`
// allows to move to any thread.
unsafe impl<T: Copy + Send> Sync for Shared<T> {}

impl<T: Copy> Shared<T> {
    /// A shared value starting at `v`.
    ///
    /// ```
    /// static TOTAL: racecheck::Shared<i32> = racecheck::Shared::new(10);
    /// assert_eq!(TOTAL.get(), 10);
    /// ```
    #[track_caller]
    pub const fn new(v: T) -> Self {
        Shared {
            init: v,
            value: Mutex::new(v),
            stamp: Stamp::new(),
        }
    }

    /// The current value.
    ///
    /// ```
    /// let flag = racecheck::Shared::new(true);
    /// assert!(flag.get());
    /// ```
    #[track_caller]
    pub fn get(&self) -> T {
        if let Some(cx) = explore::context() {
            return cx.shared_get(&self.stamp, &self.init, Location::caller());
        }
        *self.value.lock()
    }

    /// Replaces the value.
    ///
    /// ```
    /// let level = racecheck::Shared::new(1u8);
    /// level.set(2);
    /// assert_eq!(level.get(), 2);
    /// ```
    #[track_caller]
    pub fn set(&self, v: T) {
        if let Some(cx) = explore::context() {
            return cx.shared_set(&self.stamp, &self.init, v, Location::caller());
        }
        *self.value.lock() = v;
    }
}

impl<T: Copy + Default> Default for Shared<T> {
    #[track_caller]
    fn default() -> Self {
        Shared::new(T::default())
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Shared").field(&self.get()).finish()
    }
}
