#![allow(dead_code)]

mod api;
mod jobs;
mod queue;
mod stats;
mod timers;
mod workers;

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use api::{handlers::{ApiConfig, Handlers}, Api, Command};
use jobs::{registry::Registry, retry::RetryPolicy, Job, JobId};
use queue::JobQueue;
use stats::{Stats, StatsHook};
use timers::Timers;
use workers::Pool;

const WORKERS: usize = 2;
const API_THREADS: usize = 3;

fn job(name: String, tenant: &str, priority: u8, fail_times: u32) -> Job {
    let work_ms = 2 + u64::from(priority % 4);
    Job { name, tenant: tenant.to_string(), priority, cost: 10, work_ms, fail_times, ..Job::default() }
}

fn run_client(api: &Api, client: usize) {
    for round in 0..24u64 {
        thread::sleep(Duration::from_millis(3));
        let tenant = ["acme", "globex"][(round as usize + client) % 2];
        let name = format!("c{client}-r{round}");
        api.submit(Command::Submit(job(name.clone(), tenant, (round % 7) as u8, (round % 4) as u32)));
        let pinned = Job { affinity: Some(client + round as usize), ..job(format!("{name}-pinned"), tenant, 3, 0) };
        api.submit(Command::Submit(pinned));
        let extra = match round % 6 {
            1 => Command::Cancel(JobId(round + client as u64)),
            2 => Command::Reprioritize { id: JobId(round), priority: 9 },
            3 => Command::MergeStats { from: client, to: (client + 1) % WORKERS },
            4 if round == 16 && client == 0 => Command::SetLimit(API_THREADS + 1),
            _ => continue,
        };
        api.submit(extra);
    }
}

fn main() {
    let registry = Arc::new(Registry::new());
    let queue = Arc::new(JobQueue::default());
    let stats = Arc::new(Stats::new(WORKERS));
    let retry = Arc::new(RetryPolicy::new(12, 2, Duration::from_millis(15)));
    let timers = Timers::new(Duration::from_millis(10), queue.clone(), retry.clone());
    let pool = Pool::new(WORKERS, queue.clone(), registry.clone(), retry, timers.clone(), stats.clone());
    registry.add_hook(Arc::new(StatsHook(stats.clone())));
    let config = ApiConfig { max_inflight: API_THREADS, default_quota: 600 };
    let api = Api::new(Handlers::new(config, registry, queue, pool.clone(), stats.clone()));

    timers.start();
    pool.start();
    let _api_threads = api.start(API_THREADS);
    let (stop_tx, stop_rx) = crossbeam_channel::bounded::<()>(1);
    let reporter = stats::spawn_reporter(stats.clone(), stop_rx);

    thread::scope(|s| {
        for client in 0..2 {
            let api = &api;
            s.spawn(move || run_client(api, client));
        }
        s.spawn(|| {
            thread::sleep(Duration::from_millis(300));
            println!("flushed {} timers after {} ticks", timers.flush(), timers.ticks());
            pool.shutdown();
            timers.stop();
        });
    });
    drop(stop_tx);
    let _ = reporter.join();
    println!("jobsched done: {:?}", stats.snapshot());
}
