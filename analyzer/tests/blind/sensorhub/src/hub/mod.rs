//! The hub: owns every shared piece, starts the threads and winds them down in order.

mod control;
mod live;
mod reporter;
mod watchdog;

pub use control::{Command, CommandSource, ControlThread, Scripted};
pub use live::LiveView;
pub use reporter::Reporter;
pub use watchdog::Watchdog;

use std::sync::Arc;

use racecheck::{Barrier, Connection, Event, JoinHandle, JoinableQueue, Lock, Pipe, Semaphore, Thread};

use crate::aggregate::{AggregateEngine, Statistic};
use crate::alerting::{AlertDispatcher, AlertSink, EscalationRules};
use crate::calibration::{CalibrationStore, CalibrationWorker, Damped, RecalScheduler, WorkerReport};
use crate::config::{HubConfig, Settings};
use crate::ingest::{
    Collector, CollectorReport, DeviceReader, ReaderReport, SampleBuffer, SampleIngest, SensorSource,
};
use crate::metrics::{counters, Metrics};
use crate::model::{AlertMsg, CalJob, DeviceSpec};
use crate::registry::{DeviceLine, DeviceRegistry};
use crate::upload::{Archive, Compressor, UploadJob, UploadLog, UploadWorker, Uploader};

/// Handles of the threads the hub started, by role.
#[derive(Default)]
struct Workers {
    readers: Vec<JoinHandle<ReaderReport>>,
    collector: Option<JoinHandle<CollectorReport>>,
    live_view: Option<JoinHandle<u64>>,
    aggregator: Option<JoinHandle<u64>>,
    alerting: Option<JoinHandle<u64>>,
    calibration: Vec<JoinHandle<WorkerReport>>,
    recal: Option<JoinHandle<u64>>,
    uploaders: Vec<JoinHandle<u64>>,
    reporter: Option<JoinHandle<Vec<String>>>,
    control: Option<JoinHandle<Vec<String>>>,
    archiver: Option<JoinHandle<usize>>,
}

#[derive(Debug, Default)]
pub struct HubReport {
    pub readers: Vec<ReaderReport>,
    pub collector: CollectorReport,
    pub live_samples: u64,
    pub batches: u64,
    pub alerts: u64,
    pub calibration: Vec<WorkerReport>,
    pub recal_passes: u64,
    pub uploads: u64,
    pub status_lines: usize,
    pub control_log: Vec<String>,
    pub archived: usize,
    pub devices: Vec<DeviceLine>,
    pub counters: String,
    pub alert_summary: String,
}

/// Everything shared between the hub's threads.
pub struct Hub<S: Statistic> {
    config: Arc<HubConfig>,
    registry: Arc<DeviceRegistry>,
    metrics: Arc<Metrics>,
    ingest: SampleIngest,
    buffer: Arc<SampleBuffer>,
    store: Arc<CalibrationStore>,
    cal_jobs: JoinableQueue<CalJob>,
    aggregator: Arc<AggregateEngine<S>>,
    alerts: Arc<AlertDispatcher>,
    alert_tx: Arc<Connection<AlertMsg>>,
    alert_rx: Lock<Option<Connection<AlertMsg>>>,
    uploads: JoinableQueue<UploadJob>,
    upload_log: Arc<UploadLog>,
    uploader: Arc<dyn Uploader>,
    compressor: Arc<Compressor>,
    upload_slots: Arc<Semaphore>,
    archive: Arc<Archive>,
    round_barrier: Arc<Barrier>,
    shutdown: Arc<Event>,
    recalibrate: Arc<Event>,
    flush_now: Arc<Event>,
    started: Arc<Event>,
    sources: Lock<Vec<Box<dyn SensorSource>>>,
    workers: Lock<Workers>,
}

