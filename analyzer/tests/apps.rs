//! The application fixtures (`fixtures/apps/<name>/`) against `cargo racecheck check`, run inside
//! each application's folder with no path, as a user would. The diagnostics in the app's own files
//! are compared with its `//~` marks.
//!
//! The model does not find every mark yet. [`KNOWN`] lists each mark it misses and each false
//! alarm it raises today; the test asserts the exact set `marks − misses + false alarms`, so it
//! fails both when a new miss or false alarm appears and when one is fixed (then delete its
//! entry: the list only shrinks). Run with `--nocapture` for each app's recall and precision.
#[path = "../../fixtures/tests/corpus/annotations.rs"]
mod annotations;
#[path = "../../fixtures/tests/corpus/apps.rs"]
mod apps;

use apps::App;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the ratchet says about one (app, file, line, code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// A mark the analyzer does not report.
    Missed,
    /// A diagnostic the analyzer reports where no mark is.
    FalseAlarm,
}

use Gap::{FalseAlarm, Missed};

/// One known gap: app, file (relative to the app's folder), line, code.
type Known = (&'static str, &'static str, usize, &'static str, Gap);

/// The analyzer's known misses and false alarms on the apps, with why. Delete an entry when the
/// analyzer gets it right; never add one to make a regression pass.
#[rustfmt::skip]
const KNOWN: &[Known] = &[];

/// `(file relative to the app, line, code)`.
type Finding = (PathBuf, usize, String);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the analyzer sits in the workspace")
        .to_path_buf()
}

/// Every `//~` mark of the app's files.
fn marks(app: &App) -> BTreeSet<Finding> {
    let mut marks = BTreeSet::new();
    for file in &app.files {
        let found = annotations::expectations(&file.text).unwrap_or_else(|errors| {
            panic!(
                "{}/{}: malformed annotations:\n{}",
                app.name,
                file.path.display(),
                errors.join("\n")
            )
        });
        marks.extend(
            found
                .into_iter()
                .map(|e| (file.path.clone(), e.line, e.code)),
        );
    }
    marks
}

/// `cargo racecheck check --format json` in the app's folder; the diagnostics whose primary span
/// is in one of the app's files.
fn check(app: &App) -> Result<BTreeSet<Finding>, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-racecheck"))
        .args(["racecheck", "check", "--format", "json"])
        .current_dir(&app.dir)
        .output()
        .map_err(|e| format!("cannot run cargo-racecheck: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!("check exited with {}:\n{stderr}", output.status));
    }
    let report: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("check printed no JSON report ({e}):\n{stderr}"))?;
    let diagnostics = report["diagnostics"]
        .as_array()
        .ok_or("the JSON report has no `diagnostics` array")?;
    let mut findings = BTreeSet::new();
    for diagnostic in diagnostics {
        let primary = &diagnostic["primary"];
        let (Some(file), Some(line), Some(code)) = (
            primary["file"].as_str(),
            primary["line_start"].as_u64(),
            diagnostic["code"].as_str(),
        ) else {
            return Err(format!(
                "a diagnostic without file, line or code: {diagnostic}"
            ));
        };
        if let Some(file) = in_app(app, Path::new(file)) {
            let line = usize::try_from(line).expect("a line fits usize");
            findings.insert((file, line, code.to_owned()));
        }
    }
    Ok(findings)
}

/// `file` relative to the app's folder, if it is one of the app's files. The report's paths are
/// relative to the workspace root or to the folder checked: both are tried.
fn in_app(app: &App, file: &Path) -> Option<PathBuf> {
    [workspace_root().join(file), app.dir.join(file)]
        .iter()
        .filter_map(|path| path.strip_prefix(&app.dir).ok())
        .map(Path::to_path_buf)
        .find(|relative| app.files.iter().any(|f| f.path == *relative))
}

/// The ratchet's entries for one app, as findings.
fn known(app: &str, gap: Gap) -> BTreeSet<Finding> {
    KNOWN
        .iter()
        .filter(|k| k.0 == app && k.4 == gap)
        .map(|&(_, file, line, code, _)| (PathBuf::from(file), line, code.to_owned()))
        .collect()
}

fn describe((file, line, code): &Finding) -> String {
    format!("{}:{line} {code}", file.display())
}

/// Compares one app's findings with its marks and the ratchet; prints recall and precision.
/// `Err` lists every disagreement.
fn score(app: &App, actual: &BTreeSet<Finding>) -> Result<(), Vec<String>> {
    let marks = marks(app);
    let found = marks.intersection(actual).count();
    let recall = ratio(found, marks.len());
    let precision = ratio(found, actual.len());
    println!(
        "{}: recall {found}/{} ({recall}), precision {found}/{} ({precision})",
        app.name,
        marks.len(),
        actual.len()
    );

    let missed = known(&app.name, Missed);
    let false_alarms = known(&app.name, FalseAlarm);
    let mut errors = Vec::new();
    for entry in missed.difference(&marks) {
        errors.push(format!(
            "KNOWN lists {} as missed, but it is not a mark",
            describe(entry)
        ));
    }
    for entry in false_alarms.intersection(&marks) {
        errors.push(format!(
            "KNOWN lists {} as a false alarm, but it is a mark",
            describe(entry)
        ));
    }
    let predicted: BTreeSet<Finding> = marks
        .difference(&missed)
        .cloned()
        .chain(false_alarms.iter().cloned())
        .collect();
    for finding in actual.difference(&predicted) {
        errors.push(if marks.contains(finding) {
            format!(
                "{}: found now: delete its `Missed` entry from KNOWN",
                describe(finding)
            )
        } else {
            format!("{}: new false alarm", describe(finding))
        });
    }
    for finding in predicted.difference(actual) {
        errors.push(if marks.contains(finding) {
            format!("{}: new miss", describe(finding))
        } else {
            format!(
                "{}: no longer reported: delete its `FalseAlarm` entry from KNOWN",
                describe(finding)
            )
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn ratio(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".to_owned();
    }
    // Whole percent, rounded down, in integers.
    format!("{}%", part * 100 / whole)
}

#[test]
fn apps_match_their_marks_up_to_the_known_gaps() {
    let apps = apps::load(&workspace_root());
    assert!(!apps.is_empty(), "no application under {}", apps::APPS_DIR);
    for (app, ..) in KNOWN {
        assert!(
            apps.iter().any(|a| a.name == *app),
            "KNOWN names `{app}`, which is not an app"
        );
    }
    let mut report = Vec::new();
    for app in &apps {
        let result = check(app).map_err(|why| vec![why]);
        if let Err(errors) = result.and_then(|actual| score(app, &actual)) {
            report.extend(errors.into_iter().map(|e| format!("{}: {e}", app.name)));
        }
    }
    assert!(
        report.is_empty(),
        "the apps disagree with their marks and KNOWN:\n{}",
        report.join("\n")
    );
}
