//! Baselines, for adopting racecheck on an existing codebase: `--write-baseline FILE` records the
//! fingerprints of today's findings; `--baseline FILE` hides them. Entries that no longer match a
//! finding are reported as stale (never silently kept), so a baseline only shrinks.
use super::error::Fatal;
use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

/// The baseline file: fingerprints, with code, path and message for the humans reviewing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: PathBuf,
    pub message: String,
}

impl Baseline {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut findings: Vec<Entry> = diagnostics
            .iter()
            .map(|d| Entry {
                fingerprint: d.fingerprint.clone(),
                code: d.code.clone(),
                path: d.primary.file.clone(),
                message: d.message.clone(),
            })
            .collect();
        findings.sort_by(|a, b| {
            (&a.path, &a.code, &a.fingerprint).cmp(&(&b.path, &b.code, &b.fingerprint))
        });
        Baseline {
            version: VERSION,
            findings,
        }
    }

    pub fn read(path: &Path) -> Result<Self, Fatal> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Fatal::io("read baseline", path, &e))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            Fatal::at(
                path,
                Some((to_u32(e.line()), to_u32(e.column()))),
                format_args!("invalid baseline: {e}"),
            )
        })?;
        if baseline.version != VERSION {
            return Err(Fatal::at(
                path,
                None,
                format_args!(
                    "unsupported baseline version {} (this racecheck writes version {VERSION})",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), Fatal> {
        Fatal::refuse_overwrite(path)?;
        let mut json = serde_json::to_string_pretty(self).expect("a baseline always serializes");
        json.push('\n');
        std::fs::write(path, json).map_err(|e| Fatal::io("write baseline", path, &e))
    }

    /// Removes the diagnostics the baseline lists; returns its entries that matched none (stale).
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let found: HashSet<String> = diagnostics.iter().map(|d| d.fingerprint.clone()).collect();
        diagnostics.retain(|d| !known.contains(d.fingerprint.as_str()));
        self.findings
            .iter()
            .filter(|e| !found.contains(&e.fingerprint))
            .cloned()
            .collect()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Span};

    fn finding(fingerprint: &str) -> Diagnostic {
        Diagnostic {
            code: "D001".into(),
            name: "lock-order-inversion".into(),
            severity: Severity::Error,
            message: "inversion".into(),
            primary: Span {
                file: "src/main.rs".into(),
                byte_start: 0,
                byte_end: 1,
                line_start: 1,
                column_start: 1,
                line_end: 1,
                column_end: 2,
            },
            primary_label: String::new(),
            secondary: vec![],
            flows: vec![],
            notes: vec![],
            help: None,
            fingerprint: fingerprint.into(),
        }
    }

    #[test]
    fn write_then_read_round_trips_and_hides_what_it_lists() {
        let path =
            std::env::temp_dir().join(format!("racecheck-baseline-{}.json", std::process::id()));
        let baseline = Baseline::of(&[finding("b"), finding("a")]);
        baseline.write(&path).unwrap();
        let read = Baseline::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read, baseline);
        assert_eq!(read.findings[0].fingerprint, "a");

        let mut current = vec![finding("a"), finding("new")];
        let stale = read.filter(&mut current);
        assert_eq!(current, [finding("new")]);
        assert_eq!(
            stale
                .iter()
                .map(|e| e.fingerprint.as_str())
                .collect::<Vec<_>>(),
            ["b"]
        );
    }

    #[test]
    fn bad_baselines_are_fatal_with_a_position() {
        let path = std::env::temp_dir().join(format!(
            "racecheck-baseline-bad-{}.json",
            std::process::id()
        ));
        std::fs::write(&path, "{\"version\": 1,\n \"findings\": [}").unwrap();
        let error = Baseline::read(&path).unwrap_err().to_string();
        std::fs::write(&path, "{\"version\": 9, \"findings\": []}").unwrap();
        let version = Baseline::read(&path).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert!(
            error.contains(":2:") && error.contains("invalid baseline"),
            "{error}"
        );
        assert!(
            version.contains("unsupported baseline version 9"),
            "{version}"
        );
    }
}
