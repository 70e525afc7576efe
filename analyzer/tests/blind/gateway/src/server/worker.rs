//! Request workers: pull jobs from the dispatcher queue and proxy them.

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use crossbeam_channel::Receiver;

use super::{Gateway, Job};
use crate::http::{Method, Request, Response};
use crate::router::Route;

#[derive(Debug, Default)]
pub struct WorkerStats {
    pub served: u64,
    pub failed: u64,
    pub cache_hits: u64,
}

pub fn run(gw: Arc<Gateway>, idx: usize, jobs: Receiver<Job>, ready: Arc<Barrier>) {
    ready.wait();
    let mut local = WorkerStats::default();
    while let Ok(job) = jobs.recv() {
        match job {
            Job::Stop => break,
            Job::Request { req, reply } => {
                let id = req.id;
                let resp = handle(&gw, req, &mut local);
                gw.dispatcher.complete(id);
                let _ = reply.send(resp.with_header("x-worker", &idx.to_string()));
            }
        }
    }
    gw.merge_worker_stats(&local);
}

fn handle(gw: &Gateway, mut req: Request, local: &mut WorkerStats) -> Response {
    if !gw.gate.enter() {
        return Response::error(503, "shutting down");
    }
    gw.metrics.count_request();
    gw.metrics.enter();
    let resp = proxy(gw, &mut req, local);
    gw.metrics.leave();
    gw.gate.exit();
    resp
}

fn proxy(gw: &Gateway, req: &mut Request, local: &mut WorkerStats) -> Response {
    let started = Instant::now();
    if let Some(rejected) = gw.chain.run_request(req) {
        return rejected;
    }
    let Some(route) = gw.router.resolve(&req.path) else {
        return Response::error(404, "no route");
    };
    let key = req.cache_key();
    let use_cache = route.cacheable && req.method == Method::Get;
    if use_cache {
        if let Some(hit) = gw.cache.get(&key) {
            local.cache_hits += 1;
            return hit;
        }
    }
    let mut resp = if route.fan_out {
        fan_out(gw, &route, req)
    } else {
        forward(gw, &route, req)
    };
    gw.metrics.record_latency(&route.prefix, started.elapsed());
    if resp.status >= 500 {
        gw.metrics.record_error(&route.prefix);
        local.failed += 1;
    } else {
        local.served += 1;
    }
    if use_cache && resp.status == 200 {
        gw.cache.insert(key, resp.clone(), route.cache_ttl);
    }
    gw.chain.run_response(req, &mut resp);
    resp
}

fn forward(gw: &Gateway, route: &Route, req: &Request) -> Response {
    let mut target = route.primary;
    if !gw.breakers.allow(target) {
        match route.fallback {
            Some(fb) if gw.breakers.failover(target, fb) => target = fb,
            _ => return Response::error(503, "circuit open"),
        }
    }
    call_upstream(gw, target, req)
}

fn call_upstream(gw: &Gateway, upstream: usize, req: &Request) -> Response {
    let Some((pool, mut conn)) = gw.registry.checkout(upstream) else {
        return Response::error(502, "unknown upstream");
    };
    let result = conn.roundtrip(req);
    pool.checkin(conn);
    match result {
        Ok(resp) => {
            gw.breakers.record_success(upstream);
            resp
        }
        Err(err) => {
            gw.breakers.record_failure(upstream);
            Response::error(502, &format!("upstream {}: {err:?}", gw.registry.name(upstream)))
        }
    }
}

/// Queries every healthy upstream in parallel and concatenates the answers.
fn fan_out(gw: &Gateway, route: &Route, req: &Request) -> Response {
    let targets: Vec<usize> = gw
        .registry
        .ids()
        .into_iter()
        .filter(|&id| gw.registry.is_up(id) && gw.breakers.allow(id))
        .collect();
    if targets.is_empty() {
        return Response::error(503, "no healthy upstream");
    }
    let parts: Vec<Response> = thread::scope(|s| {
        let handles: Vec<_> = targets
            .iter()
            .map(|&id| s.spawn(move || call_upstream(gw, id, req)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Response::error(500, "fan-out leg panicked")))
            .collect()
    });
    let failed = parts.iter().filter(|p| p.status != 200).count();
    let mut body = Vec::new();
    for part in &parts {
        body.extend_from_slice(&part.body);
        body.push(b'\n');
    }
    let status = if failed == parts.len() { 502 } else { 200 };
    Response {
        status,
        body,
        upstream: Some(route.primary),
        headers: vec![("x-fanout-failed".into(), failed.to_string())],
    }
}
