//! GitHub Actions workflow commands: `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`
//! (`::warning`, `::notice` for notes), which the runner turns into annotations on the diff.
//! Columns are left out when a span covers several lines (the runner drops them then anyway).
//! Files are named relative to the git repository's root, where the runner looks for them.
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::driver::report::Report;
use std::io::{self, Write};

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for error in &report.errors {
        let mut properties = vec![("file", super::portable(&report.repo_path(&error.path)))];
        if let Some(span) = &error.span {
            properties.extend(position(span));
        }
        properties.push(("title", "racecheck: input error".to_owned()));
        command(out, "error", &properties, &error.message)?;
    }
    for diagnostic in &report.diagnostics {
        command(
            out,
            level(diagnostic.severity),
            &properties(report, diagnostic),
            &message(diagnostic),
        )?;
    }
    for note in &report.notes {
        command(
            out,
            "notice",
            &[
                ("file", super::portable(&note.path)),
                ("title", "racecheck: analysis cut short".to_owned()),
            ],
            &note.message,
        )?;
    }
    for entry in &report.stale {
        let text = format!(
            "stale baseline entry {} ({} in {}): no finding matches it any more; rewrite the baseline to drop it",
            entry.fingerprint,
            entry.code,
            super::portable(&entry.path)
        );
        command(
            out,
            "notice",
            &[("title", "racecheck: stale baseline entry".to_owned())],
            &text,
        )?;
    }
    Ok(())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn properties(report: &Report<'_>, diagnostic: &Diagnostic) -> Vec<(&'static str, String)> {
    let file = report.repo_path(&diagnostic.primary.file);
    let mut properties = vec![("file", super::portable(&file))];
    properties.extend(position(&diagnostic.primary));
    properties.push(("title", format!("{} {}", diagnostic.code, diagnostic.name)));
    properties
}

fn position(span: &Span) -> Vec<(&'static str, String)> {
    let mut position = vec![
        ("line", span.line_start.to_string()),
        ("endLine", span.line_end.to_string()),
    ];
    if span.line_start == span.line_end {
        position.push(("col", span.column_start.to_string()));
        position.push(("endColumn", span.column_end.to_string()));
    }
    position
}

/// The message, each secondary label with its location, the notes and the help, one per line.
fn message(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    for label in &diagnostic.secondary {
        let span = &label.span;
        text += &format!(
            "\n{}:{}:{}: {}",
            super::portable(&span.file),
            span.line_start,
            span.column_start,
            label.message
        );
    }
    for note in &diagnostic.notes {
        text += &format!("\nnote: {note}");
    }
    if let Some(help) = &diagnostic.help {
        text += &format!("\nhelp: {help}");
    }
    text
}

fn command(
    out: &mut dyn Write,
    name: &str,
    properties: &[(&str, String)],
    message: &str,
) -> io::Result<()> {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    writeln!(
        out,
        "::{name} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

/// `%`, CR and LF, as `@actions/core` escapes a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value also escapes `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn commands_are_one_line() {
        let mut out = Vec::new();
        command(
            &mut out,
            "warning",
            &[("file", "src/a,b.rs".into()), ("title", "L001 x".into())],
            "two\nlines",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=src/a%2Cb.rs,title=L001 x::two%0Alines\n"
        );
    }
}
