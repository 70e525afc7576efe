//! One JSON document: every field of every finding, the input errors, the run's notes, the stale baseline entries
//! and the counts. `version` changes only when a field changes meaning or goes away.
use crate::diagnostic::{Diagnostic, InputError, RunNote};
use crate::driver::baseline::Entry;
use crate::driver::report::{Report, Summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: &'a [Diagnostic],
    errors: &'a [InputError],
    notes: &'a [RunNote],
    stale_baseline: &'a [Entry],
    summary: Summary,
}

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        diagnostics: &report.diagnostics,
        errors: &report.errors,
        notes: &report.notes,
        stale_baseline: &report.stale,
        summary: report.summary(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
