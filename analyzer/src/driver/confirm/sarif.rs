//! SARIF for `confirm`: `check`'s log, in which every result carries
//! `properties.confirmation` (`status` `confirmed` with `replayToken` and `schedules`, or
//! `not-reproduced` with `schedules`), and a confirmed result's `codeFlows` is its runtime
//! witness: one thread flow per thread, `executionOrder` the witness's global order, `kinds` from
//! each operation (`acquire`, `release`, `wait`). Runtime-only findings are results of their
//! own (`ruleId` `runtime/<kind>`); explorations that went wrong are tool notifications.
use super::report::{Confirmation, Status, Witness};
use crate::driver::render::sarif::{artifact_location, document, MAX_RESULTS};
use crate::driver::report::Report;
use racecheck::{Finding, SourceLocation, TraceEvent};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::Path;

pub fn render(confirmation: &Confirmation<'_, '_>, out: &mut dyn Write) -> io::Result<()> {
    let mut log = document(&confirmation.report);
    let run = &mut log["runs"][0];
    if let Some(results) = run["results"].as_array_mut() {
        for (result, status) in results.iter_mut().zip(&confirmation.statuses) {
            decorate(result, confirmation, status);
        }
        let room = MAX_RESULTS.saturating_sub(results.len());
        results.extend(
            confirmation
                .misses
                .iter()
                .take(room)
                .map(|&miss| runtime_only(&confirmation.report, &confirmation.witnesses[miss])),
        );
    }
    run["invocations"][0]["executionSuccessful"] = json!(confirmation.report.errors.is_empty());
    if let Some(notifications) = run["invocations"][0]["toolExecutionNotifications"].as_array_mut()
    {
        notifications.extend(confirmation.problems.iter().map(|p| {
            json!({
                "level": "warning",
                "message": {"text": format!(
                    "exploring {} ({} strategy): {}", p.program, p.strategy, p.message
                )},
            })
        }));
    }
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn decorate(result: &mut Value, confirmation: &Confirmation<'_, '_>, status: &Status) {
    match status {
        Status::Confirmed { witness, evidence } => {
            let witness = &confirmation.witnesses[*witness];
            result["properties"] = json!({"confirmation": confirmed(witness, Some(evidence))});
            // The runtime witness replaces the analyzer's own path.
            result["codeFlows"] = json!([code_flow(&confirmation.report, witness)]);
        }
        Status::NotReproduced { schedules, .. } => {
            result["properties"] = json!({"confirmation": {
                "status": status.name(),
                "schedules": schedules,
            }});
        }
    }
}

fn confirmed(witness: &Witness<'_>, evidence: Option<&str>) -> Value {
    let finding = &witness.line.finding;
    let mut value = json!({
        "status": if evidence.is_some() { "confirmed" } else { "runtime-only" },
        "replayToken": finding.replay_token,
        "schedules": finding.schedule + 1,
        "replayCommand": witness.replay_command(),
    });
    if let Some(evidence) = evidence {
        value["evidence"] = json!(evidence);
    }
    value
}

/// A runtime finding no static finding explains, as a result of its own.
fn runtime_only(report: &Report<'_>, witness: &Witness<'_>) -> Value {
    let finding = &witness.line.finding;
    let mut result = json!({
        "ruleId": runtime_rule_id(finding),
        "level": "error",
        "message": {"text": format!(
            "{}: {} (found at run time in `{}`; no static finding matches it)",
            finding.kind,
            finding.message,
            witness.program.label()
        )},
        "properties": {"confirmation": confirmed(witness, None)},
        "codeFlows": [code_flow(report, witness)],
    });
    if let Some(location) = finding.locations.first() {
        result["locations"] = json!([{"physicalLocation": physical_location(report, location)}]);
    }
    result
}

fn code_flow(report: &Report<'_>, witness: &Witness<'_>) -> Value {
    witness_flow(
        &witness.line.finding,
        &witness.replay_command(),
        &|location| physical_location(report, location),
    )
}

/// A runtime finding's trace: one thread flow per thread, in the order threads first act;
/// `place` gives a location's `physicalLocation`.
pub(crate) fn witness_flow(
    finding: &Finding,
    replay: &str,
    place: &dyn Fn(&SourceLocation) -> Value,
) -> Value {
    let mut threads: Vec<&str> = Vec::new();
    for event in &finding.trace {
        if !threads.contains(&event.thread.as_str()) {
            threads.push(&event.thread);
        }
    }
    let thread_flows: Vec<Value> = threads
        .iter()
        .map(|&thread| {
            let locations: Vec<Value> = finding
                .trace
                .iter()
                .filter(|event| event.thread == thread)
                .map(|event| thread_flow_location(event, place))
                .collect();
            json!({"id": thread, "message": {"text": thread}, "locations": locations})
        })
        .collect();
    json!({
        "message": {"text": format!(
            "runtime witness: {}: {} (schedule {}; replay: {})",
            finding.kind,
            finding.message.lines().next().unwrap_or_default(),
            finding.schedule,
            replay
        )},
        "threadFlows": thread_flows,
        "properties": {"source": "runtime-witness"},
    })
}

/// One event of a thread flow; its `executionOrder` is the event's place in the whole trace
/// (the order across threads).
fn thread_flow_location(event: &TraceEvent, place: &dyn Fn(&SourceLocation) -> Value) -> Value {
    let mut value = json!({
        "location": {
            "physicalLocation": place(&event.location),
            "message": {"text": format!("#{}: {}", event.index, event.operation)},
        },
        "nestingLevel": 0,
        "executionOrder": event.index,
    });
    if let Some(kind) = kind(&event.operation) {
        value["kinds"] = json!([kind]);
    }
    value
}

/// The SARIF thread-flow kind of an operation such as `acquire Lock#1 (blocks)`.
fn kind(operation: &str) -> Option<&'static str> {
    let verb = operation.split_whitespace().next().unwrap_or_default();
    Some(match verb {
        "acquire" | "try_acquire" | "acquire_timeout" => "acquire",
        "release" => "release",
        "wait" | "wait_for" | "wait_timeout" | "join" => "wait",
        "spawn" => "call",
        _ => return None,
    })
}

fn physical_location(report: &Report<'_>, location: &SourceLocation) -> Value {
    physical_location_in(location, &report.repo_path(Path::new(&location.file)))
}

/// A runtime location as a SARIF `physicalLocation`, its file written as `file`.
pub(crate) fn physical_location_in(location: &SourceLocation, file: &Path) -> Value {
    let mut region = json!({"startLine": location.line.max(1)});
    if location.column > 0 {
        region["startColumn"] = json!(location.column);
    }
    json!({
        "artifactLocation": artifact_location(file),
        "region": region,
    })
}

/// The SARIF rule of a runtime finding: `runtime/` and its kind, dashed.
pub(crate) fn runtime_rule_id(finding: &Finding) -> String {
    format!("runtime/{}", finding.kind.to_string().replace(' ', "-"))
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn operations_map_to_thread_flow_kinds() {
        assert_eq!(kind("acquire Lock#1 (blocks)"), Some("acquire"));
        assert_eq!(kind("release Lock#1"), Some("release"));
        assert_eq!(kind("wait Event#2"), Some("wait"));
        assert_eq!(kind("put Queue#1"), None);
    }
}
