//! The `check` command: find the files, analyze them, then apply, in order, suppressions, the
//! rule selection and severities, per-file ignores, the baseline; render; decide the exit code.
//!
//! Fingerprints are computed before anything is removed, so that silencing one finding never
//! changes the fingerprint of another.
use super::baseline::Baseline;
use super::cli::{CheckArgs, ColorChoice, MessageFormat};
use super::config::{self, Settings};
use super::discover::{self, Finder};
use super::error::Fatal;
use super::fingerprint;
use super::render::{self, Format, Options};
use super::report::{plural, stale_baseline_note, Report};
use super::source_map::SourceMap;
use super::suppress;
use super::workspace::Workspace;
use super::Outcome;
use crate::diagnostic::{Diagnostic, InputError, RunNote, Severity, SourceFile};
use crate::rules;
use cargo_metadata::Package;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What the static half of a run found: the findings after suppressions and settings (the
/// baseline not yet applied), and everything needed to report them.
pub struct Checked {
    pub workspace: Option<Workspace>,
    /// Paths are relative to this folder (the workspace root, or the working directory).
    pub root: PathBuf,
    pub settings: Settings,
    pub baseline: Option<Baseline>,
    pub sources: SourceMap,
    /// How many files were found (read or not).
    pub files: usize,
    /// Sorted by file, position, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Sorted by file.
    pub errors: Vec<InputError>,
    /// The root file of each file's crate.
    pub crate_roots: BTreeMap<PathBuf, PathBuf>,
    /// What limited the analysis (crates whose model was cut short).
    pub notes: Vec<RunNote>,
}

/// Finds, loads and analyzes the files `args` name, then applies suppressions and settings.
pub fn analyze(args: &CheckArgs, cwd: &Path) -> Result<Checked, Fatal> {
    let workspace = load_workspace(args, cwd)?;
    let root = match (&workspace, args.paths.is_empty()) {
        (Some(workspace), true) => workspace.root.clone(),
        _ => cwd.to_path_buf(),
    };

    let members = match (&workspace, args.paths.is_empty()) {
        (Some(workspace), true) => Some(members_to_check(args, workspace, cwd)?),
        _ => None,
    };
    let package = match members.as_deref() {
        Some([package]) => Some(package.manifest_path.as_std_path()),
        Some(several) => {
            for package in several
                .iter()
                .filter(|p| p.metadata.get("racecheck").is_some())
            {
                warning(&format!(
                    "`[package.metadata.racecheck]` of `{}` applies when it is checked alone \
                     (`-p {}`, or from its folder); this run checks {} packages",
                    package.name,
                    package.name,
                    several.len()
                ));
            }
            None
        }
        // Paths given (`check .`): the package the run is in, as cargo would pick it.
        None => workspace
            .as_ref()
            .and_then(|w| w.package_at(cwd))
            .map(|p| p.manifest_path.as_std_path()),
    };
    let config = config::discover(cwd, workspace.as_ref().map(|w| w.root.as_path()), package)?;
    for message in &config.warnings {
        warning(message);
    }
    let settings = Settings::resolve(&config.layers, &args.overrides(), rules::all(), cwd)?;
    let baseline = settings
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()?;

    let (sources, files, mut errors) =
        load_sources(args, members.as_deref(), cwd, &root, &settings)?;
    let targets = workspace
        .as_ref()
        .map(|w| w.crate_targets(sources.files().map(|f| f.path.as_path()), &[&root, cwd]))
        .unwrap_or_default();
    let (diagnostics, analysis_errors, crate_roots, notes) =
        findings(&sources, &settings, &targets);
    errors.extend(analysis_errors);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Checked {
        workspace,
        root,
        settings,
        baseline,
        sources,
        files,
        diagnostics,
        errors,
        crate_roots,
        notes,
    })
}

