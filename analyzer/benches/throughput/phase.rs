//! One phase of the throughput bench, run inside a child process that reports back as JSON.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;

use racecheck_analyzer::diagnostic::SourceFile;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus;
use crate::timing::time;

/// The analyzer's thread stack size (`frontend::pool::STACK_SIZE`).
const PARSE_STACK_SIZE: usize = 256 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `syn::parse_file` of every file, in parallel: the floor any syn-based analysis stands on.
    Parse,
    /// `racecheck_analyzer::analyze` over all the files at once, as `cargo racecheck check FOLDER`.
    Analyze,
    /// The whole `cargo racecheck check FOLDER` in this process (`driver::run`): discovery,
    /// loading, analysis, suppressions, fingerprints, rendering (to /dev/null), as a user runs it.
    Cli,
    /// The same analysis, with every crate modelled: the analysis models only crates that name racecheck,
    /// which no crate of the corpus does, so each file gets a `// racecheck` comment (outside the
    /// measured time) to measure the model and the rules on real code.
    AnalyzeEveryCrate,
}

impl Phase {
    /// Every phase, parse-only first: the others are compared with it.
    pub const ALL: [Phase; 4] = [
        Phase::Parse,
        Phase::Analyze,
        Phase::Cli,
        Phase::AnalyzeEveryCrate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Analyze => "analyze",
            Phase::Cli => "cli",
            Phase::AnalyzeEveryCrate => "analyze-every-crate",
        }
    }

    /// The phase's row title in the results table.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Parse => "parse only: `syn::parse_file`, in parallel",
            Phase::Analyze => "analysis: `racecheck_analyzer::analyze`",
            Phase::Cli => "`cargo racecheck check CORPUS`, in process, load included",
            Phase::AnalyzeEveryCrate => "analysis, every crate modelled",
        }
    }

    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|phase| phase.name() == name)
    }
}

/// What a child measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    /// The corpus the child loaded before its phase (none for the CLI, which loads its own).
    pub corpus: Option<CorpusFacts>,
    /// Threads of rayon's global pool.
    pub threads: usize,
    pub phase_seconds: f64,
    /// Peak resident memory of the whole process (KiB).
    pub peak_kib: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorpusFacts {
    pub files: usize,
    pub lines: usize,
    pub bytes: usize,
    pub load_seconds: f64,
    /// Peak resident memory once the corpus is loaded, before the phase (KiB).
    pub loaded_kib: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Outcome {
    Parsed {
        failures: usize,
    },
    Analyzed {
        diagnostics: usize,
        input_errors: usize,
        /// Crates found (each modelled when the files are tagged).
        crates: usize,
        /// Crates whose model a bound cut short.
        cut_short: usize,
    },
    Checked {
        exit_status: u8,
    },
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Parsed { failures } => write!(f, "{failures} files syn cannot parse"),
            Outcome::Analyzed {
                diagnostics,
                input_errors,
                crates,
                cut_short,
            } => write!(
                f,
                "{diagnostics} diagnostics, {input_errors} input errors; {crates} crates, \
                 {cut_short} cut short by a bound"
            ),
            Outcome::Checked { exit_status } => write!(f, "exit status {exit_status}"),
        }
    }
}

/// Runs `phase` over the corpus once: loads it first, except for the CLI, which loads its own.
pub fn run(phase: Phase, folder: &Path) -> ChildReport {
    let (corpus, (outcome, took)) = match phase {
        Phase::Parse => {
            let (facts, files) = load(folder, false);
            (Some(facts), time(|| parse_all(&files)))
        }
        Phase::Analyze => {
            let (facts, files) = load(folder, false);
            (Some(facts), time(|| analyze_all(&files)))
        }
        Phase::AnalyzeEveryCrate => {
            let (facts, files) = load(folder, true);
            (Some(facts), time(|| analyze_all(&files)))
        }
        Phase::Cli => (None, time(|| check(folder))),
    };
    ChildReport {
        corpus,
        threads: rayon::current_num_threads(),
        phase_seconds: took.as_secs_f64(),
        peak_kib: peak_rss_kib(),
        outcome,
    }
}

/// Loads the corpus, each file tagged as naming racecheck when `tag`.
fn load(folder: &Path, tag: bool) -> (CorpusFacts, Vec<SourceFile>) {
    let (mut corpus, load) = time(|| corpus::load(folder));
    if tag {
        mention_racecheck(&mut corpus.files);
        forget_the_untagged_copies();
    }
    let facts = CorpusFacts {
        files: corpus.files.len(),
        lines: corpus.lines,
        bytes: corpus.bytes,
        load_seconds: load.as_secs_f64(),
        loaded_kib: peak_rss_kib(),
    };
    (facts, corpus.files)
}

/// `cargo racecheck check FOLDER --output /dev/null`, through the driver's own entry point.
fn check(folder: &Path) -> Outcome {
    let args: [OsString; 6] = [
        "cargo-racecheck".into(),
        "racecheck".into(),
        "check".into(),
        "--output".into(),
        "/dev/null".into(),
        folder.into(),
    ];
    let outcome = racecheck_analyzer::driver::run(args);
    Outcome::Checked {
        exit_status: outcome as u8,
    }
}

/// Parses on a pool set up as the analyzer's own (`frontend::pool`): one thread per core, with
/// stacks big enough for syn's recursion on deeply nested files.
fn parse_all(files: &[SourceFile]) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(PARSE_STACK_SIZE)
        .build()
        .expect("a parsing pool");
    let failures = pool.install(|| {
        files
            .par_iter()
            .filter(|file| {
                let failed = syn::parse_file(&file.text).is_err();
                // With proc-macro2's `span-locations` (the workspace enables it), every parsed
                // file stays in a per-thread source map until this call; the analyzer releases it
                // after each file, so the floor it is compared with does too.
                proc_macro2::extra::invalidate_current_thread_spans();
                failed
            })
            .count()
    });
    Outcome::Parsed { failures }
}

fn analyze_all(files: &[SourceFile]) -> Outcome {
    let analysis = racecheck_analyzer::analyze(files);
    let roots: std::collections::BTreeSet<_> = analysis.crate_roots.values().collect();
    Outcome::Analyzed {
        diagnostics: analysis.diagnostics.len(),
        input_errors: analysis.errors.len(),
        crates: roots.len(),
        cut_short: analysis.notes.len(),
    }
}

/// Appends a comment naming racecheck to every file, so that the analysis models every crate.
fn mention_racecheck(files: &mut [SourceFile]) {
    for file in files {
        file.text = Arc::from(format!("{}\n// racecheck\n", file.text));
    }
}

/// Tagging copied every text: the untagged copies are freed, but the allocator keeps their
/// pages and the peak counted them. Hands the pages back and restarts the peak, so the phase is
/// measured over one copy of the corpus, as the parse-only phase is.
fn forget_the_untagged_copies() {
    // SAFETY: malloc_trim only releases free memory of glibc's heap; it touches no live allocation.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
    // "5" resets the peak resident set (VmHWM) to the current one (proc(5), clear_refs).
    if let Err(error) = std::fs::write("/proc/self/clear_refs", "5") {
        eprintln!("warning: the peak memory still counts the untagged corpus: {error}");
    }
}

/// The process's peak resident set (VmHWM of /proc/self/status), in KiB; 0 where there is none.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
