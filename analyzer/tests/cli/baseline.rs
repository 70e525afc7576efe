//! `--write-baseline` then `--baseline`: a round trip that hides today's findings, survives edits
//! above them, lets new findings through, and reports entries that no longer match.
use crate::{Project, UNKNOWN_ALLOW};
use serde_json::Value;

const BASELINE: &str = "racecheck-baseline.json";

fn main_rs(extra: &str) -> String {
    format!("fn main() {{\n    one(); {UNKNOWN_ALLOW}\n    two(); // racecheck: allow(Z998)\n{extra}}}\n")
}

#[test]
fn a_written_baseline_hides_its_findings_until_they_go_away() {
    let project = Project::cargo("baseline", &main_rs(""));
    assert_eq!(project.run(&[]).code, 1);

    let write = project.run(&["--write-baseline", BASELINE, "--quiet"]);
    assert_eq!(write.code, 0, "writing a baseline succeeds: {write:?}");
    let baseline: Value = serde_json::from_str(&project.read(BASELINE)).unwrap();
    assert_eq!(baseline["version"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        assert_eq!(
            (&entry["code"], &entry["path"]),
            (&"U001".into(), &"src/main.rs".into())
        );
        assert!(entry["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown rule code"));
        assert_eq!(entry["fingerprint"].as_str().unwrap().len(), 16);
    }

    let hidden = project.run(&["--baseline", BASELINE]);
    assert_eq!(
        (hidden.code, hidden.stdout.as_str()),
        (
            0,
            "racecheck: no findings in 1 file; 2 findings hidden by the baseline\n"
        )
    );

    // Edits above the findings keep their fingerprints.
    project.write(
        "src/main.rs",
        format!("//! A header.\n\nuse std::fmt;\n{}", main_rs("")),
    );
    assert_eq!(project.run(&["--baseline", BASELINE]).code, 0);

    // A new finding is not in the baseline.
    project.write(
        "src/main.rs",
        main_rs("    three(); // racecheck: allow(Z997)\n"),
    );
    let new = project.run(&["--baseline", BASELINE, "--format", "json"]);
    assert_eq!(new.code, 1);
    let document: Value = serde_json::from_str(&new.stdout).unwrap();
    assert_eq!(document["diagnostics"].as_array().unwrap().len(), 1);
    assert!(document["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Z997"));

    // A fixed finding leaves a stale entry: reported, not failing unless --fail-on note.
    project.write(
        "src/main.rs",
        "fn main() {\n    one(); // racecheck: allow(Z999) no such rule\n}\n",
    );
    let stale = project.run(&["--baseline", BASELINE, "--color", "never"]);
    assert_eq!(stale.code, 0, "{stale:?}");
    assert!(
        stale
            .stdout
            .starts_with("note: 1 baseline entry no longer matches a finding"),
        "{}",
        stale.stdout
    );
    assert!(stale
        .stdout
        .contains("U001 src/main.rs: unknown rule code `Z998` in allow comment"));
    assert_eq!(
        project
            .run(&["--baseline", BASELINE, "--fail-on", "note"])
            .code,
        1
    );
    let json = project.run(&["--baseline", BASELINE, "--format", "json"]);
    let document: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["stale_baseline"].as_array().unwrap().len(), 1);
    assert_eq!(document["summary"]["stale_baseline_entries"], 1);
    assert_eq!(document["summary"]["baselined"], 1);

    // Under --baseline-strict (or `baseline-strict = true`), a stale entry fails the run.
    assert_eq!(
        project
            .run(&["--baseline", BASELINE, "--baseline-strict"])
            .code,
        1
    );
    project.write("racecheck.toml", "baseline-strict = true\n");
    assert_eq!(project.run(&["--baseline", BASELINE]).code, 1);
}

#[test]
fn the_baseline_can_come_from_the_configuration() {
    let project = Project::cargo("baseline-config", &main_rs(""));
    project.write("ci/racecheck.toml", "");
    assert_eq!(
        project
            .run(&["--write-baseline", "ci/known.json", "--quiet"])
            .code,
        0
    );
    project.write("racecheck.toml", "baseline = \"ci/known.json\"\n");
    assert_eq!(project.run(&[]).code, 0);
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let project = Project::cargo("baseline-broken", &main_rs(""));
    project.write(BASELINE, "{\"version\": 1, \"findings\": [");
    let run = project.run(&["--baseline", BASELINE]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid baseline"), "{}", run.stderr);
}
