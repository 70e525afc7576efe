//! Waiting for a state change under a lock (Python: `threading.Condition`).

use std::collections::VecDeque;
use std::fmt;
use std::panic::Location;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::explore::{self, Patience, Stamp};
use crate::{Lock, LockGuard};

/// A condition variable used with a [`Lock`] (Python: `threading.Condition`).
///
/// A thread holding the lock calls [`wait`](Condition::wait) with its guard: the lock is released
/// while it waits and taken back before `wait` returns. Another thread changes the guarded state
/// and calls [`notify`](Condition::notify) or [`notify_all`](Condition::notify_all). Waiters are
/// woken in the order they started waiting; since the state may have changed again by the time a
/// woken thread has the lock, check it in a loop, most simply with
/// [`wait_while`](Condition::wait_while).
///
/// Unlike Python's, the condition does not own its lock: it is bound to the lock of the first
/// guard it waits with, and waiting with a guard of another lock is a bug that panics.
///
/// ```
/// use racecheck::{Condition, Lock, Thread};
///
/// static ITEMS: Lock<Vec<u32>> = Lock::new(Vec::new());
/// static ARRIVED: Condition = Condition::new();
///
/// let consumer = Thread::spawn(|| {
///     let mut items = ARRIVED.wait_while(ITEMS.acquire(), |items| items.is_empty());
///     items.pop()
/// });
/// ITEMS.acquire().push(7);
/// ARRIVED.notify();
/// assert_eq!(consumer.join(), Ok(Some(7)));
/// ```
pub struct Condition {
    /// The condition's identity under exploration.
    stamp: Stamp,
    /// The address of the lock this condition waits with; 0 until its first wait.
    bound_lock: AtomicUsize,
    waiters: Mutex<WaitQueue>,
    woken: Condvar,
}

/// The threads waiting, by ticket, oldest first: a notify removes the oldest ticket, so a thread
/// that starts waiting later can never take the wake-up meant for an earlier one.
struct WaitQueue {
    next_ticket: u64,
    waiting: VecDeque<u64>,
}

impl WaitQueue {
    fn enqueue(&mut self) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.waiting.push_back(ticket);
        ticket
    }

    /// Not yet notified. Tickets are enqueued in increasing order, so the queue stays sorted.
    fn is_waiting(&self, ticket: u64) -> bool {
        self.waiting.binary_search(&ticket).is_ok()
    }

    /// Stops waiting without a notification: `true` if the ticket was still waiting.
    fn withdraw(&mut self, ticket: u64) -> bool {
        match self.waiting.binary_search(&ticket) {
            Ok(position) => {
                self.waiting.remove(position);
                true
            }
            Err(_) => false,
        }
    }
}

impl Condition {
    /// A condition nobody waits on yet.
    ///
    /// ```
    /// static CHANGED: racecheck::Condition = racecheck::Condition::new();
    /// CHANGED.notify_all(); // nobody waits: nothing happens
    /// ```
    #[track_caller]
    pub const fn new() -> Self {
        Condition {
            stamp: Stamp::new(),
            bound_lock: AtomicUsize::new(0),
            waiters: Mutex::new(WaitQueue {
                next_ticket: 0,
                waiting: VecDeque::new(),
            }),
            woken: Condvar::new(),
        }
    }

