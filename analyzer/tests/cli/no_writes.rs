//! A run writes nothing but the report and the baseline it is asked for: the project tree is the
//! same before and after every format.
use crate::{Project, UNKNOWN_ALLOW};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `root` with its contents.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let contents = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), contents);
            }
        }
    }
    files
}

#[test]
fn checking_leaves_the_project_untouched() {
    let project = Project::cargo("no-writes", &format!("fn main() {{}} {UNKNOWN_ALLOW}\n"));
    project.write("racecheck.toml", "fail-on = \"warning\"\n");
    let before = tree(project.root());
    for format in ["human", "json", "sarif", "rustc-json", "github"] {
        assert_eq!(project.run(&["--format", format]).code, 1);
    }
    assert_eq!(project.run(&["src"]).code, 1);
    assert_eq!(tree(project.root()), before);

    assert_eq!(
        project
            .run(&["--output", "out.sarif", "--format", "sarif"])
            .code,
        1
    );
    let after = tree(project.root());
    let added: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert_eq!(added, [Path::new("out.sarif")]);
}

#[test]
fn a_report_or_baseline_never_writes_over_a_source_file() {
    let project = Project::cargo("no-overwrite", &format!("fn main() {{}} {UNKNOWN_ALLOW}\n"));
    let before = tree(project.root());
    for args in [
        ["--write-baseline", "src/main.rs"],
        ["--output", "src/main.rs"],
        ["--output", "Cargo.toml"],
    ] {
        let run = project.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("refusing to write over") && run.stderr.contains("source file"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(tree(project.root()), before);
}
