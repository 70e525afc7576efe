use std::collections::HashMap;
use std::sync::Arc;

use racecheck::{Connection, Event, JoinableQueue, Lock, Pool};

use super::{Overall, Statistic};
use crate::alerting::AlertDispatcher;
use crate::config::HubConfig;
use crate::ingest::SampleBuffer;
use crate::metrics::Metrics;
use crate::model::{Alert, AlertMsg, DeviceId, Round, Sample, SensorKind, Severity};
use crate::upload::{UploadBatch, UploadJob};

/// The latest statistic of one device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceAggregate {
    pub kind: SensorKind,
    pub value: f64,
    pub samples: usize,
    pub round: Round,
}

/// Everything the aggregator has worked out so far.
#[derive(Debug, Default, Clone)]
pub struct AggState {
    pub batches: u64,
    pub samples: u64,
    pub per_device: HashMap<DeviceId, DeviceAggregate>,
    pub last_overall: Option<Overall>,
    pub unflushed: u64,
}

/// Turns batches of samples into aggregates on a pool, raises alerts for aggregates out of
/// range and queues the results for upload.
pub struct AggregateEngine<S: Statistic> {
    pool: Pool,
    statistic: Arc<S>,
    state: Lock<AggState>,
    buffer: Arc<SampleBuffer>,
    alerts: Arc<AlertDispatcher>,
    alert_tx: Arc<Connection<AlertMsg>>,
    uploads: JoinableQueue<UploadJob>,
    metrics: Arc<Metrics>,
    config: Arc<HubConfig>,
    flush_now: Arc<Event>,
}

impl<S: Statistic> AggregateEngine<S> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        workers: usize,
        statistic: S,
        buffer: Arc<SampleBuffer>,
        alerts: Arc<AlertDispatcher>,
        alert_tx: Arc<Connection<AlertMsg>>,
        uploads: JoinableQueue<UploadJob>,
        metrics: Arc<Metrics>,
        config: Arc<HubConfig>,
        flush_now: Arc<Event>,
    ) -> Self {
        AggregateEngine {
            pool: Pool::new(workers),
            statistic: Arc::new(statistic),
            state: Lock::new(AggState::default()),
            buffer,
            alerts,
            alert_tx,
            uploads,
            metrics,
            config,
            flush_now,
        }
    }

    pub fn statistic_name(&self) -> &'static str {
        self.statistic.name()
    }

    pub fn state(&self) -> &Lock<AggState> {
        &self.state
    }

    pub fn run(&self) -> u64 {
        let mut batches = 0;
        loop {
            if self.flush_now.is_set() {
                self.flush_now.clear(); // CLEAN: event-clear-race: this thread is the only one that clears, and it clears before flushing, so a later set is never lost
                self.flush();
            }
            let batch = match self.buffer.drain_batch(self.config.batch_size()) {
                Some(batch) => batch,
                None => break,
            };
            self.process(batch);
            batches += 1;
        }
        self.flush();
        batches
    }

    fn process(&self, batch: Vec<Sample>) {
        let round = batch.iter().map(|s| s.round).max().unwrap_or(0);
        let mut groups: HashMap<DeviceId, (SensorKind, Vec<f64>)> = HashMap::new();
        for sample in &batch {
            groups
                .entry(sample.device)
                .or_insert_with(|| (sample.kind, Vec::new()))
                .1
                .push(sample.value);
        }
        let mut groups: Vec<(DeviceId, (SensorKind, Vec<f64>))> = groups.into_iter().collect();
        groups.sort_by_key(|(id, _)| *id);

        let statistic = self.statistic.clone();
        let per_device: Vec<(DeviceId, DeviceAggregate)> = self.pool.map(
            move |(id, (kind, values)): (DeviceId, (SensorKind, Vec<f64>))| {
                let aggregate = DeviceAggregate {
                    kind,
                    value: statistic.compute(&values),
                    samples: values.len(),
                    round,
                };
                (id, aggregate)
            },
            groups,
        );

        let values: Vec<f64> = batch.iter().map(|s| s.value).collect();
        let statistic = self.statistic.clone();
        let pending = self
            .pool
            .apply_async(move || Overall::of(&*statistic, &values, round));

        {
            let mut state = self.state.acquire();
            state.batches += 1;
            state.samples += batch.len() as u64;
            state.unflushed += 1;
            for (id, aggregate) in &per_device {
                state.per_device.insert(*id, aggregate.clone());
            }
            self.metrics.add_aggregate();
        }
        let overall = pending.get(); // CLEAN: blocking-while-holding: the aggregator state guard ended with the block above
        self.state.acquire().last_overall = Some(overall.clone());

        self.raise_alerts(&per_device);
        if batch.len() >= self.config.batch_size() {
            self.uploads.put(UploadJob::Batch(UploadBatch { round, devices: per_device, overall: Some(overall) }));
        }
    }

    fn raise_alerts(&self, per_device: &[(DeviceId, DeviceAggregate)]) {
        let threshold = self.config.alert_threshold();
        for (id, aggregate) in per_device {
            let (lo, hi) = aggregate.kind.nominal_range();
            let excursion = (lo - aggregate.value).max(aggregate.value - hi).max(0.0);
            if excursion <= threshold / 2.0 || self.alerts.is_muted(*id) {
                continue;
            }
            let severity = if excursion > threshold {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let alert = Alert::new(
                *id,
                severity,
                aggregate.round,
                aggregate.value,
                format!("{} aggregate out of range", self.statistic.name()),
            );
            if self.alert_tx.send(AlertMsg::Raise(alert)).is_err() {
                return;
            }
        }
    }

    /// Queues everything not yet uploaded as one batch.
    fn flush(&self) {
        let (round, per_device, overall) = {
            let mut state = self.state.acquire();
            if state.unflushed == 0 {
                return;
            }
            state.unflushed = 0;
            let mut per_device: Vec<(DeviceId, DeviceAggregate)> =
                state.per_device.iter().map(|(id, a)| (*id, a.clone())).collect();
            per_device.sort_by_key(|(id, _)| *id);
            let round = per_device.iter().map(|(_, a)| a.round).max().unwrap_or(0);
            (round, per_device, state.last_overall.clone())
        };
        self.uploads.put(UploadJob::Batch(UploadBatch { round, devices: per_device, overall }));
    }

    pub fn shutdown(&self) {
        if let Err(error) = self.pool.join() { // PLANTED: pool-join-while-open: the pool was never closed, so its workers are still waiting for tasks
            eprintln!("aggregation pool did not wind down: {error}");
        }
    }
}
