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

pub(crate) mod context;
pub mod d001_lock_order_inversion;
pub mod d002_double_acquire;
pub mod d003_join_while_holding;
pub mod d004_queue_join_without_task_done;
pub mod d005_wait_never_signalled;
pub mod d006_pool_join_while_open;
pub mod l001_thread_never_joined;
pub mod l002_condition_wait_without_loop;
pub mod r001_unguarded_shared_counter;
pub mod r002_split_atomic_update;
pub mod r003_stale_read_across_guards;
pub mod r004_event_clear_race;
pub mod u001_unused_allow;

use crate::diagnostic::Diagnostic;
use context::RuleContext;

/// Every rule, sorted by code.
pub fn all() -> &'static [RuleInfo] {
    &[
        d001_lock_order_inversion::LOCK_ORDER_INVERSION,
        d002_double_acquire::DOUBLE_ACQUIRE,
        d003_join_while_holding::JOIN_WHILE_HOLDING,
        d004_queue_join_without_task_done::QUEUE_JOIN_WITHOUT_TASK_DONE,
        d005_wait_never_signalled::WAIT_NEVER_SIGNALLED,
        d006_pool_join_while_open::POOL_JOIN_WHILE_OPEN,
        l001_thread_never_joined::THREAD_NEVER_JOINED,
        l002_condition_wait_without_loop::CONDITION_WAIT_WITHOUT_LOOP,
        r001_unguarded_shared_counter::UNGUARDED_SHARED_COUNTER,
        r002_split_atomic_update::SPLIT_ATOMIC_UPDATE,
        r003_stale_read_across_guards::STALE_READ_ACROSS_GUARDS,
        r004_event_clear_race::EVENT_CLEAR_RACE,
        u001_unused_allow::UNUSED_ALLOW,
    ]
}

/// The checks of the rules that read the model (U001 is the driver's: it reads suppressions).
const CHECKS: &[fn(&RuleContext<'_>, &mut Vec<Diagnostic>)] = &[
    d001_lock_order_inversion::check,
    d002_double_acquire::check,
    d003_join_while_holding::check,
    d004_queue_join_without_task_done::check,
    d005_wait_never_signalled::check,
    d006_pool_join_while_open::check,
    l001_thread_never_joined::check,
    l002_condition_wait_without_loop::check,
    r001_unguarded_shared_counter::check,
    r002_split_atomic_update::check,
    r003_stale_read_across_guards::check,
    r004_event_clear_race::check,
];

/// Runs every model rule over one crate's model.
pub(crate) fn check_model(model: &crate::model::Model) -> Vec<Diagnostic> {
    let cx = RuleContext::new(model);
    let mut out = Vec::new();
    for check in CHECKS {
        check(&cx, &mut out);
    }
    out
}

/// The rule with this code (case-insensitive), if any.
pub fn by_code(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code.eq_ignore_ascii_case(code))
}
