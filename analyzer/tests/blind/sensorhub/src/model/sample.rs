use std::fmt;

use super::{DeviceId, Round};

/// What a device measures, with the range a healthy device reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensorKind {
    Temperature,
    Humidity,
    Pressure,
}

impl SensorKind {
    pub fn nominal_range(self) -> (f64, f64) {
        match self {
            SensorKind::Temperature => (-20.0, 60.0),
            SensorKind::Humidity => (0.0, 100.0),
            SensorKind::Pressure => (950.0, 1050.0),
        }
    }

    pub fn reference_point(self) -> f64 {
        match self {
            SensorKind::Temperature => 21.0,
            SensorKind::Humidity => 45.0,
            SensorKind::Pressure => 1013.25,
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            SensorKind::Temperature => "degC",
            SensorKind::Humidity => "%RH",
            SensorKind::Pressure => "hPa",
        }
    }
}

/// One calibrated reading from one device in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub device: DeviceId,
    pub kind: SensorKind,
    pub round: Round,
    pub raw: f64,
    pub value: f64,
}

impl Sample {
    /// How far the calibrated value sits outside the nominal range (0 inside it).
    pub fn excursion(&self) -> f64 {
        let (lo, hi) = self.kind.nominal_range();
        if self.value < lo {
            lo - self.value
        } else if self.value > hi {
            self.value - hi
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Critical,
}

/// Something an operator should hear about.
#[derive(Debug, Clone)]
pub struct Alert {
    pub device: DeviceId,
    pub severity: Severity,
    pub round: Round,
    pub value: f64,
    pub message: String,
}

impl Alert {
    pub fn new(device: DeviceId, severity: Severity, round: Round, value: f64, message: impl Into<String>) -> Self {
        Alert {
            device,
            severity,
            round,
            value,
            message: message.into(),
        }
    }
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:?}] dev{} round {}: {} ({:.2})",
            self.severity, self.device, self.round, self.message, self.value
        )
    }
}

#[derive(Debug, Clone)]
pub enum AlertMsg {
    Raise(Alert),
    Shutdown,
}

/// A request to re-derive a device's calibration offset from an observed value.
#[derive(Debug, Clone, PartialEq)]
pub struct CalRequest {
    pub device: DeviceId,
    pub round: Round,
    pub observed: f64,
    pub reference: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CalJob {
    Adjust(CalRequest),
    Stop,
}

impl CalJob {
    pub fn adjust(device: DeviceId, round: Round, observed: f64, reference: f64) -> Self {
        CalJob::Adjust(CalRequest {
            device,
            round,
            observed,
            reference,
        })
    }
}
