use crate::model::{DeviceId, Round, SensorKind};

#[derive(Debug, Clone, PartialEq)]
pub enum SourceError {
    Timeout,
    Checksum(u8),
    Disconnected,
}

/// Something a reader thread can take raw readings from: a serial port, a bus, a simulator.
pub trait SensorSource: Send {
    fn device(&self) -> DeviceId;
    fn kind(&self) -> SensorKind;
    fn read(&mut self, round: Round) -> Result<f64, SourceError>;
}

/// A small deterministic generator, so simulated runs repeat.
#[derive(Debug, Clone)]
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 20_000) as f64 / 10_000.0 - 1.0
    }
}

/// A simulated sensor: a base value, slow drift, noise, and an occasional failed read.
pub struct Simulated {
    device: DeviceId,
    kind: SensorKind,
    base: f64,
    drift_per_round: f64,
    noise: f64,
    fail_every: u64,
    spike_every: u64,
    rng: Lcg,
}

impl Simulated {
    pub fn new(device: DeviceId, kind: SensorKind, seed: u64) -> Self {
        let base = kind.reference_point();
        let noise = match kind {
            SensorKind::Temperature => 0.4,
            SensorKind::Humidity => 1.5,
            SensorKind::Pressure => 2.0,
        };
        Simulated {
            device,
            kind,
            base,
            drift_per_round: 0.05 * (seed % 4) as f64,
            noise,
            fail_every: 7 + seed % 5,
            spike_every: 9 + seed % 7,
            rng: Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        }
    }
}

impl SensorSource for Simulated {
    fn device(&self) -> DeviceId {
        self.device
    }

    fn kind(&self) -> SensorKind {
        self.kind
    }

    fn read(&mut self, round: Round) -> Result<f64, SourceError> {
        let roll = self.rng.next();
        if round > 0 && round % self.fail_every == 0 {
            return Err(match roll % 3 {
                0 => SourceError::Timeout,
                1 => SourceError::Checksum((roll & 0xff) as u8),
                _ => SourceError::Disconnected,
            });
        }
        let drift = self.drift_per_round * round as f64;
        if round > 0 && round % self.spike_every == 0 {
            let (lo, hi) = self.kind.nominal_range();
            let width = hi - lo;
            let spike = if roll % 2 == 0 { hi + width * 0.1 } else { lo - width * 0.1 };
            return Ok(spike + drift);
        }
        Ok(self.base + drift + self.noise * self.rng.unit())
    }
}

/// One simulated source per declared device kind, in id order.
pub fn simulated_sources(kinds: &[SensorKind]) -> Vec<Box<dyn SensorSource>> {
    kinds
        .iter()
        .enumerate()
        .map(|(id, kind)| Box::new(Simulated::new(id, *kind, id as u64 + 11)) as Box<dyn SensorSource>)
        .collect()
}
