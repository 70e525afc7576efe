//! Alerting: a dispatcher thread at the far end of the alert pipe, the escalation rules it
//! applies, and the sinks it delivers to.

mod dispatcher;
mod rules;

pub use dispatcher::{AlertDispatcher, AlertState};
pub use rules::{Assessment, Escalation, EscalationRules};

use crate::model::{Alert, Severity};

/// Somewhere alerts end up: a console, a pager, a log.
pub trait AlertSink: Send + Sync {
    fn name(&self) -> &str;
    fn deliver(&self, alert: &Alert);
}

/// Prints alerts at or above a severity.
pub struct ConsoleSink {
    pub min_severity: Severity,
}

impl AlertSink for ConsoleSink {
    fn name(&self) -> &str {
        "console"
    }

    fn deliver(&self, alert: &Alert) {
        if alert.severity >= self.min_severity {
            println!("ALERT {alert}");
        }
    }
}
