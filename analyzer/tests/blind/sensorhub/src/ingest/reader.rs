use std::sync::Arc;
use std::thread;

use racecheck::Barrier;

use super::{SampleIngest, SensorSource};
use crate::config::HubConfig;
use crate::model::{DeviceId, Round, Sample};
use crate::registry::DeviceRegistry;

#[derive(Debug, Default, Clone, Copy)]
pub struct ReaderReport {
    pub rounds: Round,
    pub samples: u64,
    pub errors: u64,
    pub skipped: u64,
}

/// Reads one device, one sample per round, in step with every other reader.
pub struct DeviceReader {
    id: DeviceId,
    source: Box<dyn SensorSource>,
    registry: Arc<DeviceRegistry>,
    ingest: SampleIngest,
    round_barrier: Arc<Barrier>,
    config: Arc<HubConfig>,
}

impl DeviceReader {
    pub fn new(
        source: Box<dyn SensorSource>,
        registry: Arc<DeviceRegistry>,
        ingest: SampleIngest,
        round_barrier: Arc<Barrier>,
        config: Arc<HubConfig>,
    ) -> Self {
        DeviceReader {
            id: source.device(),
            source,
            registry,
            ingest,
            round_barrier,
            config,
        }
    }

    pub fn device(&self) -> DeviceId {
        self.id
    }

    /// Runs the configured number of rounds. Every reader waits at the round barrier every
    /// round, readable or not, so the rounds stay aligned across devices.
    pub fn run(mut self) -> ReaderReport {
        let settings = self.config.snapshot();
        let mut report = ReaderReport::default();
        for round in 1..=settings.rounds {
            let readable = {
                let device = self.registry.slot(self.id).acquire();
                device.status.is_readable()
            };
            if readable {
                match self.sample_once(round) {
                    Ok(()) => report.samples += 1,
                    Err(()) => report.errors += 1,
                }
            } else {
                report.skipped += 1;
            }
            report.rounds = round;
            self.round_barrier.wait(); // CLEAN: blocking-while-holding: the device guard was dropped at the end of its inner block
            if !settings.round_pause.is_zero() {
                thread::sleep(settings.round_pause);
            }
        }
        report
    }

    /// Takes one reading, calibrates it and passes it on.
    fn sample_once(&mut self, round: Round) -> Result<(), ()> {
        let raw = self.source.read(round);
        let mut device = self.registry.slot(self.id).acquire();
        match raw {
            Ok(_) if !device.status.is_readable() => Ok(()),
            Ok(raw) => {
                let value = device.apply_reading(raw, round);
                let sample = Sample { device: self.id, kind: device.kind, round, raw, value };
                self.ingest.submit(sample);
                Ok(())
            }
            Err(_) => {
                device.record_error(round);
                Err(())
            }
        }
    }
}
