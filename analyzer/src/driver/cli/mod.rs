//! The command line. `cargo racecheck …` runs this binary with `racecheck` as its first argument;
//! `driver::run` drops it (as cargo-deny does), so the binary also works when called directly.
//! `check` is the default command: `cargo racecheck`, `cargo racecheck src/` and
//! `cargo racecheck check src/` are the same.
use super::catalog::CatalogFormat;
use super::config::Overrides;
mod confirm;

use super::render::Format;
use crate::diagnostic::Severity;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
pub use confirm::{ConfirmArgs, ConfirmFormat, Deny, MergeArgs, MergeFormat, ReplayArgs};
use confirm::{CONFIRM_AFTER_HELP, MERGE_AFTER_HELP};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage, configuration or
input error (unreadable or unparsable files are reported with the findings, then exit 2).

Configuration: racecheck.toml, or [workspace.metadata.racecheck] in the workspace's Cargo.toml.
Suppress one finding with `// racecheck: allow(CODE) reason`; a whole file with `// racecheck: allow-file(CODE)`.";

#[derive(Debug, Parser)]
#[command(
    name = "cargo-racecheck",
    bin_name = "cargo racecheck",
    version,
    about = "Find deadlocks and data races in Rust programs: racecheck's threading primitives, std::sync, parking_lot, crossbeam-channel and rayon",
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze the workspace, or the given files and folders (the default command)
    #[command(after_help = AFTER_HELP)]
    Check(Box<CheckArgs>),
    /// List the rules: code, name, default severity, summary
    Rules(RulesArgs),
    /// Print the documentation of a rule
    Explain(ExplainArgs),
    /// Run the language server on stdin/stdout (for editors)
    Lsp,
    /// Check, then explore the workspace's racecheck programs and tests to confirm each finding
    #[command(after_help = CONFIRM_AFTER_HELP)]
    Confirm(Box<ConfirmArgs>),
    /// Re-run the interleaving a replay token names and print its trace
    Replay(ReplayArgs),
    /// Put the reports of a partitioned exploration's shares together into one run's report
    #[command(after_help = MERGE_AFTER_HELP)]
    Merge(MergeArgs),
}