impl<S: Statistic> Hub<S> {
    pub fn new(
        settings: Settings,
        specs: &[DeviceSpec],
        sources: Vec<Box<dyn SensorSource>>,
        uploader: Arc<dyn Uploader>,
        sinks: Vec<Arc<dyn AlertSink>>,
        statistic: S,
    ) -> Self {
        assert_eq!(specs.len(), sources.len(), "one source per declared device");
        let config = Arc::new(HubConfig::new(settings.clone()));
        let registry = Arc::new(DeviceRegistry::new(specs));
        let metrics = Arc::new(Metrics::new());
        let buffer = Arc::new(SampleBuffer::new(settings.batch_size * 16));
        let (alert_tx, alert_rx) = Pipe::new();
        let alert_tx = Arc::new(alert_tx);
        let rules = EscalationRules::new(registry.clone(), config.clone());
        let alerts = Arc::new(AlertDispatcher::new(rules, sinks, metrics.clone()));
        let uploads = JoinableQueue::new();
        let flush_now = Arc::new(Event::new());
        let aggregator = Arc::new(AggregateEngine::new(
            settings.aggregate_workers,
            statistic,
            buffer.clone(),
            alerts.clone(),
            alert_tx.clone(),
            uploads.clone(),
            metrics.clone(),
            config.clone(),
            flush_now.clone(),
        ));
        Hub {
            ingest: SampleIngest::new(settings.queue_capacity),
            store: Arc::new(CalibrationStore::new()),
            cal_jobs: JoinableQueue::new(),
            alert_rx: Lock::new(Some(alert_rx)),
            upload_log: Arc::new(UploadLog::new(uploader.clone())),
            compressor: Arc::new(Compressor::new(2)),
            upload_slots: Arc::new(Semaphore::new(settings.upload_slots)),
            archive: Arc::new(Archive::new(settings.archive_bundle)),
            round_barrier: Arc::new(Barrier::new(sources.len())),
            shutdown: Arc::new(Event::new()),
            recalibrate: Arc::new(Event::new()),
            started: Arc::new(Event::new()),
            sources: Lock::new(sources),
            workers: Lock::new(Workers::default()),
            config,
            registry,
            metrics,
            buffer,
            aggregator,
            alerts,
            alert_tx,
            uploads,
            uploader,
            flush_now,
        }
    }

    /// Starts every thread; the control thread begins once all are up.
    pub fn start(&self, commands: Box<dyn CommandSource>) {
        let mut workers = Workers::default();
        workers.readers = self.start_readers();
        workers.collector = Some(self.start_collector());
        let view = LiveView { buffer: self.buffer.clone(), registry: self.registry.clone(), every: 25 };
        workers.live_view = Some(Thread::new(move || view.run()).name("live-view").start());
        let engine = self.aggregator.clone();
        workers.aggregator = Some(Thread::new(move || engine.run()).name("aggregator").start());
        workers.alerting = Some(self.start_alerting());
        workers.calibration = self.start_calibration();
        workers.recal = Some(self.start_recal());
        workers.uploaders = self.start_uploaders();
        workers.reporter = Some(self.start_reporter());
        let archive = self.archive.clone();
        workers.archiver = Some(Thread::new(move || archive.run()).name("archiver").start());
        workers.control = Some(self.start_control(commands));
        self.start_watchdog();
        *self.workers.acquire() = workers;
        self.started.set();
    }

    fn start_readers(&self) -> Vec<JoinHandle<ReaderReport>> {
        let sources = std::mem::take(&mut *self.sources.acquire());
        sources
            .into_iter()
            .map(|source| {
                let reader = DeviceReader::new(
                    source,
                    self.registry.clone(),
                    self.ingest.clone(),
                    self.round_barrier.clone(),
                    self.config.clone(),
                );
                let name = format!("reader-{}", reader.device());
                Thread::new(move || reader.run()).name(name).start()
            })
            .collect()
    }

    fn start_collector(&self) -> JoinHandle<CollectorReport> {
        let collector = Collector {
            ingest: self.ingest.clone(),
            registry: self.registry.clone(),
            store: self.store.clone(),
            buffer: self.buffer.clone(),
            cal_jobs: self.cal_jobs.clone(),
            alerts: self.alert_tx.clone(),
            recalibrate: self.recalibrate.clone(),
            shutdown: self.shutdown.clone(),
            config: self.config.clone(),
        };
        Thread::new(move || collector.run()).name("collector").start()
    }

    fn start_alerting(&self) -> JoinHandle<u64> {
        let inbox = self
            .alert_rx
            .acquire()
            .take()
            .expect("the hub is started once");
        let dispatcher = self.alerts.clone();
        Thread::new(move || dispatcher.run(inbox)).name("alerting").start()
    }

    fn start_calibration(&self) -> Vec<JoinHandle<WorkerReport>> {
        let estimator = Arc::new(Damped::default());
        (0..self.config.snapshot().calibration_workers)
            .map(|index| {
                let worker = CalibrationWorker {
                    jobs: self.cal_jobs.clone(),
                    registry: self.registry.clone(),
                    store: self.store.clone(),
                    estimator: estimator.clone(),
                };
                Thread::new(move || worker.run())
                    .name(format!("calib-{index}"))
                    .start()
            })
            .collect()
    }

    fn start_recal(&self) -> JoinHandle<u64> {
        let scheduler = RecalScheduler {
            registry: self.registry.clone(),
            store: self.store.clone(),
            recalibrate: self.recalibrate.clone(),
            shutdown: self.shutdown.clone(),
            config: self.config.clone(),
        };
        Thread::new(move || scheduler.run()).name("recal").start()
    }

