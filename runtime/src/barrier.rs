//! A meeting point for a fixed number of threads (Python: `threading.Barrier`).

use std::fmt;
use std::panic::Location;

use parking_lot::{Condvar, Mutex};

use crate::explore::{self, Stamp};

/// Makes `n` threads wait for each other (Python: `threading.Barrier(n)`): each
/// [`wait`](Barrier::wait) blocks until `n` threads have called it, then all of them go on. The
/// barrier is then ready for the next round (generation).
///
/// ```
/// use racecheck::{Barrier, Thread};
///
/// static START: Barrier = Barrier::new(3);
///
/// let runners: Vec<_> = (0..3).map(|_| Thread::spawn(|| START.wait())).collect();
/// let leaders = runners.into_iter().map(|runner| runner.join().unwrap()).filter(|&leader| leader).count();
/// assert_eq!(leaders, 1);
/// ```
pub struct Barrier {
    /// The barrier's identity under exploration.
    stamp: Stamp,
    parties: usize,
    state: Mutex<Round>,
    released: Condvar,
}

/// The round in progress.
struct Round {
    arrived: usize,
    /// Counts completed rounds, so that a waiter can tell its round has ended even when the next
    /// one has already begun.
    generation: u64,
}

impl Barrier {
    /// A barrier for `n` threads. A barrier for 0 threads behaves as one for 1: `wait` never
    /// blocks.
    ///
    /// ```
    /// let barrier = racecheck::Barrier::new(1);
    /// assert!(barrier.wait());
    /// ```
    #[track_caller]
    pub const fn new(n: usize) -> Self {
        Barrier {
            stamp: Stamp::new(),
            parties: if n == 0 { 1 } else { n },
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
            }),
            released: Condvar::new(),
        }
    }

    /// Waits until `n` threads are waiting, then releases them all. Returns `true` for exactly one
    /// thread of each round, the leader (the last to arrive), which can do once what the round
    /// needs done.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let barrier = Arc::new(racecheck::Barrier::new(2));
    /// let other = barrier.clone();
    /// let thread = racecheck::Thread::spawn(move || other.wait());
    /// let here = barrier.wait();
    /// assert!(here ^ thread.join().unwrap()); // one leader out of two
    /// ```
    #[track_caller]
    pub fn wait(&self) -> bool {
        if let Some(cx) = explore::context() {
            return cx.barrier_wait(&self.stamp, self.parties, Location::caller());
        }
        let mut round = self.state.lock();
        round.arrived += 1;
        if round.arrived == self.parties {
            round.arrived = 0;
            round.generation = round.generation.wrapping_add(1);
            self.released.notify_all();
            return true;
        }
        let generation = round.generation;
        self.released
            .wait_while(&mut round, |round| round.generation == generation);
        false
    }

    /// How many threads each round waits for (Python: `parties`).
    ///
    /// ```
    /// assert_eq!(racecheck::Barrier::new(4).parties(), 4);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("waiting", &self.state.lock().arrived)
            .finish()
    }
}
