//! The analysis entry point: source files in, diagnostics and input errors out.
//! SKELETON: the pipeline (frontend → model → graphs → rules) is filled in by the analysis work.
use crate::diagnostic::{Diagnostic, InputError, SourceFile};

/// Everything one run of the analysis found.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings of every rule, before configuration, suppressions and baselines are applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be analyzed (or only partly), with where and why.
    pub errors: Vec<InputError>,
}

/// Analyzes a set of files as crates: crate roots are the files no `mod` item of another file claims.
pub fn analyze(_files: &[SourceFile]) -> Analysis {
    Analysis::default()
}
