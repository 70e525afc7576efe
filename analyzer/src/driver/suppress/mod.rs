//! Inline suppressions: `// racecheck: allow(D001, R001) reason` silences those codes on its line
//! (a trailing comment) or on the next code line (a comment on its own line; further comment lines
//! in between are skipped); `// racecheck: allow-file(D001)` anywhere silences them in the whole
//! file. A rule is named by its code or its name (`allow(lock-order-inversion)`). A finding with
//! several locations (the two acquisitions of a lock-order inversion) is silenced by an allow on
//! the line of any of them. The reason is free text and optional.
//!
//! Every listed code that silences nothing, names no rule, or a `racecheck:` comment that does not
//! parse, is reported as `U001 unused-allow` (ruff's unused-noqa), so stale allows do not pile up.
//! `U001` itself can be allowed like any code, and such an allow is never reported as unused.
mod comments;

use super::source_map::{FileId, SourceMap};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{u001_unused_allow::UNUSED_ALLOW, RuleInfo};
use comments::{line_comments, LineComment};
use std::collections::HashMap;
use std::ops::Range;

const MARKER: &str = "racecheck:";

/// Where a directive applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The 1-based line whose findings it silences.
    Line(u32),
    File,
}

/// One code of a directive, and where it is written.
#[derive(Debug)]
struct Code {
    code: String,
    bytes: Range<usize>,
    used: bool,
}

#[derive(Debug)]
struct Directive {
    scope: Scope,
    codes: Vec<Code>,
}

/// The directives of one file, and the comments that looked like directives but did not parse.
#[derive(Debug, Default)]
struct FileDirectives {
    directives: Vec<Directive>,
    malformed: Vec<Range<usize>>,
}

impl FileDirectives {
    fn parse(sources: &SourceMap, id: FileId) -> Self {
        let text = sources.text(id);
        let mut parsed = FileDirectives::default();
        for comment in line_comments(text) {
            let Some(after_marker) = comment.body.trim_start().strip_prefix(MARKER) else {
                continue;
            };
            let body_start = comment.start + 2;
            let marker_end = body_start + comment.body.len() - after_marker.len();
            let comment_bytes = comment.start..body_start + comment.body.len();
            match parse_directive(after_marker, marker_end) {
                Some((is_file, codes)) => {
                    let scope = if is_file {
                        Scope::File
                    } else {
                        Scope::Line(target_line(sources, id, &comment))
                    };
                    parsed.directives.push(Directive { scope, codes });
                }
                None => parsed.malformed.push(comment_bytes),
            }
        }
        parsed
    }

    /// Marks every directive code that covers `diagnostic` at `line` of this file (and, when
    /// `whole_file`, the file-wide ones); whether any did.
    fn silence(&mut self, diagnostic: &Diagnostic, line: u32, whole_file: bool) -> bool {
        let mut silenced = false;
        for directive in &mut self.directives {
            let applies = match directive.scope {
                Scope::File => whole_file,
                Scope::Line(at) => at == line,
            };
            if !applies {
                continue;
            }
            for code in &mut directive.codes {
                if code.code.eq_ignore_ascii_case(&diagnostic.code)
                    || code.code.eq_ignore_ascii_case(&diagnostic.name)
                {
                    code.used = true;
                    silenced = true;
                }
            }
        }
        silenced
    }
}

/// `allow(…) reason` or `allow-file(…) reason` after the marker; `offset` = byte offset of `rest`.
fn parse_directive(rest: &str, offset: usize) -> Option<(bool, Vec<Code>)> {
    let trimmed = rest.trim_start();
    let offset = offset + rest.len() - trimmed.len();
    let (is_file, after_keyword) = match trimmed.strip_prefix("allow-file") {
        Some(after) => (true, after),
        None => (false, trimmed.strip_prefix("allow")?),
    };
    let list = after_keyword.trim_start().strip_prefix('(')?;
    let list_offset = offset + trimmed.len() - list.len();
    let list = &list[..list.find(')')?];
    let mut codes = Vec::new();
    let mut start = 0;
    for item in list.split(',') {
        let code = item.trim();
        if code.is_empty() {
            return None;
        }
        let code_start = list_offset + start + (item.len() - item.trim_start().len());
        codes.push(Code {
            code: code.to_owned(),
            bytes: code_start..code_start + code.len(),
            used: false,
        });
        start += item.len() + 1;
    }
    Some((is_file, codes))
}

