//! The rule catalogue: one file per rule, each declared with `declare_rule!` so that its doc
//! comment (What it does / Why is this bad? / Example) is both rustdoc and what `explain` prints.
use crate::diagnostic::Severity;

/// What the driver knows of a rule without running it.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// Whether it runs without being asked for. A rule off by default (its precision on real
    /// crates is too low, see REAL-WORLD.md) runs only when a `select` or `extend-select` entry
    /// names its code.
    pub default_enabled: bool,
    /// One line, for `rules` and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The whole doc comment, Markdown.
    pub doc: &'static str,
}

/// Declares a rule's [`RuleInfo`]: `declare_rule! { /// docs… pub D001, LOCK_ORDER_INVERSION,
/// "lock-order-inversion", Error, "summary", model_limits!() }`. The optional last part is
/// appended to the doc (a rule that reads the model ends its "Known problems" with the model's
/// limits). `#[off_by_default]` after the docs makes a rule that runs only when selected by its
/// code. Only the rule modules below use it.
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* #[off_by_default] pub $($rest:tt)*) => {
        declare_rule!(@rule false, $(#[doc = $doc])* pub $($rest)*);
    };
    ($(#[doc = $doc:expr])* pub $($rest:tt)*) => {
        declare_rule!(@rule true, $(#[doc = $doc])* pub $($rest)*);
    };
    (@rule $enabled:literal, $(#[doc = $doc:expr])* pub $code:ident, $konst:ident, $name:literal, $sev:ident, $summary:literal $(, $more:expr)?) => {
        $(#[doc = $doc])*
        $(#[doc = $more])?
        pub const $konst: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            code: stringify!($code),
            name: $name,
            default_severity: $crate::diagnostic::Severity::$sev,
            default_enabled: $enabled,
            summary: $summary,
            doc: concat!($($doc, "\n"),* $(, $more)?),
        };
    };
}

/// What the model does not see, true of every rule that reads it: the last items of their
/// "Known problems".
macro_rules! model_limits {
    () => {
        "- Only the crate's own source is read, without compiling it: code of dependencies is not
   seen. Racecheck's primitives are modelled, and `std::sync`'s, `parking_lot`'s,
   `crossbeam_channel`'s, `std::thread`'s and `rayon`'s as their racecheck twins (atomics
   apart, other crates' primitives, async locks and `Once` are not).
- The crate's own `macro_rules!` macros are expanded where they are invoked as expressions,
   statements or items (findings inside are shown at the invocation); other macros are not
   (the arguments of `println!`-style macros are read as expressions), nor are procedural
   macros, macros in type or pattern position, invocations no rule matches, or expansions
   past 64 nested macro calls or the crate's expansion budget (the run says so).
- A call whose receiver, callee or index the model cannot resolve (a function pointer, a
   method of a type from another crate) is not followed; it never adds a finding.
- Loops and recursive functions are walked once; calling an `async fn` runs nothing.
- Every walk is bounded (expression steps, events per thread, thread templates, 64 nested
   calls). Past a bound the model is cut short: what lies beyond is not seen, and the rules
   that report an absence (D004, D005, D006, L001) stay quiet for the crate.
"
    };
}

/// What a rule that reads the model runs over one crate.
type Check = fn(&RuleContext<'_>, &mut Vec<Diagnostic>);

/// The registry, from one table: each rule's module, its [`RuleInfo`], and its check when it
/// reads the model (U001 is the driver's: it reads suppressions).
macro_rules! registry {
    ($($module:ident: $info:ident $(, $check:ident)?;)*) => {
        $(pub mod $module;)*

        /// Every rule, sorted by code.
        pub fn all() -> &'static [RuleInfo] {
            &[$($module::$info),*]
        }

        /// The checks of the rules that read the model.
        const CHECKS: &[Check] = &[$($($module::$check,)?)*];
    };
}

pub(crate) mod context;

registry! {
    d001_lock_order_inversion: LOCK_ORDER_INVERSION, check;
    d002_double_acquire: DOUBLE_ACQUIRE, check;
    d003_join_while_holding: JOIN_WHILE_HOLDING, check;
    d004_queue_join_without_task_done: QUEUE_JOIN_WITHOUT_TASK_DONE, check;
    d005_wait_never_signalled: WAIT_NEVER_SIGNALLED, check;
    d006_pool_join_while_open: POOL_JOIN_WHILE_OPEN, check;
    l001_thread_never_joined: THREAD_NEVER_JOINED, check;
    l002_condition_wait_without_loop: CONDITION_WAIT_WITHOUT_LOOP, check;
    l003_condition_with_two_locks: CONDITION_WITH_TWO_LOCKS, check;
    r001_unguarded_shared_counter: UNGUARDED_SHARED_COUNTER, check;
    r002_split_atomic_update: SPLIT_ATOMIC_UPDATE, check;
    r003_stale_read_across_guards: STALE_READ_ACROSS_GUARDS, check;
    r004_event_clear_race: EVENT_CLEAR_RACE, check;
    u001_unused_allow: UNUSED_ALLOW;
}

use crate::diagnostic::Diagnostic;
use context::RuleContext;

/// Runs every model rule over one crate's model.
pub(crate) fn check_model(
    model: &crate::model::Model,
) -> (Vec<Diagnostic>, Vec<crate::model::Cut>) {
    let cx = RuleContext::new(model);
    let mut out = Vec::new();
    for check in CHECKS {
        check(&cx, &mut out);
    }
    (out, cx.into_cuts())
}

/// The rule with this code (case-insensitive), if any.
pub fn by_code(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_sorted_by_code_without_repeats() {
        let codes: Vec<&str> = all().iter().map(|r| r.code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
    }

    #[test]
    fn every_rule_reading_the_model_states_its_known_problems_last() {
        let sections = [
            "## What it does\n",
            "## Why is this bad?\n",
            "## Example\n",
            "## Known problems\n",
        ];
        for rule in all()
            .iter()
            .filter(|r| r.code != u001_unused_allow::UNUSED_ALLOW.code)
        {
            let at: Vec<Option<usize>> = sections.iter().map(|s| rule.doc.find(s)).collect();
            assert!(
                at.iter().all(Option::is_some) && at.windows(2).all(|w| w[0] < w[1]),
                "{}: sections out of order or missing: {at:?}",
                rule.code
            );
            assert!(rule.doc.ends_with(model_limits!()), "{}", rule.code);
        }
        assert_eq!(CHECKS.len(), all().len() - 1, "U001 alone has no check");
    }
}