/// The error for `cargo racecheck rulez`: a first path that is a bare word naming nothing on disk
/// is a mistyped subcommand, reported as clap reports one (with the nearest subcommand).
pub fn unknown_subcommand(cli: &Cli) -> Option<clap::Error> {
    if cli.command.is_some() {
        return None;
    }
    let word = cli.check.paths.first()?.to_str()?;
    let bare = !word.is_empty() && !word.contains(['/', '\\', '.']);
    if !bare || std::path::Path::new(word).exists() {
        return None;
    }
    let full = <Cli as clap::CommandFactory>::command();
    clap::Command::new("cargo-racecheck")
        .bin_name("cargo racecheck")
        .subcommands(full.get_subcommands().cloned())
        .try_get_matches_from(["cargo-racecheck", word])
        .err()
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
    pub format: CatalogFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code or name, e.g. D001 or lock-order-inversion
    pub code: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to analyze [default: the workspace's members]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// cargo's message format: `json` and `json-*` print rustc-json, `human`/`short` print human
    #[arg(long, value_name = "FMT", value_parser = parse_message_format, conflicts_with = "format")]
    pub message_format: Option<MessageFormat>,

    /// Path to the workspace's Cargo.toml
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Rules to run: codes or prefixes (`D`, `D001`, `ALL`), comma-separated [default: ALL];
    /// a rule that is off by default runs only when its code is given
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Rules to run besides those of `select`: codes or prefixes, comma-separated
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub extend_select: Option<Vec<String>>,

    /// Rules not to run: codes or prefixes, comma-separated
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,

    /// Report a rule (code or prefix) at another severity, e.g. `D001=warning`
    #[arg(long, value_name = "CODE=LEVEL", value_parser = parse_severity_override)]
    pub severity: Vec<(String, Severity)>,

    /// Exit with 1 when a finding is at or above this severity: note, warning or error
    /// [default: warning]
    #[arg(long, value_name = "LEVEL", value_parser = str::parse::<Severity>)]
    pub fail_on: Option<Severity>,

    /// Hide the findings listed in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Fail the run when a baseline entry matches no finding any more (the baseline only shrinks)
    #[arg(long)]
    pub baseline_strict: bool,

    /// Write the current findings to this baseline file (the run then exits 0 unless an error occurred)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Coloured output
    #[arg(long, value_enum, env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print the findings only: no summary, no notes
    #[arg(short, long)]
    pub quiet: bool,

    /// Write the report to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub cargo: CargoOptions,
}

impl CheckArgs {
    /// The output format, with what cargo's `--message-format` adds to it.
    pub fn output_format(&self) -> MessageFormat {
        match (self.format, self.message_format) {
            (Some(format), _) => MessageFormat::plain(format),
            (None, Some(message_format)) => message_format,
            (None, None) => MessageFormat::plain(Format::Human),
        }
    }

    pub fn overrides(&self) -> Overrides {
        Overrides {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
            fail_on: self.fail_on,
            baseline: self.baseline.clone(),
            baseline_strict: self.baseline_strict,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageFormat {
    pub format: Format,
    /// rustc-json's `rendered` carries ANSI colours.
    pub ansi: bool,
    /// One line per message (`short`, `json-diagnostic-short`).
    pub short: bool,
}

impl MessageFormat {
    fn plain(format: Format) -> Self {
        MessageFormat {
            format,
            ansi: false,
            short: false,
        }
    }
}

/// cargo's `--message-format` values, possibly comma-separated (`json,json-diagnostic-short`).
fn parse_message_format(text: &str) -> Result<MessageFormat, String> {
    let mut chosen = MessageFormat::plain(Format::Human);
    for part in text.split(',').map(str::trim) {
        match part {
            "human" => {}
            "short" => chosen.short = true,
            "json" | "json-render-diagnostics" => chosen.format = Format::RustcJson,
            "json-diagnostic-short" => {
                chosen.format = Format::RustcJson;
                chosen.short = true;
            }
            "json-diagnostic-rendered-ansi" => {
                chosen.format = Format::RustcJson;
                chosen.ansi = true;
            }
            other => {
                return Err(format!(
                    "unknown message format `{other}` (expected human, short, json, json-diagnostic-short, \
                     json-diagnostic-rendered-ansi or json-render-diagnostics)"
                ))
            }
        }
    }
    Ok(chosen)
}

fn parse_severity_override(text: &str) -> Result<(String, Severity), String> {
    let (code, level) = text
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=LEVEL, e.g. D001=warning, not `{text}`"))?;
    Ok((code.trim().to_owned(), level.parse::<Severity>()?))
}

/// The options `cargo check` takes, which rust-analyzer passes when racecheck stands in for it
/// (`check.command = "racecheck"` or `check.overrideCommand`). `--workspace`, `-p`/`--package`
/// and `--exclude` choose the members to check, as cargo does: without them, the package whose
/// folder holds the working directory (or `--manifest-path`), else every member. The others
/// change nothing in a source-level analysis and are accepted so that such a command line runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoOptions {
    pub workspace: bool,
    pub packages: Vec<String>,
    pub exclude: Vec<String>,
}

const IGNORED_FLAGS: &[&str] = &[
    "keep-going",
    "all-targets",
    "lib",
    "bins",
    "tests",
    "examples",
    "benches",
    "all-features",
    "no-default-features",
    "locked",
    "offline",
    "frozen",
    "release",
];
const IGNORED_OPTIONS: &[&str] = &[
    "target",
    "target-dir",
    "config",
    "bin",
    "test",
    "example",
    "bench",
    "profile",
    "jobs",
];

impl FromArgMatches for CargoOptions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut options = CargoOptions::default();
        options.update_from_arg_matches(matches)?;
        Ok(options)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        let values = |id: &str| -> Vec<String> {
            matches
                .get_many::<String>(id)
                .into_iter()
                .flatten()
                .cloned()
                .collect()
        };
        self.workspace = matches.get_flag("workspace") || matches.get_flag("all");
        self.packages = values("package");
        self.exclude = values("exclude");
        // As cargo says: an exclusion means nothing without the whole workspace to exclude from.
        if !self.exclude.is_empty() && !self.workspace {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::MissingRequiredArgument,
                "--exclude can only be used together with --workspace\n",
            ));
        }
        Ok(())
    }
}

