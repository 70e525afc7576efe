pub mod queue;
pub mod rate_limit;
pub mod simulated;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::frontier::{Frontier, Outcome};
use crate::parse::ParserPool;
use crate::robots::{RobotsCache, Verdict};
use crate::shutdown::{spawn_named, Shutdown};
use crate::stats::Stats;

use queue::{FetchQueue, FetchTask};
use rate_limit::RateLimiter;
use simulated::Web;

#[derive(Clone, Debug)]
pub struct FetchedPage {
    pub task: FetchTask,
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// Everything a fetcher thread needs, shared by all of them.
pub struct FetchContext {
    pub frontier: Arc<Frontier>,
    pub robots: Arc<RobotsCache>,
    pub limiter: Arc<RateLimiter>,
    pub web: Arc<dyn Web>,
    pub parsers: Arc<ParserPool>,
    pub stats: Arc<Stats>,
    pub shutdown: Arc<Shutdown>,
    pub queue: FetchQueue,
    pub retry_backoff: Duration,
    pub max_attempts: u32,
}

pub struct FetcherPool {
    handles: Mutex<Vec<JoinHandle<u64>>>,
    running: AtomicUsize,
}

impl FetcherPool {
    pub fn start(count: usize, ctx: Arc<FetchContext>) -> Arc<FetcherPool> {
        let pool = Arc::new(FetcherPool {
            handles: Mutex::new(Vec::with_capacity(count)),
            running: AtomicUsize::new(0),
        });
        for id in 0..count {
            let ctx = Arc::clone(&ctx);
            let me = Arc::clone(&pool);
            let handle = spawn_named(&format!("fetcher-{}", id), move || {
                me.running.fetch_add(1, Ordering::SeqCst);
                let handled = worker_loop(&ctx);
                me.running.fetch_sub(1, Ordering::SeqCst);
                handled
            });
            pool.handles.lock().unwrap().push(handle);
        }
        pool
    }

    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Waits for every fetcher to exit; returns the number of tasks handled.
    pub fn join(&self) -> u64 {
        let handles = std::mem::take(&mut *self.handles.lock().unwrap());
        let mut handled = 0;
        for handle in handles {
            match handle.join() { // CLEAN: blocking-while-holding: the handles vector was moved out and its guard dropped at the end of the take statement
                Ok(n) => handled += n,
                Err(_) => eprintln!("a fetcher thread panicked"),
            }
        }
        handled
    }
}

fn worker_loop(ctx: &FetchContext) -> u64 {
    let mut handled = 0;
    while !ctx.shutdown.is_triggered() {
        let Some(task) = ctx.queue.next(Duration::from_millis(50)) else {
            continue;
        };
        process(ctx, task);
        handled += 1;
    }
    handled
}

fn process(ctx: &FetchContext, task: FetchTask) {
    let host = task.host().clone();
    if !ctx.frontier.take_budget() {
        ctx.frontier.complete(&host, Outcome::Skipped);
        return;
    }
    match ctx.robots.check(&task.url) {
        Verdict::Disallowed => {
            ctx.stats.robots_blocked();
            ctx.frontier.refund_budget();
            ctx.frontier.complete(&host, Outcome::Skipped);
            return;
        }
        Verdict::Allowed { crawl_delay: Some(delay) } => ctx.frontier.apply_crawl_delay(&host, delay),
        Verdict::Allowed { crawl_delay: None } => {}
    }

    ctx.limiter.acquire();
    ctx.stats.enter_inflight();
    let response = ctx.web.get(&task.url);
    ctx.stats.leave_inflight();
    ctx.stats.record_latency(response.elapsed);

    match response.status {
        200..=299 => {
            ctx.stats.page_fetched(&host, response.body.len());
            ctx.frontier.complete(&host, Outcome::Fetched);
            ctx.parsers.submit(FetchedPage {
                task,
                status: response.status,
                content_type: response.content_type.to_string(),
                body: response.body,
            });
        }
        500..=599 => {
            ctx.stats.fetch_failed(&host);
            if task.attempt + 1 < ctx.max_attempts {
                ctx.frontier.refund_budget();
                ctx.frontier.push_retry(task.retry(ctx.retry_backoff));
            }
            ctx.frontier.complete(&host, Outcome::Failed);
        }
        _ => {
            ctx.stats.not_found();
            ctx.frontier.complete(&host, Outcome::Fetched);
        }
    }
}
