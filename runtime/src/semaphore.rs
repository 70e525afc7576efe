//! Counting semaphores (Python: `threading.Semaphore`, `threading.BoundedSemaphore`).

use std::fmt;
use std::panic::Location;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::explore::{self, Patience, Stamp};

/// A counter of permits (Python: `threading.Semaphore`, and `threading.BoundedSemaphore` when made
/// with [`Semaphore::bounded`]).
///
/// [`acquire`](Semaphore::acquire) waits for a permit and returns it as a [`Permit`], which gives
/// it back when dropped. For Python-style code that acquires in one place and releases in another,
/// [`Permit::forget`] keeps the permit taken until [`release`](Semaphore::release) is called.
///
/// ```
/// use racecheck::{Semaphore, Thread};
///
/// static SLOTS: Semaphore = Semaphore::new(2);
///
/// let downloads: Vec<_> = (0..4)
///     .map(|_| Thread::spawn(|| {
///         let _slot = SLOTS.acquire(); // at most two threads in here at once
///     }))
///     .collect();
/// for download in downloads {
///     download.join().unwrap();
/// }
/// ```
pub struct Semaphore {
    /// The semaphore's identity under exploration.
    stamp: Stamp,
    /// The count it starts with; a bounded semaphore never exceeds it.
    initial: usize,
    bounded: bool,
    count: Mutex<usize>,
    available: Condvar,
}

impl Semaphore {
    /// A semaphore with `n` permits; [`release`](Semaphore::release) may raise the count above `n`.
    ///
    /// ```
    /// let sem = racecheck::Semaphore::new(0);
    /// sem.release().unwrap();
    /// assert!(sem.try_acquire().is_some());
    /// ```
    #[track_caller]
    pub const fn new(n: usize) -> Self {
        Semaphore::with_bound(n, false)
    }

    /// A semaphore with `n` permits whose count never exceeds `n`: a
    /// [`release`](Semaphore::release) beyond it is an [`OverRelease`] error (Python:
    /// `threading.BoundedSemaphore`).
    ///
    /// ```
    /// let sem = racecheck::Semaphore::bounded(1);
    /// assert_eq!(sem.release(), Err(racecheck::OverRelease));
    /// ```
    #[track_caller]
    pub const fn bounded(n: usize) -> Self {
        Semaphore::with_bound(n, true)
    }

    #[track_caller]
    const fn with_bound(n: usize, bounded: bool) -> Self {
        Semaphore {
            stamp: Stamp::new(),
            initial: n,
            bounded,
            count: Mutex::new(n),
            available: Condvar::new(),
        }
    }

