mod config;
mod fetch;
mod frontier;
mod graph;
mod maintenance;
mod parse;
mod robots;
mod shutdown;
mod stats;
mod url;

use std::process;
use std::sync::Arc;
use std::time::{Duration, Instant};

use config::Config;
use fetch::queue::FetchQueue;
use fetch::rate_limit::RateLimiter;
use fetch::simulated::{SimulatedWeb, Web};
use fetch::{FetchContext, FetcherPool};
use frontier::Frontier;
use graph::LinkGraph;
use maintenance::Housekeeper;
use parse::{plugins, ParseContext, ParserPool};
use robots::RobotsCache;
use shutdown::Shutdown;
use stats::{Reporter, Stats};

const QUIET_ROUNDS_TO_STOP: u32 = 3;

fn main() {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("crawler: {}", e);
            process::exit(2);
        }
    };

    let shutdown = Shutdown::new();
    let stats = Arc::new(Stats::new());
    let web: Arc<dyn Web> = Arc::new(SimulatedWeb::new(cfg.web.clone()));
    println!("crawling {} with {} fetchers / {} parsers", web.describe(), cfg.fetchers, cfg.parsers);

    let frontier = Frontier::new(&cfg, Arc::clone(&stats));
    let robots = RobotsCache::new(&cfg, Arc::clone(&stats));
    let limiter = RateLimiter::new(cfg.rate_per_sec, cfg.burst);
    let graph = Arc::new(LinkGraph::with_capacity(cfg.graph_capacity));
    let registry = Arc::new(plugins::default_registry(cfg.max_plugin_failures));
    for name in &cfg.disabled_plugins {
        if !registry.disable(name) {
            eprintln!("crawler: no extractor named `{}`", name);
        }
    }
    println!("extractors: {}", registry.names().join(", "));
    let queue = FetchQueue::bounded(cfg.fetch_queue_capacity);

    let ticker = limiter.spawn_ticker(Arc::clone(&shutdown));
    let loader = robots.spawn_loader(Arc::clone(&web), Arc::clone(&limiter), Arc::clone(&shutdown));

    let parsers = ParserPool::new(cfg.parse_backlog);
    parsers.start(
        cfg.parsers,
        Arc::new(ParseContext {
            graph: Arc::clone(&graph),
            frontier: Arc::clone(&frontier),
            registry: Arc::clone(&registry),
            stats: Arc::clone(&stats),
            shutdown: Arc::clone(&shutdown),
        }),
    );

    let fetchers = FetcherPool::start(
        cfg.fetchers,
        Arc::new(FetchContext {
            frontier: Arc::clone(&frontier),
            robots: Arc::clone(&robots),
            limiter: Arc::clone(&limiter),
            web: Arc::clone(&web),
            parsers: Arc::clone(&parsers),
            stats: Arc::clone(&stats),
            shutdown: Arc::clone(&shutdown),
            queue: queue.clone(),
            retry_backoff: cfg.retry_backoff,
            max_attempts: cfg.max_attempts,
        }),
    );

    let dispatcher = frontier.spawn_dispatcher(queue.clone(), Arc::clone(&shutdown));

    let housekeeper = Housekeeper {
        frontier: Arc::clone(&frontier),
        robots: Arc::clone(&robots),
        registry: Arc::clone(&registry),
        queue: queue.clone(),
        interval: cfg.housekeeping_interval,
        idle_after: cfg.host_idle_after,
    }
    .spawn(Arc::clone(&shutdown));

    let reporter = Reporter {
        stats: Arc::clone(&stats),
        frontier: Arc::clone(&frontier),
        robots: Arc::clone(&robots),
        graph: Arc::clone(&graph),
        interval: cfg.report_interval,
    }
    .spawn(Arc::clone(&shutdown));

    let seeded = frontier.seed(&cfg.seeds);
    println!("seeded {} of {} urls", seeded, cfg.seeds.len());

    let started = Instant::now();
    let mut quiet_rounds = 0;
    loop {
        if shutdown.sleep(Duration::from_millis(100)) {
            break;
        }
        let settled = stats.in_flight() == 0 && queue.is_empty() && parsers.pending() == 0;
        let finished = frontier.budget_left() == 0 || frontier.is_drained();
        if settled && finished {
            quiet_rounds += 1;
            if quiet_rounds >= QUIET_ROUNDS_TO_STOP {
                break;
            }
        } else {
            quiet_rounds = 0;
        }
        if started.elapsed() >= cfg.run_limit {
            eprintln!("crawler: run limit of {:?} reached", cfg.run_limit);
            break;
        }
    }

    let outstanding = parsers.wait_idle();
    if outstanding > 0 {
        eprintln!("crawler: stopping with {} pages still being parsed", outstanding);
    }
    shutdown.trigger();

    let _ = dispatcher.join();
    let handled = fetchers.join();
    let clean_parsers = parsers.shutdown();
    let robots_loaded = loader.join().unwrap_or(0);
    let _ = ticker.join();
    let totals = housekeeper.join().unwrap_or_default();
    let rounds = reporter.join().unwrap_or(0);

    println!();
    println!("== summary after {:.2}s ==", started.elapsed().as_secs_f64());
    if let Some(last) = stats.history().last() {
        println!("{}", last.render());
    }
    println!(
        "tasks handled: {}  parsers exited cleanly: {}/{}  robots loaded: {}  report rounds: {}",
        handled, clean_parsers, cfg.parsers, robots_loaded, rounds
    );
    println!(
        "housekeeping: {} rounds, {} retries, {} hosts evicted, {} fingerprints released, {} robots expired",
        totals.rounds, totals.retries_sent, totals.hosts_evicted, totals.fingerprints_released, totals.robots_evicted
    );
    println!(
        "frontier: {} hosts, {} seen, {} budget left; graph: {} pages, {} edges, {} rejected",
        frontier.host_count(), frontier.seen_count(), frontier.budget_left(),
        graph.len(), graph.edge_count(), graph.rejected()
    );
    println!("limiter: {} tokens granted; fetchers running: {}", limiter.granted(), fetchers.running());
    let disabled = registry.disabled();
    if !disabled.is_empty() {
        println!("disabled extractors: {}", disabled.join(", "));
    }
    for page in graph.top_ranked(10) {
        println!("  {:>8.4}  in={:<3} #{} {}", page.rank, page.in_degree, page.id, page.url);
    }
}
