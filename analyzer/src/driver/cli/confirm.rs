//! The command lines of `confirm`, `replay` and `merge`.
use super::{CheckArgs, ColorChoice};
use crate::driver::error::Fatal;
use clap::{Args, FromArgMatches, ValueEnum};
use racecheck::explore::Partition;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

pub const CONFIRM_AFTER_HELP: &str = "\
Each static finding ends `confirmed` (with its runtime witness and the command that replays it) or
`not reproduced in N schedules`; runtime findings with no static twin are listed too.

Exit status: 0 nothing denied; 1 a denied finding (see --deny); 2 usage, configuration, input or build error.";

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// Confirm only this workspace member's findings, exploring only its programs (repeatable)
    #[arg(short, long, value_name = "SPEC")]
    pub package: Vec<String>,

    /// Explore only this `#[racecheck::main]` binary (repeatable)
    #[arg(long, value_name = "NAME")]
    pub bin: Vec<String>,

    /// Explore only this test target's `#[racecheck::test]`s (repeatable)
    #[arg(long, value_name = "NAME")]
    pub test: Vec<String>,

    /// Schedules per program and strategy (targeted, then the default)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub schedules: u32,

    /// Seconds one program may explore before it is stopped and reported as timed out
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_budget: u64,

    /// Explore only share K of N of each program's schedules (RACECHECK_PARTITION); with
    /// --shard-report, for `cargo racecheck merge` to put the shares together
    #[arg(long, value_name = "K/N", value_parser = str::parse::<Partition>)]
    pub partition: Option<Partition>,

    /// Write every exploration's report (RACECHECK_REPORT lines) to this file
    #[arg(long, value_name = "FILE")]
    pub shard_report: Option<PathBuf>,

    /// Programs explored at once
    #[arg(short, long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: u32,

    /// Output format
    #[arg(long, value_enum, default_value_t = ConfirmFormat::Human)]
    pub format: ConfirmFormat,

    /// Which findings make the run fail (exit 1)
    #[arg(long, value_enum, default_value_t = Deny::Confirmed)]
    pub deny: Deny,

    /// Path to the workspace's Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Coloured output
    #[arg(long, value_enum, env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Write the report to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfirmFormat {
    /// rustc-style text: each finding, its status, and its witness at the source
    Human,
    /// one JSON document: every finding with its confirmation, and the runtime-only findings
    Json,
    /// SARIF 2.1.0; a confirmed result carries its witness as `codeFlows`
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Fail on findings a runtime witness proves: confirmed static findings and runtime-only ones
    Confirmed,
    /// Fail on every finding, confirmed or not
    All,
}

impl ConfirmArgs {
    pub fn time_budget(&self) -> Duration {
        Duration::from_secs(self.time_budget)
    }

    /// The `check` that confirm starts from: the workspace (or `--package`'s members) with the
    /// configuration's settings.
    pub fn static_args(&self) -> Result<CheckArgs, Fatal> {
        let mut argv: Vec<OsString> = vec!["check".into()];
        // `--option=value`, so a value that starts with `-` stays a value.
        if let Some(path) = &self.manifest_path {
            let mut arg = OsString::from("--manifest-path=");
            arg.push(path);
            argv.push(arg);
        }
        for package in &self.package {
            argv.push(format!("--package={package}").into());
        }
        let command = CheckArgs::augment_args(clap::Command::new("check"));
        command
            .try_get_matches_from(argv)
            .and_then(|matches| CheckArgs::from_arg_matches(&matches))
            .map_err(|e| Fatal::new(e.kind().to_string()))
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The report files of the shares (RACECHECK_REPORT files, or confirm's --shard-report)
    #[arg(required = true, value_name = "REPORTS")]
    pub reports: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = MergeFormat::Human)]
    pub format: MergeFormat,

    /// Write the merged report to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// each run's witnesses and summary, as the explored program prints them
    Human,
    /// a RACECHECK_REPORT file of the merged runs (JSON lines), mergeable again
    Json,
    /// SARIF 2.1.0: a result per runtime finding, its witness as `codeFlows`
    Sarif,
}

pub const MERGE_AFTER_HELP: &str = "\
Every report must hold the same programs and strategies, run with the same seed and limits, and
together every share 1/N..N/N once; the lowest failing schedule wins, and an exhaustive search is
proved only if every share finished.

Exit status: 0 no finding; 1 a finding; 2 usage error, unreadable or mismatched reports, a missing share.";

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("program").args(["bin", "test", "lib"]).required(true))]
pub struct ReplayArgs {
    /// The replay token a witness printed (`rc1:…`), or `@FILE` for one written to a file
    pub token: String,

    /// For a test target: the test's name as the test harness lists it (`module::test_name`)
    pub name: Option<String>,

    /// Replay this `#[racecheck::main]` binary (or, with NAME, one of its unit tests)
    #[arg(long, value_name = "NAME")]
    pub bin: Option<String>,

    /// Replay the test NAME of this test target
    #[arg(long, value_name = "NAME", requires = "name")]
    pub test: Option<String>,

    /// Replay the library's unit test NAME
    #[arg(long, requires = "name")]
    pub lib: bool,

    /// The workspace member the target belongs to
    #[arg(short, long, value_name = "SPEC")]
    pub package: Option<String>,

    /// Path to the workspace's Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Seconds the replay may run before it is stopped
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_budget: u64,

    /// Write the trace to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
