//! Stall detection. A logical thread that blocks for real (a `std` mutex held across a scheduling
//! point, a real sleep or channel, I/O) or loops without a racecheck operation cannot be
//! preempted: its worker would hang forever. Each worker beats a [`Heart`] at every step; a
//! watchdog thread that sees a busy heart stop beating for [`Config::stall_timeout`] names the
//! logical thread and the operation it was last seen at, and ends the process.
//!
//! Wall-clock time is read here only to notice the stall: no schedule decision depends on it.
//!
//! [`Config::stall_timeout`]: super::Config::stall_timeout

use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::finding::FINDINGS_EXIT_CODE;
use super::ids::{Loc, ThreadId};

/// One worker's progress, as the watchdog sees it.
#[derive(Default)]
pub(crate) struct Heart {
    beats: AtomicU64,
    /// Whether a schedule is running (an idle worker has nothing to stall).
    busy: AtomicBool,
    schedule: AtomicUsize,
    /// The logical thread resumed last, and the operation it was about to perform (null: none).
    thread: AtomicUsize,
    location: AtomicPtr<Location<'static>>,
    /// The names of the running schedule's threads, by id.
    names: Mutex<Vec<String>>,
}

impl Heart {
    pub(crate) fn schedule_started(&self, schedule: usize) {
        self.schedule.store(schedule, Ordering::Relaxed);
        self.names.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.busy.store(true, Ordering::Relaxed);
    }

    pub(crate) fn schedule_ended(&self) {
        self.busy.store(false, Ordering::Relaxed);
    }

    pub(crate) fn thread_started(&self, thread: ThreadId, name: &str) {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if names.len() <= thread {
            names.resize(thread + 1, String::new());
        }
        name.clone_into(&mut names[thread]);
    }

    /// `thread` is resumed, about to perform its operation at `location`.
    pub(crate) fn beat(&self, thread: ThreadId, location: Option<Loc>) {
        self.thread.store(thread, Ordering::Relaxed);
        let location = location.map_or(std::ptr::null_mut(), |l| l as *const _ as *mut _);
        self.location.store(location, Ordering::Relaxed);
        self.beats.fetch_add(1, Ordering::Relaxed);
    }

    /// `Thread-1 is blocked outside racecheck in explored schedule 7, after its operation at
    /// src/main.rs:9:5`.
    fn describe(&self) -> String {
        let thread = self.thread.load(Ordering::Relaxed);
        let name = self
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(thread)
            .cloned()
            .unwrap_or_else(|| format!("thread {thread}"));
        let schedule = self.schedule.load(Ordering::Relaxed);
        let location = self.location.load(Ordering::Relaxed);
        // SAFETY: only `&'static Location`s are stored.
        let since = match unsafe { location.as_ref() } {
            Some(location) => format!("after its racecheck operation at {location}"),
            None => "before its first racecheck operation".to_owned(),
        };
        format!("{name} is blocked outside racecheck in explored schedule {schedule}, {since}")
    }
}

/// Watches the hearts of one exploration's workers until dropped.
pub(crate) struct Watchdog {
    hearts: Arc<Mutex<Vec<Arc<Heart>>>>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// `None` when `timeout` is `None` (wait forever).
    pub(crate) fn start(timeout: Option<Duration>) -> Option<Watchdog> {
        let timeout = timeout?;
        let hearts = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = crossbeam_channel::bounded(0);
        let watched = Arc::clone(&hearts);
        let thread = std::thread::Builder::new()
            .name("racecheck-watchdog".into())
            .spawn(move || watch(&watched, &stopped, timeout))
            .expect("racecheck: cannot start the stall watchdog thread");
        Some(Watchdog {
            hearts,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// A new heart for a worker to beat.
    pub(crate) fn heart(&self) -> Arc<Heart> {
        let heart = Arc::new(Heart::default());
        self.hearts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::clone(&heart));
        heart
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn watch(hearts: &Mutex<Vec<Arc<Heart>>>, stopped: &Receiver<()>, timeout: Duration) {
    let tick = (timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    // Per heart: the beats seen last, and since when they have not changed.
    let mut seen: Vec<(u64, Instant)> = Vec::new();
    loop {
        match stopped.recv_timeout(tick) {
            Err(RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        let hearts = hearts.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let now = Instant::now();
        seen.resize(hearts.len(), (u64::MAX, now));
        for (heart, (last_beats, since)) in hearts.iter().zip(&mut seen) {
            let beats = heart.beats.load(Ordering::Relaxed);
            if beats != *last_beats || !heart.busy.load(Ordering::Relaxed) {
                (*last_beats, *since) = (beats, now);
            } else if now.duration_since(*since) >= timeout {
                stalled(heart, timeout);
            }
        }
    }
}

fn stalled(heart: &Heart, timeout: Duration) -> ! {
    eprintln!(
        "racecheck: no logical thread made progress for {} s: {}\n\
         racecheck: a std mutex held across a racecheck operation, a real sleep, channel or I/O, \
         or a loop without racecheck operations cannot be preempted\n\
         racecheck: use racecheck's primitives there, or wait longer with Config::stall_timeout \
         or RACECHECK_STALL_TIMEOUT (seconds)",
        timeout.as_secs_f64(),
        heart.describe()
    );
    std::process::exit(FINDINGS_EXIT_CODE)
}
