//! `racecheck.toml`, `[workspace.metadata.racecheck]` and `[package.metadata.racecheck]`: every
//! key, precedence (package over workspace, command line over both), lookup from a subfolder, and errors that name the file, the position and the key.
use crate::{Project, UNKNOWN_ALLOW};

fn project(name: &str) -> Project {
    let project = Project::cargo(
        name,
        &format!("mod legacy;\nmod generated;\nfn main() {{}} {UNKNOWN_ALLOW}\n"),
    );
    project.write("src/legacy.rs", format!("fn old() {{}} {UNKNOWN_ALLOW}\n"));
    project.write(
        "src/generated/mod.rs",
        format!("fn made() {{}} {UNKNOWN_ALLOW}\n"),
    );
    project
}

fn finding_files(run: &crate::Run) -> Vec<String> {
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["primary"]["file"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn exclude_and_per_file_ignores_apply() {
    let project = project("exclude");
    assert_eq!(
        finding_files(&project.run(&["--format", "json"])),
        ["src/generated/mod.rs", "src/legacy.rs", "src/main.rs"]
    );
    project.write(
        "racecheck.toml",
        "exclude = [\"generated/\"]\nper-file-ignores = { \"src/legacy.rs\" = [\"U\"] }\n",
    );
    let run = project.run(&["--format", "json"]);
    assert_eq!(finding_files(&run), ["src/main.rs"]);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        document["summary"]["files"], 2,
        "the excluded file is not analyzed"
    );
}

#[test]
fn a_folder_named_on_the_command_line_is_analyzed_even_if_excluded() {
    let project = project("named-excluded");
    project.write("racecheck.toml", "exclude = [\"src/generated/\"]\n");
    assert_eq!(
        finding_files(&project.run(&["--format", "json", "src/generated"])),
        ["src/generated/mod.rs"]
    );
    // Named through a folder above it, the exclusion holds.
    assert_eq!(
        finding_files(&project.run(&["--format", "json", "src"])),
        ["src/legacy.rs", "src/main.rs"]
    );
}

#[test]
fn workspace_metadata_configures_and_the_command_line_overrides() {
    let project = project("metadata");
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        format!("{manifest}\n[workspace.metadata.racecheck]\nseverity = {{ U001 = \"note\" }}\nfail-on = \"error\"\n"),
    );
    let run = project.run(&["--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("\"severity\": \"note\""));
    assert_eq!(project.run(&["--fail-on", "note"]).code, 1);
    assert_eq!(project.run(&["--severity", "U001=error"]).code, 1);
}

#[test]
fn racecheck_toml_wins_and_is_found_from_a_subfolder() {
    let project = project("lookup");
    let manifest = project.read("Cargo.toml");
    project.write(
        "Cargo.toml",
        format!("{manifest}\n[workspace.metadata.racecheck]\nfail-on = \"note\"\n"),
    );
    project.write("racecheck.toml", "ignore = [\"U001\"]\n");
    let from_root = project.run(&[]);
    assert_eq!(from_root.code, 0, "{from_root:?}");
    assert!(
        from_root
            .stderr
            .contains("racecheck.toml` and `[workspace.metadata.racecheck]` in `")
            && from_root.stderr.contains("`racecheck.toml` wins"),
        "{}",
        from_root.stderr
    );
    let from_subfolder = project.run_command(
        std::process::Command::new(crate::binary())
            .current_dir(project.path("src/generated"))
            .arg("."),
    );
    assert_eq!(from_subfolder.code, 0, "{from_subfolder:?}");
}

#[test]
fn config_errors_name_the_file_position_and_key() {
    let cases = [
        (
            "select = [\"U\"]\nfrobnicate = true\n",
            "racecheck.toml:2:1: unknown field `frobnicate`",
        ),
        (
            "ignore = [\"U001\", \"Q77\"]\n",
            "racecheck.toml:1:19: `ignore`: unknown rule code or prefix `Q77`",
        ),
        (
            "severity = { U001 = \"fatal\" }\n",
            "racecheck.toml:1:21: `severity.U001`: invalid level `fatal`",
        ),
        (
            "fail-on = \"always\"\n",
            "racecheck.toml:1:11: `fail-on`: invalid level `always`",
        ),
        ("select = \"U\"\n", "racecheck.toml:1:10: "),
        ("select = [\n", "racecheck.toml:1:11: unclosed array"),
    ];
    for (config, expected) in cases {
        let project = Project::cargo("config-error", "fn main() {}\n");
        project.write("racecheck.toml", config);
        let run = project.run(&[]);
        assert_eq!(run.code, 2, "{config}: {run:?}");
        assert!(run.stdout.is_empty());
        let expected = format!("error: {}", project.path(expected).display());
        assert!(
            run.stderr.starts_with(&expected),
            "{config}:\n{}\nexpected: {expected}",
            run.stderr
        );
    }
}

#[test]
fn metadata_errors_point_into_cargo_toml() {
    let project = Project::cargo("metadata-error", "fn main() {}\n");
    let manifest = project.read("Cargo.toml");
    let line = manifest.lines().count() + 3;
    project.write(
        "Cargo.toml",
        format!("{manifest}\n[workspace.metadata.racecheck]\nselect = [\"QQ\"]\n"),
    );
    let run = project.run(&[]);
    assert_eq!(run.code, 2);
    let expected = format!(
        "error: {}:{line}:11: `select`: unknown rule code or prefix `QQ`",
        project.path("Cargo.toml").display()
    );
    assert!(
        run.stderr.starts_with(&expected),
        "{}\nexpected: {expected}",
        run.stderr
    );
}

#[test]
fn package_metadata_is_merged_under_the_workspace_table() {
    let project = Project::empty("package-metadata");
    let finding = format!("fn f() {{}} {UNKNOWN_ALLOW}\n");
    project.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n\n\
         [workspace.metadata.racecheck]\nseverity = { U001 = \"note\" }\nfail-on = \"warning\"\n",
    );
    project.write(
        "a/Cargo.toml",
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [package.metadata.racecheck]\nfail-on = \"note\"\n",
    );
    project.write(
        "b/Cargo.toml",
        "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    project.write("a/src/lib.rs", &finding);
    project.write("b/src/lib.rs", &finding);
    // The workspace makes U001 a note, below its fail-on; a's table lowers fail-on to note.
    assert_eq!(project.run(&["-p", "b"]).code, 0);
    assert_eq!(
        project.run(&["-p", "a"]).code,
        1,
        "a's fail-on over the workspace's"
    );
    let in_a = project
        .run_command(std::process::Command::new(crate::binary()).current_dir(project.path("a")));
    assert_eq!(in_a.code, 1, "{in_a:?}");
    // A path given from a's folder checks within a: its table applies too.
    let dot_in_a = project.run_command(
        std::process::Command::new(crate::binary())
            .arg(".")
            .current_dir(project.path("a")),
    );
    assert_eq!(dot_in_a.code, 1, "{dot_in_a:?}");
    let dot_in_b = project.run_command(
        std::process::Command::new(crate::binary())
            .arg(".")
            .current_dir(project.path("b")),
    );
    assert_eq!(dot_in_b.code, 0, "{dot_in_b:?}");
    let all = project.run(&["--workspace"]);
    assert_eq!(all.code, 0, "not for the whole workspace");
    assert!(
        all.stderr
            .contains("`[package.metadata.racecheck]` of `a` applies when it is checked alone"),
        "{}",
        all.stderr
    );
}
