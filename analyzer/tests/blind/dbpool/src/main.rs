use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::Instant;

use dbpool::admin::operator::Operator;
use dbpool::admin::{self, AdminConsole, Command, Services};
use dbpool::backend::{Backend, FakeBackend};
use dbpool::cache::{SimplePlanner, StatementCache};
use dbpool::config::Config;
use dbpool::context::AppContext;
use dbpool::metrics::Metrics;
use dbpool::migrate::{steps, MigrationRunner};
use dbpool::pool::{Pool, Reaper};
use dbpool::router::{QueryObserver, Router};
use dbpool::wal::Wal;
use dbpool::worker::batch::BatchWorkers;
use dbpool::worker::workload::Workload;
use dbpool::worker::{Worker, WorkerReport};

fn main() {
    let cfg = Config::from_env();
    let started = Instant::now();
    let metrics = Arc::new(Metrics::new());

    let backend: Arc<dyn Backend> = Arc::new(FakeBackend::new("primary", 97, 400));
    let pool = Pool::new(Arc::clone(&backend), cfg.pool.clone(), Arc::clone(&metrics));
    pool.top_up();
    let reachable = pool.with_conn(cfg.pool.checkout_timeout, |conn| conn.ping()).unwrap_or(false);
    let reaper = Reaper::spawn(Arc::clone(&pool), cfg.reaper_interval);

    let wal = Wal::open(cfg.wal.clone(), Arc::clone(&metrics));
    wal.start_flusher();

    let (admin_client, admin_requests) = admin::channel();
    let observer: Arc<dyn QueryObserver> = Arc::new(admin_client.clone());
    let router = Arc::new(Router::new(&cfg.router, observer, Arc::clone(&metrics)));
    let planner = SimplePlanner { index_columns: vec!["owner".into()] };
    let cache = Arc::new(StatementCache::new(cfg.cache_capacity, Box::new(planner), Arc::clone(&metrics)));
    let plan = steps::default_plan(cfg.key_space);
    let migrations = Arc::new(MigrationRunner::new(plan, Arc::clone(&router), Arc::clone(&cache), Arc::clone(&pool)));

    let services = Services {
        pool: Arc::clone(&pool),
        reaper: Arc::clone(&reaper),
        router: Arc::clone(&router),
        cache: Arc::clone(&cache),
        wal: Arc::clone(&wal),
        metrics: Arc::clone(&metrics),
        migrations: Arc::clone(&migrations),
    };
    let console_thread = AdminConsole::new(admin_requests, services).spawn();

    let runner = Arc::clone(&migrations);
    let migrator = thread::Builder::new()
        .name("migrator".into())
        .spawn(move || {
            let result = runner.run_pending("startup");
            runner.gate().open();
            result
        })
        .expect("spawn migrator");

    let ctx = Arc::new(AppContext {
        cfg: cfg.clone(),
        pool: Arc::clone(&pool),
        cache: Arc::clone(&cache),
        router: Arc::clone(&router),
        wal: Arc::clone(&wal),
        metrics: Arc::clone(&metrics),
        migrations: Arc::clone(&migrations),
        admin: admin_client.clone(),
        workload: Workload::new(cfg.key_space, cfg.sql_templates),
    });

    let stop = Arc::new(AtomicBool::new(false));
    let shards = cfg.router.shard_count;
    let operator =
        Operator::new(admin_client.clone(), cfg.operator_interval, Arc::clone(&stop), shards, cfg.router.byte_budget)
            .spawn();

    let batch = BatchWorkers::new(Arc::clone(&ctx));
    batch.spawn(cfg.batch_workers, cfg.scoped_workers, cfg.iterations);

    let workers: Vec<Worker> = (0..cfg.scoped_workers).map(|id| Worker::new(id, Arc::clone(&ctx), false)).collect();
    let barrier = Barrier::new(workers.len());
    let iterations = cfg.iterations;
    let (report_tx, report_rx) = mpsc::channel::<WorkerReport>();
    thread::scope(|scope| {
        for worker in &workers {
            let report_tx = report_tx.clone();
            let barrier = &barrier;
            thread::Builder::new()
                .name(format!("client-{}", worker.id()))
                .spawn_scoped(scope, move || {
                    barrier.wait();
                    let _ = report_tx.send(worker.run(iterations, 0xc11e_0000 + worker.id() as u64));
                })
                .expect("spawn client worker");
        }
    });
    drop(report_tx);

    let mut reports: Vec<WorkerReport> = report_rx.iter().collect();
    reports.extend(batch.join_all());
    reports.sort_by_key(|r| r.worker);

    stop.store(true, Ordering::Release);
    let operator_log = operator.join().unwrap_or_default();
    let migration_result = migrator.join().expect("migrator panicked");
    let final_stats = admin_client.call(Command::Stats);
    let _ = admin_client.call(Command::Shutdown);
    let console_report = console_thread.join().expect("admin console panicked");

    wal.shutdown();
    reaper.shutdown();
    pool.close();

    println!("run finished in {:?}; backend `{}` reachable={reachable}", started.elapsed(), backend.name());
    println!("startup migrations: {migration_result:?}, schema v{}", migrations.current_version());
    reports.iter().for_each(|r| println!("{r:?}"));
    workers.iter().map(|w| w.session_line()).chain(batch.session_lines()).for_each(|l| println!("  {l}"));
    operator_log.iter().for_each(|l| println!("operator {l}"));
    println!("final {final_stats}\nconsole {console_report:?}");
    println!("reaper passes={} reaped={}\n{}", reaper.passes(), reaper.reaped(), metrics.snapshot());
}
