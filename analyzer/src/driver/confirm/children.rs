//! Running child processes for confirm (and for the test suites that run the fixture programs):
//! a time budget after which a child is killed, and work spread over a fixed number of threads.
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const POLL_EVERY: Duration = Duration::from_millis(10);

/// The child's exit status; `Err` if it outlived `budget` (it is then killed) or could not be
/// waited for.
pub fn wait_or_kill(child: &mut Child, budget: Duration) -> Result<ExitStatus, String> {
    let deadline = Instant::now() + budget;
    loop {
        let why = match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(POLL_EVERY);
                continue;
            }
            Ok(None) => format!("still running after {} s, killed", budget.as_secs()),
            Err(e) => format!("cannot wait for it: {e}"),
        };
        let _ = child.kill();
        let _ = child.wait();
        return Err(why);
    }
}

/// `work` applied to every item, `jobs` items at a time; the results in item order.
pub fn map_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, work(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order() {
        let items: Vec<u32> = (0..50).collect();
        assert_eq!(
            map_parallel(&items, 3, |n| n * 2),
            (0..50).map(|n| n * 2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_child_past_its_budget_is_killed() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("`sleep` runs");
        let error = wait_or_kill(&mut child, Duration::from_millis(50)).unwrap_err();
        assert_eq!(error, "still running after 0 s, killed");
    }
}
