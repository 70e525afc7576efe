//! rustc's look, through codespan-reporting: `error[D001]: message`, ` --> file:line:col`, the
//! snippet with the primary and secondary labels, `= note:` and `= help:` lines; then a summary.
use super::Options;
use crate::diagnostic::{Diagnostic, InputError, Severity, Span};
use crate::driver::report::{plural, stale_baseline_note, Report};
use crate::driver::source_map::SourceMap;
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config, DisplayStyle};
use std::io::{self, Write};
use std::ops::Range;

/// How one message is drawn: with ANSI colours or not; rustc's full look or its one-line
/// `short` one (`file:line:col: level[code]: message`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    pub color: bool,
    pub short: bool,
}

pub fn render(report: &Report<'_>, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let look = Look {
        color: options.color,
        short: options.short,
    };
    for error in &report.errors {
        out.write_all(input_error_to_string(error, report.sources, look).as_bytes())?;
    }
    for diagnostic in &report.diagnostics {
        out.write_all(diagnostic_to_string(diagnostic, report.sources, look).as_bytes())?;
    }
    if options.quiet {
        return Ok(());
    }
    for note in &report.notes {
        writeln!(out, "note: {}: {}\n", note.path.display(), note.message)?;
    }
    if !report.stale.is_empty() {
        writeln!(out, "note: {}", stale_baseline_note(report.stale.len()))?;
        for entry in &report.stale {
            writeln!(
                out,
                "  = {} {}: {}",
                entry.code,
                entry.path.display(),
                entry.message
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report))
}

fn summary_line(report: &Report<'_>) -> String {
    let summary = report.summary();
    let mut counts: Vec<String> = [
        (summary.errors, "error"),
        (summary.warnings, "warning"),
        (summary.notes, "note"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, what)| plural(n, what))
    .collect();
    if counts.is_empty() {
        counts.push("no findings".to_owned());
    }
    let mut line = format!(
        "racecheck: {} in {}",
        counts.join(", "),
        plural(summary.files, "file")
    );
    if summary.baselined > 0 {
        line += &format!(
            "; {} hidden by the baseline",
            plural(summary.baselined, "finding")
        );
    }
    if summary.input_errors > 0 {
        line += &format!(
            "; {} could not be analyzed",
            plural(summary.input_errors, "input")
        );
    }
    line
}

/// One finding in rustc's look.
pub fn diagnostic_to_string(diagnostic: &Diagnostic, sources: &SourceMap, look: Look) -> String {
    let Some(file) = sources.id(&diagnostic.primary.file) else {
        return without_source(
            diagnostic.severity,
            Some(&diagnostic.code),
            &diagnostic.message,
            Some(&diagnostic.primary),
        );
    };
    let mut labels = vec![
        Label::primary(file, clamp(sources, file, &diagnostic.primary))
            .with_message(&diagnostic.primary_label),
    ];
    for label in &diagnostic.secondary {
        if let Some(id) = sources.id(&label.span.file) {
            labels.push(
                Label::secondary(id, clamp(sources, id, &label.span)).with_message(&label.message),
            );
        }
    }
    let notes = diagnostic
        .notes
        .iter()
        .map(|n| format!("note: {n}"))
        .chain(diagnostic.help.iter().map(|h| format!("help: {h}")))
        .collect();
    let snippet = Snippet::new(severity(diagnostic.severity))
        .with_code(&diagnostic.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes);
    emit(sources, &snippet, look)
}

/// Longest line an input error quotes: a generated file on one line (or a nesting error in
/// it) is reported by its place alone, not by a snippet of megabytes.
const MAX_SNIPPET_LINE: usize = 1_000;

/// An input error in rustc's look, with a snippet when the file was loaded and its line is not
/// too long to quote.
pub fn input_error_to_string(error: &InputError, sources: &SourceMap, look: Look) -> String {
    match error
        .span
        .as_ref()
        .filter(|span| sources.line_text(&span.file, span.line_start).len() <= MAX_SNIPPET_LINE)
        .and_then(|span| Some((span, sources.id(&span.file)?)))
    {
        Some((span, file)) => {
            let snippet = Snippet::error()
                .with_message(&error.message)
                .with_labels(vec![Label::primary(file, clamp(sources, file, span))]);
            emit(sources, &snippet, look)
        }
        None => {
            let message = match &error.span {
                Some(_) => error.message.clone(),
                None => format!("{}: {}", error.path.display(), error.message),
            };
            without_source(Severity::Error, None, &message, error.span.as_ref())
        }
    }
}

pub(crate) fn emit(sources: &SourceMap, snippet: &Snippet<usize>, look: Look) -> String {
    let config = Config {
        chars: Chars::ascii(),
        display_style: if look.short {
            DisplayStyle::Short
        } else {
            DisplayStyle::Rich
        },
        ..Config::default()
    };
    let mut buffer = if look.color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    match term::emit_to_write_style(&mut buffer, &config, sources, snippet) {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        // Only a span outside its file gets here: print the header without the snippet.
        Err(_) => format!("{}: {}\n\n", level_name(snippet.severity), snippet.message),
    }
}

/// The header and location of a message whose file text is not at hand.
fn without_source(
    level: Severity,
    code: Option<&str>,
    message: &str,
    span: Option<&Span>,
) -> String {
    let code = code.map(|c| format!("[{c}]")).unwrap_or_default();
    let location = span
        .map(|s| {
            format!(
                " --> {}:{}:{}\n",
                s.file.display(),
                s.line_start,
                s.column_start
            )
        })
        .unwrap_or_default();
    format!(
        "{}{code}: {message}\n{location}\n",
        level_name(severity(level))
    )
}

fn severity(level: Severity) -> SnippetSeverity {
    match level {
        Severity::Error => SnippetSeverity::Error,
        Severity::Warning => SnippetSeverity::Warning,
        Severity::Note => SnippetSeverity::Note,
    }
}

fn level_name(level: SnippetSeverity) -> &'static str {
    match level {
        SnippetSeverity::Bug => "bug",
        SnippetSeverity::Error => "error",
        SnippetSeverity::Warning => "warning",
        SnippetSeverity::Note => "note",
        SnippetSeverity::Help => "help",
    }
}

/// The span's bytes, kept inside the file and on character boundaries.
fn clamp(sources: &SourceMap, file: usize, span: &Span) -> Range<usize> {
    let text = sources.text(file);
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.byte_start);
    start..floor(span.byte_end).max(start)
}