    /// Waits for a permit and takes it.
    ///
    /// ```
    /// let sem = racecheck::Semaphore::new(1);
    /// let permit = sem.acquire();
    /// assert!(sem.try_acquire().is_none());
    /// drop(permit);
    /// assert!(sem.try_acquire().is_some());
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> Permit<'_> {
        if let Some(cx) = explore::context() {
            cx.semaphore_acquire(
                &self.stamp,
                self.initial,
                self.bounded,
                Patience::Forever,
                Location::caller(),
            );
            return Permit::new(self);
        }
        let mut count = self.count.lock();
        self.available.wait_while(&mut count, |count| *count == 0);
        *count -= 1;
        Permit::new(self)
    }

    /// Takes a permit if one is free, without waiting.
    ///
    /// ```
    /// let sem = racecheck::Semaphore::new(0);
    /// assert!(sem.try_acquire().is_none());
    /// ```
    #[track_caller]
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        if let Some(cx) = explore::context() {
            return cx
                .semaphore_acquire(
                    &self.stamp,
                    self.initial,
                    self.bounded,
                    Patience::Never,
                    Location::caller(),
                )
                .then_some(Permit::new(self));
        }
        let mut count = self.count.lock();
        self.take(&mut count)
    }

    /// Waits at most `d` for a permit.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let sem = racecheck::Semaphore::new(1);
    /// let _first = sem.acquire();
    /// assert!(sem.acquire_timeout(Duration::from_millis(1)).is_none());
    /// ```
    #[track_caller]
    pub fn acquire_timeout(&self, d: Duration) -> Option<Permit<'_>> {
        if let Some(cx) = explore::context() {
            return cx
                .semaphore_acquire(
                    &self.stamp,
                    self.initial,
                    self.bounded,
                    Patience::timeout(d),
                    Location::caller(),
                )
                .then_some(Permit::new(self));
        }
        let mut count = self.count.lock();
        // parking_lot waits without a deadline when `d` is too long to represent one.
        self.available
            .wait_while_for(&mut count, |count| *count == 0, d);
        self.take(&mut count)
    }

    /// Adds a permit and wakes one waiter (Python: `release()`). On a bounded semaphore whose
    /// count is back at its initial value, changes nothing and returns [`OverRelease`].
    ///
    /// ```
    /// let sem = racecheck::Semaphore::bounded(1);
    /// sem.acquire().forget();
    /// assert_eq!(sem.release(), Ok(()));
    /// assert_eq!(sem.release(), Err(racecheck::OverRelease));
    /// ```
    #[track_caller]
    pub fn release(&self) -> Result<(), OverRelease> {
        self.release_at(Location::caller())
    }

    /// [`release`](Self::release), reported at `location` under exploration.
    fn release_at(&self, location: &'static Location<'static>) -> Result<(), OverRelease> {
        if let Some(cx) = explore::context() {
            return cx
                .semaphore_release(&self.stamp, self.initial, self.bounded, location)
                .map_err(|()| OverRelease);
        }
        let mut count = self.count.lock();
        if self.bounded && *count >= self.initial {
            return Err(OverRelease);
        }
        *count += 1;
        self.available.notify_one();
        Ok(())
    }

    #[track_caller]
    fn take(&self, count: &mut usize) -> Option<Permit<'_>> {
        *count = count.checked_sub(1)?;
        Some(Permit::new(self))
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &*self.count.lock())
            .field("initial", &self.initial)
            .field("bounded", &self.bounded)
            .finish()
    }
}

/// A permit taken from a [`Semaphore`]; gives it back when dropped.
///
/// On a bounded semaphore a permit's return never pushes the count past its initial value: if the
/// holder also called [`Semaphore::release`] by hand, the permit's own return is dropped.
///
/// A drop has no caller location of its own: under exploration the return is reported at the
/// call that acquired the permit (as a [`LockGuard`](crate::LockGuard)'s release is reported at
/// its acquisition), never inside racecheck.
///
/// ```
/// let sem = racecheck::Semaphore::new(1);
/// {
///     let _permit = sem.acquire();
///     assert!(sem.try_acquire().is_none());
/// }
/// assert!(sem.try_acquire().is_some());
/// ```
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
    /// The acquiring call: where the drop's release is reported.
    acquired_at: &'static Location<'static>,
}

impl<'a> Permit<'a> {
    #[track_caller]
    fn new(semaphore: &'a Semaphore) -> Self {
        Permit {
            semaphore,
            acquired_at: Location::caller(),
        }
    }

    /// Keeps the permit taken without a guard: it comes back only through
    /// [`Semaphore::release`], Python style.
    ///
    /// ```
    /// let sem = racecheck::Semaphore::new(1);
    /// sem.acquire().forget();
    /// assert!(sem.try_acquire().is_none());
    /// sem.release().unwrap();
    /// assert!(sem.try_acquire().is_some());
    /// ```
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // Only an extra hand-made `release` on a bounded semaphore makes this fail; the count is
        // then at its bound already, which is where it belongs.
        let _ = self.semaphore.release_at(self.acquired_at);
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

/// A [`Semaphore::bounded`] was released more often than it was acquired (Python raises
/// `ValueError`).
///
/// ```
/// let error = racecheck::Semaphore::bounded(0).release().unwrap_err();
/// assert_eq!(error.to_string(), "a bounded semaphore was released too many times");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease;

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a bounded semaphore was released too many times")
    }
}

impl std::error::Error for OverRelease {}
