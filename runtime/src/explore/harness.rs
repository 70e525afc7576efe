//! Runtime support for `#[racecheck::test]` and `#[racecheck::main]`: what their expansions call.
//!
//! Both take the settings the attribute wrote (or the defaults), let the environment override them
//! (`Config::from_env`), explore, and then conclude the same way: every finding is printed to
//! stderr as its rendered witness and appended as one JSON line ([`ReportLine`]) to the file
//! `RACECHECK_REPORT` names, so `cargo racecheck confirm` can collect findings across many test
//! binaries. Every exploration then appends one [`RunLine`]: its settings and whole [`Report`]
//! (partition, schedules run, completeness), what `cargo racecheck merge` puts the shares of a
//! partitioned run together from. A test with findings panics; an explored `main` exits with
//! status 101, as a panicking `main` would.
//!
//! An explored `main` prints its own output once: what its first schedule printed (a replay's
//! one schedule is the witness's, so a replay shows the witness's output).
//!
//! Each finding ends with the command that replays it, as pasted: `RACECHECK_REPLAY=<token>` and
//! the `cargo run` / `cargo test` line that runs just that binary or test (built from the
//! [`Target`] the macro describes). A replay token implies exploration: `#[racecheck::main]`
//! explores when `RACECHECK_REPLAY` is set, even without `RACECHECK_EXPLORE=1`. A test the token
//! does not replay (it was recorded from another test: its choices do not fit) is explored as if
//! `RACECHECK_REPLAY` were unset, with a note, rather than failed. A token too long for a variable
//! (a livelock's schedule runs to the step limit) is written to a file under cargo's target
//! directory, `racecheck/replay/`, and the command passes `RACECHECK_REPLAY=@<that file>`.

use std::fmt::{self, Debug};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::config::REPLAY_VAR;
use super::quiet_stdout::QuietStdout;
use super::runner::{self, ReplayDiverged};
use super::{explore, replay_argument, Config, Finding, FindingKind, Report, Strategy, Witnesses};

/// `RACECHECK_EXPLORE=1` makes a `#[racecheck::main]` binary explore its `main` instead of running it.
pub const EXPLORE_VAR: &str = "RACECHECK_EXPLORE";
/// The file to append findings to, one [`ReportLine`] of JSON per finding, then a [`RunLine`].
pub const REPORT_VAR: &str = "RACECHECK_REPORT";
pub use super::finding::FINDINGS_EXIT_CODE;
/// The exit status for a malformed `RACECHECK_*` variable: a usage error.
pub const USAGE_EXIT_CODE: i32 = 2;

/// One line of the `RACECHECK_REPORT` file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportLine {
    /// The test's path (`crate::module::test_name`) or the binary's name.
    pub target: String,
    /// The finding, in its serde form (its trace cut to the last
    /// [`SERIALIZED_TRACE_EVENTS`](super::SERIALIZED_TRACE_EVENTS) events).
    pub finding: Finding,
}

impl ReportLine {
    /// Reads every finding line of a report file.
    pub fn read_all(path: &Path) -> Result<Vec<ReportLine>, String> {
        read_report(path).map(|(findings, _)| findings)
    }
}

/// The line of the `RACECHECK_REPORT` file that ends one exploration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunLine {
    /// As [`ReportLine::target`].
    pub target: String,
    pub run: Run,
}

/// One exploration of a target: how it was run, and its whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The cargo command that runs the target again (what a replay hint runs).
    pub command: String,
    /// As `RACECHECK_STRATEGY` names it.
    pub strategy: String,
    pub seed: u64,
    /// The schedule limit.
    pub schedules: usize,
    pub max_steps: usize,
    pub report: Report,
}

/// A line of a report file: a finding, or the end of a run.
#[derive(Deserialize)]
#[serde(untagged)]
enum Line {
    Finding(ReportLine),
    Run(RunLine),
}

/// Every line of a report file: its findings, and its runs.
pub fn read_report(path: &Path) -> Result<(Vec<ReportLine>, Vec<RunLine>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read racecheck report {}: {e}", path.display()))?;
    let (mut findings, mut runs) = (Vec::new(), Vec::new());
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(line) {
            Ok(Line::Finding(finding)) => findings.push(finding),
            Ok(Line::Run(run)) => runs.push(run),
            Err(e) => {
                return Err(format!(
                    "{}:{}: not a racecheck report line: {e}",
                    path.display(),
                    index + 1
                ))
            }
        }
    }
    Ok((findings, runs))
}

