//! The rule catalogue: one file per rule, each declared with `declare_rule!` so that its doc
//! comment (What it does / Why is this bad? / Example) is both rustdoc and what `explain` prints.
use crate::diagnostic::Severity;

/// What the driver knows of a rule without running it.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line, for `rules` and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The whole doc comment, Markdown.
    pub doc: &'static str,
}

/// Declares a rule: `declare_rule! { /// docs… pub D001, LOCK_ORDER_INVERSION, "lock-order-inversion", Error, "summary" }`.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* pub $code:ident, $konst:ident, $name:literal, $sev:ident, $summary:literal) => {
        $(#[doc = $doc])*
        pub const $konst: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            code: stringify!($code),
            name: $name,
            default_severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

pub mod u001_unused_allow;

/// Every rule, sorted by code.
pub fn all() -> &'static [RuleInfo] {
    &[u001_unused_allow::UNUSED_ALLOW]
}

/// The rule with this code (case-insensitive), if any.
pub fn by_code(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code.eq_ignore_ascii_case(code))
}
