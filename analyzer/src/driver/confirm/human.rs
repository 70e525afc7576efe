//! rustc's look for `confirm`: each static finding with its status as a note, and a confirmed
//! one's witness at the source: every step of the interleaving a label at its location, the
//! threads, and the command that replays it. Runtime-only findings follow, then the
//! explorations that went wrong, then a summary.
use super::report::{Confirmation, Status, Witness};
use crate::driver::render::human::{diagnostic_to_string, emit, input_error_to_string, Look};
use crate::driver::report::plural;
use crate::driver::source_map::SourceMap;
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use racecheck::SourceLocation;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

/// Steps of a witness shown at the source at most: the last ones.
const SHOWN_STEPS: usize = 40;
/// Steps shown at one location at most: the last ones.
const STEPS_PER_LOCATION: usize = 6;

pub fn render(
    confirmation: &Confirmation<'_, '_>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let report = &confirmation.report;
    let look = Look {
        color,
        short: false,
    };
    for error in &report.errors {
        out.write_all(input_error_to_string(error, report.sources, look).as_bytes())?;
    }
    // The witnesses drawn so far: one interleaving that confirms several findings (a deadlock
    // and the lock-order cycle behind it, a wiped signal and the wait it leaves blocked) is
    // drawn once, at the first of them.
    let mut drawn: Vec<&Witness<'_>> = Vec::new();
    for (diagnostic, status) in report.diagnostics.iter().zip(&confirmation.statuses) {
        let mut diagnostic = diagnostic.clone();
        diagnostic.notes.push(status_note(confirmation, status));
        out.write_all(diagnostic_to_string(&diagnostic, report.sources, look).as_bytes())?;
        if let Status::Confirmed { witness, .. } = status {
            let witness = &confirmation.witnesses[*witness];
            let title = format!("witness: {}", headline(witness));
            let snippet = draw(Snippet::note(), title, witness, &mut drawn, report.sources);
            out.write_all(emit(report.sources, &snippet, look).as_bytes())?;
        }
    }
    for &miss in &confirmation.misses {
        let witness = &confirmation.witnesses[miss];
        let title = format!(
            "found at run time, with no static finding: {}",
            headline(witness)
        );
        let snippet = draw(Snippet::error(), title, witness, &mut drawn, report.sources);
        out.write_all(emit(report.sources, &snippet, look).as_bytes())?;
    }
    for problem in &confirmation.problems {
        writeln!(
            out,
            "warning: exploring {} ({} strategy): {}\n",
            problem.program, problem.strategy, problem.message
        )?;
    }
    writeln!(out, "{}", summary_line(confirmation))
}

/// The note a static finding ends with.
fn status_note(confirmation: &Confirmation<'_, '_>, status: &Status) -> String {
    match status {
        Status::Confirmed { witness, evidence } => {
            let witness = &confirmation.witnesses[*witness];
            format!(
                "confirmed: {evidence}, in schedule {} of `{}` ({} exploration)",
                witness.line.finding.schedule,
                witness.program.label(),
                witness.strategy
            )
        }
        Status::NotReproduced {
            schedules,
            no_twin: None,
        } => format!("not reproduced in {}", plural(*schedules, "schedule")),
        Status::NotReproduced {
            schedules,
            no_twin: Some(why),
        } => format!(
            "not reproduced in {}: this rule has no runtime twin ({why})",
            plural(*schedules, "schedule")
        ),
    }
}

/// The witness at the source, or, when its interleaving was drawn already, a line saying so.
fn draw<'w>(
    header: Snippet<usize>,
    title: String,
    witness: &'w Witness<'w>,
    drawn: &mut Vec<&'w Witness<'w>>,
    sources: &SourceMap,
) -> Snippet<usize> {
    if drawn
        .iter()
        .any(|earlier| earlier.same_interleaving(witness))
    {
        return header
            .with_message(format!("{title}: the interleaving drawn above"))
            .with_notes(vec![format!("replay: {}", witness.replay_command())]);
    }
    drawn.push(witness);
    witness_snippet(header, title, witness, sources)
}

