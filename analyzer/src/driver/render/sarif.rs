//! SARIF 2.1.0 for GitHub code scanning. Every rule is listed in `tool.driver.rules` (so that
//! `ruleIndex` is stable); results carry repo-relative locations (`%SRCROOT%` = the git repository's root, else the
//! run's root, so that GitHub finds the file when the crate sits in a subfolder),
//! `relatedLocations` linked from the message as `[label](id)`, our own `partialFingerprints` key
//! (`racecheck/v1`; GitHub's `primaryLocationLineHash` is left to its uploader), and a code flow
//! with one thread flow per thread of the finding (its acquisitions, calls and blocking step).
//! Counts are capped at GitHub's limits, with a notification saying what was cut. Input errors,
//! the run's notes and stale baseline entries are tool notifications of the invocation. The code flow is the
//! analyzer's own path: its message and `properties.source = "static-analysis"` say so, so that
//! it never reads as a runtime witness (`confirm` puts those in `codeFlows` with
//! `properties.source = "runtime-witness"`).
use crate::diagnostic::{Diagnostic, InputError, Span, StepKind};
use crate::driver::catalog;
use crate::driver::report::Report;
use crate::driver::source_map::uri_path;
use crate::rules::{self, RuleInfo};
use serde_json::{json, Value};
use std::io::{self, Write};

pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub keeps at most this many related locations (and thread-flow locations) of a result.
const MAX_LOCATIONS: usize = 1_000;
/// GitHub's limit for `shortDescription`/`fullDescription`.
const MAX_DESCRIPTION: usize = 1_024;
pub const FINGERPRINT_KEY: &str = "racecheck/v1";

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

/// The SARIF log of a report; `runs[0].results[i]` is `report.diagnostics[i]` (up to
/// [`MAX_RESULTS`]).
pub fn document(report: &Report<'_>) -> Value {
    let catalogue = rules::all();
    let mut notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| input_error(report, e))
        .collect();
    notifications.extend(report.notes.iter().map(|note| {
        json!({
            "level": "note",
            "message": {"text": format!("{}: {}", super::portable(&note.path), note.message)},
        })
    }));
    notifications.extend(report.stale.iter().map(|entry| {
        json!({
            "level": "note",
            "message": {"text": format!(
                "stale baseline entry: no {} finding in {} matches fingerprint {} ({})",
                entry.code, super::portable(&entry.path), entry.fingerprint, entry.message
            )},
        })
    }));
    if report.diagnostics.len() > MAX_RESULTS {
        notifications.push(json!({
            "level": "warning",
            "message": {"text": format!(
                "{} results were left out: GitHub accepts at most {MAX_RESULTS} per run",
                report.diagnostics.len() - MAX_RESULTS
            )},
        }));
    }
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .take(MAX_RESULTS)
        .map(|d| result(report, d, catalogue))
        .collect();
    let root_uri = format!(
        "file://{}/",
        uri_path(report.repo_root()).trim_end_matches('/')
    );
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": tool_driver(catalogue)},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    })
}

fn tool_driver(catalogue: &[RuleInfo]) -> Value {
    json!({
        "name": "racecheck",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": catalog::DOCS_URL,
        "rules": catalogue.iter().map(rule).collect::<Vec<_>>(),
    })
}

fn rule(rule: &RuleInfo) -> Value {
    let doc = catalog::markdown(rule);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": truncate(rule.summary, MAX_DESCRIPTION)},
        "fullDescription": {"text": truncate(&first_paragraph(&doc), MAX_DESCRIPTION)},
        "help": {"text": plain_text(&doc), "markdown": doc},
        "helpUri": catalog::doc_url(rule),
        "defaultConfiguration": default_configuration(rule),
        "properties": {"tags": ["concurrency"], "precision": if rule.default_enabled { "high" } else { "low" }},
    })
}

/// The rule's level, and `enabled: false` (SARIF's default is true) for a rule off by default.
fn default_configuration(rule: &RuleInfo) -> Value {
    let mut configuration = json!({"level": rule.default_severity.as_str()});
    if !rule.default_enabled {
        configuration["enabled"] = false.into();
    }
    configuration
}

/// The first prose paragraph of a rule doc (the text under "What it does").
fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n")
        .map(|p| {
            p.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|p| !p.trim().is_empty())
        .unwrap_or_default()
}

/// A rule doc's Markdown as plain text: headings without their `#`s, code blocks without their
/// fences (indented instead), inline code without backticks.
fn plain_text(markdown: &str) -> String {
    let mut text = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            text.push(format!("    {line}"));
        } else {
            text.push(line.trim_start_matches('#').trim_start().replace('`', ""));
        }
    }
    text.join("\n")
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars - 1) {
        Some((cut, _)) if text.chars().count() > max_chars => format!("{}…", &text[..cut]),
        _ => text.to_owned(),
    }
}

