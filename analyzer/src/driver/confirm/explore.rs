//! Running programs under exploration: one child process per program and strategy, with the
//! `RACECHECK_*` variables that steer it, a report file to read its findings back from
//! ([`ReportLine`]s), and a time budget after which it is killed (the exploration is told to stop
//! starting schedules a quarter of it earlier, so that it ends with a report of how far it
//! got). `jobs` children run at once. A shard's children explore its share of the schedules,
//! and their report files are appended to the shard report.
use super::children::{map_parallel, wait_or_kill};
use super::programs::Program;
use racecheck::explore::harness::{read_report, EXPLORE_VAR, FINDINGS_EXIT_CODE, REPORT_VAR};
use racecheck::explore::harness::{ReportLine, RunLine};
use racecheck::explore::replay_argument;
use racecheck::explore::Partition;
use racecheck::SourceLocation;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Lines of a child's stderr quoted when it ends unexpectedly.
const STDERR_TAIL_LINES: usize = 12;

/// How a run picks its schedules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// Preempting at these locations (`RACECHECK_STRATEGY=targeted:…`).
    Targeted(Vec<SourceLocation>),
    /// The program's own strategy (its attribute's, else the runtime's default).
    Default,
    /// Exactly the schedule of this replay token (`RACECHECK_REPLAY`).
    Replay(String),
}

impl Strategy {
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::Targeted(_) => "targeted",
            Strategy::Default => "default",
            Strategy::Replay(_) => "replay",
        }
    }

    /// The variable that selects it, and its value; a replay token too long for a variable is
    /// written to a file in `tokens` and passed as `@PATH`.
    fn variable(&self, tokens: &Path) -> std::io::Result<Option<(&'static str, String)>> {
        Ok(match self {
            Strategy::Replay(token) => Some(("RACECHECK_REPLAY", replay_argument(token, tokens)?)),
            Strategy::Targeted(targets) => Some((
                "RACECHECK_STRATEGY",
                format!(
                    "targeted:{}",
                    targets
                        .iter()
                        .map(|t| format!("{}:{}", t.file, t.line))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )),
            Strategy::Default => None,
        })
    }
}

/// One exploration to run.
pub struct Job<'a> {
    pub program: &'a Program,
    pub strategy: Strategy,
    /// For a test harness: run only this test (its exact name); otherwise every test.
    pub test: Option<&'a str>,
}

/// How one exploration ended.
#[derive(Debug)]
pub struct Explored {
    /// Every line of its report file.
    pub findings: Vec<ReportLine>,
    /// Schedules it ran: all it was given when clean, else up to its first failing one.
    pub schedules: usize,
    /// Why it ended unexpectedly (timed out, crashed, a test failed without a finding).
    pub problem: Option<String>,
}

/// How every exploration runs.
pub struct Settings {
    pub schedules: u32,
    pub time_budget: Duration,
    pub jobs: usize,
    /// Report and output files go here.
    pub scratch: PathBuf,
    /// The share of each program's schedules to explore.
    pub partition: Option<Partition>,
    /// Where every child's report lines are appended.
    pub shard_report: Option<PathBuf>,
}

impl Settings {
    /// The exploration's own time budget: three quarters of the child's, at least a second.
    fn exploration_budget(&self) -> u64 {
        (self.time_budget.as_secs() * 3 / 4).max(1)
    }

    /// Where replay tokens too long to pass inline are written: `replay` beside the scratch
    /// folder, so that the files outlive the run for the replay commands printed to name them.
    pub fn token_dir(&self) -> PathBuf {
        let parent = self.scratch.parent().unwrap_or(&self.scratch);
        parent.join("replay")
    }
}

