//! SARIF 2.1.0 for GitHub code scanning. Every rule is listed in `tool.driver.rules` (so that
//! `ruleIndex` is stable); results carry repo-relative locations (`%SRCROOT%` = the run's root),
//! `relatedLocations` linked from the message as `[label](id)`, our own `partialFingerprints` key
//! (`racecheck/v1`; GitHub's `primaryLocationLineHash` is left to its uploader), and, for D001, a
//! code flow with one thread flow per cycle edge. Counts are capped at GitHub's limits, with a
//! notification saying what was cut. Input errors and stale baseline entries are tool
//! notifications of the invocation.
use crate::diagnostic::{Diagnostic, InputError, Span};
use crate::driver::catalog;
use crate::driver::report::Report;
use crate::driver::selection::level_name;
use crate::driver::source_map::uri_path;
use crate::rules::{self, RuleInfo};
use serde_json::{json, Value};
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub rejects a run with more results than this.
const MAX_RESULTS: usize = 25_000;
/// GitHub keeps at most this many related locations (and thread-flow locations) of a result.
const MAX_LOCATIONS: usize = 1_000;
/// GitHub's limit for `shortDescription`/`fullDescription`.
const MAX_DESCRIPTION: usize = 1_024;
pub const FINGERPRINT_KEY: &str = "racecheck/v1";

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let catalogue = rules::all();
    let mut notifications: Vec<Value> = report.errors.iter().map(input_error).collect();
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
        .map(|d| result(d, catalogue))
        .collect();
    let root_uri = format!("file://{}/", uri_path(report.root).trim_end_matches('/'));
    let document = json!({
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
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn tool_driver(catalogue: &[RuleInfo]) -> Value {
    let mut driver = json!({
        "name": "racecheck",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": catalogue.iter().map(rule).collect::<Vec<_>>(),
    });
    // An empty string is not a valid URI: say nothing when the package names no repository.
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    driver
}

fn rule(rule: &RuleInfo) -> Value {
    let doc = catalog::markdown(rule);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": truncate(rule.summary, MAX_DESCRIPTION)},
        "fullDescription": {"text": truncate(&first_paragraph(&doc), MAX_DESCRIPTION)},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": level_name(rule.default_severity)},
        "properties": {"tags": ["concurrency"], "precision": "high"},
    })
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

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars - 1) {
        Some((cut, _)) if text.chars().count() > max_chars => format!("{}…", &text[..cut]),
        _ => text.to_owned(),
    }
}

fn result(diagnostic: &Diagnostic, catalogue: &[RuleInfo]) -> Value {
    let related: Vec<Value> = diagnostic
        .secondary
        .iter()
        .take(MAX_LOCATIONS)
        .enumerate()
        .map(|(i, label)| {
            let mut location = location(&label.span);
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
        "level": level_name(diagnostic.severity),
        "message": {"text": text},
        "locations": [location(&diagnostic.primary)],
        "partialFingerprints": {FINGERPRINT_KEY: diagnostic.fingerprint},
    });
    if let Some(index) = catalogue.iter().position(|r| r.code == diagnostic.code) {
        result["ruleIndex"] = json!(index);
    }
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if diagnostic.code == "D001" && !diagnostic.secondary.is_empty() {
        result["codeFlows"] = json!([code_flow(diagnostic)]);
    }
    result
}

/// One thread flow per edge of the cycle, each taken by its own thread: the primary span's edge
/// first, then the secondary ones, in the order the cycle closes (`executionOrder` is unique
/// across the whole code flow).
fn code_flow(diagnostic: &Diagnostic) -> Value {
    let edges = std::iter::once((&diagnostic.primary, &diagnostic.primary_label))
        .chain(diagnostic.secondary.iter().map(|l| (&l.span, &l.message)));
    let thread_flows: Vec<Value> = edges
        .take(MAX_LOCATIONS)
        .enumerate()
        .map(|(i, (span, label))| {
            json!({
                "id": format!("edge-{}", i + 1),
                "message": {"text": label},
                "locations": [{
                    "location": {
                        "physicalLocation": physical_location(span),
                        "message": {"text": label},
                    },
                    "kinds": ["acquire"],
                    "nestingLevel": 0,
                    "executionOrder": i + 1,
                }],
            })
        })
        .collect();
    json!({"message": {"text": diagnostic.message}, "threadFlows": thread_flows})
}

fn location(span: &Span) -> Value {
    json!({"physicalLocation": physical_location(span)})
}

fn physical_location(span: &Span) -> Value {
    json!({
        "artifactLocation": artifact_location(&span.file),
        "region": {
            "startLine": span.line_start,
            "startColumn": span.column_start,
            "endLine": span.line_end,
            "endColumn": span.column_end,
        },
    })
}

/// Paths under the run's root are relative to `%SRCROOT%`; others (named on the command line
/// from outside it) are absolute `file://` URIs.
fn artifact_location(path: &std::path::Path) -> Value {
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

fn input_error(error: &InputError) -> Value {
    let mut notification = json!({
        "level": "error",
        "message": {"text": format!("{}: {}", super::portable(&error.path), error.message)},
    });
    if let Some(span) = &error.span {
        notification["locations"] = json!([location(span)]);
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
