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

    /// Whether it is `code` itself (not `ALL` or a shorter prefix): what selects a rule that is
    /// off by default.
    fn names(&self, code: &str) -> bool {
        self.prefix == code
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
    /// `select` and `extend-select` together.
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    /// Severity overrides; the most specific matching selector wins.
    severity: Vec<(Selector, Severity)>,
    /// The codes of the rules that are off by default.
    off_by_default: Vec<&'static str>,
}

impl RuleSelection {
    /// `rules` is the catalogue, which says which rules are off by default.
    pub fn new(
        select: Vec<Selector>,
        ignore: Vec<Selector>,
        severity: Vec<(Selector, Severity)>,
        rules: &[RuleInfo],
    ) -> Self {
        RuleSelection {
            select,
            ignore,
            severity,
            off_by_default: rules
                .iter()
                .filter(|r| !r.default_enabled)
                .map(|r| r.code)
                .collect(),
        }
    }

    /// A rule runs when a `select` entry matches it (names its code, for a rule that is off by
    /// default: `ALL` and prefixes leave it off) and no `ignore` entry does.
    pub fn is_enabled(&self, code: &str) -> bool {
        let selected = if self.off_by_default.contains(&code) {
            self.select.iter().any(|s| s.names(code))
        } else {
            self.select.iter().any(|s| s.matches(code))
        };
        selected && !self.ignore.iter().any(|s| s.matches(code))
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
            default_enabled: true,
            summary: "",
            doc: "",
        }
    }

    const RULES: [RuleInfo; 4] = [
        rule("D001"),
        rule("D002"),
        RuleInfo {
            default_enabled: false,
            ..rule("D005")
        },
        rule("R001"),
    ];

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
            err.contains("`X9`") && err.contains("D001, D002, D005, R001"),
            "{err}"
        );
        assert!(Selector::parse("", &RULES).is_err());
    }

    #[test]
    fn ignore_beats_select() {
        let selection = RuleSelection::new(vec![sel("D")], vec![sel("D002")], vec![], &RULES);
        assert!(selection.is_enabled("D001"));
        assert!(!selection.is_enabled("D002"));
        assert!(!selection.is_enabled("R001"));
    }

    #[test]
    fn a_rule_off_by_default_runs_only_when_its_code_is_selected() {
        let enabled = |select: &[&str], ignore: &[&str]| {
            let selectors = |texts: &[&str]| texts.iter().map(|t| sel(t)).collect();
            RuleSelection::new(selectors(select), selectors(ignore), vec![], &RULES)
                .is_enabled("D005")
        };
        assert!(!enabled(&["ALL"], &[]));
        assert!(!enabled(&["D"], &[]));
        assert!(!enabled(&["D00"], &[]));
        assert!(enabled(&["D005"], &[]));
        assert!(enabled(&["ALL", "d005"], &[]));
        assert!(!enabled(&["D005"], &["D"]), "ignore still wins");
        let all = RuleSelection::new(vec![Selector::ALL], vec![], vec![], &RULES);
        assert!(all.is_enabled("D001") && all.is_enabled("R001"));
    }

    #[test]
    fn the_most_specific_severity_override_wins() {
        let selection = RuleSelection::new(
            vec![Selector::ALL],
            vec![],
            vec![(sel("D001"), Severity::Note), (sel("D"), Severity::Warning)],
            &RULES,
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
