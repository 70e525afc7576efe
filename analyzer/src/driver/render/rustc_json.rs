//! cargo's JSON messages (`--message-format=json`), so that rust-analyzer's
//! `check.overrideCommand` / `check.command = "racecheck"` shows findings in editors: one
//! `compiler-message` line per finding, naming the package and target that own the file, with the
//! code written `racecheck::D001`; then `build-finished`. File names are relative to the workspace
//! root, spans always carry `text` (rust-analyzer re-measures columns from it), notes and help are
//! span-less children. Every stdout line is a cargo message: in a workspace, what no package
//! owns (an input error about a path outside every member) goes to stderr in rustc's look, as
//! cargo prints its own errors; without a workspace, each message is a bare rustc diagnostic line
//! (what `rustc --error-format=json` prints), which rust-analyzer reads too.
use super::human::{self, Look};
use super::Options;
use crate::diagnostic::{Diagnostic, InputError, RunNote, Span};
use crate::driver::report::Report;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::Path;

pub fn render(report: &Report<'_>, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let look = Look {
        color: options.ansi_rendered,
        short: options.short,
    };
    for error in &report.errors {
        match wrap(report, &error.path, || {
            input_error_message(report, error, look)
        }) {
            Some(line) => write_line(out, &line)?,
            None => {
                let text = human::input_error_to_string(error, report.sources, Look::default());
                io::stderr().write_all(text.as_bytes())?;
            }
        }
    }
    for diagnostic in &report.diagnostics {
        match wrap(report, &diagnostic.primary.file, || {
            diagnostic_message(report, diagnostic, look)
        }) {
            Some(line) => write_line(out, &line)?,
            None => {
                let text = human::diagnostic_to_string(diagnostic, report.sources, Look::default());
                io::stderr().write_all(text.as_bytes())?;
            }
        }
    }
    for note in &report.notes {
        match wrap(report, &note.path, || run_note_message(report, note)) {
            Some(line) => write_line(out, &line)?,
            None => io::stderr().write_all(run_note_text(note).as_bytes())?,
        }
    }
    write_line(
        out,
        &json!({"reason": "build-finished", "success": report.success}),
    )
}

fn write_line(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// A `compiler-message` for the package and target owning `file`; without a workspace the bare
/// message; `None` for a file outside every package of the workspace.
fn wrap(report: &Report<'_>, file: &Path, message: impl FnOnce() -> Value) -> Option<Value> {
    if report.workspace.is_none() {
        return Some(message());
    }
    let (package, target) = report.owner(file)?;
    Some(json!({
        "reason": "compiler-message",
        "package_id": package.id.repr,
        "manifest_path": package.manifest_path,
        "target": target,
        "message": message(),
    }))
}

fn diagnostic_message(report: &Report<'_>, diagnostic: &Diagnostic, look: Look) -> Value {
    let spans: Vec<Value> = std::iter::once(span(
        report,
        &diagnostic.primary,
        true,
        &diagnostic.primary_label,
    ))
    .chain(
        diagnostic
            .secondary
            .iter()
            .map(|l| span(report, &l.span, false, &l.message)),
    )
    .collect();
    let children: Vec<Value> = diagnostic
        .notes
        .iter()
        .map(|n| child("note", n))
        .chain(diagnostic.help.iter().map(|h| child("help", h)))
        .collect();
    json!({
        "$message_type": "diagnostic",
        "message": diagnostic.message,
        "code": {"code": format!("racecheck::{}", diagnostic.code), "explanation": null},
        "level": diagnostic.severity.as_str(),
        "spans": spans,
        "children": children,
        "rendered": human::diagnostic_to_string(diagnostic, report.sources, look),
    })
}

fn input_error_message(report: &Report<'_>, error: &InputError, look: Look) -> Value {
    let spans: Vec<Value> = error
        .span
        .iter()
        .map(|s| span(report, s, true, ""))
        .collect();
    let message = match &error.span {
        Some(_) => error.message.clone(),
        None => format!("{}: {}", error.path.display(), error.message),
    };
    json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": null,
        "level": "error",
        "spans": spans,
        "children": [],
        "rendered": human::input_error_to_string(error, report.sources, look),
    })
}

/// A note on the run, as a warning at the start of its file: editors drop messages without a
/// span, and show notes only beside a finding.
fn run_note_message(report: &Report<'_>, note: &RunNote) -> Value {
    let start = Span {
        file: note.path.clone(),
        byte_start: 0,
        byte_end: 0,
        line_start: 1,
        column_start: 1,
        line_end: 1,
        column_end: 1,
    };
    json!({
        "$message_type": "diagnostic",
        "message": note.message,
        "code": null,
        "level": "warning",
        "spans": [span(report, &start, true, "")],
        "children": [],
        "rendered": run_note_text(note),
    })
}

fn run_note_text(note: &RunNote) -> String {
    format!(
        "warning: {}\n --> {}:1:1\n\n",
        note.message,
        note.path.display()
    )
}

fn child(level: &str, message: &str) -> Value {
    json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": null,
        "level": level,
        "spans": [],
        "children": [],
        "rendered": null,
    })
}

fn span(report: &Report<'_>, span: &Span, is_primary: bool, label: &str) -> Value {
    json!({
        "file_name": file_name(report, &span.file),
        "byte_start": span.byte_start,
        "byte_end": span.byte_end,
        "line_start": span.line_start,
        "line_end": span.line_end,
        "column_start": span.column_start,
        "column_end": span.column_end,
        "is_primary": is_primary,
        "text": text(report, span),
        "label": (!label.is_empty()).then_some(label),
        "suggested_replacement": null,
        "suggestion_applicability": null,
        "expansion": null,
    })
}

/// The path relative to the workspace root (what cargo hands rustc), else as printed.
fn file_name(report: &Report<'_>, file: &Path) -> String {
    let location = report
        .sources
        .id(file)
        .map(|id| report.sources.location(id));
    let relative = report
        .workspace
        .zip(location)
        .and_then(|(workspace, location)| location.strip_prefix(&workspace.root).ok());
    super::portable(relative.unwrap_or(file))
}

/// Each covered line with the 1-based, end-exclusive highlight on it, as rustc writes them.
fn text(report: &Report<'_>, span: &Span) -> Vec<Value> {
    (span.line_start..=span.line_end)
        .map(|line| {
            let text = report.sources.line_text(&span.file, line);
            let start = if line == span.line_start {
                span.column_start
            } else {
                1
            };
            let end = if line == span.line_end {
                span.column_end
            } else {
                u32::try_from(text.chars().count() + 1).unwrap_or(u32::MAX)
            };
            json!({"text": text, "highlight_start": start, "highlight_end": end})
        })
        .collect()
}
