//! End-to-end tests of the `cargo-racecheck` binary: exit codes, formats, configuration,
//! suppressions, baselines and bad input, each in a project of its own in a temporary folder.
#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/baseline.rs"]
mod baseline;
#[path = "cli/call_chains.rs"]
mod call_chains;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/discovery.rs"]
mod discovery;
#[path = "cli/exit_codes.rs"]
mod exit_codes;
#[path = "cli/fixture_snapshots.rs"]
mod fixture_snapshots;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/lsp.rs"]
mod lsp;
#[path = "cli/lsp_client.rs"]
mod lsp_client;
#[path = "cli/merge.rs"]
mod merge;
#[path = "cli/no_writes.rs"]
mod no_writes;
#[path = "cli/rust_analyzer.rs"]
mod rust_analyzer;
#[path = "schemas/sarif.rs"]
mod sarif_schema;
#[path = "cli/suppressions.rs"]
mod suppressions;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A finding that does not depend on any analysis rule: an allow naming a code that does not
/// exist is reported as U001 (a warning), wherever it is.
pub const UNKNOWN_ALLOW: &str = "// racecheck: allow(Z999) no such rule";

/// A throw-away project folder, removed when dropped.
pub struct Project {
    root: PathBuf,
}

/// What a run of the binary printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    /// An empty folder.
    pub fn empty(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "racecheck-cli-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&root).expect("create the project folder");
        Project { root }
    }

    /// A one-package cargo workspace named `demo` with `src/main.rs` = `main_rs`.
    pub fn cargo(name: &str, main_rs: &str) -> Self {
        let project = Project::empty(name);
        project.write(
            "Cargo.toml",
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
        );
        project.write("src/main.rs", main_rs);
        project
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a file has a folder"))
            .expect("create folders");
        std::fs::write(path, contents).expect("write a project file");
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).expect("read a project file")
    }

    /// Runs `cargo-racecheck ARGS` in the project folder, with no colour settings from the
    /// environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_command(
            Command::new(binary())
                .args(args)
                .env_remove("CARGO_TERM_COLOR")
                .env_remove("NO_COLOR"),
        )
    }

    /// Runs `command`, in the project folder unless it names another one.
    pub fn run_command(&self, command: &mut Command) -> Run {
        if command.get_current_dir().is_none() {
            command.current_dir(&self.root);
        }
        run(command)
    }
}

/// Runs `command` to completion and captures what it printed.
pub fn run(command: &mut Command) -> Run {
    let output = command.output().expect("run cargo-racecheck");
    Run {
        code: output.status.code().expect("exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        // Best effort: a leftover temporary folder is not worth failing a test over.
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_cargo-racecheck")
}

/// `--select` with every rule's code: the fixtures mark the findings of the rules that are off by
/// default too.
pub fn every_rule() -> [String; 2] {
    let codes: Vec<&str> = racecheck_analyzer::rules::all()
        .iter()
        .map(|r| r.code)
        .collect();
    ["--select".to_owned(), codes.join(",")]
}

/// The racecheck workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the analyzer is a workspace member")
        .to_path_buf()
}

/// The workspace's `fixtures/src/bin` folder.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("fixtures/src/bin")
}
