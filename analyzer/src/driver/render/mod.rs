//! The output formats of `check`. Every renderer reads a whole [`Report`] and writes one
//! document (or one line per message) to the output.
pub mod github;
pub mod human;
pub mod json;
pub mod rustc_json;
pub mod sarif;

use super::report::Report;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source snippets
    Human,
    /// one JSON document with every field of every finding
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// cargo's `compiler-message` lines (what `--message-format=json` prints), for editors
    RustcJson,
    /// GitHub Actions workflow annotations
    Github,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// ANSI colours in human output.
    pub color: bool,
    /// Only the findings: no summary line, no notes.
    pub quiet: bool,
    /// rustc-json: `rendered` carries ANSI colours (`json-diagnostic-rendered-ansi`).
    pub ansi_rendered: bool,
    /// Human output, and rustc-json's `rendered`, one line per message (cargo's `short`).
    pub short: bool,
}

pub fn render(
    format: Format,
    report: &Report<'_>,
    options: Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::RustcJson => rustc_json::render(report, options, out),
        Format::Github => github::render(report, out),
    }
}

pub use super::source_map::portable;
