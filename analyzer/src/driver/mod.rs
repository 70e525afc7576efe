//! `cargo racecheck`: the command line, configuration, suppressions, baselines, fingerprints and
//! output formats around the analysis.
//!
//! Exit status: 0 when no finding is at or above `--fail-on` (default `warning`); 1 when one is;
//! 2 for a usage or configuration error (nothing is analyzed), or when an input could not be
//! analyzed (a missing path, an unreadable, non-UTF-8 or unparsable file, a symlink loop): those
//! are reported with the findings of every other file, then the run exits 2 so that CI notices.
//!
//! The run writes nothing but its report (stdout or `--output`) and `--write-baseline`.
pub mod baseline;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod confirm;
pub mod discover;
pub mod error;
pub mod fingerprint;
pub mod globs;
pub mod merge;
pub mod render;
pub mod report;
pub mod selection;
pub mod source_map;
pub mod suppress;
pub mod workspace;

use clap::Parser;
use cli::{Cli, Command};
use error::Fatal;
use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

/// How a run ended; the exit status is its discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome as u8)
    }
}

/// The binary's `main`.
pub fn main() -> ExitCode {
    run(std::env::args_os()).into()
}

/// Runs the command line `args` (`argv[0]` first).
pub fn run(args: impl IntoIterator<Item = OsString>) -> Outcome {
    let parsed = Cli::try_parse_from(cargo_subcommand_args(args));
    let cli = match parsed.and_then(|cli| cli::unknown_subcommand(&cli).map_or(Ok(cli), Err)) {
        Ok(cli) => cli,
        Err(error) => {
            // Usage errors go to stderr; --help and --version to stdout.
            let _ = error.print();
            return if error.exit_code() == 0 {
                Outcome::Clean
            } else {
                Outcome::Error
            };
        }
    };
    match execute(cli) {
        Ok(outcome) => outcome,
        Err(fatal) => {
            let _ = writeln!(io::stderr(), "error: {fatal}");
            Outcome::Error
        }
    }
}

fn execute(cli: Cli) -> Result<Outcome, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::new(format!("cannot read the working directory: {e}")))?;
    let mut stdout = io::stdout().lock();
    let written = match &cli.command {
        None => return check::run(&cli.check, &cwd),
        Some(Command::Check(args)) => return check::run(args, &cwd),
        Some(Command::Rules(args)) => catalog::list(args.format, &mut stdout),
        Some(Command::Explain(args)) => catalog::explain(catalog::find(&args.code)?, &mut stdout),
        Some(Command::Lsp) => {
            drop(stdout);
            return crate::lsp::run_stdio(&cwd).map(|()| Outcome::Clean);
        }
        Some(Command::Confirm(args)) => return confirm::run(args, &cwd),
        Some(Command::Replay(args)) => return confirm::replay(args, &cwd),
        Some(Command::Merge(args)) => return merge::run(args, &cwd),
    };
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Fatal::new(format!("cannot write output: {e}")))
        }
        _ => Ok(Outcome::Clean),
    }
}

/// Drops the `racecheck` that cargo passes as the first argument when run as `cargo racecheck`.
fn cargo_subcommand_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "racecheck") {
        args.remove(1);
    }
    args
}
