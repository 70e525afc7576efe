//! The join of static findings and runtime findings, by source location: a runtime finding
//! confirms a static one when its witness passes through the static finding's primary or
//! secondary lines, in the way the rule's *runtime twin* says. Columns are never compared: the
//! runtime's `#[track_caller]` points at the method name, the analyzer at the start of the
//! expression.
//!
//! | code | confirmed by a runtime finding … |
//! | --- | --- |
//! | D001 | `Deadlock` or `LockOrderCycle`, located on an edge of the cycle (primary or secondary line) |
//! | D002 | `Deadlock` or `Hang`, located at the second acquisition or the first |
//! | D003 | `Deadlock` or `Hang`, located at the blocking wait, the held lock's acquisition or the spawn of the thread that would wake it |
//! | D004, D005 | `Deadlock` or `Hang`, located at the wait that never returns |
//! | D006 | `Panic`, located at the `Pool.join`: joining an open pool is an error, never a hang |
//! | L002 | `Deadlock` or `Hang`, located at the `Condition.wait` whose wakeup was lost |
//! | R001 | `DataRace`, located at the read-modify-write |
//! | R003 | `Panic` whose trace has a thread take the reading guard, another thread take the lock, then the first take the writing guard: the lost update, caught where the program checks it |
//! | R004 | `Deadlock`, `Hang` or `StepLimit` whose trace runs the flagged `set` and later the flagged `clear` |
//!
//! R004 is joined through the witness's trace because the engine reports the effect of a wiped
//! signal where it shows (the waiter blocked at its own `wait`, or polling forever), not the
//! `clear`/`set` pair the rule flags; the order of the two in the trace is the race itself.
//! L001 and R002 have no runtime twin ([`twin`] says why).
use crate::diagnostic::{Diagnostic, Span};
use racecheck::{Finding, FindingKind, SourceLocation, TraceEvent};

/// How a rule's diagnostic shows at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    /// A finding of one of these kinds lists, among its locations, the diagnostic's primary line
    /// or one of its secondary lines.
    Located(&'static [FindingKind]),
    /// A finding of one of these kinds whose trace runs a secondary line and, at a later step,
    /// the primary line.
    TracedAfter(&'static [FindingKind]),
    /// A finding of one of these kinds whose trace has a thread at the first secondary line, then
    /// another thread at either secondary line, then the first thread at the second one.
    Interleaved(&'static [FindingKind]),
    /// No runtime finding can point at what the rule flags, for this reason.
    Absent(&'static str),
}

const BLOCKED: &[FindingKind] = &[FindingKind::Deadlock, FindingKind::Hang];

/// The runtime twin of each rule; `None` for a code the join does not know.
pub fn twin(code: &str) -> Option<Twin> {
    Some(match code {
        "D001" => Twin::Located(&[FindingKind::Deadlock, FindingKind::LockOrderCycle]),
        "D002" | "D003" | "D004" | "D005" | "L002" => Twin::Located(BLOCKED),
        "D006" => Twin::Located(&[FindingKind::Panic]),
        "R001" => Twin::Located(&[FindingKind::DataRace]),
        "R003" => Twin::Interleaved(&[FindingKind::Panic]),
        "R004" => Twin::TracedAfter(&[
            FindingKind::Deadlock,
            FindingKind::Hang,
            FindingKind::StepLimit,
        ]),
        "L001" => Twin::Absent(
            "dropping a handle is no operation the engine sees; what follows from it (main \
             ending first, reading a result early) is reported at the accesses, not at the spawn",
        ),
        "R002" => Twin::Absent(
            "std atomics are not racecheck primitives: their `load` and `store` are no engine event",
        ),
        "L003" => Twin::Located(&[FindingKind::Panic]),
        "U001" => Twin::Absent("an allow comment that silences nothing is no runtime behaviour"),
        _ => return None,
    })
}

/// A place the join compares: a file and a 1-based line.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    file: &'a str,
    line: u32,
}

impl Place<'_> {
    fn of_span(span: &Span) -> Place<'_> {
        Place {
            file: span.file.to_str().unwrap_or_default(),
            line: span.line_start,
        }
    }

    fn is(&self, location: &SourceLocation) -> bool {
        self.line == location.line && same_file(self.file, &location.file)
    }
}

/// Whether two paths name one file: equal, or one is the other with leading folders (the
/// runtime's paths are relative to the workspace root, or absolute outside it).
fn same_file(a: &str, b: &str) -> bool {
    let (a, b) = (a.replace('\\', "/"), b.replace('\\', "/"));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let short = short.trim_start_matches("./");
    !short.is_empty()
        && long.ends_with(short)
        && (long.len() == short.len() || long[..long.len() - short.len()].ends_with('/'))
}

/// If `finding` confirms `diagnostic`, what shows it: e.g. `deadlock at src/main.rs:9:14`.
pub fn evidence(diagnostic: &Diagnostic, finding: &Finding) -> Option<String> {
    let twin = twin(&diagnostic.code)?;
    let primary = Place::of_span(&diagnostic.primary);
    let secondary: Vec<Place<'_>> = diagnostic
        .secondary
        .iter()
        .map(|label| Place::of_span(&label.span))
        .collect();
    let flagged = |location: &SourceLocation| {
        primary.is(location) || secondary.iter().any(|place| place.is(location))
    };
    match twin {
        Twin::Located(kinds) if kinds.contains(&finding.kind) => finding
            .locations
            .iter()
            .find(|at| flagged(at))
            .map(|at| format!("{} at {at}", finding.kind)),
        Twin::TracedAfter(kinds) if kinds.contains(&finding.kind) => {
            let cause = finding
                .trace
                .iter()
                .position(|event| secondary.iter().any(|place| place.is(&event.location)))?;
            let effect = finding.trace[cause + 1..]
                .iter()
                .find(|event| primary.is(&event.location))?;
            Some(format!(
                "{} whose trace runs {}, then {}",
                finding.kind,
                step(&finding.trace[cause]),
                step(effect)
            ))
        }
        Twin::Interleaved(kinds) if kinds.contains(&finding.kind) => {
            let [read, write] = secondary[..] else {
                return None;
            };
            interleaving(&finding.trace, read, write).map(|(first, between, last)| {
                format!(
                    "{} after {}, {}, {}",
                    finding.kind,
                    step(first),
                    step(between),
                    step(last)
                )
            })
        }
        _ => None,
    }
}