/// The line an allow comment silences: its own line for a trailing comment, else the next line
/// that is not only a comment.
fn target_line(sources: &SourceMap, id: FileId, comment: &LineComment<'_>) -> u32 {
    let text = sources.text(id);
    let lines = sources.lines(id);
    let line = lines.line_of(comment.start);
    if !comment.own_line {
        return line as u32 + 1;
    }
    let mut next = line + 1;
    while let Some(range) = lines.line_range(text, next) {
        if !text[range].trim_start().starts_with("//") {
            break;
        }
        next += 1;
    }
    next as u32 + 1
}

/// Removes the diagnostics that an allow comment silences; returns the rest and the `U001`
/// findings for allows that silenced nothing.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    sources: &SourceMap,
    rules: &[RuleInfo],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut by_file: HashMap<FileId, FileDirectives> = sources
        .files()
        .enumerate()
        .filter(|(_, file)| file.text.contains(MARKER))
        .map(|(id, _)| (id, FileDirectives::parse(sources, id)))
        .collect();

    let kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| !silence(&mut by_file, sources, d))
        .collect();

    let mut unused = Vec::new();
    for (&id, directives) in &by_file {
        for bytes in &directives.malformed {
            unused.push(unused_allow(
                sources,
                id,
                bytes.clone(),
                "malformed racecheck comment",
                "expected `racecheck: allow(CODE, …) reason` or `racecheck: allow-file(CODE, …)`",
                "write the directive as above, or remove `racecheck:` from the comment",
            ));
        }
        for directive in &directives.directives {
            for code in directive
                .codes
                .iter()
                .filter(|c| !c.used && !is_unused_allow_code(&c.code))
            {
                unused.push(
                    match rules.iter().find(|r| {
                        r.code.eq_ignore_ascii_case(&code.code)
                            || r.name.eq_ignore_ascii_case(&code.code)
                    }) {
                        None => unused_allow(
                            sources,
                            id,
                            code.bytes.clone(),
                            &format!("unknown rule code `{}` in allow comment", code.code),
                            "no rule has this code",
                            &format!("known codes: {}", super::selection::known_codes(rules)),
                        ),
                        Some(rule) => {
                            let place = match directive.scope {
                                Scope::File => "in this file",
                                Scope::Line(_) => "on this line",
                            };
                            unused_allow(
                                sources,
                                id,
                                code.bytes.clone(),
                                &format!("unused allow: no `{}` finding {place}", rule.code),
                                &format!("`{}` ({}) silences nothing", rule.code, rule.name),
                                &format!("remove `{}` from the comment", code.code),
                            )
                        }
                    },
                );
            }
        }
    }
    let unused = unused
        .into_iter()
        .filter(|d| !silence(&mut by_file, sources, d))
        .collect();
    (kept, unused)
}

/// Whether an allow covers `diagnostic`: at its primary location (or file-wide there), or at
/// the line of one of its secondary locations. Every allow that covers it counts as used.
fn silence(
    by_file: &mut HashMap<FileId, FileDirectives>,
    sources: &SourceMap,
    diagnostic: &Diagnostic,
) -> bool {
    let locations = std::iter::once((&diagnostic.primary, true)).chain(
        diagnostic
            .secondary
            .iter()
            .map(|label| (&label.span, false)),
    );
    let mut silenced = false;
    for (span, is_primary) in locations {
        if let Some(directives) = sources.id(&span.file).and_then(|id| by_file.get_mut(&id)) {
            silenced |= directives.silence(diagnostic, span.line_start, is_primary);
        }
    }
    silenced
}

fn is_unused_allow_code(code: &str) -> bool {
    code.eq_ignore_ascii_case(UNUSED_ALLOW.code) || code.eq_ignore_ascii_case(UNUSED_ALLOW.name)
}

