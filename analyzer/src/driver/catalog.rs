//! The `rules` and `explain` commands: what the rule registry says about each rule.
use super::error::Fatal;
use super::selection::known_codes;
use crate::diagnostic::Severity;
use crate::rules::{self, RuleInfo};
use serde::Serialize;
use std::io::{self, Write};

/// How `rules` prints the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
}

/// A rule's doc as Markdown: `declare_rule!` keeps rustdoc's one leading space on every line.
pub fn markdown(rule: &RuleInfo) -> String {
    rule.doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// `rules`: a table (code, name, severity, whether it runs by default, summary), or a JSON array
/// with the docs too.
pub fn list(format: CatalogFormat, out: &mut dyn Write) -> io::Result<()> {
    let catalogue = rules::all();
    match format {
        CatalogFormat::Json => {
            #[derive(Serialize)]
            struct Entry<'a> {
                code: &'a str,
                name: &'a str,
                severity: Severity,
                default_enabled: bool,
                summary: &'a str,
                doc: String,
            }
            let entries: Vec<Entry<'_>> = catalogue
                .iter()
                .map(|r| Entry {
                    code: r.code,
                    name: r.name,
                    severity: r.default_severity,
                    default_enabled: r.default_enabled,
                    summary: r.summary,
                    doc: markdown(r),
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &entries)?;
            writeln!(out)
        }
        CatalogFormat::Text => {
            let name_width = catalogue
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(0)
                .max(4);
            writeln!(
                out,
                "{:<5} {:<name_width$} {:<8} {:<7} SUMMARY",
                "CODE", "NAME", "SEVERITY", "DEFAULT"
            )?;
            for rule in catalogue {
                let severity = rule.default_severity.as_str();
                let default = if rule.default_enabled { "on" } else { "off" };
                writeln!(
                    out,
                    "{:<5} {:<name_width$} {:<8} {:<7} {}",
                    rule.code, rule.name, severity, default, rule.summary
                )?;
            }
            Ok(())
        }
    }
}

/// Where racecheck's documentation is published: the analyzer's rustdoc on docs.rs, which
/// holds every rule's doc comment (the text `explain` prints).
pub const DOCS_URL: &str = concat!(
    "https://docs.rs/racecheck-analyzer/",
    env!("CARGO_PKG_VERSION"),
    "/racecheck_analyzer/"
);

/// The stable anchor of a rule's documentation: the rustdoc page of the constant that declares
/// it, `rules/<code>_<name>/constant.<NAME>.html` (each rule's file is named after its code and
/// name, and declares one constant named after the rule).
pub fn doc_url(rule: &RuleInfo) -> String {
    let snake = rule.name.replace('-', "_");
    format!(
        "{DOCS_URL}rules/{}_{snake}/constant.{}.html",
        rule.code.to_ascii_lowercase(),
        snake.to_ascii_uppercase()
    )
}

/// The rule `explain` is asked about, by code (`D001`) or name (`lock-order-inversion`, or with
/// underscores as Rust spells lint names); an unknown one is a usage error.
pub fn find(rule: &str) -> Result<&'static RuleInfo, Fatal> {
    rules::by_code(rule)
        .or_else(|| {
            rules::all()
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&rule.trim().replace('_', "-")))
        })
        .ok_or_else(|| {
            Fatal::new(format!(
                "unknown rule `{rule}`; known codes: {} (`cargo racecheck rules` lists their names)",
                known_codes(rules::all())
            ))
        })
}

/// `explain CODE`: `# name (CODE)`, how to turn it on when it is off by default, and the rule's
/// doc.
pub fn explain(rule: &RuleInfo, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {} ({})\n", rule.name, rule.code)?;
    if !rule.default_enabled {
        writeln!(out, "{}\n", off_by_default_note(rule))?;
    }
    writeln!(out, "{}", markdown(rule))
}

/// What `explain` says of a rule that is off by default.
fn off_by_default_note(rule: &RuleInfo) -> String {
    format!(
        "Off by default: its precision on real crates is too low to run unasked. It runs when its \
         code is selected: `extend-select = [\"{code}\"]` in `racecheck.toml` (or `select`), or \
         `--extend-select {code}`.",
        code = rule.code
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_doc_url_names_the_file_and_constant_that_declare_the_rule() {
        for rule in rules::all() {
            let url = doc_url(rule);
            let path = url.strip_prefix(DOCS_URL).expect("under the docs");
            let (module, constant) = path
                .strip_prefix("rules/")
                .and_then(|p| p.split_once("/constant."))
                .expect("rules/<module>/constant.<NAME>.html");
            let constant = constant.strip_suffix(".html").unwrap();
            let file = format!("{}/src/rules/{module}.rs", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(
                text.contains(&format!("pub {}, {constant},", rule.code)),
                "{file} does not declare {constant}"
            );
        }
    }

    #[test]
    fn rules_are_found_by_code_or_by_name_in_either_spelling() {
        for asked in [
            "D001",
            "d001",
            "lock-order-inversion",
            "lock_order_inversion",
        ] {
            assert_eq!(find(asked).expect(asked).code, "D001", "{asked}");
        }
        let unknown = find("lock-order").unwrap_err().to_string();
        assert!(unknown.contains("cargo racecheck rules"), "{unknown}");
    }

    #[test]
    fn the_catalogue_and_explain_say_which_rules_are_off_by_default() {
        let off = RuleInfo {
            default_enabled: false,
            ..*find("D001").unwrap()
        };
        let mut text = Vec::new();
        explain(&off, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.starts_with("# lock-order-inversion (D001)\n\nOff by default: ")
                && text.contains("`extend-select = [\"D001\"]`")
                && text.contains("\n\n## What it does\n"),
            "{text}"
        );

        let mut table = Vec::new();
        list(CatalogFormat::Text, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        let header = table.lines().next().unwrap();
        assert!(header.contains("SEVERITY DEFAULT SUMMARY"), "{header}");
        for rule in rules::all() {
            let default = if rule.default_enabled { "on" } else { "off" };
            let row = table
                .lines()
                .find(|l| l.starts_with(rule.code))
                .unwrap_or_else(|| panic!("{} is listed", rule.code));
            let column = &row[header.find("DEFAULT").unwrap()..];
            assert!(column.starts_with(&format!("{default} ")), "{row}");
        }
    }
}