    fn start_uploaders(&self) -> Vec<JoinHandle<u64>> {
        (0..self.config.snapshot().upload_workers)
            .map(|index| {
                let worker = UploadWorker {
                    index,
                    queue: self.uploads.clone(),
                    slots: self.upload_slots.clone(),
                    compressor: self.compressor.clone(),
                    uploader: self.uploader.clone(),
                    log: self.upload_log.clone(),
                    archive: self.archive.clone(),
                    metrics: self.metrics.clone(),
                };
                Thread::new(move || worker.run())
                    .name(format!("upload-{index}"))
                    .start()
            })
            .collect()
    }

    fn start_reporter(&self) -> JoinHandle<Vec<String>> {
        let reporter = Reporter {
            metrics: self.metrics.clone(),
            uploads: self.upload_log.clone(),
            aggregator: self.aggregator.clone(),
            buffer: self.buffer.clone(),
            shutdown: self.shutdown.clone(),
            config: self.config.clone(),
        };
        Thread::new(move || reporter.run()).name("reporter").start()
    }

    fn start_control(&self, commands: Box<dyn CommandSource>) -> JoinHandle<Vec<String>> {
        let control = ControlThread {
            source: commands,
            config: self.config.clone(),
            registry: self.registry.clone(),
            store: self.store.clone(),
            cal_jobs: self.cal_jobs.clone(),
            recalibrate: self.recalibrate.clone(),
            flush_now: self.flush_now.clone(),
            started: self.started.clone(),
        };
        Thread::new(move || control.run()).name("control").start() // CLEAN: thread-never-joined: the handle goes into Workers and shutdown() joins it
    }

    fn start_watchdog(&self) {
        let watchdog = Watchdog { registry: self.registry.clone(), config: self.config.clone(), shutdown: self.shutdown.clone() };
        Thread::new(move || watchdog.run()).name("watchdog").start(); // PLANTED: thread-never-joined: handle dropped; it keeps marking devices offline while shutdown() builds the final report
    }

    /// Waits for every reader to finish its rounds.
    pub fn wait_for_rounds(&self) -> Vec<ReaderReport> {
        let readers = std::mem::take(&mut self.workers.acquire().readers);
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap_or_default()) // CLEAN: blocking-while-holding: the Workers guard was a temporary released before the joins
            .collect()
    }

    /// Stops every stage, upstream first, and gathers what each thread reported.
    pub fn shutdown(&self) -> HubReport {
        let mut workers = std::mem::take(&mut *self.workers.acquire());
        let mut report = HubReport {
            readers: workers.readers.drain(..).map(|r| r.join().unwrap_or_default()).collect(),
            control_log: finish(workers.control.take()),
            ..HubReport::default()
        };
        self.shutdown.set();

        report.collector = finish(workers.collector.take());
        self.buffer.close();
        report.live_samples = finish(workers.live_view.take());
        report.batches = finish(workers.aggregator.take());
        self.aggregator.shutdown();

        let _ = self.alert_tx.send(AlertMsg::Shutdown);
        report.alerts = finish(workers.alerting.take());

        report.calibration = self.stop_calibration(std::mem::take(&mut workers.calibration));
        report.recal_passes = finish(workers.recal.take());

        report.uploads = self.stop_uploads(std::mem::take(&mut workers.uploaders));
        self.compressor.shutdown();
        report.status_lines = finish(workers.reporter.take()).len();

        self.archive.close();
        report.archived = finish(workers.archiver.take());

        report.devices = self.registry.lines();
        report.counters = counters::render();
        report.alert_summary = self.alerts.summary();
        report
    }

    fn stop_calibration(&self, workers: Vec<JoinHandle<WorkerReport>>) -> Vec<WorkerReport> {
        self.cal_jobs.join(); // PLANTED: queue-join-without-task-done: workers skip jobs for quarantined/offline devices with `continue`, never calling task_done
        for _ in &workers {
            self.cal_jobs.put(CalJob::Stop);
        }
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_default())
            .collect()
    }

    fn stop_uploads(&self, workers: Vec<JoinHandle<u64>>) -> u64 {
        self.uploads.join(); // CLEAN: queue-join-without-task-done: upload workers call task_done for every job they get, Stop included
        for _ in &workers {
            self.uploads.put(UploadJob::Stop);
        }
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or_default())
            .sum()
    }
}

/// Joins a thread that may not have been started; a thread that panicked reports nothing.
fn finish<T: Default>(handle: Option<JoinHandle<T>>) -> T {
    handle.map(|h| h.join().unwrap_or_default()).unwrap_or_default()
}
