//! The mutual-exclusion lock (Python: `threading.Lock`), guarding the data it protects.

use std::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::ptr::NonNull;
use std::time::Duration;

use parking_lot::lock_api::{RawMutex as _, RawMutexTimed as _};
use parking_lot::RawMutex;

use crate::explore::{self, Patience, Stamp};
use crate::remote::protocol::Wait;
use crate::remote::share::RemoteLock;

/// A lock that guards a `T`, like `std::sync::Mutex` (Python: `threading.Lock`).
///
/// [`acquire`](Lock::acquire) returns a [`LockGuard`] that gives access to the data and
/// releases the lock when dropped, so a release can never be forgotten. There is no poisoning: a
/// thread that panics while holding the lock just releases it. The lock is not reentrant: a
/// thread acquiring a lock it already holds deadlocks (use [`RLock`](crate::RLock) for that).
///
/// `Lock::new` is a `const fn`, so a lock can be a `static`:
///
/// ```
/// use racecheck::{Lock, Thread};
///
/// static COUNTER: Lock<u64> = Lock::new(0);
///
/// let workers: Vec<_> = (0..4)
///     .map(|_| Thread::spawn(|| for _ in 0..1000 { *COUNTER.acquire() += 1 }))
///     .collect();
/// for worker in workers {
///     worker.join().unwrap();
/// }
/// assert_eq!(*COUNTER.acquire(), 4000);
/// ```
///
/// A static `Lock` guarding no data (`Lock<()>`, Python's `multiprocessing.Lock`), or one from a
/// [`Manager`](crate::Manager), can be given to a [`Process`](crate::Process): the child's
/// `acquire` takes the parent's lock. If the child ends (or is killed) while holding it, the lock
/// is released, as a robust mutex is, so the parent never waits for a holder that is gone.
pub struct Lock<T: ?Sized = ()> {
    raw: RawMutex,
    /// The lock's identity under exploration.
    stamp: Stamp,
    /// Set when the lock is another process's, given to this one: acquire and release are calls.
    remote: Option<Box<RemoteLock>>,
    data: UnsafeCell<T>,
}

// SAFETY: as for `std::sync::Mutex`: the lock hands the `T` to one thread at a time, so sharing the
// lock only needs `T` to be movable between threads.
unsafe impl<T: ?Sized + Send> Send for Lock<T> {}
// SAFETY: see `Send` above.
unsafe impl<T: ?Sized + Send> Sync for Lock<T> {}

impl<T> Lock<T> {
    /// A lock, released, guarding `v`.
    ///
    /// ```
    /// static READY: racecheck::Lock<bool> = racecheck::Lock::new(false);
    /// assert!(!*READY.acquire());
    /// ```
    #[track_caller]
    pub const fn new(v: T) -> Self {
        Lock {
            raw: RawMutex::INIT,
            stamp: Stamp::new(),
            remote: None,
            data: UnsafeCell::new(v),
        }
    }

    /// The guarded value; no locking needed since the lock is consumed.
    ///
    /// ```
    /// let lock = racecheck::Lock::new(vec![1]);
    /// lock.acquire().push(2);
    /// assert_eq!(lock.into_inner(), [1, 2]);
    /// ```
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl Lock {
    /// Another process's lock, given to this one.
    pub(crate) fn from_remote(remote: RemoteLock) -> Self {
        Lock {
            remote: Some(Box::new(remote)),
            ..Lock::new(())
        }
    }
}

impl<T: ?Sized> Lock<T> {
    pub(crate) fn remote(&self) -> Option<&RemoteLock> {
        self.remote.as_deref()
    }

    /// Releases the lock taken by a guard that was forgotten (a server holding it for another
    /// process).
    ///
    /// # Safety
    /// The lock must be taken, and its guard forgotten.
    pub(crate) unsafe fn release_taken(&self) {
        // SAFETY: as the caller promises.
        unsafe { self.raw.unlock() };
    }

    /// Waits until the lock is free, takes it, and returns the guard that releases it on drop.
    ///
    /// ```
    /// let lock = racecheck::Lock::new(String::new());
    /// lock.acquire().push_str("hello");
    /// assert_eq!(*lock.acquire(), "hello");
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> LockGuard<'_, T> {
        if let Some(cx) = explore::context() {
            return self
                .acquire_explored(cx, Patience::Forever)
                .expect("a blocking acquire ends holding the lock");
        }
        match &self.remote {
            Some(remote) => {
                let taken = remote.acquire(Wait::Forever);
                assert!(taken, "racecheck: a blocking acquire ends holding the lock");
            }
            None => self.raw.lock(),
        }
        LockGuard::new(self)
    }

