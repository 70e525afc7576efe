//! `cargo racecheck confirm` and `cargo racecheck replay`: the join of the static analyzer and
//! the exploration runtime.
//!
//! ```text
//! check (static findings) ─► programs: cargo builds the #[racecheck::main] binaries and the
//!   #[racecheck::test] targets ─► explore: each program, targeted at its package's findings'
//!   lines, then (where a finding is still unconfirmed) under its default strategy; findings come
//!   back through RACECHECK_REPORT ─► join: by file and line, as each rule's runtime twin says
//!   ─► report: confirmed (witness + replay command) | not reproduced in N schedules, and the
//!   runtime findings no static finding explains
//! ```
pub mod children;
mod explore;
mod human;
mod join;
mod json;
mod programs;
mod replay;
mod report;
pub(crate) mod sarif;

pub use join::{evidence, twin, Twin};
pub use replay::replay;

use super::check::{self, write_output};
use super::cli::{ConfirmArgs, ConfirmFormat, Deny};
use super::error::Fatal;
use super::report::Report;
use super::workspace::Workspace;
use super::Outcome;
use crate::diagnostic::Diagnostic;
use explore::{Explored, Job, Settings, Strategy};
use programs::{Program, Selection};
use racecheck::explore::replay_argument;
use racecheck::SourceLocation;
use report::{Confirmation, Problem, Witness};
use std::path::{Path, PathBuf};

