//! `gateway`: an API gateway / reverse proxy, simulated in-process.
//!
//! Client threads submit requests to the dispatcher, a pool of workers
//! proxies them to upstream connection pools, and background threads keep
//! health, cache, rate limits, routes and configuration up to date.

mod cache;
mod config;
mod health;
mod http;
mod metrics;
mod middleware;
mod pool;
mod ratelimit;
mod router;
mod server;
mod upstream;

use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::unbounded;

use config::Config;
use http::{Method, Request};
use server::Gateway;

const PATHS: &[&str] = &[
    "/api/users/17",
    "/legacy/orders/991",
    "/static/logo.png",
    "/api/items?page=2",
    "/aggregate/summary",
    "/static/app.js",
    "/legacy/invoices/3",
    "/beta/preview",
    "/nowhere",
];

const KEYS: &[&str] = &["k-alpha", "k-beta", "k-gamma", "k-revoked"];

#[derive(Debug, Default)]
struct ClientReport {
    ok: usize,
    rejected: usize,
    failed: usize,
    lost: usize,
}

fn run_client(gw: Arc<Gateway>, seed: u32, requests: usize) -> ClientReport {
    let (tx, rx) = unbounded();
    for i in 0..requests {
        let client = seed * 16 + (i as u32 % 16);
        let path = PATHS[(i + seed as usize * 3) % PATHS.len()];
        let key = if path.starts_with("/static/") {
            None
        } else {
            Some(KEYS[(i / 3) % KEYS.len()])
        };
        let method = if i % 5 == 4 { Method::Post } else { Method::Get };
        gw.dispatcher.submit(Request::new(client, method, path, key), tx.clone());
        if i % 8 == 7 {
            thread::sleep(Duration::from_micros(400));
        }
    }
    let mut report = ClientReport::default();
    for _ in 0..requests {
        match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(resp) if resp.status < 400 => report.ok += 1,
            Ok(resp) if resp.status < 500 => report.rejected += 1,
            Ok(_) => report.failed += 1,
            Err(_) => report.lost += 1,
        }
    }
    report
}

/// A partner integration that pushes webhook batches and does not wait for
/// the answers; returns how many requests it handed over.
fn run_batch_client(gw: Arc<Gateway>, batches: usize) -> usize {
    let (tx, rx) = unbounded();
    drop(rx);
    let mut sent = 0;
    for b in 0..batches {
        let reqs: Vec<Request> = (0..6)
            .map(|i| {
                let path = format!("/api/hooks/{b}/{i}");
                Request::new(900 + i, Method::Post, &path, Some("k-gamma"))
            })
            .collect();
        sent += gw.dispatcher.submit_batch(reqs, tx.clone()).len();
        thread::sleep(Duration::from_millis(2));
    }
    sent
}

/// The operator: validates and rolls out a key rotation, lends quota to a
/// busy tenant and retires disabled routes.
fn run_admin(gw: Arc<Gateway>) {
    thread::sleep(Duration::from_millis(10));
    let mut next = Config::initial();
    next.version = 2;
    next.api_keys.push("k-delta".into());
    next.api_keys.retain(|k| k != "k-beta");

    if let Err(e) = gw.config.dry_run(next.clone()) {
        eprintln!("[admin] candidate v2 rejected: {e}");
        return;
    }
    let moved = gw.limiter.grant(3, 8, 5.0, Duration::from_millis(30));
    eprintln!("[admin] lent {moved:.1} tokens from client 3 to client 8");

    let pruned = gw.router.prune_disabled();
    eprintln!("[admin] pruned {pruned} disabled routes");

    thread::sleep(Duration::from_millis(20));
    match gw.config.reload(next) {
        Ok(v) => eprintln!("[admin] config v{v} rolled out"),
        Err(e) => eprintln!("[admin] reload failed: {e}"),
    }
    eprintln!("[admin] audit: {:?}", gw.config.audit_log());
}

fn main() {
    let cfg = Config::initial();
    if let Err(e) = cfg.validate() {
        eprintln!("invalid configuration: {e}");
        std::process::exit(2);
    }
    let gw = Gateway::build(cfg.clone());

    let ready = Arc::new(Barrier::new(cfg.workers + 1));
    gw.start_workers(cfg.workers, Arc::clone(&ready));
    gw.start_background();
    ready.wait();
    let round = gw.board.wait_for_round(1, Duration::from_millis(500));
    eprintln!(
        "[main] {} workers ready, health round {round}, middleware {:?}",
        cfg.workers,
        gw.chain.names()
    );
    for id in gw.registry.ids() {
        eprintln!("[main] upstream {} healthy={:?}", gw.registry.name(id), gw.board.healthy(id));
    }

    let clients: Vec<JoinHandle<ClientReport>> = (0..4)
        .map(|seed| {
            let gw = Arc::clone(&gw);
            thread::Builder::new()
                .name(format!("client-{seed}"))
                .spawn(move || run_client(gw, seed, 120))
                .expect("spawn client")
        })
        .collect();
    let batch = {
        let gw = Arc::clone(&gw);
        thread::Builder::new()
            .name("batch-client".into())
            .spawn(move || run_batch_client(gw, 8))
            .expect("spawn batch client")
    };
    let admin = {
        let gw = Arc::clone(&gw);
        thread::Builder::new()
            .name("admin".into())
            .spawn(move || run_admin(gw))
            .expect("spawn admin")
    };

    for (i, c) in clients.into_iter().enumerate() {
        match c.join() {
            Ok(r) => eprintln!("[main] client-{i}: {r:?}"),
            Err(_) => eprintln!("[main] client-{i} panicked"),
        }
    }
    if let Ok(sent) = batch.join() {
        eprintln!("[main] batch client handed over {sent} webhooks");
    }
    let _ = admin.join();

    eprintln!("[main] config v{}", gw.config.version());
    eprintln!(
        "[main] pending={} tracked_clients={} cache={:?}",
        gw.dispatcher.pending(),
        gw.limiter.tracked_clients(),
        gw.cache.stats()
    );
    for line in gw.breakers.describe() {
        eprintln!("[main] breaker {line}");
    }
    for (name, up, idle, opened) in gw.registry.summary() {
        eprintln!("[main] upstream {name}: up={up} idle={idle} opened={opened}");
    }
    gw.shutdown();
    print!("{}", gw.metrics.report());
}