fn unused_allow(
    sources: &SourceMap,
    id: FileId,
    bytes: Range<usize>,
    message: &str,
    label: &str,
    help: &str,
) -> Diagnostic {
    let primary: Span = sources
        .lines(id)
        .span(sources.path(id), sources.text(id), bytes);
    Diagnostic {
        code: UNUSED_ALLOW.code.to_owned(),
        name: UNUSED_ALLOW.name.to_owned(),
        severity: UNUSED_ALLOW.default_severity,
        message: message.to_owned(),
        primary,
        primary_label: label.to_owned(),
        secondary: Vec::new(),
        flows: Vec::new(),
        notes: Vec::new(),
        help: Some(help.to_owned()),
        fingerprint: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, SourceFile};
    use std::path::{Path, PathBuf};

    const fn rule(code: &'static str) -> RuleInfo {
        RuleInfo {
            code,
            name: "rule",
            default_severity: Severity::Error,
            default_enabled: true,
            summary: "",
            doc: "",
        }
    }

    const RULES: [RuleInfo; 4] = [rule("D001"), rule("L001"), rule("R001"), UNUSED_ALLOW];

    fn sources(text: &str) -> SourceMap {
        let file = SourceFile {
            path: "src/lib.rs".into(),
            text: text.into(),
        };
        SourceMap::new([(file, PathBuf::from("/ws/src/lib.rs"))])
    }

    fn finding(sources: &SourceMap, code: &str, line: u32) -> Diagnostic {
        let text = sources.text(0);
        let start = sources
            .lines(0)
            .line_range(text, line as usize - 1)
            .unwrap()
            .start;
        Diagnostic {
            code: code.into(),
            name: "rule".into(),
            severity: Severity::Error,
            message: format!("{code} here"),
            primary: sources
                .lines(0)
                .span(Path::new("src/lib.rs"), text, start..start + 1),
            primary_label: String::new(),
            secondary: vec![],
            flows: vec![],
            notes: vec![],
            help: None,
            fingerprint: String::new(),
        }
    }

    /// (code, line) of each kept finding.
    type Kept = Vec<(String, u32)>;
    /// (line, message) of each U001 finding.
    type Unused = Vec<(u32, String)>;

    fn run(text: &str, findings: &[(&str, u32)]) -> (Kept, Unused) {
        let sources = sources(text);
        let diagnostics = findings
            .iter()
            .map(|&(c, l)| finding(&sources, c, l))
            .collect();
        let (kept, unused) = apply(diagnostics, &sources, &RULES);
        let mut unused: Vec<_> = unused
            .into_iter()
            .map(|d| (d.primary.line_start, d.message))
            .collect();
        unused.sort();
        (
            kept.into_iter()
                .map(|d| (d.code, d.primary.line_start))
                .collect(),
            unused,
        )
    }

    #[test]
    fn trailing_allows_silence_their_line() {
        let text = "a(); // racecheck: allow(D001, R001) known, see #12\nb();\n";
        let (kept, unused) = run(text, &[("D001", 1), ("D001", 2)]);
        assert_eq!(kept, [("D001".to_owned(), 2)]);
        assert_eq!(
            unused,
            [(1, "unused allow: no `R001` finding on this line".to_owned())]
        );
    }

    #[test]
    fn own_line_allows_silence_the_next_code_line() {
        let text = "// racecheck: allow(d001)\n// more words\na();\nb();\n";
        let (kept, unused) = run(text, &[("D001", 3), ("D001", 4)]);
        assert_eq!(kept, [("D001".to_owned(), 4)]);
        assert!(unused.is_empty());
    }

    #[test]
    fn file_allows_silence_the_whole_file() {
        let text = "a();\nb();\n// racecheck: allow-file(D001, L001)\n";
        let (kept, unused) = run(text, &[("D001", 1), ("D001", 2), ("R001", 2)]);
        assert_eq!(kept, [("R001".to_owned(), 2)]);
        assert_eq!(
            unused,
            [(3, "unused allow: no `L001` finding in this file".to_owned())]
        );
    }

    #[test]
    fn unknown_codes_and_malformed_comments_are_reported() {
        let text =
            "a(); // racecheck: allow(Q123)\n// racecheck: alow(D001)\n// racecheck: allow()\n";
        let (_, unused) = run(text, &[]);
        assert_eq!(
            unused,
            [
                (1, "unknown rule code `Q123` in allow comment".to_owned()),
                (2, "malformed racecheck comment".to_owned()),
                (3, "malformed racecheck comment".to_owned()),
            ]
        );
    }

    #[test]
    fn the_unused_allow_span_is_the_code() {
        let text = "a(); // racecheck: allow(D001,  R001)\n";
        let sources = sources(text);
        let (_, unused) = apply(vec![finding(&sources, "D001", 1)], &sources, &RULES);
        let span = &unused[0].primary;
        assert_eq!(&text[span.byte_start..span.byte_end], "R001");
        assert_eq!((span.column_start, span.column_end), (33, 37));
    }

    #[test]
    fn unused_allow_can_itself_be_allowed_and_directives_in_strings_are_ignored() {
        let text = "// racecheck: allow-file(U001)\na(); // racecheck: allow(D001)\nlet s = \"// racecheck: allow(D001)\";\n";
        let (kept, unused) = run(text, &[("D001", 3)]);
        assert_eq!(kept, [("D001".to_owned(), 3)]);
        assert!(unused.is_empty());
    }
}
