//! What exploration reports: findings with their witnesses, and the report of a whole run.

use std::fmt;

use super::partition::Partition;
use super::token::INLINE_TOKEN_LIMIT;
use crate::SourceLocation;

/// The exit status of a process that ends on findings (an explored `main`, or the watchdog on a
/// stall): a panicking `main`'s.
pub const FINDINGS_EXIT_CODE: i32 = 101;

/// The kinds of problem exploration finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FindingKind {
    /// Every live thread is blocked, or a livelock: the threads that could still run only poll
    /// (their timed waits time out, in logical time, forever) and nothing they poll can change.
    Deadlock,
    /// Two accesses to one `Shared`, at least one a write, unordered by happens-before.
    DataRace,
    /// A cycle in the lock order taken by two or more threads, not guarded by a common lock.
    LockOrderCycle,
    /// The body, or a thread whose panic no `join` observed, panicked.
    Panic,
    /// The schedule ran `max_steps` operations without ending: a runaway loop or a livelock.
    StepLimit,
    /// The body returned while other threads stay blocked (or poll without progress) forever.
    Hang,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FindingKind::Deadlock => "deadlock",
            FindingKind::DataRace => "data race",
            FindingKind::LockOrderCycle => "lock-order cycle",
            FindingKind::Panic => "panic",
            FindingKind::StepLimit => "step limit",
            FindingKind::Hang => "hang",
        })
    }
}

/// One event of a witness.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceEvent {
    /// Its place in the schedule's whole trace, from 1: strictly increasing along a trace, and
    /// what a rendered witness numbers its events by.
    pub index: usize,
    /// The scheduling step it ran in: the events a thread records between two scheduling
    /// decisions (an operation and the wakeups it causes) share a step.
    pub step: usize,
    /// The logical thread that performed it.
    pub thread: String,
    /// What it did, e.g. `acquire Lock#1 (blocks)`.
    pub operation: String,
    /// Where in the user's source.
    pub location: SourceLocation,
}

/// A problem found in one schedule, with everything needed to understand and re-run it.
///
/// Its JSON form keeps at most the last [`SERIALIZED_TRACE_EVENTS`] trace events, and says how
/// many it left out in a `trace_truncated` field (absent when none were): a livelock's trace runs
/// to the step limit, and the replay token reproduces all of it anyway. Reading the JSON back
/// gives the kept events.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// The explanation: who waits for what, which accesses race, …
    pub message: String,
    /// The threads involved, in the order the message names them.
    pub threads: Vec<String>,
    /// The source locations involved, most telling first.
    pub locations: Vec<SourceLocation>,
    /// Every operation of the schedule up to the point the finding was made.
    pub trace: Vec<TraceEvent>,
    /// `RACECHECK_REPLAY=<token>` (or [`replay`](crate::replay)) re-runs this schedule.
    pub replay_token: String,
    /// The index of the schedule among those explored (0 for a replay).
    pub schedule: usize,
}

/// Trace events a rendered witness shows at most: the last ones.
const SHOWN_TRACE_EVENTS: usize = 200;

/// Trace events the JSON form of a finding keeps at most: the last ones.
pub const SERIALIZED_TRACE_EVENTS: usize = 1_000;

/// The JSON form of a [`Finding`]: its fields, with the trace cut to its end.
#[derive(serde::Serialize)]
#[serde(rename = "Finding")]
struct SerializedFinding<'a> {
    kind: FindingKind,
    message: &'a str,
    threads: &'a [String],
    locations: &'a [SourceLocation],
    trace: &'a [TraceEvent],
    /// Events left out before `trace`.
    #[serde(skip_serializing_if = "is_zero")]
    trace_truncated: usize,
    replay_token: &'a str,
    schedule: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let left_out = self.trace.len().saturating_sub(SERIALIZED_TRACE_EVENTS);
        SerializedFinding {
            kind: self.kind,
            message: &self.message,
            threads: &self.threads,
            locations: &self.locations,
            trace: &self.trace[left_out..],
            trace_truncated: left_out,
            replay_token: &self.replay_token,
            schedule: self.schedule,
        }
        .serialize(serializer)
    }
}

impl fmt::Display for Finding {
    /// The finding, its trace as `#  thread  operation  file:line:col` lines (numbered by
    /// [`TraceEvent::index`]), and how to replay.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_head(f)?;
        self.write_trace(f)
    }
}

