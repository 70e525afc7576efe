use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use kvstore::compaction::Compactor;
use kvstore::config::Config;
use kvstore::engine::Engine;
use kvstore::metrics::Metrics;
use kvstore::replication::follower::Follower;
use kvstore::replication::Replicator;
use kvstore::server::client::ScriptedClient;
use kvstore::server::{workload, Server};
use kvstore::snapshot::{MemorySnapshotSink, Snapshotter};
use kvstore::store::ttl::Sweeper;
use kvstore::store::{MemoryBudget, ShardObserver, ShardedTable};
use kvstore::wal::{sink, Wal};

const MONITOR_INTERVAL: Duration = Duration::from_millis(20);
const COMPACT_INTERVAL: Duration = Duration::from_millis(60);
const STATS_INTERVAL: Duration = Duration::from_millis(50);

fn spawn_stats(server: Arc<Server>, interval: Duration, stop: Arc<AtomicBool>, verbose: bool) -> JoinHandle<usize> {
    thread::Builder::new()
        .name("stats".into())
        .spawn(move || {
            let mut reaped = 0;
            while !stop.load(Ordering::Acquire) {
                thread::sleep(interval);
                reaped += server.reap_finished();
                if verbose {
                    println!("[stats] active={} {}", server.active(), server.engine().stats_line());
                }
            }
            reaped
        })
        .expect("failed to spawn stats reporter")
}

fn main() -> ExitCode {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(cfg) => cfg,
        Err(err) => {
            eprintln!("kvstore: {err}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let metrics = Arc::new(Metrics::new());
    let table = Arc::new(ShardedTable::new(cfg.shards));

    // Write-ahead log and its fsync thread.
    let wal = Arc::new(Wal::new(sink::open_sink(cfg.wal_dir.as_deref()), cfg.segment_records));
    let syncer = wal.start_syncer();

    // Replication: followers first, so they see the log from the start.
    let repl = Arc::new(Replicator::new(Arc::clone(&wal), cfg.replication_mode, cfg.max_lag, Arc::clone(&metrics)));
    let followers: Vec<_> = (0..cfg.followers).map(|id| Follower::spawn(&repl, id, &cfg)).collect();
    let monitor = repl.start_monitor(MONITOR_INTERVAL, Arc::clone(&stop));

    // Snapshots and TTL expiry.
    let snapshots = Snapshotter::new(Arc::clone(&table), Box::new(MemorySnapshotSink::new(4)), Arc::clone(&metrics));
    let snapshotter = snapshots.start(cfg.snapshot_interval);
    let observer: Arc<dyn ShardObserver> = snapshots.clone();
    let sweeper = Sweeper::new(Arc::clone(&table), observer, Arc::clone(&metrics), cfg.sweep_interval, Arc::clone(&stop)).spawn();

    // Log compaction.
    let compactor = Compactor::new(Arc::clone(&wal), Arc::clone(&metrics), cfg.compaction_workers, cfg.compaction_min_segments);
    let compaction = compactor.start(COMPACT_INTERVAL, Arc::clone(&stop));

    let budget = Arc::new(MemoryBudget::new(cfg.memory_limit));
    let engine = Arc::new(Engine::new(
        Arc::clone(&table),
        Arc::clone(&wal),
        Arc::clone(&repl),
        Arc::clone(&snapshots),
        Arc::clone(&compactor),
        budget,
        Arc::clone(&metrics),
    ));

    // Client sessions.
    let server = Server::new(Arc::clone(&engine));
    for i in 0..cfg.sessions {
        let script = workload::generate(i, cfg.commands_per_session, cfg.seed);
        server.spawn_session(Box::new(ScriptedClient::new(format!("client-{i}"), script)));
    }
    let stats_stop = Arc::new(AtomicBool::new(false));
    let stats = spawn_stats(Arc::clone(&server), STATS_INTERVAL, Arc::clone(&stats_stop), cfg.verbose);

    server.wait_idle();
    let summaries = server.shutdown();
    stats_stop.store(true, Ordering::Release);
    let reaped = stats.join().unwrap_or(0);

    // Background jobs.
    let durable = wal.flush();
    stop.store(true, Ordering::Release);
    snapshots.stop();
    compactor.stop();
    let (sweeps, expired) = sweeper.join().expect("sweeper panicked");
    let lag = monitor.join().expect("replication monitor panicked");
    let snaps = snapshotter.join().expect("snapshotter panicked");
    let compactions = compaction.join().expect("compactor panicked");
    repl.shutdown();
    let follower_reports: Vec<_> = followers
        .into_iter()
        .filter_map(|h| h.join().ok())
        .collect();
    wal.close();
    let batches = syncer.join().expect("wal syncer panicked");

    let handled: u64 = summaries.iter().map(|s| s.handled).sum();
    let errors: u64 = summaries.iter().map(|s| s.errors).sum();
    println!(
        "kvstore: {} sessions ({reaped} reaped early), {handled} commands, {errors} errors in {:?}",
        summaries.len(),
        started.elapsed()
    );
    println!(
        "wal: durable={durable} batches={batches} sink={} | snapshots={snaps} | compactions={compactions} | sweeps={sweeps} expired={expired}",
        wal.describe_sink()
    );
    println!("replication: head={} max_lag={} evicted={}", lag.head, lag.max_lag, lag.evicted);
    for r in &follower_reports {
        println!("  follower-{}: applied={} lsn={} keys={} crashed={}", r.id, r.applied, r.applied_lsn, r.keys, r.crashed);
    }
    let accounts: Vec<String> = (0..8).map(|i| format!("acct:{i}")).collect();
    println!("accounts total={}", engine.sum_ints(accounts.iter().map(String::as_str)));
    println!("{}", engine.stats_line());
    ExitCode::SUCCESS
}
