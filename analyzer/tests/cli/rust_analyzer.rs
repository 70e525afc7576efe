//! rust-analyzer's two ways of running a checker, end to end: `check.overrideCommand` (our own
//! command line) and `check.command = "racecheck"` (cargo check's flags after `cargo racecheck`,
//! run from any folder). Every stdout line must parse as a cargo message (`cargo_metadata`'s types,
//! what rust-analyzer parses), and each field rust-analyzer reads must be right: the package ID,
//! the target that owns the file, the code, the level, the spans with their text, `rendered`.
use crate::{binary, run, Project, Run, UNKNOWN_ALLOW};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::Message;
use std::process::Command;

/// A package with a library (and a module in a folder of its own), its binary (with a module of
/// its own beside the library's root) and a second binary; one U001 finding in each file, on
/// line 2.
fn bank() -> Project {
    let project = Project::empty("ra-bank");
    project.write(
        "Cargo.toml",
        "[package]\nname = \"bank\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    let finding = |item: &str| format!("{item}\nfn f() {{}} {UNKNOWN_ALLOW}\n");
    project.write("src/lib.rs", finding("pub mod ledger;"));
    project.write("src/ledger/mod.rs", finding("mod entry;"));
    project.write("src/ledger/entry.rs", finding(""));
    project.write(
        "src/main.rs",
        finding("mod cli;\nfn main() {}").replacen('\n', " ", 1),
    );
    project.write("src/cli.rs", finding(""));
    project.write("src/bin/tool.rs", finding("fn main() {}"));
    project
}

/// The (file, target name, target kind) of every compiler message, after checking each field
/// rust-analyzer reads.
fn check_messages(project: &Project, run: &Run, ansi: bool) -> Vec<(String, String, String)> {
    assert_eq!(run.code, 1, "findings: exit 1\n{}", run.stderr);
    let messages: Vec<Message> = Message::parse_stream(run.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .expect("stdout is readable");
    let root = project.root().canonicalize().unwrap();
    let mut owners = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let message = match message {
            Message::CompilerMessage(message) => message,
            Message::BuildFinished(finished) => {
                assert_eq!(i, messages.len() - 1, "build-finished ends the stream");
                assert!(!finished.success);
                continue;
            }
            other => panic!("not a cargo message: {other:?}"),
        };
        assert!(
            message.package_id.repr.starts_with("path+file://")
                && message.package_id.repr.ends_with("#bank@0.1.0"),
            "{}",
            message.package_id.repr
        );
        let diagnostic = &message.message;
        assert_eq!(diagnostic.code.as_ref().unwrap().code, "racecheck::U001");
        assert_eq!(diagnostic.level, DiagnosticLevel::Warning);
        let span = diagnostic.spans.iter().find(|s| s.is_primary).unwrap();
        let text = std::fs::read_to_string(root.join(&span.file_name)).expect("a workspace file");
        assert_eq!(span.line_start, 2);
        assert_eq!(span.text[0].text, text.lines().nth(1).unwrap());
        assert_eq!(
            (span.text[0].highlight_start, span.text[0].highlight_end),
            (span.column_start, span.column_end)
        );
        assert_eq!(
            &text[span.byte_start as usize..span.byte_end as usize],
            "Z999"
        );
        let rendered = diagnostic.rendered.as_deref().unwrap();
        assert_eq!(rendered.contains("\u{1b}["), ansi, "{rendered}");
        let target_dir = message.target.src_path.parent().unwrap().as_std_path();
        assert!(
            root.join(&span.file_name)
                .starts_with(target_dir.canonicalize().unwrap()),
            "the target's folder holds the file"
        );
        owners.push((
            span.file_name.clone(),
            message.target.name.clone(),
            message.target.kind[0].to_string(),
        ));
    }
    assert!(matches!(messages.last(), Some(Message::BuildFinished(_))));
    owners.sort();
    owners
}

fn expected_owners() -> Vec<(String, String, String)> {
    let owner = |file: &str, target: &str, kind: &str| (file.into(), target.into(), kind.into());
    vec![
        owner("src/bin/tool.rs", "tool", "bin"),
        owner("src/cli.rs", "bank", "bin"),
        owner("src/ledger/entry.rs", "bank", "lib"),
        owner("src/ledger/mod.rs", "bank", "lib"),
        owner("src/lib.rs", "bank", "lib"),
        owner("src/main.rs", "bank", "bin"),
    ]
}

#[test]
fn check_command_racecheck_from_any_folder() {
    let project = bank();
    let manifest = project.path("Cargo.toml");
    let manifest = manifest.to_str().unwrap();
    let target_dir = project.path("target/ra");
    let outside = Project::empty("ra-elsewhere");
    for (folder, selection) in [
        (project.root(), "--workspace"),
        (&*project.path("src/ledger"), "--workspace"),
        (outside.root(), "-p"),
    ] {
        let mut command = Command::new(binary());
        // What cargo runs for `cargo racecheck …`, with rust-analyzer's flags after it.
        command.current_dir(folder).arg("racecheck").arg(selection);
        if selection == "-p" {
            command.arg("bank");
        }
        command.args([
            "--message-format=json-diagnostic-rendered-ansi",
            "--manifest-path",
            manifest,
            "--keep-going",
            "--all-targets",
            "--features",
            "a,b",
            "--no-default-features",
            "--config",
            "build.rustflags=[]",
            "--target-dir",
            target_dir.to_str().unwrap(),
            "-Zunstable-options",
        ]);
        let run = run(&mut command);
        assert_eq!(
            check_messages(&project, &run, true),
            expected_owners(),
            "from {}",
            folder.display()
        );
    }
}

#[test]
fn override_command_at_the_workspace_root() {
    let project = bank();
    let run = project.run(&["racecheck", "--message-format=json"]);
    assert_eq!(check_messages(&project, &run, false), expected_owners());
}

#[test]
fn what_no_package_owns_goes_to_stderr() {
    let project = bank();
    let outside = Project::empty("ra-outside");
    outside.write("stray.rs", "fn broken( {\n");
    let stray = outside.path("stray.rs");
    let run = project.run(&[
        "--message-format=json",
        "src/main.rs",
        stray.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "an input error: {run:?}");
    let messages: Vec<Message> = Message::parse_stream(run.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(messages.len(), 2, "{}", run.stdout);
    assert!(matches!(&messages[0], Message::CompilerMessage(m) if m.target.name == "bank"));
    assert!(matches!(&messages[1], Message::BuildFinished(_)));
    assert!(
        run.stderr.contains("error: cannot parse") && run.stderr.contains("stray.rs"),
        "{}",
        run.stderr
    );
}

#[test]
fn short_formats_are_one_line_per_message() {
    let project = bank();
    let run = project.run(&["--message-format=short", "src/main.rs"]);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("src/main.rs:2:") && first.contains("warning[U001]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(" --> "), "{}", run.stdout);

    let run = project.run(&["--message-format=json-diagnostic-short", "src/main.rs"]);
    let Some(Ok(Message::CompilerMessage(message))) =
        Message::parse_stream(run.stdout.as_bytes()).next()
    else {
        panic!("{}", run.stdout);
    };
    let rendered = message.message.rendered.unwrap();
    assert_eq!(rendered.trim_end().lines().count(), 1, "{rendered}");
}
