//! The analyzer's throughput on the bench corpus (200 crates, about 2.8M lines).
//!
//! Run: `cargo bench -p racecheck-analyzer --bench throughput -- CORPUS` (or set
//! `RACECHECK_BENCH_CORPUS=CORPUS`), where CORPUS is the folder printed by
//! `scripts/bench-corpus/make.sh target/bench-corpus`. Without a corpus it says how to make
//! one and exits 0, so CI can build it without running it.
//!
//! Phases over the same loaded files, with every core: parse-only (`syn::parse_file` of every
//! file in parallel, on a pool set up as the analyzer's), the whole analysis
//! (`racecheck_analyzer::analyze`, as the CLI runs it), the whole CLI in process, and the
//! analysis with every crate modelled (see `phase::Phase`). Each sample of a phase runs in a child process of this very
//! binary, so that its peak memory (VmHWM) is its own; the phases alternate round by round so that
//! the machine's drift hits them alike. Then each crate of `per_crate::CASES` is measured alone,
//! parse-only against every crate modelled, the same way. Prints Markdown for BENCHMARKS.md.

#[path = "../../../runtime/benches/support/timing.rs"]
mod timing;

mod corpus;
mod per_crate;
mod phase;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use phase::{ChildReport, CorpusFacts, Phase};
use timing::{paired_ratio, run_round_robin, Case, Rounds, Summary};

/// Where the corpus folder may be given, besides the first argument.
const CORPUS_VAR: &str = "RACECHECK_BENCH_CORPUS";
/// Set in a child process: the phase it runs (see `phase::Phase::name`).
const PHASE_VAR: &str = "RACECHECK_BENCH_PHASE";

/// Analysis time (every crate modelled included) may be at most this many times parse-only's.
const ANALYSIS_OVER_PARSE_TARGET: f64 = 1.5;
/// Peak memory of the analysis may be at most this many times parse-only's.
const MEMORY_OVER_PARSE_TARGET: f64 = 3.0;
/// Lines per second the analysis must reach on the 2-core bench machine.
const LINES_PER_SECOND_TARGET: f64 = 200_000.0;

fn main() {
    let Some(corpus) = corpus_folder() else {
        println!(
            "No corpus given: nothing to measure.\n\
             Make one with `scripts/bench-corpus/make.sh target/bench-corpus` (it prints the \
             folder), then run\n  cargo bench -p racecheck-analyzer --bench throughput -- FOLDER\n\
             or set {CORPUS_VAR}=FOLDER. scripts/bench-corpus.sh does all of it."
        );
        return;
    };
    if !corpus.is_dir() {
        eprintln!("error: {} is not a folder", corpus.display());
        std::process::exit(2);
    }
    match std::env::var(PHASE_VAR) {
        Ok(name) => run_child(&corpus, &name),
        Err(_) => run_parent(&corpus),
    }
}

/// The corpus folder: the first argument that is not a flag (cargo passes `--bench`), else the
/// environment variable.
fn corpus_folder() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .find(|arg| !arg.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os(CORPUS_VAR).map(PathBuf::from))
        .filter(|path| !path.as_os_str().is_empty())
}

fn run_child(corpus: &Path, phase_name: &str) {
    let Some(phase) = Phase::from_name(phase_name) else {
        eprintln!("error: unknown phase {phase_name:?}");
        std::process::exit(2);
    };
    let report = phase::run(phase, corpus);
    println!(
        "{}",
        serde_json::to_string(&report).expect("a report serializes")
    );
}

fn run_parent(corpus: &Path) {
    let rounds = Rounds::from_env(1, 5);
    let phases = Phase::ALL;
    eprintln!(
        "measuring {} ({} warm-up + {} measured rounds)",
        corpus.display(),
        rounds.warmup,
        rounds.measured
    );
    let measured = measure(rounds, corpus, &phases);
    print_results(corpus, rounds, &phases, &measured);
    print_per_crate(corpus, Rounds::from_env(1, 3));
}