pub fn run(args: &ConfirmArgs, cwd: &Path) -> Result<Outcome, Fatal> {
    let checked = check::analyze(&args.static_args()?, cwd)?;
    let workspace = checked
        .workspace
        .as_ref()
        .ok_or_else(|| Fatal::new("confirm needs a cargo workspace"))?;
    let mut diagnostics = checked.diagnostics.clone();
    let stale = checked
        .baseline
        .as_ref()
        .map(|b| b.filter(&mut diagnostics))
        .unwrap_or_default();
    let members = workspace.select(&args.package, &[])?;
    let selection = Selection {
        packages: if args.package.is_empty() {
            &[]
        } else {
            &members
        },
        bins: &args.bin,
        tests: &args.test,
    };
    let programs = programs::build(
        workspace,
        args.manifest_path.as_deref(),
        &selection,
        &checked.sources,
    )?;
    let found = diagnostics.len();
    let repository = check::repository_root(&checked.root);
    let report = Report {
        baselined: checked.diagnostics.len() - found,
        diagnostics,
        errors: checked.errors.clone(),
        notes: checked.notes.clone(),
        stale,
        files: checked.files,
        sources: &checked.sources,
        workspace: Some(workspace),
        crate_roots: &checked.crate_roots,
        root: &checked.root,
        repository: repository.as_deref(),
        success: false,
    };

    let scratch = Scratch::new(workspace)?;
    let settings = Settings {
        schedules: args.schedules,
        time_budget: args.time_budget(),
        jobs: args.jobs as usize,
        scratch: scratch.0.clone(),
        partition: args.partition,
        shard_report: args.shard_report.as_ref().map(|path| cwd.join(path)),
    };
    if let Some(path) = &settings.shard_report {
        std::fs::File::create(path).map_err(|e| Fatal::io("create", path, &e))?;
    }
    let mut confirmation = confirm(report, &programs, &settings);
    // A runtime-only finding has a witness: it is denied like a confirmed one.
    let denied = !confirmation.misses.is_empty()
        || match args.deny {
            Deny::Confirmed => confirmation.confirmed() > 0,
            Deny::All => confirmation
                .report
                .diagnostics
                .iter()
                .any(|d| d.severity >= checked.settings.fail_on),
        };
    let outcome = if !confirmation.report.errors.is_empty() {
        Outcome::Error
    } else if denied {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    confirmation.report.success = outcome == Outcome::Clean;
    let color = check::use_color(args.color, args.output.as_deref());
    write_output(args.output.as_deref(), cwd, |out| match args.format {
        ConfirmFormat::Human => human::render(&confirmation, color, out),
        ConfirmFormat::Json => json::render(&confirmation, out),
        ConfirmFormat::Sarif => sarif::render(&confirmation, out),
    })?;
    Ok(outcome)
}

/// Explores `programs` (targeted first, then the default strategy where needed) and joins.
fn confirm<'a, 'p>(
    report: Report<'a>,
    programs: &'p [Program],
    settings: &Settings,
) -> Confirmation<'a, 'p> {
    // Each finding's programs: those whose target holds its file, else its package's programs.
    let files: Vec<PathBuf> = report
        .diagnostics
        .iter()
        .map(|d| report.root.join(&d.primary.file))
        .collect();
    let concerns = |program: &Program, index: usize| -> bool {
        let file = &files[index];
        if programs::owns(&program.src_path, file) {
            return true;
        }
        !programs.iter().any(|p| programs::owns(&p.src_path, file))
            && owner(programs, file).as_deref() == Some(program.package_dir.as_path())
    };
    let related = |program: &Program| -> Vec<&Diagnostic> {
        report
            .diagnostics
            .iter()
            .enumerate()
            .filter(|&(index, d)| {
                concerns(program, index) && !matches!(twin(&d.code), None | Some(Twin::Absent(_)))
            })
            .map(|(_, d)| d)
            .collect()
    };

    let mut witnesses: Vec<Witness<'p>> = Vec::new();
    let mut explored: Vec<(&'p Program, Explored)> = Vec::new();
    let mut problems = Vec::new();
    let mut record = |jobs: Vec<Job<'p>>, witnesses: &mut Vec<Witness<'p>>| {
        for (job, run) in jobs.iter().zip(explore::run_all(&jobs, settings)) {
            if let Some(message) = &run.problem {
                problems.push(Problem {
                    program: job.program.label(),
                    strategy: job.strategy.name(),
                    message: message.clone(),
                });
            }
            for line in &run.findings {
                let seen = witnesses.iter().any(|w| {
                    std::ptr::eq(w.program, job.program)
                        && w.line.finding.kind == line.finding.kind
                        && w.line.finding.locations == line.finding.locations
                });
                if !seen {
                    let token = &line.finding.replay_token;
                    let replay =
                        replay_argument(token, &settings.token_dir()).unwrap_or_else(|e| {
                            problems.push(Problem {
                                program: job.program.label(),
                                strategy: job.strategy.name(),
                                message: format!("cannot write a replay token to a file: {e}"),
                            });
                            token.clone()
                        });
                    witnesses.push(Witness {
                        program: job.program,
                        strategy: job.strategy.name(),
                        line: line.clone(),
                        replay,
                    });
                }
            }
            explored.push((job.program, run));
        }
    };

    let targeted: Vec<Job<'p>> = programs
        .iter()
        .filter_map(|program| {
            let targets = locations(&related(program));
            (!targets.is_empty()).then_some(Job {
                program,
                strategy: Strategy::Targeted(targets),
                test: None,
            })
        })
        .collect();
    record(targeted, &mut witnesses);
    let unconfirmed = |program: &Program, witnesses: &[Witness<'_>]| {
        let related = related(program);
        related.is_empty()
            || related.iter().any(|d| {
                !witnesses
                    .iter()
                    .any(|w| evidence(d, &w.line.finding).is_some())
            })
    };
    // A share runs every program's default exploration: whether the others' shares confirmed
    // a finding is not known here, and every share must run the same explorations to merge.
    let default: Vec<Job<'p>> = programs
        .iter()
        .filter(|program| settings.partition.is_some() || unconfirmed(program, &witnesses))
        .map(|program| Job {
            program,
            strategy: Strategy::Default,
            test: None,
        })
        .collect();
    record(default, &mut witnesses);

    let schedules_for = |index: usize| -> usize {
        explored
            .iter()
            .filter(|(program, _)| concerns(program, index))
            .map(|(_, run)| run.schedules)
            .sum()
    };
    let (statuses, misses) = report::join(&report, &witnesses, schedules_for);
    Confirmation {
        report,
        statuses,
        witnesses,
        misses,
        problems,
        programs: programs.len(),
    }
}

/// The package folder (of a program's package) that holds `file`: the deepest one.
fn owner(programs: &[Program], file: &Path) -> Option<PathBuf> {
    programs
        .iter()
        .map(|p| &p.package_dir)
        .filter(|dir| file.starts_with(dir))
        .max_by_key(|dir| dir.components().count())
        .cloned()
}

/// Every line the findings flag, once each: where targeted exploration preempts.
fn locations(diagnostics: &[&Diagnostic]) -> Vec<SourceLocation> {
    let mut targets: Vec<SourceLocation> = Vec::new();
    for diagnostic in diagnostics {
        let spans = std::iter::once(&diagnostic.primary)
            .chain(diagnostic.secondary.iter().map(|l| &l.span));
        for span in spans {
            let target = SourceLocation {
                file: super::render::portable(&span.file),
                line: span.line_start,
                column: 0,
            };
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
    }
    targets
}

/// A fresh folder for the children's report and output files, under the workspace's
/// `target/racecheck/` (racecheck writes nowhere else on its own); removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(workspace: &Workspace) -> Result<Self, Fatal> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = workspace.target_directory.join("racecheck").join(format!(
            "racecheck-confirm-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| Fatal::io("create", &dir, &e))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
