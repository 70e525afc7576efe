//! What the analysis produces and every output format consumes. This is the boundary between the
//! analysis (frontend → model → graphs → rules) and the driver (CLI, config, suppressions, renderers).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// One input file, as the driver loaded it. `path` is what diagnostics print (relative to the
/// working directory or workspace root where possible).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// A crate's Rust edition, where it changes what the analysis sees: from 2024, the temporaries
/// of an `if let` scrutinee end before its `else` block, and those of a block's tail expression
/// end with the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// 2015, 2018 or 2021 (one rule for temporaries), and the edition of a crate whose manifest
    /// is not known.
    #[default]
    Rust2021,
    Rust2024,
}

impl Edition {
    /// The edition a manifest's `edition` value names (`"2024"`); earlier ones read as 2021.
    pub fn from_manifest(value: &str) -> Edition {
        match value.parse::<u32>() {
            Ok(year) if year >= 2024 => Edition::Rust2024,
            _ => Edition::Rust2021,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    /// Every level, lowest first.
    pub const ALL: [Severity; 3] = [Severity::Note, Severity::Warning, Severity::Error];

    /// The level as every format writes it: `note`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    /// A level in any case, surrounding blanks ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        Severity::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                format!("invalid level `{text}` (expected `note`, `warning` or `error`)")
            })
    }
}

/// A region of a source file. Lines and columns are 1-based; columns count Unicode scalar values
/// (rustc's convention); `end_column` and `byte_end` are exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub file: PathBuf,
    pub byte_start: usize,
    pub byte_end: usize,
    pub line_start: u32,
    pub column_start: u32,
    pub line_end: u32,
    pub column_end: u32,
}

/// A secondary span with what it shows (for D001: one per edge of the cycle, naming its thread).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// What a step of a thread flow does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Takes a lock (or a permit).
    Acquire,
    /// Calls a function, on the way to the operation that makes the bug.
    Call,
    /// Blocks until another thread does something (a join, a wait, a blocking get…).
    Wait,
    /// Ends another thread's wait (a put, a set, a notify, a send).
    Signal,
    /// Reads or writes shared data.
    Access,
}

impl StepKind {
    /// SARIF's name for it (`threadFlowLocation.kinds`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Acquire => "acquire",
            StepKind::Call => "call",
            StepKind::Wait => "wait",
            StepKind::Signal => "signal",
            StepKind::Access => "access",
        }
    }
}

/// One operation of a thread flow, with what it shows (the text of its label).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub span: Span,
    pub message: String,
    pub kind: StepKind,
}

/// What one thread does to make the finding, in the order it runs: its acquisitions, the calls
/// made while a guard is held, down to the operation that blocks or races. Every step is also
/// the primary span or a secondary label of the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadFlow {
    /// The thread, as messages name it.
    pub thread: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `D001` …
    pub code: String,
    /// `lock-order-inversion` …
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub primary: Span,
    /// Label shown under the primary span.
    pub primary_label: String,
    pub secondary: Vec<Label>,
    /// Per thread involved, its steps (SARIF code flows); empty for a single operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<ThreadFlow>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Stable across unrelated edits (filled by the driver; see `fingerprint`).
    pub fingerprint: String,
}

/// A file that could not be read or parsed (or only partly analyzed): reported, and the run goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub path: PathBuf,
    /// Where in the file, when known (a parse error's position).
    pub span: Option<Span>,
    pub message: String,
}

/// Puts findings in report order (by file, position, then code) and keeps one per code and
/// primary span: a helper reached from several threads, or a bug found along several paths, is
/// one finding. The first one found is kept.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        report_order(a)
            .cmp(&report_order(b))
            .then_with(|| a.primary.cmp(&b.primary))
    });
    diagnostics.dedup_by(|a, b| a.code == b.code && a.primary == b.primary);
}

fn report_order(diagnostic: &Diagnostic) -> (&Path, u32, u32, &str) {
    let span = &diagnostic.primary;
    (
        &span.file,
        span.line_start,
        span.column_start,
        &diagnostic.code,
    )
}

/// What the user should know of how the run went that is neither a finding nor an input error:
/// a crate whose model a bound of the analysis cut short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunNote {
    /// The file it is about (the root of the crate).
    pub path: PathBuf,
    pub message: String,
}
