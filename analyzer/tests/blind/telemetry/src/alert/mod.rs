//! Alert rule evaluation. Rules are split into partitions that are evaluated
//! in parallel with scoped threads every round.

pub mod rules;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use parking_lot::Mutex as PlMutex;

use crate::store::Store;
use rules::{Rule, RuleId, Severity};

#[derive(Clone, Debug)]
pub struct AlertEvent {
    pub rule: RuleId,
    pub name: String,
    pub severity: Severity,
    pub value: f64,
    pub at_ms: u64,
    pub firing: bool,
}

#[derive(Default)]
struct AlertState {
    /// Rules whose condition holds but whose `for` period has not elapsed.
    pending: HashMap<RuleId, u64>,
    /// Firing rules and the time they fired.
    active: HashMap<RuleId, u64>,
    fired_total: u64,
    resolved_total: u64,
}

pub struct AlertEngine {
    rules: Vec<Rule>,
    partitions: usize,
    retention_ms: u64,
    state: PlMutex<AlertState>,
    history: Mutex<Vec<AlertEvent>>,
}

impl AlertEngine {
    pub fn new(rules: Vec<Rule>, partitions: usize, retention_ms: u64) -> Self {
        AlertEngine {
            rules,
            partitions: partitions.max(1),
            retention_ms,
            state: PlMutex::new(AlertState::default()),
            history: Mutex::new(Vec::new()),
        }
    }

    /// Evaluates every rule once. Returns the number of state changes.
    pub fn evaluate_round(&self, store: &Store, now: u64) -> usize {
        if self.rules.is_empty() {
            return 0;
        }
        let chunk = self.rules.len().div_ceil(self.partitions);
        let parts: Vec<&[Rule]> = self.rules.chunks(chunk).collect();
        let barrier = Barrier::new(parts.len());
        let changes = AtomicUsize::new(0);

        thread::scope(|s| {
            for part in &parts {
                let barrier = &barrier;
                let changes = &changes;
                s.spawn(move || {
                    let events: Vec<AlertEvent> = part
                        .iter()
                        .filter_map(|rule| self.evaluate_rule(rule, store, now))
                        .collect();
                    changes.fetch_add(events.len(), Ordering::Relaxed);
                    {
                        let mut history = self.history.lock().unwrap();
                        history.extend(events);
                    }
                    barrier.wait(); // CLEAN: blocking-while-holding: history guard ended with the inner block before the barrier

                    // every partition has appended; trim our own expired events
                    let owned: HashSet<RuleId> = part.iter().map(|r| r.id).collect();
                    let horizon = now.saturating_sub(self.retention_ms);
                    let mut history = self.history.lock().unwrap();
                    history.retain(|e| !(owned.contains(&e.rule) && e.at_ms < horizon));
                    if barrier.wait().is_leader() { // PLANTED: blocking-while-holding: waits at the barrier holding history; the other partition threads block on history.lock() before reaching it
                        history.sort_by_key(|e| e.at_ms);
                    }
                });
            }
        });
        changes.into_inner()
    }

    fn evaluate_rule(&self, rule: &Rule, store: &Store, now: u64) -> Option<AlertEvent> {
        let value = store.read_value(&rule.key)?;
        let breached = rule.condition.breached(value);
        let mut state = self.state.lock();
        let active = state.active.contains_key(&rule.id);
        match (breached, active) {
            (true, false) => {
                let since = *state.pending.entry(rule.id).or_insert(now);
                if now.saturating_sub(since) >= rule.for_ms {
                    state.pending.remove(&rule.id);
                    return Some(self.fire(rule, value, now));
                }
                None
            }
            (false, true) => {
                drop(state);
                Some(self.resolve(rule, value, now))
            }
            (false, false) => {
                state.pending.remove(&rule.id);
                None
            }
            (true, true) => None,
        }
    }

    fn fire(&self, rule: &Rule, value: f64, now: u64) -> AlertEvent {
        let mut state = self.state.lock(); // PLANTED: double-lock: evaluate_rule still holds the state guard when it calls fire()
        state.active.insert(rule.id, now);
        state.fired_total += 1;
        AlertEvent {
            rule: rule.id,
            name: rule.name.clone(),
            severity: rule.severity,
            value,
            at_ms: now,
            firing: true,
        }
    }

    fn resolve(&self, rule: &Rule, value: f64, now: u64) -> AlertEvent {
        let mut state = self.state.lock(); // CLEAN: double-lock: evaluate_rule drops its state guard before calling resolve()
        state.active.remove(&rule.id);
        state.resolved_total += 1;
        AlertEvent {
            rule: rule.id,
            name: rule.name.clone(),
            severity: rule.severity,
            value,
            at_ms: now,
            firing: false,
        }
    }

    pub fn active_alerts(&self) -> Vec<RuleId> {
        let mut ids: Vec<RuleId> = self.state.lock().active.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    pub fn totals(&self) -> (u64, u64) {
        let state = self.state.lock();
        (state.fired_total, state.resolved_total)
    }

    pub fn history_len(&self) -> usize {
        self.history.lock().unwrap().len()
    }
}