/// Where an explored function lives, as the macros read it from cargo at compile time: what the
/// replay command of a finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// `CARGO_PKG_NAME`: the package (`cargo … -p`).
    pub package: &'static str,
    /// `CARGO_CRATE_NAME`: an integration test's target name (`--test`), `-` read as `_`.
    pub crate_name: &'static str,
    /// `file!()` where the function is: for an integration test, tells its target's real name.
    pub file: &'static str,
    /// `CARGO_BIN_NAME`, set only when a binary is built (`--bin`).
    pub bin: Option<&'static str>,
    /// `CARGO_TARGET_TMPDIR`, set only when an integration test or a bench is built.
    pub target_tmpdir: Option<&'static str>,
    /// `module_path!()` and, for a test, `::` and the test's name.
    pub path: &'static str,
}

impl Target {
    /// The test's name as the test harness knows it: its path without the crate.
    fn test_name(&self) -> &str {
        self.path
            .split_once("::")
            .map_or(self.path, |(_crate, rest)| rest)
    }

    /// The integration test's target name as `cargo test --test` takes it. The crate name reads
    /// `-` as `_`; cargo names a test target after its file (`tests/my-test.rs`) or folder
    /// (`tests/my-test/main.rs`), so the file tells the real name. A name given in Cargo.toml
    /// that the file does not tell is given as a pattern matching either spelling (cargo takes
    /// globs), quoted for the shell.
    fn test_target(&self) -> String {
        let name = self.crate_name;
        if !name.contains('_') {
            return name.to_owned();
        }
        let components: Vec<&str> = self.file.split(['/', '\\']).collect();
        let from_file = (components.windows(2))
            .filter(|pair| pair[0] == "tests")
            .map(|pair| pair[1].strip_suffix(".rs").unwrap_or(pair[1]))
            .find(|candidate| candidate.replace('-', "_") == name);
        match from_file {
            Some(real) => real.to_owned(),
            None => format!("'{}'", name.replace('_', "[-_]")),
        }
    }

    /// The cargo command that runs just this test (for a binary, `main`) again.
    fn rerun_command(&self, is_test: bool, binary: &str) -> String {
        let package = self.package;
        if !is_test {
            return format!(
                "cargo run -p {package} --bin {}",
                self.bin.unwrap_or(binary)
            );
        }
        let target = match (self.target_tmpdir, self.bin) {
            (Some(_), _) => format!("--test {}", self.test_target()),
            (None, Some(bin)) => format!("--bin {bin}"),
            (None, None) => "--lib".to_owned(),
        };
        format!(
            "cargo test -p {package} {target} -- {} --exact",
            self.test_name()
        )
    }
}

/// What `#[racecheck::test]` expands to call: explores `body`, panics if anything was found.
#[track_caller]
pub fn run_test<F: Fn() + Send + Sync + 'static>(target: Target, config: Config, body: F) {
    let settings = config
        .clone()
        .from_env()
        .unwrap_or_else(|error| panic!("racecheck: {error}"));
    let body = Arc::new(body);
    let shared = || {
        let body = Arc::clone(&body);
        move || body()
    };
    let (settings, report) = match runner::run_or_diverged(settings.clone(), Arc::new(shared())) {
        Ok(report) => (settings, report),
        Err(ReplayDiverged) => {
            eprintln!(
                "racecheck: {}: {REPLAY_VAR} does not replay in this test (it was recorded from \
                 another one); exploring as without it",
                target.path
            );
            let without_replay = config
                .with_overrides(|name| (name != REPLAY_VAR).then(|| env_var(name)).flatten())
                .unwrap_or_else(|error| panic!("racecheck: {error}"));
            (without_replay.clone(), explore(without_replay, shared()))
        }
    };
    let command = target.rerun_command(true, "");
    if let Err(failure) = conclude(target.path, &command, &settings, &report) {
        panic!("{failure}");
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
}