/// Steps `a < b < c`: a thread at `read`, another thread at `read` or `write`, the first thread
/// at `write`.
fn interleaving<'t>(
    trace: &'t [TraceEvent],
    read: Place<'_>,
    write: Place<'_>,
) -> Option<(&'t TraceEvent, &'t TraceEvent, &'t TraceEvent)> {
    trace.iter().enumerate().find_map(|(a, first)| {
        if !read.is(&first.location) {
            return None;
        }
        let last = a
            + trace[a + 1..]
                .iter()
                .position(|e| e.thread == first.thread && write.is(&e.location))?
            + 1;
        trace[a + 1..last]
            .iter()
            .find(|e| e.thread != first.thread && (read.is(&e.location) || write.is(&e.location)))
            .map(|between| (first, between, &trace[last]))
    })
}

/// `Thread-1's acquire Lock#1 (#4, src/main.rs:9:14)`: the event's place in the trace.
fn step(event: &TraceEvent) -> String {
    format!(
        "{}'s `{}` (#{}, {})",
        event.thread, event.operation, event.index, event.location
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity};

    fn span(line: u32) -> Span {
        Span {
            file: "src/main.rs".into(),
            byte_start: 0,
            byte_end: 1,
            line_start: line,
            column_start: 1,
            line_end: line,
            column_end: 2,
        }
    }

    fn diagnostic(code: &str, primary: u32, secondary: &[u32]) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            name: String::new(),
            severity: Severity::Warning,
            message: String::new(),
            primary: span(primary),
            primary_label: String::new(),
            secondary: secondary
                .iter()
                .map(|&line| Label {
                    span: span(line),
                    message: String::new(),
                })
                .collect(),
            flows: Vec::new(),
            notes: Vec::new(),
            help: None,
            fingerprint: String::new(),
        }
    }

    fn location(file: &str, line: u32) -> SourceLocation {
        SourceLocation {
            file: file.into(),
            line,
            column: 9,
        }
    }

    fn finding(kind: FindingKind, at: &[u32], trace: &[(&str, u32)]) -> Finding {
        Finding {
            kind,
            message: String::new(),
            threads: Vec::new(),
            locations: at.iter().map(|&l| location("src/main.rs", l)).collect(),
            trace: trace
                .iter()
                .enumerate()
                .map(|(step, &(thread, line))| TraceEvent {
                    index: step + 1,
                    step,
                    thread: thread.into(),
                    operation: "acquire Lock#1".into(),
                    location: location("src/main.rs", line),
                })
                .collect(),
            replay_token: "rc1:AA".into(),
            schedule: 0,
        }
    }

    #[test]
    fn a_located_twin_joins_on_any_flagged_line_of_the_right_kind() {
        let d001 = diagnostic("D001", 10, &[20]);
        assert!(evidence(&d001, &finding(FindingKind::Deadlock, &[20], &[])).is_some());
        assert!(evidence(&d001, &finding(FindingKind::Deadlock, &[11], &[])).is_none());
        assert!(evidence(&d001, &finding(FindingKind::DataRace, &[10], &[])).is_none());
        assert!(evidence(
            &diagnostic("L001", 10, &[]),
            &finding(FindingKind::Deadlock, &[10], &[])
        )
        .is_none());
    }

    #[test]
    fn r004_joins_through_the_trace_in_order() {
        let r004 = diagnostic("R004", 30, &[20]);
        let set_then_clear = finding(FindingKind::Hang, &[40], &[("A", 20), ("B", 30)]);
        assert!(evidence(&r004, &set_then_clear).is_some());
        let clear_then_set = finding(FindingKind::Hang, &[40], &[("B", 30), ("A", 20)]);
        assert!(evidence(&r004, &clear_then_set).is_none());
    }

    #[test]
    fn r003_joins_on_another_thread_between_the_two_guards() {
        let r003 = diagnostic("R003", 17, &[12, 16]);
        let lost = finding(
            FindingKind::Panic,
            &[27],
            &[("T1", 12), ("T2", 12), ("T2", 16), ("T1", 16)],
        );
        let evidence = evidence(&r003, &lost).expect("the lost update joins");
        assert!(evidence.starts_with("panic after T1's"), "{evidence}");
        let in_turn = finding(
            FindingKind::Panic,
            &[27],
            &[("T1", 12), ("T1", 16), ("T2", 12), ("T2", 16)],
        );
        assert_eq!(super::evidence(&r003, &in_turn), None);
    }

    #[test]
    fn files_match_by_trailing_components() {
        assert!(same_file("fixtures/src/bin/a.rs", "fixtures/src/bin/a.rs"));
        assert!(same_file(
            "/ws/fixtures/src/bin/a.rs",
            "fixtures/src/bin/a.rs"
        ));
        assert!(same_file("src\\main.rs", "src/main.rs"));
        assert!(!same_file("fixtures/src/bin/ba.rs", "bin/a.rs"));
        assert!(!same_file("", "a.rs"));
    }
}