/// Runs every job, `settings.jobs` at a time; the results in job order.
pub fn run_all(jobs: &[Job<'_>], settings: &Settings) -> Vec<Explored> {
    map_parallel(jobs, settings.jobs, |job| run(job, settings))
}

/// Runs one job.
fn run(job: &Job<'_>, settings: &Settings) -> Explored {
    // Scratch files are named by a counter over every run of this process: a report file is
    // appended to, so it must be new.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let index = RUNS.fetch_add(1, Ordering::Relaxed);
    let report = settings.scratch.join(format!("{index}.jsonl"));
    let stderr_path = settings.scratch.join(format!("{index}.stderr"));
    let stdout_path = settings.scratch.join(format!("{index}.stdout"));
    let failed = |problem: String| Explored {
        findings: Vec::new(),
        schedules: 0,
        problem: Some(problem),
    };
    let files = File::create(&stderr_path).and_then(|e| Ok((e, File::create(&stdout_path)?)));
    let (stderr, stdout) = match files {
        Ok(files) => files,
        Err(e) => return failed(format!("cannot create its output files: {e}")),
    };

    let mut command = Command::new(&job.program.executable);
    if job.program.harness {
        if let Some(test) = job.test {
            command.args([test, "--exact"]);
        }
        // Each explored test already uses every core.
        command.arg("--test-threads=1");
    }
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("RACECHECK_") {
            command.env_remove(name);
        }
    }
    command
        .env(EXPLORE_VAR, "1")
        .env("RACECHECK_SCHEDULES", settings.schedules.to_string())
        .env(
            "RACECHECK_TIME_BUDGET",
            settings.exploration_budget().to_string(),
        )
        .env(REPORT_VAR, &report)
        .current_dir(&job.program.package_dir)
        // As `cargo run` sets it: witnesses read the source lines that name their primitives
        // from the package's folder and its ancestors (the workspace root).
        .env("CARGO_MANIFEST_DIR", &job.program.package_dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    match job.strategy.variable(&settings.token_dir()) {
        Ok(Some((name, value))) => {
            command.env(name, value);
        }
        Ok(None) => {}
        Err(e) => return failed(format!("cannot write its replay token to a file: {e}")),
    }
    if let Some(partition) = settings.partition {
        command.env("RACECHECK_PARTITION", partition.to_string());
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return failed(format!(
                "cannot start {}: {e}",
                job.program.executable.display()
            ))
        }
    };
    let status = wait_or_kill(&mut child, settings.time_budget);
    let (findings, runs, unreadable) = match report.exists() {
        true => match read_report(&report) {
            Ok((findings, runs)) => (findings, runs, None),
            Err(e) => (Vec::new(), Vec::new(), Some(e)),
        },
        false => (Vec::new(), Vec::new(), None),
    };
    let unreadable = unreadable.or_else(|| {
        let shard_report = settings.shard_report.as_deref()?;
        append_report(&report, shard_report).err()
    });
    let problem = match status {
        Err(why) => Some(why),
        Ok(_) if unreadable.is_some() => unreadable,
        Ok(status) if status.success() => None,
        Ok(status) if status.code() == Some(FINDINGS_EXIT_CODE) && !findings.is_empty() => None,
        Ok(status) => Some(format!(
            "exited with {status}{}:\n{}",
            if job.program.harness && status.code() == Some(FINDINGS_EXIT_CODE) {
                " (a test failed without a racecheck finding)"
            } else {
                ""
            },
            tail(&stderr_path)
        )),
    };
    // Schedules run: up to the first failing one; all asked for (or as many as the time budget
    // let run) when the run ended well; none known when it ended badly (a crash or a timeout is
    // no evidence of a clean program).
    let schedules = match findings.iter().map(|line| line.finding.schedule + 1).max() {
        Some(until_failure) => until_failure,
        None if problem.is_some() => 0,
        None => runs
            .iter()
            .map(|line: &RunLine| line.run.report.schedules_run)
            .max()
            .unwrap_or(settings.schedules as usize),
    };
    Explored {
        findings,
        schedules,
        problem,
    }
}

/// Appends a child's report file to the shard report, in one write (jobs run in parallel).
fn append_report(report: &Path, shard_report: &Path) -> Result<(), String> {
    let lines = match fs::read(report) {
        Ok(lines) => lines,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", report.display())),
    };
    OpenOptions::new()
        .append(true)
        .open(shard_report)
        .and_then(|mut file| file.write_all(&lines))
        .map_err(|e| format!("cannot append to {}: {e}", shard_report.display()))
}

/// The last lines of a file, indented.
fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..]
        .iter()
        .map(|line| format!("    | {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
