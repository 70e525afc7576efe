//! Inline allows over a real finding (the ABBA deadlock of the fixture corpus): on the line, on
//! the line above, for the whole file; and an allow that silences nothing is U001.
use crate::Project;
use serde_json::Value;

/// `fixtures/src/bin/d001_abba.rs` with `marker` replacing its `//~ D001` annotation.
fn abba(marker: &str) -> String {
    let fixture = std::fs::read_to_string(crate::fixtures_dir().join("d001_abba.rs")).unwrap();
    assert!(fixture.contains("//~ D001"));
    fixture.replace("//~ D001", marker)
}

/// (code, line) of every finding.
fn findings(project: &Project) -> Vec<(String, u64)> {
    let run = project.run(&["--format", "json"]);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["primary"]["line_start"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn the_unsuppressed_deadlock_is_found() {
    let text = abba("");
    let project = Project::cargo("abba", &text);
    assert_eq!(
        findings(&project),
        [("D001".to_owned(), line_of(&text, "let mut log"))]
    );
}

#[test]
fn a_trailing_allow_silences_its_line() {
    let project = Project::cargo(
        "allow-trailing",
        &abba("// racecheck: allow(D001) audited: transfer never runs beside audit"),
    );
    assert_eq!(findings(&project), []);
    assert_eq!(project.run(&[]).code, 0);
}

#[test]
fn an_allow_above_silences_the_next_line() {
    let text = abba("").replace(
        "    let mut log = AUDIT_LOG.acquire();",
        "    // racecheck: allow(D001)\n    // (no reason needed)\n    let mut log = AUDIT_LOG.acquire();",
    );
    let project = Project::cargo("allow-above", &text);
    assert_eq!(findings(&project), []);
}

#[test]
fn an_allow_file_silences_the_file() {
    let project = Project::cargo(
        "allow-file",
        &format!("// racecheck: allow-file(D001)\n{}", abba("")),
    );
    assert_eq!(findings(&project), []);
}

#[test]
fn an_allow_elsewhere_is_unused() {
    // A line of the program that no span of the finding shows.
    let text = abba("").replace(
        "    println!(\"{} entries, balance {}\", log.len(), *balance);",
        "    println!(\"{} entries, balance {}\", log.len(), *balance); // racecheck: allow(D001)",
    );
    let project = Project::cargo("allow-unused", &text);
    let unused_line = line_of(&text, "racecheck: allow");
    assert_eq!(
        findings(&project),
        [
            ("D001".to_owned(), line_of(&text, "let mut log")),
            ("U001".to_owned(), unused_line)
        ]
    );
    let human = project.run(&["--color", "never"]);
    assert!(
        human
            .stdout
            .contains("warning[U001]: unused allow: no `D001` finding on this line"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_rule_name_works_like_its_code() {
    let project = Project::cargo(
        "allow-by-name",
        &abba("// racecheck: allow(lock-order-inversion) audited"),
    );
    assert_eq!(findings(&project), []);
}

#[test]
fn an_allow_on_the_other_half_of_an_inversion_silences_it() {
    let text = abba("").replace(
        "    let balance = ACCOUNTS.acquire();",
        "    let balance = ACCOUNTS.acquire(); // racecheck: allow(D001) audit runs alone",
    );
    let project = Project::cargo("allow-other-half", &text);
    assert_eq!(findings(&project), [], "no D001, and no U001 for the allow");
}
