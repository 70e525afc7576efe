//! The reentrant lock (Python: `threading.RLock`).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::panic::Location;
use std::ptr::NonNull;
use std::time::Duration;

use parking_lot::lock_api::RawReentrantMutex;
use parking_lot::{RawMutex, RawThreadId};

use crate::explore::{self, Patience, Stamp};

/// A lock that the thread holding it may acquire again (Python: `threading.RLock`); guards a `T`.
///
/// Each [`acquire`](RLock::acquire) returns an [`RLockGuard`]; the lock is free again once every
/// guard of the holding thread is dropped. Since one thread may hold several guards at once, they
/// give shared access only (`&T`): put a `Cell`/`RefCell` inside for mutation. No poisoning.
///
/// ```
/// use racecheck::RLock;
///
/// static LOG: RLock<std::cell::RefCell<Vec<&str>>> = RLock::new(std::cell::RefCell::new(Vec::new()));
///
/// fn record(line: &'static str) {
///     LOG.acquire().borrow_mut().push(line);
/// }
///
/// let outer = LOG.acquire();
/// record("nested acquire by the holder does not deadlock");
/// assert_eq!(outer.borrow().len(), 1);
/// ```
pub struct RLock<T: ?Sized = ()> {
    raw: RawReentrantMutex<RawMutex, RawThreadId>,
    /// The lock's identity under exploration.
    stamp: Stamp,
    data: T,
}

// SAFETY: as for `std::sync::ReentrantLock`: only the holding thread reaches the `T`, so sharing
// the lock needs `T: Send`, not `T: Sync`.
unsafe impl<T: ?Sized + Send> Sync for RLock<T> {}

impl<T> RLock<T> {
    /// A reentrant lock, released, guarding `v`.
    ///
    /// ```
    /// static CONFIG: racecheck::RLock<u32> = racecheck::RLock::new(8);
    /// assert_eq!(*CONFIG.acquire(), 8);
    /// ```
    #[track_caller]
    pub const fn new(v: T) -> Self {
        RLock {
            raw: RawReentrantMutex::INIT,
            stamp: Stamp::new(),
            data: v,
        }
    }

    /// The guarded value; no locking needed since the lock is consumed.
    ///
    /// ```
    /// assert_eq!(racecheck::RLock::new(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        self.data
    }
}

impl<T: ?Sized> RLock<T> {
    /// Takes the lock, waiting while another thread holds it; returns at once if the calling
    /// thread holds it already.
    ///
    /// ```
    /// let lock = racecheck::RLock::new(1);
    /// let first = lock.acquire();
    /// let second = lock.acquire();
    /// assert_eq!(*first + *second, 2);
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> RLockGuard<'_, T> {
        if let Some(cx) = explore::context() {
            return self
                .acquire_explored(cx, Patience::Forever)
                .expect("a blocking acquire ends holding the lock");
        }
        self.raw.lock();
        RLockGuard::new(self)
    }

    /// Takes the lock if it is free or already the caller's, without waiting.
    ///
    /// ```
    /// let lock = std::sync::Arc::new(racecheck::RLock::new(()));
    /// let held = lock.acquire();
    /// assert!(lock.try_acquire().is_some());
    /// let other = lock.clone();
    /// assert!(racecheck::Thread::spawn(move || other.try_acquire().is_none()).join().unwrap());
    /// # drop(held);
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<RLockGuard<'_, T>> {
        if let Some(cx) = explore::context() {
            return self.acquire_explored(cx, Patience::Never);
        }
        self.raw.try_lock().then(|| RLockGuard::new(self))
    }

    /// Waits at most `d` for the lock; `None` if another thread kept it.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let lock = racecheck::RLock::new(());
    /// let _held = lock.acquire();
    /// assert!(lock.acquire_timeout(Duration::from_millis(1)).is_some());
    /// ```
    #[track_caller]
    pub fn acquire_timeout(&self, d: Duration) -> Option<RLockGuard<'_, T>> {
        if let Some(cx) = explore::context() {
            return self.acquire_explored(cx, Patience::timeout(d));
        }
        self.raw.try_lock_for(d).then(|| RLockGuard::new(self))
    }

    /// `true` if some thread holds the lock; a snapshot, which may be stale by the time it is
    /// read.
    ///
    /// ```
    /// let lock = racecheck::RLock::new(());
    /// let held = lock.acquire();
    /// assert!(lock.locked());
    /// drop(held);
    /// assert!(!lock.locked());
    /// ```
    #[track_caller]
    pub fn locked(&self) -> bool {
        if let Some(cx) = explore::context() {
            return cx.lock_locked(&self.stamp, true, Location::caller());
        }
        self.raw.is_locked()
    }

    /// The guarded value, through a unique borrow of the lock: no locking needed.
    ///
    /// ```
    /// let mut lock = racecheck::RLock::new(1);
    /// *lock.get_mut() = 2;
    /// assert_eq!(*lock.acquire(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// An acquire under exploration; the guard points at this execution's view of the data.
    #[track_caller]
    fn acquire_explored(&self, cx: explore::Cx, patience: Patience) -> Option<RLockGuard<'_, T>> {
        let location = Location::caller();
        let own = std::ptr::from_ref(&self.data).cast_mut();
        cx.lock_acquire(&self.stamp, true, patience, location)
            .then(|| RLockGuard {
                lock: self,
                data: NonNull::new(cx.lock_data(&self.stamp, true, own))
                    .expect("lock data is never null"),
                explored_at: Some(location),
                _not_send: PhantomData,
            })
    }
}

