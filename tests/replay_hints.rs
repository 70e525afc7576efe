//! The replay command a failing `#[racecheck::test]` or explored `#[racecheck::main]` prints works
//! as pasted: each program is run through cargo as a user would, the `replay:` line of its failure
//! is run by the shell exactly as printed, and it must show the same finding, in that test alone.
//! `planted-bugs.rs` holds the failing tests (a target named with a `-`, and a schedule whose
//! token is too long to pass inline, so it travels in a file); `d001_abba` is a fixture binary.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's root: this package sits in it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the package sits in the workspace root")
        .to_path_buf()
}

/// The cargo that runs this test, and a `PATH` that finds it first (for the pasted command).
fn cargo() -> (PathBuf, std::ffi::OsString) {
    let cargo = PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    let mut paths: Vec<PathBuf> = cargo.parent().map(Path::to_path_buf).into_iter().collect();
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = std::env::join_paths(paths).expect("PATH joins");
    (cargo, path)
}

/// `command` with the environment of a user's shell in the workspace: no `RACECHECK_*` variable
/// of this run, the bugs planted.
fn as_a_user(mut command: Command) -> Output {
    let (_, path) = cargo();
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("RACECHECK_") {
            command.env_remove(name);
        }
    }
    command
        .current_dir(workspace_root())
        .env("PATH", path)
        .env("PLANT_RACECHECK_BUGS", "1")
        .output()
        .expect("the command runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The command the failure's `replay:` line gives (the last one: the summary's).
fn replay_command(output: &str) -> String {
    output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("replay: "))
        .rfind(|command| command.contains(" cargo "))
        .unwrap_or_else(|| panic!("no replay command in:\n{output}"))
        .to_owned()
}

/// The first line of each witness: its kind and message.
fn headlines(output: &str) -> Vec<&str> {
    let kinds = [
        "deadlock",
        "data race",
        "lock-order cycle",
        "panic",
        "step limit",
        "hang",
    ];
    output
        .lines()
        .filter(|line| {
            kinds
                .iter()
                .any(|kind| line.starts_with(&format!("{kind}:")))
        })
        .collect()
}

/// Runs `args` through cargo, then the replay command its failure printed through `sh`; returns
/// that command. Both must fail with the same witnesses.
fn replays_as_pasted(args: &[&str], explore: bool) -> String {
    let (cargo, _) = cargo();
    let mut first = Command::new(cargo);
    first.args(args);
    if explore {
        first.env("RACECHECK_EXPLORE", "1");
    }
    let first = as_a_user(first);
    let first_text = text(&first);
    assert!(
        !first.status.success(),
        "the planted bug went unseen:\n{first_text}"
    );
    let command = replay_command(&first_text);
    let mut shell = Command::new("sh");
    shell.args(["-c", &command]);
    let again = as_a_user(shell);
    let again_text = text(&again);
    assert!(
        !again.status.success(),
        "`{command}` ran clean:\n{again_text}"
    );
    assert!(
        !again_text.contains("does not replay"),
        "`{command}` replayed in the wrong test:\n{again_text}"
    );
    assert!(!headlines(&first_text).is_empty(), "{first_text}");
    assert_eq!(
        headlines(&again_text),
        headlines(&first_text),
        "`{command}` showed another finding:\n{again_text}"
    );
    command
}

/// The cargo arguments that run one test of `planted-bugs.rs`.
fn planted(test: &str) -> [&str; 8] {
    [
        "test",
        "-p",
        "racecheck-tests",
        "--test",
        "planted-bugs",
        "--",
        test,
        "--exact",
    ]
}

#[test]
fn a_tests_replay_command_names_its_target_as_cargo_does() {
    let command = replays_as_pasted(&planted("lost_update"), false);
    assert!(
        command.ends_with(" --test planted-bugs -- lost_update --exact"),
        "{command}"
    );
    assert!(command.starts_with("RACECHECK_REPLAY=rc1:"), "{command}");
}

#[test]
fn a_token_too_long_for_a_variable_travels_in_a_file() {
    let command = replays_as_pasted(&planted("long_schedule"), false);
    let file = command
        .strip_prefix("RACECHECK_REPLAY=@")
        .and_then(|rest| rest.split_once(' '))
        .map(|(file, _)| file)
        .unwrap_or_else(|| panic!("no token file in `{command}`"));
    assert!(file.contains("/racecheck/replay/"), "{file}");
    let token = std::fs::read_to_string(file).expect("the token file is there");
    assert!(
        token.len() > racecheck::explore::INLINE_TOKEN_LIMIT,
        "{} characters",
        token.len()
    );
}

#[test]
fn an_explored_mains_replay_command_runs_that_binary() {
    let command = replays_as_pasted(
        &["run", "-p", "racecheck-fixtures", "--bin", "d001_abba"],
        true,
    );
    assert!(
        command.ends_with(" cargo run -p racecheck-fixtures --bin d001_abba"),
        "{command}"
    );
}