    /// Releases the guard's lock, waits for a notification, takes the lock back and returns the
    /// guard.
    ///
    /// # Panics
    ///
    /// If this condition was already used with a different lock.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use racecheck::{Condition, Lock, Thread};
    ///
    /// let state = Arc::new((Lock::new(false), Condition::new()));
    /// let setter = state.clone();
    /// let mut done = state.0.acquire();
    /// let thread = Thread::spawn(move || {
    ///     *setter.0.acquire() = true;
    ///     setter.1.notify();
    /// });
    /// while !*done {
    ///     done = state.1.wait(done);
    /// }
    /// # drop(done);
    /// thread.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait<'a, T: ?Sized>(&self, mut guard: LockGuard<'a, T>) -> LockGuard<'a, T> {
        self.block(&mut guard, None);
        guard
    }

    /// Waits as long as `pred` holds on the guarded data (checked first, and again after every
    /// wake-up), then returns the guard: the predicate loop written once.
    ///
    /// # Panics
    ///
    /// If this condition was already used with a different lock.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use racecheck::{Condition, Lock, Thread};
    ///
    /// let stock = Arc::new((Lock::new(0u32), Condition::new()));
    /// let producer = stock.clone();
    /// let thread = Thread::spawn(move || {
    ///     for _ in 0..3 {
    ///         *producer.0.acquire() += 1;
    ///         producer.1.notify_all();
    ///     }
    /// });
    /// let count = stock.1.wait_while(stock.0.acquire(), |count| *count < 3);
    /// assert_eq!(*count, 3);
    /// # drop(count);
    /// thread.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait_while<'a, T: ?Sized>(
        &self,
        mut guard: LockGuard<'a, T>,
        mut pred: impl FnMut(&mut T) -> bool,
    ) -> LockGuard<'a, T> {
        while pred(&mut *guard) {
            self.block(&mut guard, None);
        }
        guard
    }

    /// Like [`wait`](Condition::wait), for at most `d`. Returns the guard and `true` if the wait
    /// timed out without a notification.
    ///
    /// # Panics
    ///
    /// If this condition was already used with a different lock.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let lock = racecheck::Lock::new(());
    /// let changed = racecheck::Condition::new();
    /// let (_guard, timed_out) = changed.wait_timeout(lock.acquire(), Duration::from_millis(1));
    /// assert!(timed_out);
    /// ```
    #[track_caller]
    pub fn wait_timeout<'a, T: ?Sized>(
        &self,
        mut guard: LockGuard<'a, T>,
        d: Duration,
    ) -> (LockGuard<'a, T>, bool) {
        let timed_out = self.block(&mut guard, Some(d));
        (guard, timed_out)
    }

    /// Wakes the thread that has waited longest, if any.
    ///
    /// ```
    /// racecheck::Condition::new().notify();
    /// ```
    #[track_caller]
    pub fn notify(&self) {
        if let Some(cx) = explore::context() {
            return cx.condition_notify(&self.stamp, false, Location::caller());
        }
        if self.waiters.lock().waiting.pop_front().is_some() {
            self.woken.notify_all();
        }
    }

    /// Wakes every waiting thread.
    ///
    /// ```
    /// racecheck::Condition::new().notify_all();
    /// ```
    #[track_caller]
    pub fn notify_all(&self) {
        if let Some(cx) = explore::context() {
            return cx.condition_notify(&self.stamp, true, Location::caller());
        }
        let mut waiters = self.waiters.lock();
        if !waiters.waiting.is_empty() {
            waiters.waiting.clear();
            self.woken.notify_all();
        }
    }

    /// Waits with the guard's lock released until notified or, with a timeout, until it passes;
    /// `true` if it timed out.
    #[track_caller]
    fn block<T: ?Sized>(&self, guard: &mut LockGuard<'_, T>, timeout: Option<Duration>) -> bool {
        if let Some(cx) = explore::context() {
            assert!(
                cx.condition_binds(&self.stamp, guard.lock().stamp()),
                "{TWO_LOCKS}"
            );
            let patience = timeout.map_or(Patience::Forever, Patience::timeout);
            let notified = cx.condition_wait(
                &self.stamp,
                guard.lock().stamp(),
                patience,
                Location::caller(),
            );
            return !notified;
        }
        self.bind(guard.lock());
        // Registered before the lock is released: a notify sent as soon as it is free is not lost.
        let mut waiters = self.waiters.lock();
        let ticket = waiters.enqueue();
        // No deadline for a timeout too long to represent.
        let deadline = timeout.and_then(|d| Instant::now().checked_add(d));
        guard.unlocked(move || {
            while waiters.is_waiting(ticket) {
                match deadline {
                    None => self.woken.wait(&mut waiters),
                    Some(deadline) => {
                        if self.woken.wait_until(&mut waiters, deadline).timed_out() {
                            // A notify that came with the timeout wins.
                            return waiters.withdraw(ticket);
                        }
                    }
                }
            }
            false
        })
    }

    /// Binds this condition to `lock` on first use; panics if it is bound to another one.
    #[track_caller]
    fn bind<T: ?Sized>(&self, lock: &Lock<T>) {
        let address = std::ptr::from_ref(lock).cast::<()>().addr();
        if let Err(bound) =
            self.bound_lock
                .compare_exchange(0, address, Ordering::AcqRel, Ordering::Acquire)
        {
            assert!(bound == address, "{TWO_LOCKS}");
        }
    }
}

/// The panic of a wait with a guard of a lock other than the condition's.
const TWO_LOCKS: &str = "racecheck: a Condition was used with two different locks; \
                         wait on one condition always with guards of the same lock";

impl Default for Condition {
    #[track_caller]
    fn default() -> Self {
        Condition::new()
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("waiters", &self.waiters.lock().waiting.len())
            .finish()
    }
}
