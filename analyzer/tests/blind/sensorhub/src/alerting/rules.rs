use std::sync::Arc;

use crate::config::HubConfig;
use crate::model::{Alert, DeviceId, DeviceStatus};
use crate::registry::DeviceRegistry;

/// What the rules decided to do about a critical alert.
#[derive(Debug, Clone, PartialEq)]
pub enum Escalation {
    Notify(DeviceId),
    Quarantined(DeviceId),
}

/// How worried to be about a device that raised a warning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assessment {
    Healthy,
    Flaky { errors: u32 },
    OutOfService,
}

pub struct EscalationRules {
    registry: Arc<DeviceRegistry>,
    config: Arc<HubConfig>,
}

impl EscalationRules {
    pub fn new(registry: Arc<DeviceRegistry>, config: Arc<HubConfig>) -> Self {
        EscalationRules { registry, config }
    }

    /// Quarantines a device that raises a critical alert while it is also failing reads.
    pub fn escalate(&self, alert: &Alert) -> Option<Escalation> {
        let device = self.registry.slot(alert.device).acquire();
        if !device.status.is_readable() {
            return None;
        }
        let failing = device.error_count >= self.config.max_errors()
            || device.status == DeviceStatus::Degraded;
        if !failing {
            return Some(Escalation::Notify(alert.device));
        }
        let reason = format!("{} read errors; {}", device.error_count, alert.message);
        self.registry.quarantine(alert.device, &reason);
        Some(Escalation::Quarantined(alert.device))
    }

    pub fn assess(&self, id: DeviceId) -> Assessment {
        let errors = self.registry.slot(id).acquire().error_count;
        let status = self.registry.slot(id).acquire().status; // CLEAN: double-lock: the first guard was a temporary dropped at the end of the previous statement
        match status {
            DeviceStatus::Faulty | DeviceStatus::Offline => Assessment::OutOfService,
            _ if errors > 0 => Assessment::Flaky { errors },
            _ => Assessment::Healthy,
        }
    }
}
