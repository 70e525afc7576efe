//! Turning the end state of a schedule into findings.

pub(crate) mod deadlock;
pub(crate) mod lock_order;
mod witness;

use super::finding::{Finding, FindingKind};
use super::ids::{ObjectId, MAIN_THREAD};
use super::state::{RunState, State, Stop};
use super::token;
use super::trace::source_location;
use crate::SourceLocation;

/// Everything wrong with the schedule `state` ran, most telling first.
pub(crate) fn findings(state: &State, schedule: usize) -> Vec<Finding> {
    let token = token::encode(state.max_steps, &state.choices);
    let full_trace = state.trace.len();
    let make = |kind,
                message: String,
                threads: Vec<String>,
                locations: Vec<SourceLocation>,
                trace_len| Finding {
        kind,
        message: if state.scheduler.diverged() {
            format!("{message}\n(the replay diverged from its token: the program or its inputs changed)")
        } else {
            message
        },
        threads,
        locations,
        trace: state.render_trace(trace_len),
        replay_token: token.clone(),
        schedule,
    };
    let mut findings = Vec::new();
    match &state.stop {
        Some(Stop::Blocked | Stop::Livelock) => {
            let explanation = deadlock::explain(state);
            findings.push(make(
                explanation.kind,
                explanation.message,
                explanation.threads,
                explanation.locations,
                full_trace,
            ));
        }
        Some(Stop::StepLimit) => {
            let running: Vec<_> = state
                .threads
                .iter()
                .filter(|t| !matches!(t.run, RunState::Finished))
                .collect();
            findings.push(make(
                FindingKind::StepLimit,
                format!(
                    "the schedule ran {} steps without ending: a livelock or a runaway loop",
                    state.max_steps
                ),
                running.iter().map(|t| t.name.clone()).collect(),
                running
                    .iter()
                    .filter_map(|t| t.next_operation)
                    .map(source_location)
                    .collect(),
                full_trace,
            ));
        }
        Some(Stop::UsageError(_)) | None => {}
    }
    // Threads whose panic a join handed on: the body's panic (an `unwrap` of the join, mostly)
    // is reported at their own sites first.
    let handed_on: Vec<_> = state
        .threads
        .iter()
        .filter(|thread| thread.panic_observed)
        .filter_map(|thread| Some((thread, thread.panic.as_ref()?)))
        .collect();
    for (id, thread) in state.threads.iter().enumerate() {
        let Some(panic) = &thread.panic else { continue };
        let mut threads = vec![thread.name.clone()];
        let mut locations: Vec<SourceLocation> = panic.location.iter().cloned().collect();
        let message = if id == MAIN_THREAD {
            let mut message = format!("the explored body panicked: {}", panic.message);
            for (other, other_panic) in handed_on.iter().rev() {
                let at = other_panic
                    .location
                    .as_ref()
                    .map(|location| format!(" at {location}"))
                    .unwrap_or_default();
                message.push_str(&format!(
                    "\n  after {} panicked{at}: {}",
                    other.name, other_panic.message
                ));
                threads.insert(0, other.name.clone());
                locations.splice(0..0, other_panic.location.iter().cloned());
            }
            message
        } else if !thread.panic_observed {
            format!(
                "{} panicked and no join observed it: {}",
                thread.name, panic.message
            )
        } else {
            continue;
        };
        findings.push(make(
            FindingKind::Panic,
            message,
            threads,
            locations,
            full_trace,
        ));
    }
    for race in &state.races {
        let (first_thread, first_location, first_kind) = race.first;
        let (second_thread, second_location, second_kind) = race.second;
        let (first_name, second_name) = (
            &state.threads[first_thread].name,
            &state.threads[second_thread].name,
        );
        findings.push(make(
            FindingKind::DataRace,
            format!(
                "{second_kind} of {} by {second_name} at {} is unordered with the {first_kind} by {first_name} at {}",
                state.object_name(race.object),
                source_location(second_location),
                source_location(first_location),
            ),
            vec![first_name.clone(), second_name.clone()],
            vec![source_location(first_location), source_location(second_location)],
            race.trace_len,
        ));
    }
    if let Some(cycle) = state.lock_order.find_cycle() {
        let names: Vec<String> = cycle
            .iter()
            .map(|edge| state.object_name(edge.from))
            .collect();
        let mut message = format!(
            "{} -> {} are taken in opposite orders:",
            names.join(" -> "),
            names[0]
        );
        // The edges show where each lock was taken; name those first acquired elsewhere.
        let unnamed_locks: Vec<ObjectId> = cycle
            .iter()
            .filter(|edge| state.lock(edge.from).first_taken_at != Some(edge.from_location))
            .map(|edge| edge.from)
            .collect();
        for edge in &cycle {
            message.push_str(&format!(
                "\n  {} requests {} at {} while holding {} (taken at {})",
                state.threads[edge.thread].name,
                state.object_name(edge.to),
                source_location(edge.to_location),
                state.object_name(edge.from),
                source_location(edge.from_location),
            ));
        }
        message.push_str(&lock_legend(state, &unnamed_locks));
        findings.push(make(
            FindingKind::LockOrderCycle,
            message,
            cycle
                .iter()
                .map(|edge| state.threads[edge.thread].name.clone())
                .collect(),
            cycle
                .iter()
                .flat_map(|edge| {
                    [
                        source_location(edge.to_location),
                        source_location(edge.from_location),
                    ]
                })
                .collect(),
            full_trace,
        ));
    }
    findings
}

/// A last line naming each of `locks` by where it was first acquired, since `Lock#2` alone says
/// little: `where Lock#1 was first acquired at src/main.rs:7:32, Lock#2 at src/main.rs:8:9`.
/// Empty when there is nothing to name.
pub(crate) fn lock_legend(state: &State, locks: &[ObjectId]) -> String {
    let mut named: Vec<ObjectId> = Vec::new();
    let mut legend = String::new();
    for &lock in locks {
        let Some(first_taken_at) = state.lock(lock).first_taken_at else {
            continue;
        };
        if named.contains(&lock) {
            continue;
        }
        let (name, at) = (state.object_name(lock), source_location(first_taken_at));
        legend.push_str(&if named.is_empty() {
            format!("\n  where {name} was first acquired at {at}")
        } else {
            format!(", {name} at {at}")
        });
        named.push(lock);
    }
    legend
}