impl Finding {
    /// What was found: kind, message, threads and locations, one line each.
    fn write_head(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.kind, self.message)?;
        if !self.threads.is_empty() {
            writeln!(f, "  threads: {}", self.threads.join(", "))?;
        }
        for location in &self.locations {
            writeln!(f, "  at {location}")?;
        }
        Ok(())
    }

    /// The trace's last events and the replay hint.
    fn write_trace(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "trace (schedule {}):", self.schedule)?;
        // A livelock's trace can run to the step limit: its end is what tells.
        let omitted = self.trace.len().saturating_sub(SHOWN_TRACE_EVENTS);
        let shown = &self.trace[omitted..];
        let index_width = shown.last().map_or(1, |e| e.index.to_string().len());
        let thread_width = shown
            .iter()
            .map(|e| e.thread.len())
            .max()
            .unwrap_or(0)
            .max("thread".len());
        let operation_width = shown
            .iter()
            .map(|e| e.operation.len())
            .max()
            .unwrap_or(0)
            .max("operation".len());
        writeln!(
            f,
            "  {:>index_width$}  {:thread_width$}  {:operation_width$}  location",
            "#", "thread", "operation"
        )?;
        if omitted > 0 {
            writeln!(
                f,
                "  … {omitted} earlier events (replaying the token reproduces them all)"
            )?;
        }
        for event in shown {
            writeln!(
                f,
                "  {:>index_width$}  {:thread_width$}  {:operation_width$}  {}",
                event.index, event.thread, event.operation, event.location
            )?;
        }
        if self.replay_token.len() <= INLINE_TOKEN_LIMIT {
            write!(f, "replay: RACECHECK_REPLAY={}", self.replay_token)
        } else {
            write!(
                f,
                "replay: RACECHECK_REPLAY=@FILE, FILE holding the token of {} characters \
                 (`Finding::replay_token`; too long to show)",
                self.replay_token.len()
            )
        }
    }

    /// Whether `other` was made from the same run with the same trace: one rendering of the
    /// trace serves both.
    fn shares_trace_with(&self, other: &Finding) -> bool {
        self.replay_token == other.replay_token
            && self.schedule == other.schedule
            && self.trace == other.trace
    }
}

/// Findings rendered together, e.g. the findings of one schedule: a run of findings with the
/// same trace (a deadlock and the lock-order cycle behind it) shows each one's head, then that
/// trace once. Findings are separated by a blank line.
pub struct Witnesses<'a>(pub &'a [Finding]);

impl fmt::Display for Witnesses<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, finding) in self.0.iter().enumerate() {
            let starts_run = index == 0 || !self.0[index - 1].shares_trace_with(finding);
            if index > 0 {
                writeln!(f, "{}", if starts_run { "\n" } else { "" })?;
            }
            finding.write_head(f)?;
            let ends_run = self
                .0
                .get(index + 1)
                .is_none_or(|next| !finding.shares_trace_with(next));
            if ends_run {
                finding.write_trace(f)?;
            } else {
                write!(f, "  (its trace is the next finding's, below)")?;
            }
        }
        Ok(())
    }
}

/// The outcome of [`explore`](fn@crate::explore) or [`replay`](fn@crate::replay).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// The findings of the first failing schedule (lowest index), empty when every schedule passed.
    pub findings: Vec<Finding>,
    /// Schedules run: all of them when clean, else up to and including the failing one. A
    /// share of a partitioned run counts its own schedules only.
    pub schedules_run: usize,
    /// What an exhaustive search covered; `None` for the sampling strategies.
    pub coverage: Option<Coverage>,
    /// The share of the schedules explored: [`Partition::WHOLE`] unless sharded.
    pub partition: Partition,
    /// The time budget ran out before the schedules did: the run is incomplete.
    pub out_of_time: bool,
    /// An exhaustive search run as one share of several: the units of the search it explored,
    /// in order, from which the shares' schedules are numbered as one run numbers them. Empty
    /// for an unsharded run and for the sampling strategies (their indices are the same in
    /// every share).
    pub units: Vec<Unit>,
}

/// A unit of an exhaustive search that one share explored: a subtree of the search, or a
/// schedule of its own, numbered in the order the search reaches them (the same in every share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    /// Its number among the search's units.
    pub unit: usize,
    /// The index, in this share's run, of its first schedule: its schedules are the next
    /// `schedules` indices.
    pub first: usize,
    /// Schedules run in it.
    pub schedules: usize,
    /// Interleavings among them (see [`Coverage::interleavings`]).
    pub interleavings: usize,
}

/// What an exhaustive search ([`Strategy::Exhaustive`](super::Strategy::Exhaustive)) covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Schedules run to their end that differ in the order of some dependent operations: each
    /// stands for every schedule that only reorders independent ones.
    pub interleavings: usize,
    /// The preemptions each schedule was allowed (`None`: any number).
    pub preemption_bound: Option<usize>,
    /// Whether every interleaving (within the bound) was explored: the search ran out of
    /// schedules to try rather than being stopped by the schedule limit or a finding.
    pub complete: bool,
}

impl fmt::Display for Coverage {
    /// `all 12 interleavings explored, up to 2 preemptions`, or how far an unfinished search got.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let interleavings = match self.interleavings {
            1 => "1 interleaving".to_owned(),
            n => format!("{n} interleavings"),
        };
        let bound = match self.preemption_bound {
            Some(1) => ", up to 1 preemption".to_owned(),
            Some(k) => format!(", up to {k} preemptions"),
            None => String::new(),
        };
        if self.complete {
            write!(f, "all {interleavings} explored{bound}")
        } else {
            write!(
                f,
                "exhaustive search incomplete: {interleavings} explored{bound} before it stopped"
            )
        }
    }
}

