use std::env;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use sensorhub::aggregate::TrimmedMean;
use sensorhub::alerting::{AlertSink, ConsoleSink};
use sensorhub::config::{ConfigChange, Settings};
use sensorhub::ingest::simulated_sources;
use sensorhub::model::{DeviceSpec, DeviceStatus, SensorKind, Severity};
use sensorhub::upload::{SimulatedCloud, Uploader};
use sensorhub::{Command, Hub, HubReport, Scripted};

/// The devices of the demo site: two rooms, each with a temperature and humidity pair, and a
/// barometer in the plant room.
fn site_layout() -> Vec<DeviceSpec> {
    vec![
        DeviceSpec::new("t-office", "office", SensorKind::Temperature).paired(2),
        DeviceSpec::new("h-office", "office", SensorKind::Humidity),
        DeviceSpec::new("t-lab", "lab", SensorKind::Temperature).paired(0),
        DeviceSpec::new("h-lab", "lab", SensorKind::Humidity),
        DeviceSpec::new("p-plant", "plant-room", SensorKind::Pressure),
    ]
}

/// What the operator does during an unattended run.
fn operator_script() -> Vec<Command> {
    let pause = |ms| Command::Pause(Duration::from_millis(ms));
    vec![
        pause(40),
        Command::Config(ConfigChange::ScaleThreshold(1.2)),
        Command::Recalibrate(0),
        pause(30),
        Command::Nudge(3, -0.4),
        Command::SyncPair(0, 2),
        Command::Flush,
        pause(50),
        Command::Config(ConfigChange::DriftLimit(3.0)),
        Command::Recalibrate(4),
        Command::Config(ConfigChange::BatchSize(12)),
        pause(30),
        Command::Flush,
    ]
}

fn settings_from_args() -> Settings {
    let mut settings = Settings::default();
    for arg in env::args().skip(1) {
        match arg.parse() {
            Ok(rounds) => settings.rounds = rounds,
            Err(_) if arg == "--fast" => settings.round_pause = Duration::ZERO,
            Err(_) => eprintln!("ignoring unknown argument {arg}"),
        }
    }
    settings
}

fn print_report(report: &HubReport) {
    println!("== sensorhub run ==");
    for (id, r) in report.readers.iter().enumerate() {
        println!("reader-{id}: {} rounds, {} samples, {} errors, {} skipped", r.rounds, r.samples, r.errors, r.skipped);
    }
    let c = &report.collector;
    println!("collector: {} collected, {} drifted, {} alerts", c.collected, c.drifted, c.alerts);
    println!(
        "live view {}; aggregator {} batches; uploads {}; archived bundles {}; recalibration passes {}",
        report.live_samples, report.batches, report.uploads, report.archived, report.recal_passes
    );
    for (index, w) in report.calibration.iter().enumerate() {
        println!("calib-{index}: {} applied, {} negligible, {} skipped", w.applied, w.negligible, w.skipped);
    }
    println!("alerts: {}", report.alert_summary);
    report.control_log.iter().for_each(|line| println!("control: {line}"));
    println!("counters: {}", report.counters);
    report.devices.iter().for_each(|device| println!("{device}"));
}

fn main() -> ExitCode {
    let settings = settings_from_args();
    let specs = site_layout();
    let kinds: Vec<SensorKind> = specs.iter().map(|spec| spec.kind).collect();
    let sources = simulated_sources(&kinds);
    let uploader: Arc<dyn Uploader> = Arc::new(SimulatedCloud::new("https://ingest.example.net/v1/batches", 9));
    let sinks: Vec<Arc<dyn AlertSink>> = vec![Arc::new(ConsoleSink {
        min_severity: Severity::Warning,
    })];

    let hub = Hub::new(settings, &specs, sources, uploader, sinks, TrimmedMean::default());
    hub.start(Box::new(Scripted::new(operator_script())));
    let rounds = hub.wait_for_rounds();
    if rounds.iter().all(|reader| reader.samples == 0) {
        eprintln!("no device produced a sample");
    }
    let mut report = hub.shutdown();
    report.readers = rounds;
    print_report(&report);

    if report.devices.iter().any(|d| d.status == DeviceStatus::Faulty) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