pub fn run(args: &CheckArgs, cwd: &Path) -> Result<Outcome, Fatal> {
    let message_format = args.output_format();
    let format = message_format.format;
    let Checked {
        workspace,
        root,
        settings,
        baseline,
        sources,
        files,
        mut diagnostics,
        errors,
        crate_roots,
        notes,
    } = analyze(args, cwd)?;
    let root = root.as_path();

    if let Some(path) = &args.write_baseline {
        let path = cwd.join(path);
        Baseline::of(&diagnostics).write(&path)?;
        if !args.quiet {
            note(&format!(
                "wrote {} to `{}`",
                plural(diagnostics.len(), "finding"),
                path.display()
            ));
        }
    }
    let found = diagnostics.len();
    let stale = baseline
        .map(|b| b.filter(&mut diagnostics))
        .unwrap_or_default();
    let baselined = found - diagnostics.len();

    let fails = diagnostics.iter().any(|d| d.severity >= settings.fail_on)
        || (!stale.is_empty() && (settings.baseline_strict || settings.fail_on == Severity::Note));
    let outcome = if !errors.is_empty() {
        Outcome::Error
    } else if fails && args.write_baseline.is_none() {
        Outcome::Findings
    } else {
        Outcome::Clean
    };

    if format == Format::RustcJson && !stale.is_empty() && !args.quiet {
        // Editors read stdout as JSON messages; the baseline note is for the human at the terminal.
        note(&stale_baseline_note(stale.len()));
    }
    let repository = repository_root(root);
    let report = Report {
        diagnostics,
        errors,
        notes,
        stale,
        baselined,
        files,
        sources: &sources,
        workspace: workspace.as_ref(),
        crate_roots: &crate_roots,
        root,
        repository: repository.as_deref(),
        success: outcome == Outcome::Clean,
    };
    write_report(args, message_format, &report, cwd)?;
    Ok(outcome)
}

/// Finds and reads the files to analyze: the workspace's `members` to check, or the paths
/// given. Returns them, how many files were found (read or not), and the inputs that could not
/// be read.
fn load_sources(
    args: &CheckArgs,
    members: Option<&[&Package]>,
    cwd: &Path,
    root: &Path,
    settings: &Settings,
) -> Result<(SourceMap, usize, Vec<InputError>), Fatal> {
    let finder = Finder {
        cwd,
        root,
        exclude: &settings.exclude,
    };
    let found = match members {
        Some(members) => finder.workspace(members),
        None => finder.paths(&args.paths),
    };
    if found.files.is_empty() && found.errors.is_empty() {
        let searched = match args.paths.as_slice() {
            [] => "in the workspace's members".to_owned(),
            paths => format!(
                "in {}",
                paths
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        warning(&format!("no Rust files found {searched}"));
    }
    let (files, load_errors) = discover::load(&found.files);
    let mut errors = found.errors;
    errors.extend(load_errors);
    Ok((SourceMap::new(files), found.files.len(), errors))
}

/// The members a run checks, as cargo chooses them: `-p`/`--exclude` when given; else every
/// member with `--workspace`; else the package whose folder holds the working directory (or the
/// `--manifest-path`), and every member where no package's folder does.
fn members_to_check<'w>(
    args: &CheckArgs,
    workspace: &'w Workspace,
    cwd: &Path,
) -> Result<Vec<&'w Package>, Fatal> {
    let cargo = &args.cargo;
    if !cargo.packages.is_empty() || cargo.workspace {
        return workspace.select(&cargo.packages, &cargo.exclude);
    }
    let here = match &args.manifest_path {
        Some(manifest) => cwd.join(manifest).parent().map(Path::to_path_buf),
        None => Some(cwd.to_path_buf()),
    };
    match here.as_deref().and_then(|dir| workspace.package_at(dir)) {
        Some(package) => Ok(vec![package]),
        None => workspace.select(&[], &cargo.exclude),
    }
}

/// The findings to report, sorted, with their fingerprints; the files the analysis could not
/// (fully) read; the root file of each file's crate; what limited the analysis.
fn findings(
    sources: &SourceMap,
    settings: &Settings,
    targets: &crate::Targets,
) -> (
    Vec<Diagnostic>,
    Vec<InputError>,
    BTreeMap<PathBuf, PathBuf>,
    Vec<RunNote>,
) {
    let files: Vec<SourceFile> = sources.files().cloned().collect();
    let analysis = crate::analyze_targets(&files, targets);
    (
        report_of(analysis.diagnostics, sources, settings),
        analysis.errors,
        analysis.crate_roots,
        analysis.notes,
    )
}