/// Whether a `#[racecheck::main]` binary explores: when `RACECHECK_EXPLORE` is 1, or when
/// `RACECHECK_REPLAY` holds a token (a replay is an exploration). A malformed `RACECHECK_EXPLORE`
/// ends the process with [`USAGE_EXIT_CODE`] and a message naming the variable.
pub fn exploration_requested() -> bool {
    let flag = std::env::var_os(EXPLORE_VAR);
    explores(flag.as_deref(), env_var(REPLAY_VAR).as_deref()).unwrap_or_else(|error| {
        eprintln!("racecheck: {error}");
        process::exit(USAGE_EXIT_CODE)
    })
}

/// Whether these `RACECHECK_EXPLORE` and `RACECHECK_REPLAY` values ask for exploration.
fn explores(flag: Option<&std::ffi::OsStr>, replay: Option<&str>) -> Result<bool, String> {
    let replaying = replay.is_some_and(|token| !token.trim().is_empty());
    parse_explore_flag(flag).map(|explore| explore || replaying)
}

/// What `#[racecheck::main]` expands to call when exploring: explores `body` with the default
/// settings overridden by the environment, then exits — 0 when clean, [`FINDINGS_EXIT_CODE`] on
/// findings, [`USAGE_EXIT_CODE`] on a malformed variable.
pub fn run_main<F: Fn() + Send + Sync + 'static>(target: Target, body: F) -> ! {
    let binary = binary_name();
    let command = target.rerun_command(false, &binary);
    let code = match Config::default().from_env() {
        Err(error) => {
            eprintln!("racecheck: {error}");
            USAGE_EXIT_CODE
        }
        Ok(config) => match conclude(
            &binary,
            &command,
            &config,
            &explore_printing_once(config.clone(), body),
        ) {
            Ok(()) => 0,
            Err(failure) => {
                eprintln!("{failure}");
                FINDINGS_EXIT_CODE
            }
        },
    };
    process::exit(code)
}

/// Explores an explored `main` so that its own output shows once, as from a plain run: schedule
/// 0 (the first, and the whole run for a replay) prints to stdout; the other schedules run with
/// stdout sent to the null device (Unix; elsewhere every schedule prints). Schedule 0 runs alone
/// first, then the exploration runs from 0 as if uninterrupted: schedule `i` depends on (seed,
/// `i`) alone, so the report is the one a single exploration gives.
fn explore_printing_once<F: Fn() + Send + Sync + 'static>(config: Config, body: F) -> Report {
    let body = Arc::new(body);
    let shared = || {
        let body = Arc::clone(&body);
        move || body()
    };
    if config.schedules <= 1 || matches!(config.strategy, Strategy::Replay(_)) {
        return explore(config, shared());
    }
    let first = explore(config.clone().schedules(1), shared());
    // A lock-order cycle alone does not end an exploration: a later schedule may deadlock.
    if first
        .findings()
        .iter()
        .any(|finding| finding.kind != FindingKind::LockOrderCycle)
    {
        return first;
    }
    let _quiet = QuietStdout::start();
    explore(config, shared())
}

/// What an explored function may return: `()`, or `Result<(), E>` like `main` and `#[test]`s.
#[diagnostic::on_unimplemented(
    message = "racecheck cannot explore a function returning `{Self}`",
    note = "return `()` or `Result<(), E>` where `E: Debug`"
)]
pub trait Outcome {
    /// Why the run failed, if it did.
    fn failure(self) -> Option<String>;
}

impl Outcome for () {
    fn failure(self) -> Option<String> {
        None
    }
}

impl<E: Debug> Outcome for Result<(), E> {
    fn failure(self) -> Option<String> {
        self.err()
            .map(|error| format!("returned an error: {error:?}"))
    }
}

/// Turns an `Err` returned by the explored body into a panic, which the explorer reports as a
/// `Panic` finding of that schedule.
#[track_caller]
pub fn check_outcome<O: Outcome>(outcome: O) {
    if let Some(failure) = outcome.failure() {
        panic!("{failure}");
    }
}

fn parse_explore_flag(value: Option<&std::ffi::OsStr>) -> Result<bool, String> {
    match value.map(|v| v.to_str()) {
        None => Ok(false),
        Some(Some("" | "0")) => Ok(false),
        Some(Some("1")) => Ok(true),
        Some(other) => Err(format!(
            "{EXPLORE_VAR} must be 1 (explore) or 0 (run once), not {:?}",
            other.unwrap_or("<not UTF-8>")
        )),
    }
}