fn result(report: &Report<'_>, diagnostic: &Diagnostic, catalogue: &[RuleInfo]) -> Value {
    let related: Vec<Value> = diagnostic
        .secondary
        .iter()
        .take(MAX_LOCATIONS)
        .enumerate()
        .map(|(i, label)| {
            let mut location = location(report, &label.span);
            location["id"] = json!(i + 1);
            location["message"] = json!({"text": label.message});
            location
        })
        .collect();
    let mut text = diagnostic.message.clone();
    for (i, label) in diagnostic.secondary.iter().take(MAX_LOCATIONS).enumerate() {
        text += &format!("\n- [{}]({})", escape_link_text(&label.message), i + 1);
    }
    for note in &diagnostic.notes {
        text += &format!("\nnote: {note}");
    }
    if let Some(help) = &diagnostic.help {
        text += &format!("\nhelp: {help}");
    }
    let mut result = json!({
        "ruleId": diagnostic.code,
        "level": diagnostic.severity.as_str(),
        "message": {"text": text},
        "locations": [location(report, &diagnostic.primary)],
        "partialFingerprints": {FINGERPRINT_KEY: diagnostic.fingerprint},
    });
    if let Some(index) = catalogue.iter().position(|r| r.code == diagnostic.code) {
        result["ruleIndex"] = json!(index);
    }
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if !diagnostic.flows.is_empty() {
        result["codeFlows"] = json!([code_flow(report, diagnostic)]);
    }
    result
}

/// One thread flow per thread of the finding (for D001, per edge of the cycle), each step a
/// location in the order the thread runs it: acquisitions, the calls made while a guard is
/// held, the operation that blocks or races (`executionOrder` is unique across the code flow).
fn code_flow(report: &Report<'_>, diagnostic: &Diagnostic) -> Value {
    let mut order = 0;
    let thread_flows: Vec<Value> = diagnostic
        .flows
        .iter()
        .enumerate()
        .map(|(i, flow)| {
            // Each call made goes one level deeper.
            let mut depth = 0;
            let locations: Vec<Value> = flow
                .steps
                .iter()
                .take(MAX_LOCATIONS)
                .map(|step| {
                    order += 1;
                    let location = json!({
                        "location": {
                            "physicalLocation": physical_location(report, &step.span),
                            "message": {"text": step.message},
                        },
                        "kinds": [step.kind.as_str()],
                        "nestingLevel": depth,
                        "executionOrder": order,
                    });
                    depth += usize::from(step.kind == StepKind::Call);
                    location
                })
                .collect();
            json!({
                "id": format!("thread-{}", i + 1),
                "message": {"text": flow.thread},
                "locations": locations,
            })
        })
        .take(MAX_LOCATIONS)
        .collect();
    json!({
        "message": {"text": format!(
            "static analysis: the steps as the analyzer derives them from the source (not a runtime witness): {}",
            diagnostic.message
        )},
        "threadFlows": thread_flows,
        "properties": {"source": "static-analysis"},
    })
}

fn location(report: &Report<'_>, span: &Span) -> Value {
    json!({"physicalLocation": physical_location(report, span)})
}

fn physical_location(report: &Report<'_>, span: &Span) -> Value {
    json!({
        "artifactLocation": artifact_location(&report.repo_path(&span.file)),
        "region": {
            "startLine": span.line_start,
            "startColumn": span.column_start,
            "endLine": span.line_end,
            "endColumn": span.column_end,
        },
    })
}

/// Paths under the repository's root are relative to `%SRCROOT%`; others (named on the command
/// line from outside it) are absolute `file://` URIs.
pub(crate) fn artifact_location(path: &std::path::Path) -> Value {
    if path.is_absolute() {
        json!({"uri": format!("file://{}", uri_path(path))})
    } else {
        json!({"uri": uri_path(path), "uriBaseId": "%SRCROOT%"})
    }
}

/// Brackets in a link's text must be escaped (SARIF §3.11.6).
fn escape_link_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn input_error(report: &Report<'_>, error: &InputError) -> Value {
    let mut notification = json!({
        "level": "error",
        "message": {"text": format!("{}: {}", super::portable(&error.path), error.message)},
    });
    if let Some(span) = &error.span {
        notification["locations"] = json!([location(report, span)]);
    }
    notification
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_capped_in_characters() {
        assert_eq!(truncate("short", 10), "short");
        let long = "é".repeat(2000);
        let cut = truncate(&long, MAX_DESCRIPTION);
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_rule_off_by_default_is_disabled_and_of_low_precision() {
        let on = crate::rules::all()[0];
        let off = RuleInfo {
            default_enabled: false,
            ..on
        };
        assert_eq!(rule(&on)["defaultConfiguration"].get("enabled"), None);
        assert_eq!(rule(&on)["properties"]["precision"], "high");
        assert_eq!(rule(&off)["defaultConfiguration"]["enabled"], false);
        assert_eq!(rule(&off)["properties"]["precision"], "low");
    }

    #[test]
    fn help_text_is_plain() {
        let doc = "## What it does\nFinds `x`.\n\n## Example\n```rust,ignore\nlet a = 1;\n```\nUse instead: `y`.";
        assert_eq!(
            plain_text(doc),
            "What it does\nFinds x.\n\nExample\n    let a = 1;\nUse instead: y."
        );
    }

    #[test]
    fn the_full_description_is_the_first_prose_paragraph() {
        let doc =
            "## What it does\nReports a thing\nacross lines.\n\n## Why is this bad?\nBecause.";
        assert_eq!(first_paragraph(doc), "Reports a thing across lines.");
    }

    #[test]
    fn paths_outside_the_root_are_absolute_uris() {
        let outside = artifact_location(std::path::Path::new("/elsewhere/a.rs"));
        assert_eq!(outside, json!({"uri": "file:///elsewhere/a.rs"}));
        let inside = artifact_location(std::path::Path::new("src/a.rs"));
        assert_eq!(inside, json!({"uri": "src/a.rs", "uriBaseId": "%SRCROOT%"}));
    }

    #[test]
    fn link_text_brackets_are_escaped() {
        assert_eq!(escape_link_text("a[0] \\ b"), "a\\[0\\] \\\\ b");
    }
}
