//! Getting samples from devices into the hub: readers, the sample queue, the collector and the
//! buffer the downstream stages drain.

mod buffer;
mod collector;
mod reader;
mod source;

pub use buffer::SampleBuffer;
pub use collector::{Collector, CollectorReport};
pub use reader::{DeviceReader, ReaderReport};
pub use source::{simulated_sources, SensorSource, SourceError};

use racecheck::Queue;

use crate::metrics::counters;
use crate::model::Sample;

/// The hand-over between device readers and the collector: a bounded queue, so that a slow
/// collector slows the readers down instead of letting samples pile up.
#[derive(Clone)]
pub struct SampleIngest {
    samples: Queue<Sample>,
}

impl SampleIngest {
    pub fn new(capacity: usize) -> Self {
        SampleIngest {
            samples: Queue::bounded(capacity),
        }
    }

    /// Hands a freshly read sample to the collector.
    pub fn submit(&self, sample: Sample) {
        counters::record_sample();
        self.enqueue(sample);
    }

    fn enqueue(&self, sample: Sample) {
        self.samples.put(sample); // PLANTED: blocking-while-holding: reader still holds its device lock; when full, the collector needs that lock to drain
    }

    pub fn queue(&self) -> &Queue<Sample> {
        &self.samples
    }
}
