//! `cargo racecheck merge REPORTS...`: the report files of a partitioned run's shares
//! (`RACECHECK_PARTITION=k/N`, or `confirm --partition k/N --shard-report FILE`) put together
//! into the report one unsharded run gives, by `racecheck::explore::merge`.
//!
//! ```text
//! each file ─► run lines (target, strategy, seed, limits, report) ─► grouped by target and
//!   strategy ─► every file must hold the same runs with the same settings ─► one merged report
//!   per run ─► human | json (a RACECHECK_REPORT file of the merged runs) | sarif ─► exit code
//! ```
mod render;

use super::check::write_output;
use super::cli::MergeArgs;
use super::error::Fatal;
use super::Outcome;
use racecheck::explore::harness::{read_report, Run};
use std::path::{Path, PathBuf};

/// One run of one target, merged from its shares.
#[derive(Debug)]
pub struct Merged {
    pub target: String,
    /// Its settings and the merged report (partition 1/1).
    pub run: Run,
    /// How many shares it was run in.
    pub shares: usize,
}

pub fn run(args: &MergeArgs, cwd: &Path) -> Result<Outcome, Fatal> {
    let files: Vec<PathBuf> = args.reports.iter().map(|path| cwd.join(path)).collect();
    let merged = merge_files(&files)?;
    let outcome = if merged.iter().any(|m| !m.run.report.is_clean()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    write_output(args.output.as_deref(), cwd, |out| {
        render::render(&merged, args.format, out)
    })?;
    Ok(outcome)
}

/// A run read from one file.
struct Share<'f> {
    file: &'f Path,
    target: String,
    run: Run,
}

impl Share<'_> {
    fn names(&self) -> String {
        format!("`{}` ({})", self.target, self.run.strategy)
    }

    fn same_run(&self, other: &Share<'_>) -> bool {
        self.target == other.target && self.run.strategy == other.run.strategy
    }
}

/// The runs of every file, merged; `Err` names the file that does not fit the others.
pub fn merge_files(files: &[PathBuf]) -> Result<Vec<Merged>, Fatal> {
    let mut shares: Vec<Share<'_>> = Vec::new();
    for file in files {
        let (_, runs) = read_report(file).map_err(Fatal::new)?;
        if runs.is_empty() {
            return Err(Fatal::new(format!(
                "{}: no run recorded: not the report of a finished exploration",
                file.display()
            )));
        }
        shares.extend(runs.into_iter().map(|line| Share {
            file,
            target: line.target,
            run: line.run,
        }));
    }
    // Each file must hold the same runs: another program or strategy is not a share of these.
    for file in files {
        for share in &shares {
            let here = shares
                .iter()
                .any(|s| s.file == file.as_path() && s.same_run(share));
            if !here {
                return Err(Fatal::new(format!(
                    "{}: no run of {}, which {} holds: the reports are of different programs or \
                     strategies",
                    file.display(),
                    share.names(),
                    share.file.display()
                )));
            }
        }
    }
    let mut merged: Vec<Merged> = Vec::new();
    for (index, first) in shares.iter().enumerate() {
        if shares[..index].iter().any(|s| s.same_run(first)) {
            continue;
        }
        let group: Vec<&Share<'_>> = shares.iter().filter(|s| s.same_run(first)).collect();
        for share in &group {
            let (mine, theirs) = (&share.run, &first.run);
            let differs = [
                ("seed", mine.seed.to_string(), theirs.seed.to_string()),
                (
                    "schedule limit",
                    mine.schedules.to_string(),
                    theirs.schedules.to_string(),
                ),
                (
                    "step limit",
                    mine.max_steps.to_string(),
                    theirs.max_steps.to_string(),
                ),
            ]
            .into_iter()
            .find(|(_, a, b)| a != b);
            if let Some((what, a, b)) = differs {
                return Err(Fatal::new(format!(
                    "{}: {} ran with {what} {a}, but with {what} {b} in {}: shares of one run \
                     share its settings",
                    share.file.display(),
                    share.names(),
                    first.file.display()
                )));
            }
        }
        let reports: Vec<_> = group.iter().map(|s| s.run.report.clone()).collect();
        let report = racecheck::explore::merge(&reports).map_err(|error| {
            let files: Vec<String> = group.iter().map(|s| s.file.display().to_string()).collect();
            Fatal::new(format!(
                "{}: {error} (reports: {})",
                first.names(),
                files.join(", ")
            ))
        })?;
        merged.push(Merged {
            target: first.target.clone(),
            run: Run {
                report,
                ..first.run.clone()
            },
            shares: group.len(),
        });
    }
    Ok(merged)
}
