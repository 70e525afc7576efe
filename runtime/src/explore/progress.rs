//! Progress of a long exploration on stderr: a progress bar when stderr is a terminal, else a
//! line every few seconds. Short explorations show nothing. Display only: workers count the
//! schedules they finish, and no schedule reads anything back.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long an exploration runs before the bar appears.
const BAR_AFTER: Duration = Duration::from_secs(1);
/// How often the bar is redrawn.
const BAR_REFRESH: Duration = Duration::from_millis(100);
/// How often a line is printed when stderr is not a terminal (the first after as long).
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Shows the progress of one exploration until dropped.
pub(crate) struct Progress {
    done: Arc<AtomicUsize>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    pub(crate) fn start(total: usize) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = crossbeam_channel::bounded(0);
        let counted = Arc::clone(&done);
        let thread = std::thread::Builder::new()
            .name("racecheck-progress".into())
            .spawn(move || {
                if std::io::stderr().is_terminal() {
                    show_bar(&counted, total, &stopped);
                } else {
                    print_lines(&counted, total, &stopped);
                }
            })
            .ok();
        Progress {
            done,
            stop: Some(stop),
            thread,
        }
    }

    pub(crate) fn schedule_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits `period`; `false` once the exploration is over.
fn still_running(stopped: &Receiver<()>, period: Duration) -> bool {
    matches!(stopped.recv_timeout(period), Err(RecvTimeoutError::Timeout))
}

fn show_bar(done: &AtomicUsize, total: usize, stopped: &Receiver<()>) {
    if !still_running(stopped, BAR_AFTER) {
        return;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "racecheck: exploring {bar:30} {human_pos}/{human_len} schedules, {per_sec}, {elapsed} (eta {eta})",
    ) {
        bar.set_style(style);
    }
    loop {
        bar.set_position(done.load(Ordering::Relaxed) as u64);
        if !still_running(stopped, BAR_REFRESH) {
            break;
        }
    }
    bar.finish_and_clear();
}

fn print_lines(done: &AtomicUsize, total: usize, stopped: &Receiver<()>) {
    let started = Instant::now();
    while still_running(stopped, LINE_EVERY) {
        eprintln!(
            "{}",
            progress_line(done.load(Ordering::Relaxed), total, started.elapsed())
        );
    }
}

/// `racecheck: 120000 of 200000 schedules explored in 12 s`.
fn progress_line(done: usize, total: usize, elapsed: Duration) -> String {
    format!(
        "racecheck: {done} of {total} schedules explored in {} s",
        elapsed.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_counts_schedules_and_seconds() {
        assert_eq!(
            progress_line(120_000, 200_000, Duration::from_millis(12_400)),
            "racecheck: 120000 of 200000 schedules explored in 12 s"
        );
    }

    #[test]
    fn a_short_exploration_shows_nothing_and_stops_at_once() {
        let progress = Progress::start(10);
        progress.schedule_done();
        assert_eq!(progress.done.load(Ordering::Relaxed), 1);
        drop(progress);
    }
}
