//! Stable identities of findings, for baselines and SARIF `partialFingerprints`.
//!
//! A fingerprint hashes what a finding *is*, not where it currently sits: the rule code, the file
//! path, the whitespace-normalised text of the primary span's line and of each secondary span's
//! line, and an occurrence index that tells apart findings with equal keys in one file. Line
//! numbers never enter it, so inserting code above a finding keeps its fingerprint.
use super::source_map::{portable, SourceMap};
use crate::diagnostic::{Diagnostic, Span};
use std::collections::HashMap;
use std::path::Path;

/// Fills `fingerprint` of every diagnostic in `diagnostics`.
pub fn fill(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&a, &b| position(&diagnostics[a]).cmp(&position(&diagnostics[b])));
    let mut occurrences: HashMap<u64, u64> = HashMap::new();
    for index in order {
        let key = key_hash(&diagnostics[index], sources);
        let occurrence = occurrences.entry(key).or_insert(0);
        let mut hash = Fnv1a::new();
        hash.write_u64(key);
        hash.write_u64(*occurrence);
        *occurrence += 1;
        diagnostics[index].fingerprint = format!("{:016x}", hash.finish());
    }
}

fn position(diagnostic: &Diagnostic) -> (&Path, usize, &str) {
    let span = &diagnostic.primary;
    (&span.file, span.byte_start, &diagnostic.code)
}

fn key_hash(diagnostic: &Diagnostic, sources: &SourceMap) -> u64 {
    let mut hash = Fnv1a::new();
    hash.write_str(&diagnostic.code);
    write_span(&mut hash, &diagnostic.primary, sources);
    for label in &diagnostic.secondary {
        write_span(&mut hash, &label.span, sources);
    }
    hash.finish()
}

fn write_span(hash: &mut Fnv1a, span: &Span, sources: &SourceMap) {
    hash.write_str(&portable(&span.file));
    let line = sources.line_text(&span.file, span.line_start);
    for word in line.split_whitespace() {
        hash.write_str(word);
    }
    hash.write_str("");
}

/// 64-bit FNV-1a: tiny, and fixed forever (std's hashers may change between releases).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Writes `text` followed by a separator, so that `("ab", "c")` and `("a", "bc")` differ.
    fn write_str(&mut self, text: &str) {
        self.write(text.as_bytes());
        self.write(&[0xff]);
    }

    fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity, SourceFile};
    use crate::driver::source_map::LineIndex;
    use std::path::PathBuf;

    fn sources(text: &str) -> SourceMap {
        let file = SourceFile {
            path: "src/main.rs".into(),
            text: text.into(),
        };
        SourceMap::new([(file, PathBuf::from("/ws/src/main.rs"))])
    }

    /// A D001 whose primary span is the first `needle` after byte `from`, with a secondary at `other`.
    fn finding(text: &str, needle: &str, from: usize, other: &str) -> Diagnostic {
        let lines = LineIndex::new(text);
        let at = |n: &str, from: usize| {
            let start = from + text[from..].find(n).unwrap();
            lines.span(Path::new("src/main.rs"), text, start..start + n.len())
        };
        Diagnostic {
            code: "D001".into(),
            name: "lock-order-inversion".into(),
            severity: Severity::Error,
            message: "lock order inversion".into(),
            primary: at(needle, from),
            primary_label: String::new(),
            secondary: vec![Label {
                span: at(other, 0),
                message: "other edge".into(),
            }],
            flows: vec![],
            notes: vec![],
            help: None,
            fingerprint: String::new(),
        }
    }

    const PROGRAM: &str = "fn main() {\n    let a = A.acquire();\n    let b = B.acquire();\n}\nfn t() {\n    let b = B.acquire();\n    let a = A.acquire();\n}\n";

    fn fingerprints(text: &str) -> Vec<String> {
        let sources = sources(text);
        let mut diagnostics = vec![
            finding(text, "B.acquire", 0, "A.acquire"),
            finding(text, "A.acquire", text.find("fn t").unwrap(), "B.acquire"),
        ];
        fill(&mut diagnostics, &sources);
        diagnostics.into_iter().map(|d| d.fingerprint).collect()
    }

    #[test]
    fn fingerprints_survive_edits_above_and_reindentation() {
        let before = fingerprints(PROGRAM);
        let edited = format!(
            "// a new header\nuse std::fmt;\n\n{}",
            PROGRAM.replace("    let", "\tlet")
        );
        assert_eq!(before, fingerprints(&edited));
        assert_eq!(before[0].len(), 16);
    }

    #[test]
    fn equal_keys_get_distinct_fingerprints_by_occurrence() {
        let text = "fn f() {\n    x.acquire();\n    x.acquire();\n}\n";
        let sources = sources(text);
        let second = text.rfind("x.acquire").unwrap();
        let mut diagnostics = vec![
            finding(text, "x.acquire", second, "x"),
            finding(text, "x.acquire", 0, "x"),
        ];
        fill(&mut diagnostics, &sources);
        assert_ne!(diagnostics[0].fingerprint, diagnostics[1].fingerprint);
        // Order of the input does not matter: the first in the file gets occurrence 0.
        let mut reversed = vec![diagnostics[1].clone(), diagnostics[0].clone()];
        fill(&mut reversed, &sources);
        assert_eq!(reversed[0].fingerprint, diagnostics[1].fingerprint);
    }

    #[test]
    fn the_code_and_the_line_text_matter() {
        let before = fingerprints(PROGRAM);
        let renamed = fingerprints(&PROGRAM.replace("let b = B", "let bee = B"));
        assert_ne!(before, renamed);
    }
}
