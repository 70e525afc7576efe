//! Which rules run and at what severity: selectors (`ALL`, a code, or a code prefix such as `D`),
//! `select`/`ignore` lists, severity overrides and the `--fail-on` threshold.
use crate::diagnostic::Severity;
use crate::rules::RuleInfo;
use std::fmt;

/// `ALL`, a rule code, or a prefix of codes (`D`, `D00`); stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// Empty for `ALL`.
    prefix: String,
}

impl Selector {
    pub const ALL: Selector = Selector {
        prefix: String::new(),
    };

    /// Parses `text` against the known rules: it must be `ALL` or a prefix of at least one code.
    pub fn parse(text: &str, rules: &[RuleInfo]) -> Result<Self, String> {
        let upper = text.trim().to_ascii_uppercase();
        if upper == "ALL" {
            return Ok(Selector::ALL);
        }
        if !upper.is_empty() && rules.iter().any(|r| r.code.starts_with(&upper)) {
            return Ok(Selector { prefix: upper });
        }
        Err(format!(
            "unknown rule code or prefix `{text}` (known: {})",
            known_codes(rules)
        ))
    }

    pub fn matches(&self, code: &str) -> bool {
        code.starts_with(&self.prefix)
    }

    /// How specific the selector is: longer prefixes win over shorter ones.
    fn specificity(&self) -> usize {
        self.prefix.len()
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix.is_empty() {
            f.write_str("ALL")
        } else {
            f.write_str(&self.prefix)
        }
    }
}

/// The codes of `rules`, comma-separated, for error messages.
pub fn known_codes(rules: &[RuleInfo]) -> String {
    rules.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
}

/// The enabled rules and their severities.
#[derive(Debug, Clone)]
pub struct RuleSelection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    /// Severity overrides; the most specific matching selector wins.
    severity: Vec<(Selector, Severity)>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            select: vec![Selector::ALL],
            ignore: Vec::new(),
            severity: Vec::new(),
        }
    }
}

impl RuleSelection {
    pub fn new(
        select: Vec<Selector>,
        ignore: Vec<Selector>,
        severity: Vec<(Selector, Severity)>,
    ) -> Self {
        RuleSelection {
            select,
            ignore,
            severity,
        }
    }

    /// A rule runs when a `select` entry matches it and no `ignore` entry does.
    pub fn is_enabled(&self, code: &str) -> bool {
        self.select.iter().any(|s| s.matches(code)) && !self.ignore.iter().any(|s| s.matches(code))
    }

    /// The severity `code` is reported at.
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(s, _)| s.matches(code))
            .max_by_key(|(s, _)| s.specificity())
            .map_or(default, |&(_, level)| level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleInfo;

    const fn rule(code: &'static str) -> RuleInfo {
        RuleInfo {
            code,
            name: "name",
            default_severity: Severity::Error,
            summary: "",
            doc: "",
        }
    }

    const RULES: [RuleInfo; 3] = [rule("D001"), rule("D002"), rule("R001")];

    fn sel(text: &str) -> Selector {
        Selector::parse(text, &RULES).unwrap()
    }

    #[test]
    fn selectors_accept_codes_prefixes_and_all_in_any_case() {
        assert!(sel("d001").matches("D001"));
        assert!(sel("D").matches("D002"));
        assert!(!sel("D").matches("R001"));
        assert!(sel("all").matches("R001"));
        let err = Selector::parse("X9", &RULES).unwrap_err();
        assert!(
            err.contains("`X9`") && err.contains("D001, D002, R001"),
            "{err}"
        );
        assert!(Selector::parse("", &RULES).is_err());
    }

    #[test]
    fn ignore_beats_select() {
        let selection = RuleSelection::new(vec![sel("D")], vec![sel("D002")], vec![]);
        assert!(selection.is_enabled("D001"));
        assert!(!selection.is_enabled("D002"));
        assert!(!selection.is_enabled("R001"));
    }

    #[test]
    fn the_most_specific_severity_override_wins() {
        let selection = RuleSelection::new(
            vec![Selector::ALL],
            vec![],
            vec![(sel("D001"), Severity::Note), (sel("D"), Severity::Warning)],
        );
        assert_eq!(
            selection.severity_of("D001", Severity::Error),
            Severity::Note
        );
        assert_eq!(
            selection.severity_of("D002", Severity::Error),
            Severity::Warning
        );
        assert_eq!(
            selection.severity_of("R001", Severity::Error),
            Severity::Error
        );
    }
}
