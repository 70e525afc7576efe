//! The merged runs as text (each run's witnesses and summary, as the explored program prints
//! them), as JSON (a `RACECHECK_REPORT` file of the merged runs: a line per finding, then the
//! run's line), or as SARIF (a result per finding, its witness as `codeFlows`).
use super::Merged;
use crate::driver::cli::MergeFormat;
use crate::driver::confirm::sarif::{physical_location_in, runtime_rule_id, witness_flow};
use crate::driver::render::sarif::SCHEMA;
use racecheck::explore::harness::{clean_statement, failure_summary, ReportLine, RunLine};
use racecheck::explore::Witnesses;
use racecheck::SourceLocation;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::Path;

pub fn render(merged: &[Merged], format: MergeFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        MergeFormat::Human => human(merged, out),
        MergeFormat::Json => json_lines(merged, out),
        MergeFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(merged))?;
            writeln!(out)
        }
    }
}

fn human(merged: &[Merged], out: &mut dyn Write) -> io::Result<()> {
    for (index, m) in merged.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        let run = &m.run;
        writeln!(
            out,
            "{} ({}, seed {}, merged from {} shares):",
            m.target, run.strategy, run.seed, m.shares
        )?;
        if run.report.is_clean() {
            writeln!(out, "racecheck: {}", clean_statement(&run.report))?;
        } else {
            writeln!(out, "{}", Witnesses(run.report.findings()))?;
            writeln!(
                out,
                "{}",
                failure_summary(&m.target, &run.command, &run.report)
            )?;
        }
    }
    Ok(())
}

fn json_lines(merged: &[Merged], out: &mut dyn Write) -> io::Result<()> {
    for m in merged {
        for finding in m.run.report.findings() {
            let line = ReportLine {
                target: m.target.clone(),
                finding: finding.clone(),
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
        let line = RunLine {
            target: m.target.clone(),
            run: m.run.clone(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

fn sarif(merged: &[Merged]) -> Value {
    let place =
        |location: &SourceLocation| physical_location_in(location, Path::new(&location.file));
    let results: Vec<Value> = merged
        .iter()
        .flat_map(|m| m.run.report.findings().iter().map(move |finding| (m, finding)))
        .map(|(m, finding)| {
            let replay = format!("RACECHECK_REPLAY={} {}", finding.replay_token, m.run.command);
            let mut result = json!({
                "ruleId": runtime_rule_id(finding),
                "level": "error",
                "message": {"text": format!("{}: {} (in `{}`)", finding.kind, finding.message, m.target)},
                "properties": {
                    "replayToken": finding.replay_token,
                    "schedule": finding.schedule,
                    "replayCommand": replay,
                },
                "codeFlows": [witness_flow(finding, &replay, &place)],
            });
            if let Some(location) = finding.locations.first() {
                result["locations"] = json!([{"physicalLocation": place(location)}]);
            }
            result
        })
        .collect();
    let notes: Vec<Value> = merged
        .iter()
        .filter(|m| m.run.report.is_clean())
        .map(|m| {
            json!({
                "level": "note",
                "message": {"text": format!("{} ({}): {}", m.target, m.run.strategy, clean_statement(&m.run.report))},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "racecheck",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notes,
            }],
        }],
    })
}