impl Args for CargoOptions {
    fn augment_args(command: clap::Command) -> clap::Command {
        let command = command
            .next_help_heading("Cargo options")
            .arg(
                Arg::new("workspace")
                    .long("workspace")
                    .action(ArgAction::SetTrue)
                    .help("Check every member of the workspace [default: the current package]"),
            )
            .arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .hide(true),
            )
            .arg(
                Arg::new("package")
                    .short('p')
                    .long("package")
                    .value_name("SPEC")
                    .action(ArgAction::Append)
                    .help("Check only this workspace member (repeatable)"),
            )
            .arg(
                Arg::new("exclude")
                    .long("exclude")
                    .value_name("SPEC")
                    .action(ArgAction::Append)
                    .help("Skip this workspace member (repeatable)"),
            )
            .arg(
                Arg::new("features")
                    .short('F')
                    .long("features")
                    .action(ArgAction::Append)
                    .hide(true),
            )
            .arg(
                Arg::new("unstable")
                    .short('Z')
                    .action(ArgAction::Append)
                    .hide(true),
            );
        let command = IGNORED_FLAGS.iter().fold(command, |command, &name| {
            command.arg(
                Arg::new(name)
                    .long(name)
                    .action(ArgAction::SetTrue)
                    .hide(true),
            )
        });
        IGNORED_OPTIONS.iter().fold(command, |command, &name| {
            command.arg(
                Arg::new(name)
                    .long(name)
                    .action(ArgAction::Append)
                    .hide(true),
            )
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo-racecheck").chain(args.iter().copied()))
    }

    fn check_args(cli: Cli) -> CheckArgs {
        match cli.command {
            None => cli.check,
            Some(Command::Check(args)) => *args,
            Some(other) => panic!("not a check: {other:?}"),
        }
    }

    #[test]
    fn check_is_the_default_command() {
        let implicit = check_args(parse(&["src", "--select", "D,R001", "--select", "L"]).unwrap());
        let explicit =
            check_args(parse(&["check", "src", "--select", "D,R001", "--select", "L"]).unwrap());
        assert_eq!(implicit.paths, explicit.paths);
        assert_eq!(
            implicit.select,
            Some(vec!["D".into(), "R001".into(), "L".into()])
        );
        assert!(matches!(
            parse(&["rules"]).unwrap().command,
            Some(Command::Rules(_))
        ));
    }

    #[test]
    fn rust_analyzer_command_lines_parse() {
        let args = check_args(
            parse(&[
                "check",
                "--workspace",
                "--message-format=json-diagnostic-rendered-ansi",
                "--manifest-path",
                "/ws/Cargo.toml",
                "--keep-going",
                "--all-targets",
                "-p",
                "a",
                "--features",
                "x,y",
                "--target-dir",
                "/ws/target/ra",
                "--config",
                "build.rustflags=[]",
                "-Zunstable-options",
            ])
            .unwrap(),
        );
        let format = args.output_format();
        assert_eq!(
            (format.format, format.ansi, format.short),
            (Format::RustcJson, true, false)
        );
        assert_eq!(args.cargo.packages, ["a"]);
        assert_eq!(
            args.manifest_path.as_deref(),
            Some(std::path::Path::new("/ws/Cargo.toml"))
        );
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for args in [
            &["--format", "xml"][..],
            &["--message-format", "yaml"],
            &["--severity", "D001"],
            &["--severity", "D001=loud"],
            &["--fail-on", "never"],
            &["--format", "json", "--message-format", "json"],
            &["--bogus"],
            &["confirm", "--partition", "3/2"],
            &["confirm", "--partition", "half"],
            &["merge"],
            &["merge", "a.jsonl", "--format", "xml"],
        ] {
            let error = parse(args).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{args:?}: {error}");
        }
        assert_eq!(parse(&["--help"]).unwrap_err().exit_code(), 0);
    }

    #[test]
    fn severity_overrides_parse() {
        let args =
            check_args(parse(&["--severity", "D001=note", "--severity", "R=warning"]).unwrap());
        assert_eq!(
            args.severity,
            [
                ("D001".into(), Severity::Note),
                ("R".into(), Severity::Warning)
            ]
        );
    }
}
