//! The analysis entry point: source files in, diagnostics and input errors out.
//!
//! Pipeline: every file is parsed in parallel and outlined (its `mod` items; whether it names
//! racecheck); files are grouped into crates; each crate that names racecheck is parsed again on
//! one thread (syntax trees cannot move between threads), indexed, modelled, and checked by the
//! rules. Crates that never name racecheck hold no primitive and cost only their parse.
use crate::diagnostic::{Diagnostic, InputError, SourceFile};
use crate::frontend::crates::{discover_crates, CrateFiles, FileTable};
use crate::frontend::macros::MacroArgs;
use crate::frontend::outline::{outline_file, Outline};
use crate::frontend::{index, pool};
use crate::model::interp::model_crate;
use rayon::prelude::*;
use std::path::Path;

/// Everything one run of the analysis found.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings of every rule, before configuration, suppressions and baselines are applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be analyzed (or only partly), with where and why.
    pub errors: Vec<InputError>,
}

/// Analyzes a set of files as crates: crate roots are the files no `mod` item of another file claims.
pub fn analyze(files: &[SourceFile]) -> Analysis {
    pool::analysis_pool().install(|| analyze_on_pool(files))
}

fn analyze_on_pool(files: &[SourceFile]) -> Analysis {
    let results: Vec<Result<Outline, InputError>> = files.par_iter().map(outline_file).collect();
    let mut errors = Vec::new();
    let outlines: Vec<Outline> = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                Outline::default()
            })
        })
        .collect();
    let table = FileTable::new(files);
    let crates = discover_crates(&table, &outlines);
    let mut diagnostics: Vec<Diagnostic> = crates
        .par_iter()
        .filter(|c| c.files.iter().any(|&f| outlines[f].mentions_racecheck))
        .flat_map_iter(|c| analyze_crate(files, &table, c))
        .collect();
    diagnostics.sort_by(|a, b| {
        (
            &a.primary.file,
            a.primary.line_start,
            a.primary.column_start,
            &a.code,
        )
            .cmp(&(
                &b.primary.file,
                b.primary.line_start,
                b.primary.column_start,
                &b.code,
            ))
    });
    diagnostics.dedup_by(|a, b| a.code == b.code && a.primary == b.primary);
    Analysis {
        diagnostics,
        errors,
    }
}

/// Models one crate and runs the rules over it, all on the calling (big-stack) thread.
fn analyze_crate(files: &[SourceFile], table: &FileTable, krate: &CrateFiles) -> Vec<Diagnostic> {
    let diagnostics = {
        // Every file parsed in the first pass; one that no longer does is left out.
        let (slots, asts): (Vec<usize>, Vec<syn::File>) = krate
            .files
            .iter()
            .filter_map(|&f| syn::parse_file(&files[f].text).ok().map(|ast| (f, ast)))
            .unzip();
        let index = index::build(table, &slots, &asts);
        let macros = MacroArgs::collect(&asts);
        let paths: Vec<&Path> = slots.iter().map(|&f| files[f].path.as_path()).collect();
        let model = model_crate(&index, &macros, &paths);
        crate::rules::check_model(&model)
    };
    // The crate's syntax trees are gone: let proc-macro2 forget its files.
    proc_macro2::extra::invalidate_current_thread_spans();
    diagnostics
}