/// What the user sees of the analysis's findings: fingerprinted, allow comments applied (with
/// U001 for those that silence nothing), the configuration applied, sorted. `lsp` shares it.
pub fn report_of(
    mut diagnostics: Vec<Diagnostic>,
    sources: &SourceMap,
    settings: &Settings,
) -> Vec<Diagnostic> {
    fingerprint::fill(&mut diagnostics, sources);
    let (mut diagnostics, mut unused_allows) = suppress::apply(diagnostics, sources, rules::all());
    fingerprint::fill(&mut unused_allows, sources);
    diagnostics.extend(unused_allows);
    apply_settings(&mut diagnostics, settings, sources);
    crate::diagnostic::sort_and_dedup(&mut diagnostics);
    diagnostics
}

/// The workspace: required without paths; with paths, read if there is one, so that the files
/// given are analyzed as a run without paths analyzes them (each crate in its edition, each
/// program linked to its package's library; rustc-json names each file's package), and files
/// outside any cargo workspace are analyzed all the same.
fn load_workspace(args: &CheckArgs, cwd: &Path) -> Result<Option<Workspace>, Fatal> {
    if args.paths.is_empty() || args.manifest_path.is_some() {
        return Workspace::load(args.manifest_path.as_deref(), cwd).map(Some);
    }
    Ok(Workspace::load(None, cwd).ok())
}

/// Drops the findings of disabled rules and per-file ignores; applies severity overrides.
fn apply_settings(diagnostics: &mut Vec<Diagnostic>, settings: &Settings, sources: &SourceMap) {
    diagnostics.retain(|d| {
        let location = sources.id(&d.primary.file).map(|id| sources.location(id));
        match location {
            Some(location) => settings.reports(&d.code, location),
            None => settings.selection.is_enabled(&d.code),
        }
    });
    for diagnostic in diagnostics {
        diagnostic.severity = settings
            .selection
            .severity_of(&diagnostic.code, diagnostic.severity);
    }
}

fn write_report(
    args: &CheckArgs,
    message_format: MessageFormat,
    report: &Report<'_>,
    cwd: &Path,
) -> Result<(), Fatal> {
    let options = Options {
        color: use_color(args.color, args.output.as_deref()),
        quiet: args.quiet,
        ansi_rendered: message_format.ansi,
        short: message_format.short,
    };
    write_output(args.output.as_deref(), cwd, |out| {
        render::render(message_format.format, report, options, out)
    })
}

/// Whether human output gets ANSI colours: on request, or on a terminal unless `NO_COLOR`.
pub fn use_color(choice: ColorChoice, output: Option<&Path>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes a report with `render` to the file `output` (relative to `cwd`), or to stdout.
pub fn write_output(
    output: Option<&Path>,
    cwd: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Fatal> {
    match output {
        Some(path) => {
            let path = cwd.join(path);
            Fatal::refuse_overwrite(&path)?;
            let mut file = File::create(&path).map_err(|e| Fatal::io("create", &path, &e))?;
            render(&mut file)
                .and_then(|()| file.flush())
                .map_err(|e| Fatal::io("write", &path, &e))
        }
        None => {
            let mut stdout = io::stdout().lock();
            match render(&mut stdout).and_then(|()| stdout.flush()) {
                // The reader went away (`| head`): nothing left to tell it.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                result => result.map_err(|e| Fatal::new(format!("cannot write the report: {e}"))),
            }
        }
    }
}

/// The root of the git repository holding `folder` (the nearest folder with a `.git` entry).
pub fn repository_root(folder: &Path) -> Option<PathBuf> {
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

fn warning(message: &str) {
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = writeln!(io::stderr(), "warning: {message}");
}

fn note(message: &str) {
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = writeln!(io::stderr(), "note: {message}");
}
