use super::{DeviceId, Round, SensorKind};

/// Where a device stands with the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Online,
    Degraded,
    Faulty,
    Offline,
}

impl DeviceStatus {
    pub fn is_readable(self) -> bool {
        matches!(self, DeviceStatus::Online | DeviceStatus::Degraded)
    }

    pub fn accepts_calibration(self) -> bool {
        matches!(self, DeviceStatus::Online | DeviceStatus::Degraded)
    }
}

/// How a device is declared in the hub's configuration.
#[derive(Debug, Clone)]
pub struct DeviceSpec {
    pub name: String,
    pub location: String,
    pub kind: SensorKind,
    /// The device this one is mounted next to, for cross-checks.
    pub paired_with: Option<DeviceId>,
}

impl DeviceSpec {
    pub fn new(name: &str, location: &str, kind: SensorKind) -> Self {
        DeviceSpec {
            name: name.to_owned(),
            location: location.to_owned(),
            kind,
            paired_with: None,
        }
    }

    pub fn paired(mut self, other: DeviceId) -> Self {
        self.paired_with = Some(other);
        self
    }
}

/// The live state of one device; lives behind its own lock in the registry.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: DeviceId,
    pub kind: SensorKind,
    pub status: DeviceStatus,
    pub offset: f64,
    pub gain: f64,
    pub last_value: Option<f64>,
    pub last_round: Round,
    pub error_count: u32,
    pub consecutive_errors: u32,
    pub samples_seen: u64,
    pub calibrated_at: Option<Round>,
}

impl Device {
    pub fn new(id: DeviceId, kind: SensorKind) -> Self {
        Device {
            id,
            kind,
            status: DeviceStatus::Online,
            offset: 0.0,
            gain: 1.0,
            last_value: None,
            last_round: 0,
            error_count: 0,
            consecutive_errors: 0,
            samples_seen: 0,
            calibrated_at: None,
        }
    }

    /// Turns a raw reading into a calibrated value and remembers it.
    pub fn apply_reading(&mut self, raw: f64, round: Round) -> f64 {
        let value = raw * self.gain + self.offset;
        self.last_value = Some(value);
        self.last_round = round;
        self.consecutive_errors = 0;
        if self.status == DeviceStatus::Degraded && self.error_count == 0 {
            self.status = DeviceStatus::Online;
        }
        value
    }

    /// Notes a failed read; a device that keeps failing is degraded.
    pub fn record_error(&mut self, round: Round) {
        self.error_count += 1;
        self.consecutive_errors += 1;
        self.last_round = round;
        if self.consecutive_errors >= 3 && self.status == DeviceStatus::Online {
            self.status = DeviceStatus::Degraded;
        }
    }

    /// Installs a calibration, keeping the gain within what the hardware can do.
    pub fn calibrate(&mut self, offset: f64, gain: f64, round: Round) {
        self.offset = offset;
        self.gain = gain.clamp(0.5, 1.5);
        self.calibrated_at = Some(round);
        self.error_count = 0;
    }

    pub fn silence(&self, now: Round) -> Round {
        now.saturating_sub(self.last_round)
    }
}
