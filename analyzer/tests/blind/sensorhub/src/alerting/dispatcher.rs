use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use racecheck::{Connection, Lock};

use super::{AlertSink, Assessment, Escalation, EscalationRules};
use crate::metrics::Metrics;
use crate::model::{Alert, AlertMsg, DeviceId, Severity};

const RECENT: usize = 32;

#[derive(Debug, Default)]
pub struct AlertState {
    pub raised: u64,
    pub suppressed: u64,
    pub warnings: u64,
    pub criticals: u64,
    pub muted: HashSet<DeviceId>,
    pub recent: VecDeque<Alert>,
    pub quarantined: Vec<DeviceId>,
}

impl AlertState {
    fn record(&mut self, alert: &Alert) {
        self.raised += 1;
        match alert.severity {
            Severity::Warning => self.warnings += 1,
            Severity::Critical => self.criticals += 1,
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(alert.clone());
    }
}

/// Receives alerts from the pipe, applies the escalation rules and fans alerts out to sinks.
pub struct AlertDispatcher {
    state: Lock<AlertState>,
    rules: EscalationRules,
    sinks: Vec<Arc<dyn AlertSink>>,
    metrics: Arc<Metrics>,
}

impl AlertDispatcher {
    pub fn new(rules: EscalationRules, sinks: Vec<Arc<dyn AlertSink>>, metrics: Arc<Metrics>) -> Self {
        AlertDispatcher {
            state: Lock::new(AlertState::default()),
            rules,
            sinks,
            metrics,
        }
    }

    /// The dispatcher thread: handles alerts until told to stop or the pipe closes; returns
    /// the number of alerts raised.
    pub fn run(&self, inbox: Connection<AlertMsg>) -> u64 {
        let mut state = self.state.acquire();
        loop {
            let message = inbox.recv(); // PLANTED: blocking-while-holding: waits on the pipe holding the alert state that the aggregator's is_muted() needs before it sends
            let alert = match message {
                Ok(AlertMsg::Raise(alert)) => alert,
                Ok(AlertMsg::Shutdown) | Err(_) => break,
            };
            if state.muted.contains(&alert.device) {
                state.suppressed += 1;
                continue;
            }
            state.record(&alert);
            self.metrics.add_alert(alert.device);
            match alert.severity {
                Severity::Critical => {
                    if let Some(Escalation::Quarantined(id)) = self.rules.escalate(&alert) {
                        state.quarantined.push(id);
                    }
                }
                Severity::Warning => {
                    if self.rules.assess(alert.device) == Assessment::OutOfService {
                        state.suppressed += 1;
                        continue;
                    }
                }
            }
            for sink in &self.sinks {
                sink.deliver(&alert);
            }
        }
        state.raised
    }

    pub fn is_muted(&self, id: DeviceId) -> bool {
        self.state.acquire().muted.contains(&id)
    }

    pub fn mute(&self, id: DeviceId) {
        self.state.acquire().muted.insert(id);
    }

    pub fn summary(&self) -> String {
        let state = self.state.acquire();
        format!(
            "{} alerts ({} warning, {} critical), {} suppressed, quarantined {:?}",
            state.raised, state.warnings, state.criticals, state.suppressed, state.quarantined
        )
    }
}