    /// Takes the lock if it is free, without waiting (Python: `acquire(blocking=False)`).
    ///
    /// ```
    /// let lock = racecheck::Lock::new(0);
    /// let held = lock.acquire();
    /// assert!(lock.try_acquire().is_none());
    /// drop(held);
    /// assert!(lock.try_acquire().is_some());
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<LockGuard<'_, T>> {
        if let Some(cx) = explore::context() {
            return self.acquire_explored(cx, Patience::Never);
        }
        let taken = match &self.remote {
            Some(remote) => remote.acquire(Wait::Never),
            None => self.raw.try_lock(),
        };
        taken.then(|| LockGuard::new(self))
    }

    /// Waits at most `d` for the lock (Python: `acquire(timeout=d)`); `None` if it stayed taken.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let lock = racecheck::Lock::new(());
    /// let held = lock.acquire();
    /// assert!(lock.acquire_timeout(Duration::from_millis(1)).is_none());
    /// drop(held);
    /// assert!(lock.acquire_timeout(Duration::from_millis(1)).is_some());
    /// ```
    #[track_caller]
    pub fn acquire_timeout(&self, d: Duration) -> Option<LockGuard<'_, T>> {
        if let Some(cx) = explore::context() {
            return self.acquire_explored(cx, Patience::timeout(d));
        }
        let taken = match &self.remote {
            Some(remote) => remote.acquire(Wait::timeout(d)),
            None => self.raw.try_lock_for(d),
        };
        taken.then(|| LockGuard::new(self))
    }

    /// `true` if some thread holds the lock (Python: `locked()`); a snapshot, which may be stale
    /// by the time it is read.
    ///
    /// ```
    /// let lock = racecheck::Lock::new(());
    /// let held = lock.acquire();
    /// assert!(lock.locked());
    /// drop(held);
    /// assert!(!lock.locked());
    /// ```
    #[track_caller]
    pub fn locked(&self) -> bool {
        if let Some(cx) = explore::context() {
            return cx.lock_locked(&self.stamp, false, Location::caller());
        }
        match &self.remote {
            Some(remote) => remote.locked(),
            None => self.raw.is_locked(),
        }
    }

    /// The guarded value, through a unique borrow of the lock: no locking needed.
    ///
    /// ```
    /// let mut lock = racecheck::Lock::new(1);
    /// *lock.get_mut() += 1;
    /// assert_eq!(*lock.acquire(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// An acquire under exploration; the guard points at this execution's view of the data.
    #[track_caller]
    fn acquire_explored(&self, cx: explore::Cx, patience: Patience) -> Option<LockGuard<'_, T>> {
        let location = Location::caller();
        cx.lock_acquire(&self.stamp, false, patience, location)
            .then(|| LockGuard {
                lock: self,
                data: NonNull::new(cx.lock_data(&self.stamp, false, self.data.get()))
                    .expect("lock data is never null"),
                explored_at: Some(location),
                _not_send: PhantomData,
            })
    }

    /// The lock's identity under exploration.
    pub(crate) fn stamp(&self) -> &Stamp {
        &self.stamp
    }
}

impl<T: Default> Default for Lock<T> {
    #[track_caller]
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T> From<T> for Lock<T> {
    fn from(v: T) -> Self {
        Lock::new(v)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lock = f.debug_struct("Lock");
        match self.try_acquire() {
            Some(guard) => lock.field("data", &&*guard),
            None => lock.field("data", &format_args!("<locked>")),
        };
        lock.finish_non_exhaustive()
    }
}

/// Access to the data of a held [`Lock`]; releases the lock when dropped.
///
/// Like `std::sync::MutexGuard`, a guard stays on the thread that took it (it is not `Send`),
/// and derefs, debugs and displays as the data it guards.
///
/// ```
/// let lock = racecheck::Lock::new(5);
/// let mut guard = lock.acquire();
/// *guard += 1;
/// assert_eq!(guard.to_string(), "6");
/// ```
pub struct LockGuard<'a, T: ?Sized> {
    lock: &'a Lock<T>,
    /// The data: the lock's own, or under exploration of a static lock, the execution's copy.
    data: NonNull<T>,
    /// Where an explored guard was taken (`None`: the lock is real).
    explored_at: Option<&'static Location<'static>>,
    /// Unlocking must happen on the thread that locked, as for std's guard: not `Send`.
    _not_send: PhantomData<*const ()>,
}

// SAFETY: sharing the guard shares only `&T`, which is fine exactly when `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for LockGuard<'_, T> {}

impl<'a, T: ?Sized> LockGuard<'a, T> {
    /// Wraps a lock the caller has just taken.
    fn new(lock: &'a Lock<T>) -> Self {
        lock.stamp.mark_used_for_real();
        LockGuard {
            lock,
            data: NonNull::new(lock.data.get()).expect("lock data is never null"),
            explored_at: None,
            _not_send: PhantomData,
        }
    }

    /// The lock this guard holds.
    pub(crate) fn lock(&self) -> &'a Lock<T> {
        self.lock
    }

    /// Runs `f` with the lock released, and takes it back before returning (even if `f`
    /// panics, since the guard will then release it again on drop): how a condition waits.
    pub(crate) fn unlocked<R>(&mut self, f: impl FnOnce() -> R) -> R {
        /// Re-takes the lock when dropped.
        struct Relock<'b>(&'b RawMutex);
        impl Drop for Relock<'_> {
            fn drop(&mut self) {
                self.0.lock();
            }
        }

        assert!(
            self.lock.remote.is_none(),
            "racecheck: a Condition cannot wait on a Lock shared from another process"
        );
        // SAFETY: this guard proves the calling thread holds the lock; `Relock` takes it back
        // before the guard can be used or dropped again.
        unsafe { self.lock.raw.unlock() };
        let _relock = Relock(&self.lock.raw);
        f()
    }
}

impl<T: ?Sized> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other thread has access to the data.
        unsafe { self.data.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock, and `&mut self` makes this the only access.
        unsafe { self.data.as_mut() }
    }
}

impl<T: ?Sized> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        match (self.explored_at, explore::context()) {
            (Some(taken_at), Some(cx)) => cx.lock_release(&self.lock.stamp, false, taken_at),
            // An explored guard outliving its schedule has nothing left to release.
            (Some(_), None) => {}
            (None, _) => match &self.lock.remote {
                Some(remote) => remote.release(),
                // SAFETY: the guard exists only while its thread holds the lock.
                None => unsafe { self.lock.raw.unlock() },
            },
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
