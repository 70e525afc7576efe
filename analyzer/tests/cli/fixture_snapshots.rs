//! What users see for each rule: the human output over every fixture of the corpus, as insta
//! snapshots (one per fixture with findings); fixtures without findings print none and exit 0.
use std::process::Command;

#[test]
fn every_fixture_renders_like_rustc() {
    let mut fixtures: Vec<_> = std::fs::read_dir(crate::fixtures_dir())
        .expect("the fixture corpus")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    for fixture in fixtures {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let relative = format!("fixtures/src/bin/{name}.rs");
        let run = crate::run(
            Command::new(crate::binary())
                .current_dir(crate::workspace_root())
                .args([relative.as_str(), "--color", "never"])
                .env_remove("CARGO_TERM_COLOR")
                .env_remove("NO_COLOR"),
        );
        let expects_findings = std::fs::read_to_string(&fixture).unwrap().contains("//~");
        if expects_findings {
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
}
