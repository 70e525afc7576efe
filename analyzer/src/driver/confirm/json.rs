//! One JSON document: every static finding (as `check --format json` prints it) with its
//! `confirmation`, the runtime-only findings, the explorations that went wrong, the input errors
//! and the counts.
use super::report::{Confirmation, Status, Witness};
use serde_json::{json, Value};
use std::io::{self, Write};

pub fn render(confirmation: &Confirmation<'_, '_>, out: &mut dyn Write) -> io::Result<()> {
    let report = &confirmation.report;
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(&confirmation.statuses)
        .map(|(diagnostic, status)| {
            let mut value = serde_json::to_value(diagnostic).expect("a diagnostic is JSON");
            value["confirmation"] = status_value(confirmation, status);
            value
        })
        .collect();
    let runtime_only: Vec<Value> = confirmation
        .misses
        .iter()
        .map(|&miss| witness_value(&confirmation.witnesses[miss]))
        .collect();
    let problems: Vec<Value> = confirmation
        .problems
        .iter()
        .map(|p| json!({"program": p.program, "strategy": p.strategy, "message": p.message}))
        .collect();
    let confirmed = confirmation.confirmed();
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "runtime_only": runtime_only,
        "problems": problems,
        "errors": report.errors,
        "stale_baseline": report.stale,
        "summary": {
            "confirmed": confirmed,
            "not_reproduced": confirmation.statuses.len() - confirmed,
            "runtime_only": confirmation.misses.len(),
            "programs": confirmation.programs,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// `{"status": "confirmed", "evidence", "schedules", "replay_token", "replay_command", "program",
/// "strategy", "witness"}` or `{"status": "not-reproduced", "schedules"[, "no_runtime_twin"]}`.
pub fn status_value(confirmation: &Confirmation<'_, '_>, status: &Status) -> Value {
    match status {
        Status::Confirmed { witness, evidence } => {
            let mut value = witness_value(&confirmation.witnesses[*witness]);
            value["status"] = json!(status.name());
            value["evidence"] = json!(evidence);
            value
        }
        Status::NotReproduced { schedules, no_twin } => {
            let mut value = json!({"status": status.name(), "schedules": schedules});
            if let Some(why) = no_twin {
                value["no_runtime_twin"] = json!(why);
            }
            value
        }
    }
}

fn witness_value(witness: &Witness<'_>) -> Value {
    let finding = &witness.line.finding;
    json!({
        "schedules": finding.schedule + 1,
        "replay_token": finding.replay_token,
        "replay_command": witness.replay_command(),
        "program": witness.program.label(),
        "target": witness.line.target,
        "strategy": witness.strategy,
        "witness": finding,
    })
}
