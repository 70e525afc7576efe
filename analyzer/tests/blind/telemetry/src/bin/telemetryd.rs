//! telemetryd: runs the aggregation service against a synthetic workload
//! (stand-in listeners) for a fixed time, then shuts down and prints status.

use std::sync::{mpsc, Arc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use telemetry::alert::rules::default_rules;
use telemetry::{
    AdminCmd, Config, FanoutSink, IngestMsg, LineSink, MemorySink, MetricKind, Sample, SeriesKey,
    Service, Sink, TenantId,
};

const METRICS: &[(&str, MetricKind)] = &[
    ("cpu.load", MetricKind::Gauge),
    ("mem.rss", MetricKind::Gauge),
    ("http.requests", MetricKind::Counter),
    ("http.requests.v2", MetricKind::Counter),
    ("http.latency", MetricKind::Histogram),
    ("disk.io", MetricKind::Counter),
    ("disk.io.bytes", MetricKind::Counter),
    ("net.rx", MetricKind::Counter),
    ("net.rx.bytes", MetricKind::Counter),
];

/// Metric schema migrations that are rolled forward and back continuously.
const MIGRATIONS: &[(&str, &str)] = &[
    ("http.requests", "http.requests.v2"),
    ("disk.io", "disk.io.bytes"),
    ("net.rx", "net.rx.bytes"),
];

const TENANTS: &[TenantId] = &[1, 2, 3, 4];

/// Tiny xorshift generator so the daemon has no extra dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 10_000) as f64 / 10_000.0
    }
}

fn synth_value(kind: MetricKind, name: &str, rng: &mut Rng) -> f64 {
    match (kind, name) {
        (MetricKind::Gauge, "mem.rss") => 100.0 + rng.unit() * 800.0,
        (MetricKind::Gauge, _) => rng.unit(),
        (MetricKind::Counter, _) => (rng.next() % 50) as f64,
        (MetricKind::Histogram, _) => rng.unit() * rng.unit(),
    }
}

/// Stand-in for a socket listener: emits batches of samples until the deadline.
fn spawn_listener(id: u64, tx: Sender<IngestMsg>, deadline: Instant) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (id + 1).wrapping_mul(0x2545_f491));
        let mut round = 0u64;
        while Instant::now() < deadline {
            let mut batch = Vec::with_capacity(32);
            for _ in 0..(8 + rng.next() % 24) {
                let tenant = TENANTS[(rng.next() % TENANTS.len() as u64) as usize];
                let (name, kind) = METRICS[(rng.next() % METRICS.len() as u64) as usize];
                // a rotating device suffix creates short-lived series for the evictor
                let name = if name.starts_with("disk") && rng.next() % 3 == 0 {
                    format!("{name}.sd{}", (round / 10) % 8)
                } else {
                    name.to_string()
                };
                let value = synth_value(kind, &name, &mut rng);
                batch.push(Sample::new(SeriesKey::new(tenant, name), kind, value));
            }
            if tx.send(IngestMsg::Batch(batch)).is_err() {
                break;
            }
            round += 1;
            thread::sleep(Duration::from_millis(5 + rng.next() % 10));
        }
    })
}

/// Rolls every migration forward and back; the pool runs them concurrently.
fn spawn_migrator(tx: Sender<IngestMsg>, deadline: Instant) -> JoinHandle<()> {
    thread::spawn(move || {
        while Instant::now() < deadline {
            for &tenant in TENANTS {
                for (old, new) in MIGRATIONS {
                    let forward = IngestMsg::Rename {
                        from: SeriesKey::new(tenant, *old),
                        to: SeriesKey::new(tenant, *new),
                    };
                    let rollback = IngestMsg::Rename {
                        from: SeriesKey::new(tenant, *new),
                        to: SeriesKey::new(tenant, *old),
                    };
                    if tx.send(forward).is_err() || tx.send(rollback).is_err() {
                        return;
                    }
                }
            }
            thread::sleep(Duration::from_millis(40));
        }
    })
}

fn run_duration() -> Duration {
    std::env::var("TELEMETRYD_RUN_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(5))
}

fn main() {
    let cfg = match Config::from_args(std::env::args().skip(1)) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("telemetryd: {e}");
            std::process::exit(2);
        }
    };

    let memory = Arc::new(MemorySink::new(16));
    let mut sinks: Vec<Arc<dyn Sink>> = vec![memory.clone()];
    if std::env::var_os("TELEMETRYD_STDOUT").is_some() {
        sinks.push(Arc::new(LineSink::stdout()));
    }
    let sink: Arc<dyn Sink> = Arc::new(FanoutSink::new("fanout", sinks));

    let svc = Service::new(cfg.clone(), sink, default_rules());
    svc.registry().register(1, 5_000);
    svc.registry().register(2, 800);
    svc.start();
    svc.wait_ready();

    let deadline = Instant::now() + run_duration();
    let mut load: Vec<JoinHandle<()>> = (0..cfg.listeners as u64)
        .map(|id| spawn_listener(id, svc.ingest_sender(), deadline))
        .collect();
    load.push(spawn_migrator(svc.ingest_sender(), deadline));

    // operator activity on the main thread
    let admin = svc.admin().expect("admin channel available before shutdown");
    let mut tick = 0u64;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_millis(150));
        let cmd = match tick % 7 {
            0 => AdminCmd::SetQuota {
                tenant: 3,
                per_sec: 200 + (tick % 5) * 100,
            },
            1 => AdminCmd::FlushNow,
            2 => AdminCmd::TransferCredits {
                from: 1,
                to: 2 + (tick % 3) as TenantId,
                amount: 25,
            },
            3 => AdminCmd::SinkHealth,
            4 => AdminCmd::Touch(2),
            5 => AdminCmd::SetQuota {
                tenant: 2,
                per_sec: 600 + (tick % 4) * 100,
            },
            _ => AdminCmd::RemoveTenant(4),
        };
        if admin.send(cmd).is_err() {
            break;
        }
        tick += 1;
    }

    for h in load {
        let _ = h.join();
    }

    let (reply_tx, reply_rx) = mpsc::channel();
    if admin.send(AdminCmd::Status(reply_tx)).is_ok() {
        if let Ok(status) = reply_rx.recv_timeout(Duration::from_secs(2)) {
            println!("{status}");
        }
    }
    drop(admin);

    let accepted = svc.shutdown();
    println!(
        "telemetryd: accepted {accepted} samples, exported {} batches; {}",
        memory.exported(),
        svc.stats()
    );
}