/// Runs each phase over `folder` once per round, each sample in a child process; returns the
/// measured rounds' reports of each phase, in the order of `phases`.
fn measure(rounds: Rounds, folder: &Path, phases: &[Phase]) -> Vec<Vec<ChildReport>> {
    let reports: Vec<RefCell<Vec<ChildReport>>> =
        phases.iter().map(|_| RefCell::default()).collect();
    let mut cases: Vec<Case<'_>> = phases
        .iter()
        .zip(&reports)
        .map(|(&phase, into)| Case::new(phase.name(), move || sample(folder, phase, into)))
        .collect();
    run_round_robin(rounds, &mut cases);
    drop(cases);
    reports
        .into_iter()
        .map(|samples| samples.into_inner().split_off(rounds.warmup))
        .collect()
}

/// The regression cases: each crate alone, parse-only against every crate modelled.
fn print_per_crate(corpus: &Path, rounds: Rounds) {
    println!(
        "Single crates, each alone ({} warm-up + {} measured rounds, each sample in its own \
         process; ratios are medians of the rounds' ratios):\n",
        rounds.warmup, rounds.measured
    );
    println!(
        "| crate | lines | parse only | peak | modelled | peak | time ÷ parse | memory ÷ parse |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let phases = [Phase::Parse, Phase::AnalyzeEveryCrate];
    for name in per_crate::CASES {
        let Some(folder) = per_crate::folder(corpus, name) else {
            eprintln!("{name} is not in the corpus: skipped");
            continue;
        };
        eprintln!("measuring {}", folder.display());
        let measured = measure(rounds, &folder, &phases);
        let lines = measured[0]
            .iter()
            .find_map(|r| r.corpus.as_ref())
            .map_or(0, |facts| facts.lines);
        let seconds = |reports: &[ChildReport]| -> Vec<f64> {
            reports.iter().map(|r| r.phase_seconds).collect()
        };
        let peaks = |reports: &[ChildReport]| -> Vec<f64> {
            reports.iter().map(|r| r.peak_kib as f64).collect()
        };
        let (parse, modelled) = (&measured[0], &measured[1]);
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            folder.file_name().unwrap_or_default().to_string_lossy(),
            thousands(lines as f64),
            seconds_text(Summary::of(&seconds(parse)).median),
            mib(Summary::of(&peaks(parse)).median as u64),
            seconds_text(Summary::of(&seconds(modelled)).median),
            mib(Summary::of(&peaks(modelled)).median as u64),
            paired_ratio(&seconds(modelled), &seconds(parse)),
            paired_ratio(&peaks(modelled), &peaks(parse)),
        );
    }
    println!();
}

