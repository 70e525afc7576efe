use std::sync::Arc;
use std::thread;
use std::time::Duration;

use racecheck::Event;

use crate::aggregate::{AggregateEngine, Statistic};
use crate::config::HubConfig;
use crate::ingest::SampleBuffer;
use crate::metrics::{counters, Metrics};
use crate::upload::UploadLog;

/// Prints a status line every few ticks until shutdown.
pub struct Reporter<S: Statistic> {
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) uploads: Arc<UploadLog>,
    pub(crate) aggregator: Arc<AggregateEngine<S>>,
    pub(crate) buffer: Arc<SampleBuffer>,
    pub(crate) shutdown: Arc<Event>,
    pub(crate) config: Arc<HubConfig>,
}

impl<S: Statistic> Reporter<S> {
    pub fn run(self) -> Vec<String> {
        let period = self.config.tick() * 4;
        let mut lines = Vec::new();
        while !self.shutdown.wait_timeout(period) {
            let summary = self.metrics.summary(&*self.uploads);
            let aggregates = self
                .aggregate_line()
                .unwrap_or_else(|| "aggregator busy".to_owned());
            let (high_water, dropped) = self.buffer.stats();
            let line = format!(
                "{} | {} | {} | buffer {} (max {high_water}, dropped {dropped})",
                counters::render(),
                summary,
                aggregates,
                self.buffer.len()
            );
            println!("{line}");
            lines.push(line);
        }
        lines
    }

    /// The aggregator's progress next to the totals.
    fn aggregate_line(&self) -> Option<String> {
        for attempt in 0..4u32 {
            let totals = self.metrics.totals().acquire();
            if let Some(state) = self.aggregator.state().try_acquire() { // CLEAN: lock-order: reverse of the aggregator's state-then-totals order, but only tried, never waited for
                return Some(format!(
                    "{} {} batches, {} samples, {} aggregates booked",
                    self.aggregator.statistic_name(),
                    state.batches,
                    state.samples,
                    totals.aggregates
                ));
            }
            drop(totals);
            thread::sleep(Duration::from_millis(1 << attempt));
        }
        None
    }
}
