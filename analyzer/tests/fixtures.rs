//! The fixture corpus against the analyzer: every `//~ CODE` annotation of
//! `fixtures/src/bin/*.rs` (and of the analyzer's own `tests/cases/*.rs`) must match a
//! diagnostic whose primary span starts on that line, and every diagnostic must be annotated.
use racecheck_analyzer::analyze;
use racecheck_analyzer::diagnostic::SourceFile;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "../../fixtures/tests/corpus/annotations.rs"]
mod annotations;

/// `(line, code)` of a primary span.
type Expectation = (u32, String);

/// The expectations written in a file's `//~` annotations; panics naming the file if one is
/// malformed.
fn expectations(file: &SourceFile) -> BTreeSet<Expectation> {
    let found = annotations::expectations(&file.text).unwrap_or_else(|errors| {
        panic!(
            "{}: malformed annotations:\n{}",
            file.path.display(),
            errors.join("\n")
        )
    });
    found
        .into_iter()
        .map(|e| (u32::try_from(e.line).expect("line fits u32"), e.code))
        .collect()
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `.rs` files of a folder (relative to the workspace root), sorted.
fn sources(folder: &str) -> Vec<SourceFile> {
    let root = workspace_root();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            let relative = p.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(p);
            SourceFile {
                path: relative,
                text: Arc::from(text),
            }
        })
        .collect()
}

/// Analyzes the files together and describes every difference with their annotations.
fn mismatches(files: &[SourceFile]) -> String {
    let analysis = analyze(files);
    let mut report = String::new();
    for error in &analysis.errors {
        let _ = writeln!(
            report,
            "{}: input error: {}",
            error.path.display(),
            error.message
        );
    }
    for file in files {
        let expected = expectations(file);
        let actual: BTreeSet<Expectation> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.primary.file == file.path)
            .map(|d| (d.primary.line_start, d.code.clone()))
            .collect();
        for (line, code) in expected.difference(&actual) {
            let _ = writeln!(report, "{}:{line}: missing {code}", file.path.display());
        }
        for (line, code) in actual.difference(&expected) {
            let message = analysis
                .diagnostics
                .iter()
                .find(|d| {
                    d.primary.file == file.path && d.primary.line_start == *line && d.code == *code
                })
                .map(|d| d.message.as_str())
                .unwrap_or_default();
            let _ = writeln!(
                report,
                "{}:{line}: unexpected {code}: {message}",
                file.path.display()
            );
        }
    }
    report
}

#[test]
fn fixtures_match_their_annotations() {
    let files = sources("fixtures/src/bin");
    assert!(!files.is_empty(), "no fixture found under fixtures/src/bin");
    let report = mismatches(&files);
    assert!(
        report.is_empty(),
        "fixtures disagree with the analyzer:\n{report}"
    );
}

#[test]
fn analyzer_cases_match_their_annotations() {
    let files = sources("analyzer/tests/cases");
    assert!(
        !files.is_empty(),
        "no case found under analyzer/tests/cases"
    );
    let report = mismatches(&files);
    assert!(
        report.is_empty(),
        "analyzer cases disagree with the analyzer:\n{report}"
    );
}