impl<T: Default> Default for RLock<T> {
    #[track_caller]
    fn default() -> Self {
        RLock::new(T::default())
    }
}

impl<T> From<T> for RLock<T> {
    fn from(v: T) -> Self {
        RLock::new(v)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lock = f.debug_struct("RLock");
        match self.try_acquire() {
            Some(guard) => lock.field("data", &&*guard),
            None => lock.field("data", &format_args!("<locked>")),
        };
        lock.finish_non_exhaustive()
    }
}

/// Shared access to the data of a held [`RLock`]; releases one level of the lock when dropped.
///
/// Not `Send`, like std's guards: it must be dropped on the thread that acquired it.
///
/// ```
/// let lock = racecheck::RLock::new("shared");
/// let guard = lock.acquire();
/// assert_eq!(format!("{guard} / {guard:?}"), "shared / \"shared\"");
/// ```
pub struct RLockGuard<'a, T: ?Sized> {
    lock: &'a RLock<T>,
    /// The data: the lock's own, or under exploration of a static lock, the execution's copy.
    data: NonNull<T>,
    /// Where an explored guard was taken (`None`: the lock is real).
    explored_at: Option<&'static Location<'static>>,
    /// Unlocking must happen on the thread that locked: not `Send`.
    _not_send: PhantomData<*const ()>,
}

// SAFETY: sharing the guard shares only `&T`, which is fine exactly when `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for RLockGuard<'_, T> {}

impl<'a, T: ?Sized> RLockGuard<'a, T> {
    /// Wraps a lock the caller has just taken (one more level).
    fn new(lock: &'a RLock<T>) -> Self {
        lock.stamp.mark_used_for_real();
        RLockGuard {
            lock,
            data: NonNull::from(&lock.data),
            explored_at: None,
            _not_send: PhantomData,
        }
    }
}

impl<T: ?Sized> Deref for RLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `data` is the lock's own data or this execution's copy of it, which lives until
        // the execution ends, after every guard of it.
        unsafe { self.data.as_ref() }
    }
}

impl<T: ?Sized> Drop for RLockGuard<'_, T> {
    fn drop(&mut self) {
        match (self.explored_at, explore::context()) {
            (Some(taken_at), Some(cx)) => cx.lock_release(&self.lock.stamp, true, taken_at),
            // An explored guard outliving its schedule has nothing left to release.
            (Some(_), None) => {}
            // SAFETY: the guard stands for one level of the lock held by this very thread.
            (None, _) => unsafe { self.lock.raw.unlock() },
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RLockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RLockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