/// Runs one phase in a child process and records its report; returns the phase's own time.
fn sample(folder: &Path, phase: Phase, into: &RefCell<Vec<ChildReport>>) -> Duration {
    let exe = std::env::current_exe().expect("the bench binary's own path");
    let output = Command::new(exe)
        .arg(folder)
        .env(PHASE_VAR, phase.name())
        .output()
        .expect("the bench binary can run itself");
    if !output.status.success() {
        eprintln!(
            "error: the {} phase failed ({}):\n{}",
            phase.name(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        std::process::exit(1);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: ChildReport = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| {
            eprintln!(
                "error: the {} phase printed no report:\n{stdout}",
                phase.name()
            );
            std::process::exit(1);
        });
    let elapsed = Duration::from_secs_f64(report.phase_seconds);
    into.borrow_mut().push(report);
    elapsed
}

fn print_results(corpus: &Path, rounds: Rounds, phases: &[Phase], measured: &[Vec<ChildReport>]) {
    // The parse-only children (first) hold the corpus as loaded: the every-crate ones hold a
    // tagged copy, and the CLI loads its own.
    let loads: Vec<&CorpusFacts> = measured[0]
        .iter()
        .filter_map(|r| r.corpus.as_ref())
        .collect();
    let facts = loads[0];
    let lines = facts.lines as f64;
    println!(
        "Corpus: `{}`: {} files, {} lines, {:.1} MiB. {} threads. {} warm-up + {} measured \
         rounds, phases alternating, each sample in its own process.\n",
        corpus.display(),
        facts.files,
        facts.lines,
        facts.bytes as f64 / (1024.0 * 1024.0),
        measured[0][0].threads,
        rounds.warmup,
        rounds.measured
    );
    println!("| phase | wall time, median | min – max | lines/s | peak RSS (VmHWM) | outcome |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let load = Summary::of(&loads.iter().map(|f| f.load_seconds).collect::<Vec<_>>());
    let loaded = loads.iter().map(|f| f.loaded_kib).max().unwrap_or(0);
    println!(
        "| load: find and read every file (the driver's discovery) | {} | {} | {} | {} | {} files |",
        seconds_text(load.median),
        range(&load),
        thousands(lines / load.median),
        mib(loaded),
        facts.files
    );
    let mut medians = Vec::with_capacity(phases.len());
    for (phase, reports) in phases.iter().zip(measured) {
        let time = Summary::of(&reports.iter().map(|r| r.phase_seconds).collect::<Vec<_>>());
        let peak = reports.iter().map(|r| r.peak_kib).max().unwrap_or(0);
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            phase.label(),
            seconds_text(time.median),
            range(&time),
            thousands(lines / time.median),
            mib(peak),
            reports[0].outcome
        );
        medians.push(time.median);
    }
    println!();

    let seconds_of =
        |reports: &[ChildReport]| -> Vec<f64> { reports.iter().map(|r| r.phase_seconds).collect() };
    let peaks_of = |reports: &[ChildReport]| -> Vec<f64> {
        reports.iter().map(|r| r.peak_kib as f64).collect()
    };
    let parse = seconds_of(&measured[0]);
    let parse_peaks = peaks_of(&measured[0]);
    for ((phase, median), reports) in phases.iter().zip(&medians).zip(measured).skip(1) {
        let ratio = paired_ratio(&seconds_of(reports), &parse);
        let memory = paired_ratio(&peaks_of(reports), &parse_peaks);
        let speed = lines / median;
        println!(
            "- {}: time ÷ parse-only = {ratio:.2}, median of the rounds' ratios (target ≤ {ANALYSIS_OVER_PARSE_TARGET:.1}): **{}**; \
             peak memory ÷ parse-only = {memory:.2} (target ≤ {MEMORY_OVER_PARSE_TARGET:.1}): **{}**; \
             {} lines/s (target ≥ {}): **{}**",
            phase.name(),
            verdict(
                ratio <= ANALYSIS_OVER_PARSE_TARGET,
                ratio - ANALYSIS_OVER_PARSE_TARGET,
                ""
            ),
            verdict(
                memory <= MEMORY_OVER_PARSE_TARGET,
                memory - MEMORY_OVER_PARSE_TARGET,
                ""
            ),
            thousands(speed),
            thousands(LINES_PER_SECOND_TARGET),
            verdict(
                speed >= LINES_PER_SECOND_TARGET,
                LINES_PER_SECOND_TARGET - speed,
                " lines/s"
            )
        );
    }
}

fn verdict(met: bool, shortfall: f64, unit: &str) -> String {
    if met {
        "met".to_owned()
    } else if unit.is_empty() {
        format!("missed by {shortfall:.2}")
    } else {
        format!("missed by {}{unit}", thousands(shortfall))
    }
}

fn seconds_text(value: f64) -> String {
    format!("{value:.2} s")
}

fn range(summary: &Summary) -> String {
    format!("{:.2} – {:.2}", summary.min, summary.max)
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// A whole number with thousands separators: `2794219` → `2,794,219`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}