/// Prints the outcome to stderr and records it in the report file; `Err` holds the failure
/// summary, whose replay hints run `command`.
fn conclude(target: &str, command: &str, config: &Config, report: &Report) -> Result<(), String> {
    let run = Run {
        command: command.to_owned(),
        strategy: config.strategy.to_string(),
        seed: config.seed,
        schedules: config.schedules,
        max_steps: config.max_steps,
        report: report.clone(),
    };
    let recorded = match report_path() {
        Some(path) => append_run(&path, target, &run),
        None => Ok(()),
    };
    if report.is_clean() {
        eprintln!("racecheck: {}", clean_statement(report));
        return recorded.map_err(|error| format!("racecheck: {error}"));
    }
    eprintln!("{}", Witnesses(report.findings()));
    let summary = failure_summary(target, command, report);
    match recorded {
        Err(error) => Err(format!("{summary}\nracecheck: {error}")),
        Ok(()) => Err(summary),
    }
}

/// `racecheck: <target>: 1 finding in 37 schedules`, a line per finding, and the command that
/// replays each (`command` runs the target again).
pub fn failure_summary(target: &str, command: &str, report: &Report) -> String {
    FailureSummary {
        target,
        command,
        report,
        replays: replay_arguments(report.findings()),
    }
    .to_string()
}

/// What a run without findings has shown: the proof an exhaustive search gives, else how far it
/// got and what stopped it.
pub fn clean_statement(report: &Report) -> String {
    let share = if report.partition.is_whole() {
        String::new()
    } else {
        format!("share {}: ", report.partition)
    };
    let schedules = counted(report.schedules_run, "schedule");
    let stop = if report.out_of_time {
        "the time budget ran out"
    } else {
        "the schedule limit: raise RACECHECK_SCHEDULES or set a preemption bound to finish"
    };
    match report.coverage {
        Some(coverage) if coverage.complete => {
            format!("{share}{coverage}: no deadlock, no data race, no panic")
        }
        Some(coverage) => {
            format!("{share}{coverage} (after {schedules}, {stop}); no findings so far")
        }
        None if report.out_of_time => {
            format!("{share}{schedules}, no findings (incomplete: the time budget ran out)")
        }
        None => format!("{share}{schedules}, no findings"),
    }
}

/// Each distinct replay token of `findings` (findings of one schedule share one) as the value of
/// `RACECHECK_REPLAY` that passes it: a token too long to pass inline is written to a file
/// ([`token_dir`]) and passed as `@PATH`.
fn replay_arguments(findings: &[Finding]) -> Vec<String> {
    let mut tokens: Vec<&str> = Vec::new();
    for finding in findings {
        if !tokens.contains(&finding.replay_token.as_str()) {
            tokens.push(&finding.replay_token);
        }
    }
    let dir = token_dir();
    (tokens.into_iter())
        .map(|token| match replay_argument(token, &dir) {
            Ok(argument) => shell_word(&argument),
            Err(error) => {
                eprintln!(
                    "racecheck: cannot write a replay token to {}: {error}",
                    dir.display()
                );
                token.to_owned()
            }
        })
        .collect()
}

/// Where long replay tokens are written: `racecheck/replay` in cargo's target directory (the
/// nearest folder above this executable that cargo marked with `CACHEDIR.TAG`), else in the
/// system's temporary directory.
fn token_dir() -> PathBuf {
    let exe = std::env::current_exe().ok();
    (exe.as_deref())
        .and_then(|exe| (exe.ancestors().skip(1)).find(|dir| dir.join("CACHEDIR.TAG").is_file()))
        .map(|target| target.join("racecheck").join("replay"))
        .unwrap_or_else(|| std::env::temp_dir().join("racecheck-replay"))
}

/// `text` as one shell word: as it is when it holds nothing a shell reads specially, else quoted.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@/._-:+=,%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn report_path() -> Option<PathBuf> {
    std::env::var_os(REPORT_VAR)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// Appends one JSON line per finding, then the run's line, with a single write, so that test
