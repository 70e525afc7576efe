//! Exit status 0 / 1 / 2, the default `check` command, the cargo subcommand convention, and the
//! `rules` / `explain` commands.
use crate::{Project, UNKNOWN_ALLOW};
use std::process::Command;

#[test]
fn a_clean_workspace_exits_0() {
    let project = Project::cargo("clean", "fn main() {}\n");
    let run = project.run(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "racecheck: no findings in 1 file\n");
}

#[test]
fn findings_at_or_above_the_threshold_exit_1() {
    let project = Project::cargo("findings", &format!("fn main() {{}} {UNKNOWN_ALLOW}\n"));
    let warning = project.run(&["--color", "never"]);
    assert_eq!(warning.code, 1, "{warning:?}");
    assert!(warning
        .stdout
        .contains("warning[U001]: unknown rule code `Z999` in allow comment"));
    assert!(
        warning.stdout.ends_with("racecheck: 1 warning in 1 file\n"),
        "{}",
        warning.stdout
    );

    assert_eq!(project.run(&["--fail-on", "error"]).code, 0);
    assert_eq!(
        project
            .run(&["--fail-on", "error", "--severity", "U001=error"])
            .code,
        1
    );
    assert_eq!(project.run(&["--severity", "U=note"]).code, 0);
    assert_eq!(
        project
            .run(&["--severity", "U=note", "--fail-on", "note"])
            .code,
        1
    );
    assert_eq!(project.run(&["--ignore", "U001"]).code, 0);
    assert_eq!(project.run(&["--select", "U"]).code, 1);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let project = Project::cargo("usage", "fn main() {}\n");
    for args in [
        &["--format", "xml"][..],
        &["--no-such-flag"],
        &["--select", "Q"],
        &["--severity", "U001=loud"],
        &["--fail-on", "sometimes"],
        &["-p", "not-a-member"],
        &["--exclude", "usage"],
        &["--manifest-path", "nowhere/Cargo.toml"],
        &["--baseline", "missing.json"],
        // Values that look like options are values (confirm re-reads them as check's options).
        &["confirm", "--package=--bogus"],
        &["confirm", "--manifest-path=--x"],
    ] {
        let run = project.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        assert!(!run.stderr.is_empty(), "{args:?}: says why");
    }
    let help = project.run(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("Usage: cargo racecheck"),
        "{}",
        help.stdout
    );
    let version = project.run(&["--version"]);
    assert_eq!(
        (version.code, version.stdout.trim()),
        (0, concat!("cargo-racecheck ", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn bad_codes_name_the_option() {
    let project = Project::cargo("bad-codes", "fn main() {}\n");
    let run = project.run(&["--select", "Q9"]);
    assert!(
        run.stderr
            .starts_with("error: --select: unknown rule code or prefix `Q9` (known: "),
        "{}",
        run.stderr
    );
}

#[test]
fn cargo_subcommand_and_direct_invocations_agree() {
    let project = Project::cargo("argv", &format!("fn main() {{}} {UNKNOWN_ALLOW}\n"));
    let direct = project.run(&["--format", "json"]);
    let as_subcommand = project.run(&["racecheck", "--format", "json"]);
    let explicit_check = project.run(&["racecheck", "check", "--format", "json"]);
    assert_eq!(direct.code, 1);
    assert_eq!(
        (direct.code, &direct.stdout),
        (as_subcommand.code, &as_subcommand.stdout)
    );
    assert_eq!(
        (direct.code, &direct.stdout),
        (explicit_check.code, &explicit_check.stdout)
    );
}

#[test]
fn cargo_runs_it_as_a_subcommand() {
    let project = Project::cargo(
        "through-cargo",
        &format!("fn main() {{}} {UNKNOWN_ALLOW}\n"),
    );
    let bin_dir = std::path::Path::new(crate::binary())
        .parent()
        .expect("the binary's folder");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a valid PATH");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // An empty CARGO_HOME, so that cargo finds this build on PATH and no installed copy.
    let cargo_home = Project::empty("cargo-home");
    let run = project.run_command(
        Command::new(cargo)
            .args(["racecheck", "--color", "never"])
            .env("PATH", path)
            .env("CARGO_HOME", cargo_home.root()),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("warning[U001]"), "{run:?}");
}

#[test]
fn rules_lists_the_catalogue() {
    let project = Project::empty("rules");
    let table = project.run(&["rules"]);
    assert_eq!(table.code, 0);
    let mut lines = table.stdout.lines();
    assert!(lines.next().unwrap().starts_with("CODE  NAME"));
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.starts_with("U001  unused-allow") && l.contains("warning")),
        "{}",
        table.stdout
    );

    let json = project.run(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    let u001 = rules.iter().find(|r| r["code"] == "U001").unwrap();
    assert_eq!(
        (&u001["name"], &u001["severity"]),
        (&"unused-allow".into(), &"warning".into())
    );
    assert!(u001["doc"].as_str().unwrap().starts_with("## What it does"));
    let codes: Vec<&str> = rules.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "rules are listed by code");
}

#[test]
fn explain_prints_the_doc_or_lists_the_codes() {
    let project = Project::empty("explain");
    let known = project.run(&["explain", "u001"]);
    assert_eq!(known.code, 0);
    assert!(
        known
            .stdout
            .starts_with("# unused-allow (U001)\n\n## What it does\n"),
        "{}",
        known.stdout
    );
    let by_name = project.run(&["explain", "lock-order-inversion"]);
    assert_eq!(by_name.code, 0);
    assert!(by_name
        .stdout
        .starts_with("# lock-order-inversion (D001)\n"));
    let unknown = project.run(&["explain", "X1"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown rule `X1`; known codes: ")
            && unknown.stderr.contains("U001")
    );
}

#[test]
fn a_mistyped_subcommand_is_reported_with_the_nearest_one() {
    let project = Project::cargo("typo", "fn main() {}\n");
    for (typo, nearest) in [
        ("rulez", "rules"),
        ("confrim", "confirm"),
        ("replya", "replay"),
    ] {
        let run = project.run(&[typo]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr
                .contains(&format!("unrecognized subcommand '{typo}'"))
                && run.stderr.contains(&format!("'{nearest}'")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn replay_refuses_what_is_not_a_token_before_building_anything() {
    let project = Project::cargo("replay-token", "fn main() {}\n");
    let bad = project.run(&["replay", "rc9:xyz", "--bin", "replay-token"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr
            .starts_with("error: `rc9:xyz` is not a replay token: a token starts with `rc1:`"),
        "{}",
        bad.stderr
    );
    let missing = project.run(&["replay", "@nowhere.token", "--bin", "replay-token"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.starts_with(
            "error: `@nowhere.token` names a token file that cannot be read (nowhere.token: "
        ),
        "{}",
        missing.stderr
    );
}
