//! What one `check` run found, ready for every renderer: the findings after configuration,
//! suppressions and baseline, the input errors, and the stale baseline entries.
use super::baseline;
use super::source_map::SourceMap;
use super::workspace::Workspace;
use crate::diagnostic::{Diagnostic, InputError, RunNote, Severity};
use cargo_metadata::{Package, Target};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Report<'a> {
    /// Sorted by file, position, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Sorted by file.
    pub errors: Vec<InputError>,
    /// What limited the analysis (crates whose model was cut short), sorted by file.
    pub notes: Vec<RunNote>,
    /// Baseline entries that matched no finding.
    pub stale: Vec<baseline::Entry>,
    /// How many findings the baseline hid.
    pub baselined: usize,
    /// How many files were found to analyze (those that could not be read or parsed included).
    pub files: usize,
    pub sources: &'a SourceMap,
    /// The cargo workspace, when known (rustc-json names packages and targets from it).
    pub workspace: Option<&'a Workspace>,
    /// The root file of each file's crate, by path: the target a file belongs to is the one
    /// whose root file is its crate's.
    pub crate_roots: &'a BTreeMap<PathBuf, PathBuf>,
    /// Paths are printed relative to this folder (the workspace root, or the working directory).
    pub root: &'a Path,
    /// The git repository holding `root`, when there is one: GitHub names files relative to it.
    pub repository: Option<&'a Path>,
    /// Whether the run passes (exit code 0); rustc-json's `build-finished` and SARIF's
    /// `executionSuccessful` say it.
    pub success: bool,
}

/// How many findings of each severity a report holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub input_errors: usize,
    pub stale_baseline_entries: usize,
    /// Findings the baseline hid.
    pub baselined: usize,
}

impl Report<'_> {
    /// The workspace package and target that own `file` (a path as printed): the target rooted
    /// at the root of the file's crate; for a file no crate holds (one that does not parse),
    /// the target whose source folder is the file's.
    pub fn owner(&self, file: &Path) -> Option<(&Package, &Target)> {
        let workspace = self.workspace?;
        let location = |path: &Path| self.sources.id(path).map(|id| self.sources.location(id));
        self.crate_roots
            .get(file)
            .and_then(|root| workspace.target_rooted_at(location(root)?))
            .or_else(|| workspace.target_of(location(file)?))
    }

    /// Where paths in SARIF and GitHub annotations are relative to: the repository's root, else
    /// the run's root.
    pub fn repo_root(&self) -> &Path {
        self.repository.unwrap_or(self.root)
    }

    /// `path` (as printed) relative to [`Report::repo_root`]; as printed when outside it.
    pub fn repo_path(&self, path: &Path) -> PathBuf {
        let location = match self.sources.id(path) {
            Some(id) => self.sources.location(id).to_path_buf(),
            None => self.root.join(path),
        };
        match location.strip_prefix(self.repo_root()) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }

    pub fn summary(&self) -> Summary {
        let count = |level| {
            self.diagnostics
                .iter()
                .filter(|d| d.severity == level)
                .count()
        };
        Summary {
            files: self.files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            input_errors: self.errors.len(),
            stale_baseline_entries: self.stale.len(),
            baselined: self.baselined,
        }
    }
}

/// `1 error`, `2 errors`, `2 entries`.
pub fn plural(n: usize, singular: &str) -> String {
    match (n, singular.strip_suffix('y')) {
        (1, _) => format!("1 {singular}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {singular}s"),
    }
}

/// What a report says about stale baseline entries.
pub fn stale_baseline_note(count: usize) -> String {
    let (verb, pronoun) = if count == 1 {
        ("matches", "it")
    } else {
        ("match", "them")
    };
    format!(
        "{} no longer {verb} a finding; rewrite the baseline with `--write-baseline` to drop {pronoun}",
        plural(count, "baseline entry")
    )
}