/// threads and processes sharing the report file never interleave within a line (`O_APPEND`).
pub fn append_run(path: &Path, target: &str, run: &Run) -> Result<(), String> {
    let mut lines = String::new();
    for finding in &run.report.findings {
        let line = ReportLine {
            target: target.to_owned(),
            finding: finding.clone(),
        };
        let json =
            serde_json::to_string(&line).map_err(|e| format!("cannot encode a finding: {e}"))?;
        lines.push_str(&json);
        lines.push('\n');
    }
    let line = RunLine {
        target: target.to_owned(),
        run: run.clone(),
    };
    let json = serde_json::to_string(&line).map_err(|e| format!("cannot encode a run: {e}"))?;
    lines.push_str(&json);
    lines.push('\n');
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(lines.as_bytes()))
        .map_err(|e| format!("cannot append to {REPORT_VAR} file {}: {e}", path.display()))
}

/// The binary's file name without extension: what a report line names an explored `main` by.
fn binary_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "main".to_owned())
}

/// `3 schedules`, `1 finding`.
fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

/// `racecheck: <target>: 1 finding in 37 schedules`, then per finding its kind, first location and
/// headline, then the command that replays it.
struct FailureSummary<'a> {
    target: &'a str,
    /// The cargo command that runs the target again.
    command: &'a str,
    report: &'a Report,
    /// The values of `RACECHECK_REPLAY` that replay the findings' schedules.
    replays: Vec<String>,
}

