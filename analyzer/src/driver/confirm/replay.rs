//! `cargo racecheck replay TOKEN`: builds one target, re-runs exactly the schedule the token
//! names (`RACECHECK_EXPLORE=1`, `RACECHECK_REPLAY`), reads the findings back through
//! `RACECHECK_REPORT` and prints them, a trace they share once.
use super::explore::{self, Job, Settings, Strategy};
use super::programs::{self, Program, TargetSpec};
use super::Scratch;
use crate::driver::check::write_output;
use crate::driver::cli::ReplayArgs;
use crate::driver::error::Fatal;
use crate::driver::workspace::Workspace;
use crate::driver::Outcome;
use cargo_metadata::TargetKind;
use racecheck::explore::Witnesses;
use racecheck::Finding;
use std::path::Path;
use std::time::Duration;

/// Exit status: 1 when the replay shows a finding (the witness reproduced), 0 when the schedule
/// ran clean, 2 when the token, the build or the run failed.
pub fn replay(args: &ReplayArgs, cwd: &Path) -> Result<Outcome, Fatal> {
    let token = racecheck::explore::read_token(&args.token)
        .map_err(|e| Fatal::new(format!("`{}` {e}", args.token.trim())))?;
    let workspace = Workspace::load(args.manifest_path.as_deref(), cwd)?;
    let program = build(&workspace, args)?;
    let scratch = Scratch::new(&workspace)?;
    let settings = Settings {
        schedules: 1,
        time_budget: Duration::from_secs(args.time_budget),
        jobs: 1,
        scratch: scratch.0.clone(),
        partition: None,
        shard_report: None,
    };
    let job = Job {
        program: &program,
        strategy: Strategy::Replay(token),
        test: args.name.as_deref(),
    };
    let run = explore::run_all(std::slice::from_ref(&job), &settings)
        .pop()
        .expect("one job, one result");
    if let Some(problem) = run.problem {
        return Err(Fatal::new(format!(
            "replaying in {}: {problem}",
            program.label()
        )));
    }
    write_output(args.output.as_deref(), cwd, |out| {
        if run.findings.is_empty() {
            writeln!(
                out,
                "racecheck replay: the schedule ran clean in {}: no finding (has the program \
                 changed since the token was printed?)",
                program.label()
            )
        } else {
            // One schedule's findings: a deadlock and its lock-order cycle share one trace.
            let findings: Vec<Finding> = run.findings.iter().map(|l| l.finding.clone()).collect();
            writeln!(out, "{}\n", Witnesses(&findings))
        }
    })?;
    Ok(if run.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Builds the target `args` names and returns it as a program.
fn build(workspace: &Workspace, args: &ReplayArgs) -> Result<Program, Fatal> {
    let (spec, harness) = match (&args.bin, &args.test) {
        (Some(bin), _) => (TargetSpec::Bin(bin.clone()), args.name.is_some()),
        (None, Some(test)) => (TargetSpec::Test(test.clone()), true),
        (None, None) => (TargetSpec::Lib, true),
    };
    let mut cargo_args: Vec<String> = if harness {
        vec!["test".into(), "--no-run".into()]
    } else {
        vec!["build".into()]
    };
    if let Some(package) = &args.package {
        cargo_args.extend(["-p".into(), package.clone()]);
    }
    match &spec {
        TargetSpec::Bin(name) => cargo_args.extend(["--bin".into(), name.clone()]),
        TargetSpec::Test(name) => cargo_args.extend(["--test".into(), name.clone()]),
        TargetSpec::Lib => cargo_args.push("--lib".into()),
    }
    let artifact = programs::artifacts(workspace, args.manifest_path.as_deref(), &cargo_args)?
        .into_iter()
        .filter(|a| a.profile.test == harness && a.executable.is_some())
        .find(|a| match &spec {
            TargetSpec::Bin(name) => a.target.is_kind(TargetKind::Bin) && a.target.name == *name,
            TargetSpec::Test(name) => a.target.is_kind(TargetKind::Test) && a.target.name == *name,
            TargetSpec::Lib => a.target.is_kind(TargetKind::Lib),
        })
        .ok_or_else(|| {
            Fatal::new(format!(
                "`cargo {}` built no such executable",
                cargo_args.join(" ")
            ))
        })?;
    programs::program(workspace, artifact, harness)
        .ok_or_else(|| Fatal::new("the target's package is not a workspace member"))
}
