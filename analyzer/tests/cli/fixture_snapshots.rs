//! What users see for each rule: the human output of each fixture of the corpus, one test per
//! fixture (so one mismatch hides no other), as an insta snapshot when the fixture expects
//! findings; a fixture without findings prints none and exits 0. Likewise for the analyzer's
//! cases of std, parking_lot, crossbeam and rayon code (`std_cases!`).
use std::process::Command;

/// One test per fixture, named after it; `LISTED` keeps the names for the completeness check.
macro_rules! fixtures {
    ($($name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                renders_like_rustc(stringify!($name));
            }
        )*

        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

fixtures! {
    d001_abba,
    d001_abba_clean,
    d001_arc_alias,
    d001_arc_alias_clean,
    d001_bank_fields,
    d001_bank_fields_clean,
    d001_dining_philosophers,
    d001_dining_philosophers_clean,
    d001_drop_guard_clean,
    d001_gate_lock_clean,
    d001_guard_moved,
    d001_guard_moved_clean,
    d001_helper_args,
    d001_helper_args_clean,
    d001_joined_before_clean,
    d001_pool_tasks,
    d001_pool_tasks_clean,
    d001_queue_handoff_clean,
    d001_scoped_guard_clean,
    d001_three_way,
    d001_through_macro,
    d001_through_macro_clean,
    d002_double_acquire,
    d002_drop_clean,
    d002_helper_arg,
    d002_rlock_clean,
    d002_scoped_clean,
    d002_through_callee,
    d003_bounded_put_holding_lock,
    d003_event_wait_clean,
    d003_event_wait_holding_lock,
    d003_join_clean,
    d003_join_holding_lock,
    d003_join_unrelated_lock_clean,
    d003_queue_get_clean,
    d003_queue_get_holding_lock,
    d003_recv_clean,
    d003_recv_holding_lock,
    d003_semaphore_holding_lock,
    d004_no_task_done,
    d004_task_done_clean,
    d005_barrier_clean,
    d005_barrier_too_few,
    d005_event_never_set,
    d005_event_set_clean,
    d005_notify_outside_lock,
    d005_notify_outside_lock_clean,
    d005_queue_never_put,
    d005_relay_clean,
    d005_relay_gun_after_join,
    d006_pool_close_clean,
    d006_pool_join_open,
    d006_terminate_clean,
    l001_handle_returned_clean,
    l001_joined_clean,
    l001_result_lost,
    l001_spawn_in_loop,
    l002_gives_up_after_wait,
    l002_if_not_while,
    l002_wait_ends_the_loop_clean,
    l002_wait_no_check,
    l002_wait_while_clean,
    l002_while_loop_clean,
    l003_condition_per_lock_clean,
    l003_condition_two_locks,
    process_child_panics,
    process_event_worker_clean,
    process_lock_order,
    process_manager_auth_clean,
    process_manager_server_gone,
    process_manager_shutdown_blocked_get_clean,
    process_terminate_worker_clean,
    r001_arc_shared,
    r001_counter_loop,
    r001_counter_loop_clean,
    r001_different_locks,
    r001_joined_in_turn_clean,
    r001_pool_map,
    r001_pool_map_clean,
    r002_fetch_add_clean,
    r002_max_cas_clean,
    r002_split_atomic,
    r003_revalidated_clean,
    r003_single_guard_clean,
    r003_stale_read,
    r004_clear_after_wait_clean,
    r004_clear_before_spawn_clean,
    r004_clear_race,
    seed_counter_lock,
    seed_counter_unlocked,
    seed_current_thread,
    seed_event_worker,
    seed_five_threads,
    seed_hello_thread,
    seed_process_exitcode,
}

/// One test per case of `analyzer/tests/cases`, named after it.
macro_rules! std_cases {
    ($($name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                case_renders_like_rustc("analyzer/tests/cases", stringify!($name));
            }
        )*
    };
}

std_cases! {
    condition_with_two_locks,
    parking_lot_condvar_two_mutexes,
    parking_lot_rwlock,
    std_bank_fields,
    std_channels,
    std_condvar_two_mutexes,
    std_scoped_threads,
    std_temporaries_clean,
}

fn renders_like_rustc(name: &str) {
    case_renders_like_rustc("fixtures/src/bin", name);
}

/// Checks the human output of `folder/name.rs`, analyzed from the workspace root.
fn case_renders_like_rustc(folder: &str, name: &str) {
    let relative = format!("{folder}/{name}.rs");
    let run = crate::run(
        Command::new(crate::binary())
            .current_dir(crate::workspace_root())
            .args([relative.as_str(), "--color", "never"])
            .args(crate::every_rule())
            .env_remove("CARGO_TERM_COLOR")
            .env_remove("NO_COLOR"),
    );
    let source = std::fs::read_to_string(crate::workspace_root().join(&relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    if source.contains("//~") {
        assert_eq!(run.code, 1, "{name}: {run:?}");
        insta::assert_snapshot!(name, run.stdout);
    } else {
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "racecheck: no findings in 1 file\n"),
            "{name}: {}",
            run.stderr
        );
    }
}

/// A fixture added to the corpus gets its test here too.
#[test]
fn every_fixture_has_its_test() {
    let mut fixtures: Vec<String> = std::fs::read_dir(crate::fixtures_dir())
        .expect("the fixture corpus")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    fixtures.sort();
    assert_eq!(
        fixtures, LISTED,
        "list every fixture of fixtures/src/bin in `fixtures!` (analyzer/tests/cli/fixture_snapshots.rs)"
    );
}