impl fmt::Display for FailureSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let findings = self.report.findings();
        write!(
            f,
            "racecheck: {}: {} in {}",
            self.target,
            counted(findings.len(), "finding"),
            counted(self.report.schedules_run, "schedule")
        )?;
        // The witnesses printed above carry the details: one line per finding here.
        for finding in findings {
            write!(f, "\n  {:?}", finding.kind)?;
            if let Some(location) = finding.locations.first() {
                write!(f, " at {location}")?;
            }
            let headline = finding.message.lines().next().unwrap_or_default();
            write!(f, ": {}", headline.trim_end_matches(':'))?;
        }
        for replay in &self.replays {
            write!(f, "\n  replay: {REPLAY_VAR}={replay} {}", self.command)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::{FindingKind, TraceEvent, INLINE_TOKEN_LIMIT};
    use crate::SourceLocation;
    use std::ffi::OsStr;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(counted(1, "schedule"), "1 schedule");
        assert_eq!(counted(0, "finding"), "0 findings");
        assert_eq!(counted(1000, "schedule"), "1000 schedules");
    }

    #[test]
    fn the_explore_flag_is_one_or_zero() {
        assert_eq!(parse_explore_flag(None), Ok(false));
        assert_eq!(parse_explore_flag(Some(OsStr::new(""))), Ok(false));
        assert_eq!(parse_explore_flag(Some(OsStr::new("0"))), Ok(false));
        assert_eq!(parse_explore_flag(Some(OsStr::new("1"))), Ok(true));
        let error = parse_explore_flag(Some(OsStr::new("yes"))).unwrap_err();
        assert_eq!(
            error,
            "RACECHECK_EXPLORE must be 1 (explore) or 0 (run once), not \"yes\""
        );
    }

    #[test]
    fn a_replay_token_implies_exploration() {
        assert_eq!(explores(None, Some("rc1:AAA")), Ok(true));
        assert_eq!(explores(Some(OsStr::new("0")), Some("rc1:AAA")), Ok(true));
        assert_eq!(explores(None, Some(" ")), Ok(false));
        assert_eq!(explores(None, None), Ok(false));
        assert!(explores(Some(OsStr::new("yes")), Some("rc1:AAA")).is_err());
    }

    #[test]
    fn unit_and_ok_are_successes_and_err_is_a_failure() {
        assert_eq!(().failure(), None);
        assert_eq!(Ok::<(), String>(()).failure(), None);
        assert_eq!(
            Err::<(), _>("disk full").failure().as_deref(),
            Some("returned an error: \"disk full\"")
        );
    }

    fn deadlock() -> Finding {
        let location = SourceLocation {
            file: "src/main.rs".into(),
            line: 9,
            column: 14,
        };
        Finding {
            kind: FindingKind::Deadlock,
            message: "MainThread waits for Lock#1, which it holds".into(),
            threads: vec!["MainThread".into()],
            locations: vec![location.clone()],
            trace: vec![TraceEvent {
                index: 1,
                step: 1,
                thread: "MainThread".into(),
                operation: "acquire Lock#1".into(),
                location,
            }],
            replay_token: "rc1:AAA".into(),
            schedule: 4,
        }
    }

    /// A run of a pct exploration that found `findings`.
    fn run_of(findings: Vec<Finding>) -> Run {
        Run {
            command: "cargo test -p bank --lib -- abba --exact".into(),
            strategy: "pct:3".into(),
            seed: 7,
            schedules: 100,
            max_steps: 1000,
            report: Report {
                schedules_run: if findings.is_empty() { 100 } else { 5 },
                findings,
                ..Report::default()
            },
        }
    }

    #[test]
    fn a_clean_run_states_how_far_it_got() {
        use crate::explore::{Coverage, Partition};
        let sampled = Report {
            schedules_run: 34,
            partition: Partition::new(2, 3).unwrap(),
            ..Report::default()
        };
        assert_eq!(
            clean_statement(&sampled),
            "share 2/3: 34 schedules, no findings"
        );
        let timed_out = Report {
            out_of_time: true,
            ..sampled.clone()
        };
        assert_eq!(
            clean_statement(&timed_out),
            "share 2/3: 34 schedules, no findings (incomplete: the time budget ran out)"
        );
        let searched = Report {
            schedules_run: 40,
            coverage: Some(Coverage {
                interleavings: 12,
                preemption_bound: Some(2),
                complete: false,
            }),
            out_of_time: true,
            ..Report::default()
        };
        assert_eq!(
            clean_statement(&searched),
            "exhaustive search incomplete: 12 interleavings explored, up to 2 preemptions before \
             it stopped (after 40 schedules, the time budget ran out); no findings so far"
        );
    }

    /// A fresh path in the system's temporary directory, removed by the test.
    fn scratch_file(name: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("racecheck-harness-{}-{name}", process::id()));
        let _ = std::fs::remove_file(&path);
        path
    }

    #[test]
    fn findings_are_appended_as_json_lines_and_read_back() {
        let path = scratch_file("append.jsonl");
        append_run(&path, "crate::first", &run_of(vec![deadlock()])).unwrap();
        append_run(&path, "second", &run_of(vec![deadlock(), deadlock()])).unwrap();
        append_run(&path, "clean", &run_of(Vec::new())).unwrap();
        let lines = ReportLine::read_all(&path).unwrap();
        let (_, runs) = read_report(&path).unwrap();
        std::fs::remove_file(&path).unwrap();

        let targets: Vec<&str> = lines.iter().map(|line| line.target.as_str()).collect();
        assert_eq!(targets, ["crate::first", "second", "second"]);
        assert!(lines.iter().all(|line| line.finding == deadlock()));
        let ran: Vec<(&str, usize)> = runs
            .iter()
            .map(|line| (line.target.as_str(), line.run.report.findings.len()))
            .collect();
        assert_eq!(ran, [("crate::first", 1), ("second", 2), ("clean", 0)]);
        assert_eq!(runs[1].run, run_of(vec![deadlock(), deadlock()]));
    }

    #[test]
    fn a_malformed_report_line_is_an_error_naming_its_line() {
        let path = scratch_file("malformed.jsonl");
        append_run(&path, "ok", &run_of(vec![deadlock()])).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{oops\n")
            .unwrap();
        let error = ReportLine::read_all(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(
            error.contains("malformed.jsonl:3: not a racecheck report line"),
            "{error}"
        );
    }

    #[test]
    fn an_unwritable_report_is_an_error_naming_the_variable() {
        let path = std::env::temp_dir()
            .join("racecheck-no-such-dir")
            .join("report.jsonl");
        let error = append_run(&path, "t", &run_of(vec![deadlock()])).unwrap_err();
        assert!(
            error.starts_with("cannot append to RACECHECK_REPORT file"),
            "{error}"
        );
    }

    #[test]
    fn the_failure_summary_names_each_finding_and_its_replay() {
        let mut cycle = deadlock();
        cycle.kind = FindingKind::LockOrderCycle;
        cycle.message =
            "Lock#1 -> Lock#2 -> Lock#1 are taken in opposite orders:\n  details".into();
        let report = Report {
            findings: vec![deadlock(), cycle],
            schedules_run: 5,
            ..Report::default()
        };
        assert_eq!(
            FailureSummary {
                target: "crate::abba",
                command: "cargo test -p bank --test abba -- abba --exact",
                report: &report,
                replays: replay_arguments(report.findings()),
            }
            .to_string(),
            "racecheck: crate::abba: 2 findings in 5 schedules\n  \
             Deadlock at src/main.rs:9:14: MainThread waits for Lock#1, which it holds\n  \
             LockOrderCycle at src/main.rs:9:14: Lock#1 -> Lock#2 -> Lock#1 are taken in opposite orders\n  \
             replay: RACECHECK_REPLAY=rc1:AAA cargo test -p bank --test abba -- abba --exact"
        );
    }

    fn target(bin: Option<&'static str>, target_tmpdir: Option<&'static str>) -> Target {
        Target {
            package: "bank-app",
            crate_name: "transfers",
            file: "bank-app/tests/transfers.rs",
            bin,
            target_tmpdir,
            path: "transfers::accounts::two_transfers",
        }
    }

    #[test]
    fn a_test_target_named_with_a_dash_is_named_so() {
        let dashed = |crate_name, file| Target {
            crate_name,
            file,
            ..target(None, Some("/t/tmp"))
        };
        let command = |target: Target| target.rerun_command(true, "");
        assert_eq!(
            command(dashed("two_banks", "bank-app/tests/two-banks.rs")),
            "cargo test -p bank-app --test two-banks -- accounts::two_transfers --exact"
        );
        assert_eq!(
            command(dashed("two_banks", "tests/two-banks/accounts.rs")),
            "cargo test -p bank-app --test two-banks -- accounts::two_transfers --exact"
        );
        assert_eq!(
            command(dashed("two_banks", "tests\\two_banks.rs")),
            "cargo test -p bank-app --test two_banks -- accounts::two_transfers --exact"
        );
        // Named in Cargo.toml, not after its file: either spelling matches.
        assert_eq!(
            command(dashed("two_banks", "bank-app/tests/suite.rs")),
            "cargo test -p bank-app --test 'two[-_]banks' -- accounts::two_transfers --exact"
        );
    }

    #[test]
    fn a_long_token_is_passed_in_a_file_named_by_the_replay_command() {
        let mut long = deadlock();
        let choices: Vec<u64> = (0..40_000).map(|i| i * 7919 % 13).collect();
        long.replay_token = crate::explore::token::encode(100_000, &choices);
        assert!(long.replay_token.len() > INLINE_TOKEN_LIMIT);
        let short = deadlock();
        let arguments = replay_arguments(&[short.clone(), long.clone(), short]);
        assert_eq!(arguments.len(), 2, "one per distinct token");
        assert_eq!(arguments[0], "rc1:AAA");
        let path = arguments[1].strip_prefix('@').expect("a token file");
        assert_eq!(std::fs::read_to_string(path).unwrap(), long.replay_token);
        assert!(path.contains("racecheck/replay/"), "{path}");
        assert_eq!(
            crate::explore::read_token(&arguments[1]),
            Ok(long.replay_token)
        );
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn words_a_shell_would_split_are_quoted() {
        assert_eq!(
            shell_word("@/t/racecheck/replay/0a.token"),
            "@/t/racecheck/replay/0a.token"
        );
        assert_eq!(shell_word("@/my target/x.token"), "'@/my target/x.token'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn the_replay_command_runs_just_that_binary_or_test() {
        assert_eq!(
            target(Some("bank"), None).rerun_command(false, "ignored"),
            "cargo run -p bank-app --bin bank"
        );
        assert_eq!(
            target(None, Some("/t/tmp")).rerun_command(true, ""),
            "cargo test -p bank-app --test transfers -- accounts::two_transfers --exact"
        );
        assert_eq!(
            target(Some("bank"), None).rerun_command(true, ""),
            "cargo test -p bank-app --bin bank -- accounts::two_transfers --exact"
        );
        assert_eq!(
            target(None, None).rerun_command(true, ""),
            "cargo test -p bank-app --lib -- accounts::two_transfers --exact"
        );
    }

    #[test]
    #[should_panic(expected = "returned an error: 7")]
    fn an_err_outcome_panics() {
        check_outcome(Err::<(), _>(7));
    }
}