impl Report {
    /// The findings of the first failing schedule.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    /// Whether no schedule failed.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(line: u32) -> SourceLocation {
        SourceLocation {
            file: "src/main.rs".into(),
            line,
            column: 5,
        }
    }

    #[test]
    fn a_finding_renders_as_a_witness() {
        let finding = Finding {
            kind: FindingKind::Deadlock,
            message: "every thread is blocked".into(),
            threads: vec!["MainThread".into(), "Thread-1".into()],
            locations: vec![location(7)],
            trace: vec![
                TraceEvent {
                    index: 1,
                    step: 1,
                    thread: "MainThread".into(),
                    operation: "spawn Thread-1".into(),
                    location: location(3),
                },
                TraceEvent {
                    index: 12,
                    step: 9,
                    thread: "Thread-1".into(),
                    operation: "acquire Lock#1".into(),
                    location: location(7),
                },
            ],
            replay_token: "rc1:AQI".into(),
            schedule: 4,
        };
        let expected = "\
deadlock: every thread is blocked
  threads: MainThread, Thread-1
  at src/main.rs:7:5
trace (schedule 4):
   #  thread      operation       location
   1  MainThread  spawn Thread-1  src/main.rs:3:5
  12  Thread-1    acquire Lock#1  src/main.rs:7:5
replay: RACECHECK_REPLAY=rc1:AQI";
        assert_eq!(finding.to_string(), expected);
    }

    #[test]
    fn findings_with_one_trace_show_it_once() {
        let deadlock = Finding {
            kind: FindingKind::Deadlock,
            message: "every thread is blocked".into(),
            threads: vec!["Thread-1".into(), "Thread-2".into()],
            locations: vec![location(7)],
            trace: vec![TraceEvent {
                index: 1,
                step: 1,
                thread: "Thread-1".into(),
                operation: "acquire A".into(),
                location: location(7),
            }],
            replay_token: "rc1:AQI".into(),
            schedule: 2,
        };
        let cycle = Finding {
            kind: FindingKind::LockOrderCycle,
            message: "A -> B -> A are taken in opposite orders".into(),
            locations: vec![location(8)],
            ..deadlock.clone()
        };
        let race = Finding {
            kind: FindingKind::DataRace,
            message: "write of x races".into(),
            trace: Vec::new(),
            ..deadlock.clone()
        };
        let text = Witnesses(&[deadlock.clone(), cycle, race]).to_string();
        assert_eq!(text.matches("trace (schedule 2):").count(), 2, "{text}");
        assert_eq!(text.matches("acquire A").count(), 1, "{text}");
        let expected_start = "\
deadlock: every thread is blocked
  threads: Thread-1, Thread-2
  at src/main.rs:7:5
  (its trace is the next finding's, below)
lock-order cycle: A -> B -> A are taken in opposite orders
  threads: Thread-1, Thread-2
  at src/main.rs:8:5
trace (schedule 2):
";
        assert!(text.starts_with(expected_start), "{text}");
        assert!(
            text.contains("replay: RACECHECK_REPLAY=rc1:AQI\n\ndata race:"),
            "{text}"
        );
        assert_eq!(
            Witnesses(std::slice::from_ref(&deadlock)).to_string(),
            deadlock.to_string()
        );
    }

    #[test]
    fn a_long_trace_shows_its_end() {
        let event = |index| TraceEvent {
            index,
            step: index,
            thread: "MainThread".into(),
            operation: "is_set Event#1 -> false".into(),
            location: location(9),
        };
        let finding = Finding {
            kind: FindingKind::StepLimit,
            message: "the schedule ran 1000 steps without ending".into(),
            threads: vec!["MainThread".into()],
            locations: vec![location(9)],
            trace: (1..=1000).map(event).collect(),
            replay_token: "rc1:6Ac".into(),
            schedule: 0,
        };
        let text = finding.to_string();
        assert!(text.contains("  … 800 earlier events (replaying the token reproduces them all)\n"));
        assert!(!text.contains("\n   800  "));
        assert!(text.contains("\n   801  MainThread"));
        assert!(text.contains("\n  1000  MainThread"));
    }

    #[test]
    fn the_json_form_keeps_the_end_of_a_long_trace_and_counts_the_rest() {
        let event = |index| TraceEvent {
            index,
            step: index,
            thread: "MainThread".into(),
            operation: "is_set Event#1 -> false".into(),
            location: location(9),
        };
        let mut finding = Finding {
            kind: FindingKind::StepLimit,
            message: "the schedule ran 1500 steps without ending".into(),
            threads: vec!["MainThread".into()],
            locations: vec![location(9)],
            trace: (1..=1500).map(event).collect(),
            replay_token: "rc1:6Ac".into(),
            schedule: 0,
        };
        let json: serde_json::Value = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["trace_truncated"], 500);
        let trace = json["trace"].as_array().unwrap();
        assert_eq!(trace.len(), SERIALIZED_TRACE_EVENTS);
        assert_eq!(trace[0]["index"], 501);

        let read_back: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(read_back.trace, finding.trace[500..]);

        finding.trace.truncate(10);
        let json = serde_json::to_value(&finding).unwrap();
        assert!(json.get("trace_truncated").is_none());
        assert_eq!(serde_json::from_value::<Finding>(json).unwrap(), finding);
    }
}
