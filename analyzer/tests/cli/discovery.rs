//! Which files a run reads: walked folders skip build folders, hidden folders and `.gitignore`d
//! paths; a workspace run reads every member's targets (build scripts included), narrowed by
//! `-p` and `--exclude`, or to the package whose folder the run starts in.
use crate::{Project, UNKNOWN_ALLOW};
use serde_json::Value;

/// The files with findings, in report order, and the number of files analyzed.
fn analyzed(project: &Project, args: &[&str]) -> (Vec<String>, u64) {
    let run = project.run(&[&["--format", "json"], args].concat());
    let document: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    let files = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["primary"]["file"].as_str().unwrap().to_owned())
        .collect();
    (files, document["summary"]["files"].as_u64().unwrap())
}

#[test]
fn walking_skips_target_hidden_and_ignored_paths() {
    let project = Project::empty("walk");
    let finding = format!("fn f() {{}} {UNKNOWN_ALLOW}\n");
    for file in [
        "src/b.rs",
        "src/a.rs",
        "target/debug/gen.rs",
        ".hidden/x.rs",
        "ignored/x.rs",
        "build-out/gen.rs",
        "src/deep/target/x.rs",
    ] {
        project.write(file, &finding);
    }
    // Build folders are told by cargo's cache-directory tag, whatever their name; a module folder
    // that happens to be named `target` is source.
    project.write(
        "target/CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    project.write(
        "build-out/CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n",
    );
    project.write("notes.txt", &finding);
    project.write(".gitignore", "ignored/\n");
    assert_eq!(
        analyzed(&project, &["."]),
        (
            vec![
                "src/a.rs".to_owned(),
                "src/b.rs".to_owned(),
                "src/deep/target/x.rs".to_owned()
            ],
            3
        )
    );
    // A file named on the command line is read whatever its name or place.
    assert_eq!(analyzed(&project, &["notes.txt", "ignored/x.rs"]).1, 2);
}