/// `deadlock: every thread is blocked`.
fn headline(witness: &Witness<'_>) -> String {
    let finding = &witness.line.finding;
    let message = finding.message.lines().next().unwrap_or_default();
    format!("{}: {}", finding.kind, message.trim_end_matches(':'))
}

/// The witness's last steps as labels at their locations (the finding's own locations primary),
/// with its threads and replay command as notes.
fn witness_snippet(
    header: Snippet<usize>,
    title: String,
    witness: &Witness<'_>,
    sources: &SourceMap,
) -> Snippet<usize> {
    let finding = &witness.line.finding;
    let trace = &finding.trace;
    let shown = &trace[trace.len().saturating_sub(SHOWN_STEPS)..];
    // One label per location: the steps run there, in order (a loop's last few).
    let mut at: Vec<(&SourceLocation, Vec<String>)> = Vec::new();
    let mut elsewhere = 0;
    for event in shown {
        if place(sources, &event.location).is_none() {
            elsewhere += 1;
            continue;
        }
        let step = format!("#{}: {} {}", event.index, event.thread, event.operation);
        match at
            .iter_mut()
            .find(|(location, _)| **location == event.location)
        {
            Some((_, steps)) => steps.push(step),
            None => at.push((&event.location, vec![step])),
        }
    }
    let mut labels: Vec<Label<usize>> = at
        .iter()
        .filter_map(|(location, steps)| {
            let (file, range) = place(sources, location)?;
            let label = if finding.locations.contains(location) {
                Label::primary(file, range)
            } else {
                Label::secondary(file, range)
            };
            let cut = steps.len().saturating_sub(STEPS_PER_LOCATION);
            let mut message = steps[cut..].join("; ");
            if cut > 0 {
                message = format!("… {cut} earlier; {message}");
            }
            Some(label.with_message(message))
        })
        .collect();
    if labels.is_empty() {
        // No step is in a loaded file: point at the finding's own locations, if any is.
        labels.extend(
            finding
                .locations
                .iter()
                .filter_map(|l| place(sources, l))
                .map(|(file, range)| Label::primary(file, range)),
        );
    }
    let mut threads: Vec<&str> = Vec::new();
    for event in shown {
        if !threads.contains(&event.thread.as_str()) {
            threads.push(&event.thread);
        }
    }
    let mut notes = vec![format!("threads: {}", threads.join(", "))];
    let earlier = trace.len() - shown.len();
    if earlier > 0 || elsewhere > 0 {
        notes.push(format!(
            "steps not shown: {earlier} earlier, {elsewhere} outside the analyzed files; the \
             replay prints them all"
        ));
    }
    notes.push(format!("replay: {}", witness.replay_command()));
    header
        .with_message(title)
        .with_labels(labels)
        .with_notes(notes)
}

/// The file and byte range of a runtime location: the identifier at its column (the method
/// name `#[track_caller]` points at), or one character.
fn place(sources: &SourceMap, location: &SourceLocation) -> Option<(usize, Range<usize>)> {
    let file = sources.id(Path::new(&location.file))?;
    let text = sources.text(file);
    let line = sources
        .lines(file)
        .line_range(text, (location.line as usize).checked_sub(1)?)?;
    let line_text = &text[line.clone()];
    let column = (location.column as usize).saturating_sub(1);
    let offset = line_text
        .char_indices()
        .nth(column)
        .map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[offset..];
    let word = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    let width = if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    let start = line.start + offset;
    Some((file, start..start + width))
}

fn summary_line(confirmation: &Confirmation<'_, '_>) -> String {
    let confirmed = confirmation.confirmed();
    let unconfirmed = confirmation.statuses.len() - confirmed;
    let mut line = format!(
        "racecheck confirm: {confirmed} confirmed, {unconfirmed} not reproduced, {} found at run \
         time only; {} explored",
        confirmation.misses.len(),
        plural(confirmation.programs, "program")
    );
    if !confirmation.report.errors.is_empty() {
        line += &format!(
            "; {} could not be analyzed",
            plural(confirmation.report.errors.len(), "input")
        );
    }
    line
}
