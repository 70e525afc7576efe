//! A flag threads wait on (Python: `threading.Event`).

use std::fmt;
use std::panic::Location;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::explore::{self, Patience, Stamp};
use crate::remote::protocol::{Op, Reply, Wait};
use crate::remote::RemoteRef;

/// A flag that threads can wait for (Python: `threading.Event`). It starts unset;
/// [`set`](Event::set) wakes every waiter, [`clear`](Event::clear) makes later waits block again.
///
/// ```
/// use racecheck::{Event, Thread};
///
/// static READY: Event = Event::new();
///
/// let waiter = Thread::spawn(|| {
///     READY.wait();
///     "released"
/// });
/// READY.set();
/// assert_eq!(waiter.join(), Ok("released"));
/// ```
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
    /// The event's identity under exploration.
    stamp: Stamp,
    /// Set when the event is another process's, given to this one: every operation is a call.
    remote: Option<RemoteRef>,
}

impl Event {
    /// An unset event.
    ///
    /// ```
    /// static STOP: racecheck::Event = racecheck::Event::new();
    /// assert!(!STOP.is_set());
    /// ```
    #[track_caller]
    pub const fn new() -> Self {
        Event {
            flag: Mutex::new(false),
            changed: Condvar::new(),
            stamp: Stamp::new(),
            remote: None,
        }
    }

    /// Another process's event, given to this one.
    pub(crate) fn from_remote(remote: RemoteRef) -> Self {
        Event {
            remote: Some(remote),
            ..Event::new()
        }
    }

    pub(crate) fn remote(&self) -> Option<&RemoteRef> {
        self.remote.as_ref()
    }

    /// An operation on another process's event.
    #[track_caller]
    fn call(remote: &RemoteRef, op: Op) -> bool {
        match remote.expect("an Event", op) {
            Reply::Flag(flag) => flag,
            _ => false,
        }
    }

    /// Sets the flag and wakes every thread waiting for it.
    ///
    /// ```
    /// let event = racecheck::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    #[track_caller]
    pub fn set(&self) {
        if let Some(cx) = explore::context() {
            return cx.event_set(&self.stamp, Location::caller());
        }
        if let Some(remote) = &self.remote {
            Event::call(remote, Op::Set);
            return;
        }
        *self.flag.lock() = true;
        self.changed.notify_all();
    }

    /// Unsets the flag.
    ///
    /// ```
    /// let event = racecheck::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    #[track_caller]
    pub fn clear(&self) {
        if let Some(cx) = explore::context() {
            return cx.event_clear(&self.stamp, Location::caller());
        }
        if let Some(remote) = &self.remote {
            Event::call(remote, Op::Clear);
            return;
        }
        *self.flag.lock() = false;
    }

    /// `true` if the flag is set.
    ///
    /// ```
    /// assert!(!racecheck::Event::new().is_set());
    /// ```
    #[track_caller]
    pub fn is_set(&self) -> bool {
        if let Some(cx) = explore::context() {
            return cx.event_is_set(&self.stamp, Location::caller());
        }
        if let Some(remote) = &self.remote {
            return Event::call(remote, Op::IsSet);
        }
        *self.flag.lock()
    }

    /// Waits until the flag is set; returns at once if it already is.
    ///
    /// ```
    /// let event = racecheck::Event::new();
    /// event.set();
    /// event.wait();
    /// ```
    #[track_caller]
    pub fn wait(&self) {
        if let Some(cx) = explore::context() {
            cx.event_wait(&self.stamp, Patience::Forever, Location::caller());
            return;
        }
        if let Some(remote) = &self.remote {
            Event::call(
                remote,
                Op::WaitSet {
                    wait: Wait::Forever,
                },
            );
            return;
        }
        let mut flag = self.flag.lock();
        self.changed.wait_while(&mut flag, |set| !*set);
    }

    /// Waits at most `d` for the flag: `true` if it was set, `false` on timeout (Python's return
    /// value).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let event = racecheck::Event::new();
    /// assert!(!event.wait_timeout(Duration::from_millis(1)));
    /// event.set();
    /// assert!(event.wait_timeout(Duration::from_millis(1)));
    /// ```
    #[track_caller]
    pub fn wait_timeout(&self, d: Duration) -> bool {
        if let Some(cx) = explore::context() {
            return cx.event_wait(&self.stamp, Patience::timeout(d), Location::caller());
        }
        if let Some(remote) = &self.remote {
            return Event::call(
                remote,
                Op::WaitSet {
                    wait: Wait::timeout(d),
                },
            );
        }
        let mut flag = self.flag.lock();
        // parking_lot waits without a deadline when `d` is too long to represent one.
        self.changed.wait_while_for(&mut flag, |set| !*set, d);
        *flag
    }
}

impl Default for Event {
    #[track_caller]
    fn default() -> Self {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .finish()
    }
}
