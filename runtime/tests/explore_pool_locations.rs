//! The explored `Pool` is built from explored threads, queues and events; the events of those
//! internal operations must still point at the user's calls, never into the runtime.

use std::sync::atomic::{AtomicU32, Ordering};

use racecheck::explore::{Config, FindingKind, Report, TraceEvent};
use racecheck::Pool;

/// The line of the `map` call in [`uses_every_pool_operation`].
static MAP_LINE: AtomicU32 = AtomicU32::new(0);

/// Every `Pool` operation, then a panic: the panic's finding carries the trace of it all.
fn uses_every_pool_operation() {
    let pool = Pool::new(2);
    let (squares, map_line) = (pool.map(|x: u64| x * x, 1..=3), line!());
    MAP_LINE.store(map_line, Ordering::Relaxed);
    assert_eq!(squares, [1, 4, 9]);
    assert_eq!(pool.apply(|| 7), 7);
    let pending = pool.apply_async(|| 8);
    let doubled: Vec<u64> = pool.imap(|x: u64| x * 2, 1..=2).collect();
    let mut tripled: Vec<u64> = pool.imap_unordered(|x: u64| x * 3, 1..=2).collect();
    tripled.sort_unstable();
    assert_eq!(
        (pending.get(), doubled, tripled),
        (8, vec![2, 4], vec![3, 6])
    );
    pool.close();
    pool.join().expect("closed before the join");
    // Dropped open: the drop closes and joins it.
    let dropped = Pool::new(1);
    assert_eq!(dropped.apply(|| 9), 9);
    drop(dropped);
    panic!("the end of the program, to get its trace");
}

fn explored() -> Report {
    racecheck::explore(
        Config::default().schedules(20).seed(7),
        uses_every_pool_operation,
    )
}

fn traces(report: &Report) -> Vec<&TraceEvent> {
    let findings = report.findings();
    assert!(
        !findings.is_empty() && findings.iter().all(|f| f.kind == FindingKind::Panic),
        "expected the final panic only, got:\n{findings:#?}"
    );
    findings.iter().flat_map(|f| &f.trace).collect()
}

#[test]
fn every_pool_event_points_at_the_users_source() {
    let report = explored();
    for event in traces(&report) {
        let file = &event.location.file;
        assert!(
            !file.starts_with("runtime/src") && !file.starts_with("/rustc/"),
            "an event inside the runtime: {event:?}"
        );
        assert_eq!(file, file!(), "an event outside this program: {event:?}");
    }
    for finding in report.findings() {
        for location in &finding.locations {
            assert_eq!(location.file, file!(), "{finding}");
        }
    }
}

#[test]
fn the_maps_puts_and_its_workers_results_point_at_the_map_call() {
    let report = explored();
    let map_line = MAP_LINE.load(Ordering::Relaxed);
    let at_map: Vec<&TraceEvent> = traces(&report)
        .into_iter()
        .filter(|event| event.location.line == map_line)
        .collect();
    let by = |thread_prefix: &str, verb: &str| {
        at_map
            .iter()
            .filter(|e| e.thread.starts_with(thread_prefix) && e.operation.starts_with(verb))
            .count()
    };
    // Per schedule: one put per item by the caller, one result posted per item by a worker,
    // and one wait for each result by the caller.
    // The pool's task queue is named after the pool it was created for.
    assert!(by("MainThread", "put pool") >= 3, "{at_map:#?}");
    assert!(by("PoolWorker-", "set ") >= 3, "{at_map:#?}");
    assert!(by("MainThread", "wait ") >= 3, "{at_map:#?}");
    assert_eq!(
        by("MainThread", "put pool") % 3,
        0,
        "three puts per schedule: {at_map:#?}"
    );
}

#[test]
fn a_worker_takes_each_task_at_the_call_that_submitted_it() {
    let report = explored();
    let trace = traces(&report);
    // The caller's puts on the task queue are reported at its submitting calls (and its
    // `close`, or the `Pool::new` of a pool closed by its drop).
    let put_lines: Vec<u32> = trace
        .iter()
        .filter(|e| e.thread == "MainThread" && e.operation.starts_with("put "))
        .map(|e| e.location.line)
        .collect();
    let takes: Vec<&&TraceEvent> = trace
        .iter()
        .filter(|e| e.thread.starts_with("PoolWorker-") && e.operation.starts_with("get "))
        // Waiting for work is the pool's own doing: reported at `Pool::new`.
        .filter(|e| !e.operation.ends_with("(empty, blocks)"))
        .collect();
    // The failing schedule's: 10 tasks and 3 stops.
    assert_eq!(takes.len(), 13, "{takes:#?}");
    for take in takes {
        assert!(
            put_lines.contains(&take.location.line),
            "a take reported away from every submitting call {put_lines:?}: {take:?}"
        );
    }
}