#[test]
fn a_workspace_run_reads_every_members_targets() {
    let project = Project::empty("members");
    let finding = format!("fn f() {{}} {UNKNOWN_ALLOW}\n");
    project.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n",
    );
    for member in ["a", "b"] {
        project.write(
            &format!("{member}/Cargo.toml"),
            format!("[package]\nname = \"{member}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        );
        project.write(&format!("{member}/src/lib.rs"), &finding);
    }
    project.write("a/build.rs", &finding);
    project.write("a/tests/it.rs", &finding);
    project.write("a/notes/stray.rs", &finding);
    let all = vec![
        "a/build.rs".to_owned(),
        "a/src/lib.rs".to_owned(),
        "a/tests/it.rs".to_owned(),
        "b/src/lib.rs".to_owned(),
    ];
    assert_eq!(analyzed(&project, &[]), (all.clone(), 4));
    // In a member's folder, that member, as cargo does; the workspace with --workspace.
    let in_member = |args: &[&str]| {
        let run = project.run_command(
            std::process::Command::new(crate::binary())
                .current_dir(project.path("a/src"))
                .args([&["--format", "json"], args].concat()),
        );
        serde_json::from_str::<Value>(&run.stdout).unwrap()["summary"]["files"].clone()
    };
    assert_eq!(in_member(&[]), 3, "a's build.rs, lib.rs and tests/it.rs");
    assert_eq!(in_member(&["--workspace"]), 4);
    assert_eq!(
        analyzed(&project, &["-p", "b"]),
        (vec!["b/src/lib.rs".to_owned()], 1)
    );
    assert_eq!(
        analyzed(&project, &["--workspace", "--exclude", "a"]).0,
        ["b/src/lib.rs"]
    );
    // From a member's folder, paths are still relative to the workspace root.
    let from_member = project.run_command(
        std::process::Command::new(crate::binary())
            .current_dir(project.path("b"))
            .args(["--format", "github"]),
    );
    assert!(
        from_member
            .stdout
            .lines()
            .all(|l| l.contains("file=a/") || l.contains("file=b/")),
        "{from_member:?}"
    );
}

#[test]
fn no_rust_file_is_a_warning() {
    let project = Project::empty("nothing");
    project.write("docs/readme.md", "# nothing to see\n");
    let run = project.run(&["docs"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("warning: no Rust files found in `docs`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_crate_is_read_in_the_edition_of_its_manifest() {
    // From 2024, an `if let` scrutinee's guard ends before the `else` block.
    let main_rs = "use std::sync::Mutex;\nstatic M: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\
                   fn main() {\n    if let Some(x) = M.lock().unwrap().first() {\n        \
                   println!(\"{x}\");\n    } else {\n        M.lock().unwrap().push(1);\n    }\n}\n";
    let project = Project::cargo("edition", main_rs);
    assert_eq!(analyzed(&project, &[]).0, vec!["src/main.rs"]);
    let manifest = project.read("Cargo.toml").replace("2021", "2024");
    project.write("Cargo.toml", manifest);
    assert_eq!(analyzed(&project, &[]).0, Vec::<String>::new());
}

#[test]
fn a_program_is_followed_into_its_package_library() {
    // The library alone runs no thread; `main` shares one `Store` between two threads that take
    // its locks in opposite orders. The package's name has a dash: its crate name an underscore.
    let main_rs = "use demo_app::Store;\nuse std::sync::Arc;\nfn main() {\n    let store = Arc::new(Store::new());\n    \
                   let other = Arc::clone(&store);\n    let t = std::thread::spawn(move || other.ab());\n    \
                   store.ba();\n    t.join().unwrap();\n}\n";
    let project = Project::cargo("linked", main_rs);
    let manifest = project
        .read("Cargo.toml")
        .replace("\"demo\"", "\"demo-app\"");
    project.write("Cargo.toml", manifest);
    project.write(
        "src/lib.rs",
        "use std::sync::Mutex;\npub struct Store { a: Mutex<u8>, b: Mutex<u8> }\nimpl Store {\n    \
         pub fn new() -> Self {\n        Store { a: Mutex::new(0), b: Mutex::new(0) }\n    }\n    \
         pub fn ab(&self) {\n        let _a = self.a.lock().unwrap();\n        let _b = self.b.lock().unwrap();\n    }\n    \
         pub fn ba(&self) {\n        let _b = self.b.lock().unwrap();\n        let _a = self.a.lock().unwrap();\n    }\n}\n",
    );
    assert_eq!(analyzed(&project, &[]).0, vec!["src/lib.rs"]);
}

#[test]
fn paths_inside_a_package_are_analyzed_as_the_package_is() {
    // A program's lock order inverted against its library's, seen only when the program is linked
    // to the library: `check .`, `check src` and `check` with no path find it alike.
    let project = Project::empty("paths-in-package");
    project.write(
        "Cargo.toml",
        "[package]\nname = \"shards\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    project.write(
        "src/lib.rs",
        "use std::sync::{Arc, Mutex, RwLock};\n\npub struct Table {\n    pub shards: RwLock<Vec<u64>>,\n}\n\n\
         impl Table {\n    pub fn purge(&self, observer: &Snap) {\n        let mut shard = self.shards.write().unwrap();\n        \
         shard.clear();\n        observer.changed(1);\n    }\n\n    pub fn export(&self) -> usize {\n        \
         self.shards.read().unwrap().len()\n    }\n}\n\npub struct Snap {\n    pub table: Arc<Table>,\n    \
         pub state: Mutex<Vec<usize>>,\n}\n\nimpl Snap {\n    pub fn capture(&self) -> usize {\n        \
         let state = self.state.lock().unwrap();\n        state.len() + self.table.export()\n    }\n\n    \
         pub fn changed(&self, shard: usize) {\n        self.state.lock().unwrap().push(shard);\n    }\n}\n",
    );
    project.write(
        "src/main.rs",
        "use shards::{Snap, Table};\nuse std::sync::{Arc, Mutex, RwLock};\nuse std::thread;\n\nfn main() {\n    \
         let table = Arc::new(Table { shards: RwLock::new(Vec::new()) });\n    \
         let snap = Arc::new(Snap { table: Arc::clone(&table), state: Mutex::new(Vec::new()) });\n    \
         let (observer, t2, s2) = (snap.clone(), Arc::clone(&table), snap.clone());\n    \
         let h = thread::spawn(move || t2.purge(&observer));\n    let c = thread::spawn(move || s2.capture());\n    \
         h.join().unwrap();\n    c.join().unwrap();\n}\n",
    );
    for args in [&[][..], &["."], &["src"], &["src/main.rs", "src/lib.rs"]] {
        let (files, analyzed) = analyzed(&project, args);
        assert_eq!(
            (files, analyzed),
            (vec!["src/lib.rs".to_owned()], 2),
            "{args:?}"
        );
    }
}
