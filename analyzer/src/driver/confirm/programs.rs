//! The programs confirm explores: the workspace's `#[racecheck::main]` binaries and the test
//! targets holding `#[racecheck::test]`s, built through cargo. Executables are taken from cargo's
//! `compiler-artifact` messages (`--message-format=json-render-diagnostics`), never guessed.
use crate::driver::error::Fatal;
use crate::driver::source_map::SourceMap;
use crate::driver::workspace::Workspace;
use cargo_metadata::{Artifact, Message, Package, TargetKind};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What an attribute's expansion looks like in the source: enough to pick the targets to run.
const MAIN_ATTRIBUTE: &str = "#[racecheck::main";
const TEST_ATTRIBUTE: &str = "#[racecheck::test";

/// How cargo names a target on its command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    Bin(String),
    Test(String),
    Lib,
}

/// One executable to explore.
#[derive(Debug, Clone)]
pub struct Program {
    pub package: String,
    pub target: TargetSpec,
    /// Whether it is a test harness (`cargo test --no-run`), whose tests run by name.
    pub harness: bool,
    pub executable: PathBuf,
    /// The target's root source file (absolute).
    pub src_path: PathBuf,
    /// The folder of the package the target belongs to (absolute).
    pub package_dir: PathBuf,
}

impl Program {
    /// `d001_abba`, ``racecheck-tests test `confirm` ``, `app (library tests)`: how reports name it.
    pub fn label(&self) -> String {
        match (&self.target, self.harness) {
            (TargetSpec::Bin(name), false) => name.clone(),
            (TargetSpec::Bin(name), true) => format!("{name} (unit tests)"),
            (TargetSpec::Test(name), _) => format!("{} test `{name}`", self.package),
            (TargetSpec::Lib, _) => format!("{} (library tests)", self.package),
        }
    }
}

/// Which targets to build.
pub struct Selection<'a> {
    pub packages: &'a [&'a Package],
    pub bins: &'a [String],
    pub tests: &'a [String],
}

/// Builds the selected racecheck programs and returns them, binaries first, each group in
/// cargo's order. A kind of target no loaded source uses is not built at all.
pub fn build(
    workspace: &Workspace,
    manifest_path: Option<&Path>,
    selection: &Selection<'_>,
    sources: &SourceMap,
) -> Result<Vec<Program>, Fatal> {
    let uses = |attribute: &str| -> Vec<&Path> {
        sources
            .files()
            .filter(|file| file.text.contains(attribute))
            .map(|file| sources.location(sources.id(&file.path).expect("a loaded file")))
            .collect()
    };
    let (mains, tests) = (uses(MAIN_ATTRIBUTE), uses(TEST_ATTRIBUTE));
    let mut programs = Vec::new();
    let only_tests = !selection.tests.is_empty() && selection.bins.is_empty();
    let only_bins = !selection.bins.is_empty() && selection.tests.is_empty();

    if !only_tests && !mains.is_empty() {
        let mut args = vec!["build".to_owned()];
        if selection.bins.is_empty() {
            args.push("--bins".to_owned());
        }
        args.extend(target_flags(selection, "--bin", selection.bins));
        for artifact in artifacts(workspace, manifest_path, &args)? {
            if artifact.profile.test || !artifact.target.is_kind(TargetKind::Bin) {
                continue;
            }
            let src = artifact.target.src_path.as_std_path();
            if mains.contains(&src) {
                programs.extend(program(workspace, artifact, false));
            }
        }
    }
    if !only_bins && !tests.is_empty() {
        let mut args = vec!["test".to_owned(), "--no-run".to_owned()];
        if selection.tests.is_empty() {
            // Unit tests and integration tests; not benches or examples.
            args.push("--tests".to_owned());
        }
        args.extend(target_flags(selection, "--test", selection.tests));
        for artifact in artifacts(workspace, manifest_path, &args)? {
            if !artifact.profile.test {
                continue;
            }
            let src = artifact.target.src_path.as_std_path();
            if tests.iter().any(|file| owns(src, file)) {
                programs.extend(program(workspace, artifact, true));
            }
        }
    }
    Ok(programs)
}

/// `-p` per selected member (or `--workspace`), then `flag NAME` per named target.
fn target_flags(selection: &Selection<'_>, flag: &str, names: &[String]) -> Vec<String> {
    let mut args = Vec::new();
    if selection.packages.is_empty() {
        args.push("--workspace".to_owned());
    }
    for package in selection.packages {
        args.extend(["-p".to_owned(), package.name.to_string()]);
    }
    for name in names {
        args.extend([flag.to_owned(), name.clone()]);
    }
    args
}

/// Whether `file` belongs to the target rooted at `src`: the root itself, or a module of it. A
/// crate root named `main.rs`, `lib.rs` or `mod.rs` owns its folder (except `bin/`, whose files
/// are crates of their own); any other root `x.rs` owns the folder `x/` beside it.
pub fn owns(src: &Path, file: &Path) -> bool {
    if src == file {
        return true;
    }
    let (Some(dir), Some(stem)) = (src.parent(), src.file_stem()) else {
        return false;
    };
    if ["main", "lib", "mod"].iter().any(|root| stem == *root) {
        file.starts_with(dir) && !file.starts_with(dir.join("bin"))
    } else {
        file.starts_with(dir.join(stem))
    }
}

pub fn program(workspace: &Workspace, artifact: Artifact, harness: bool) -> Option<Program> {
    let executable = artifact.executable?.into_std_path_buf();
    let package = workspace
        .select(&[], &[])
        .ok()?
        .into_iter()
        .find(|p| p.id == artifact.package_id)?;
    let name = artifact.target.name.clone();
    let src_path = artifact.target.src_path.clone().into_std_path_buf();
    let target = if artifact.target.is_kind(TargetKind::Bin) {
        TargetSpec::Bin(name)
    } else if artifact.target.is_kind(TargetKind::Test) {
        TargetSpec::Test(name)
    } else if artifact.target.is_kind(TargetKind::Lib) {
        TargetSpec::Lib
    } else {
        return None;
    };
    Some(Program {
        package: package.name.to_string(),
        target,
        harness,
        executable,
        src_path,
        package_dir: package
            .manifest_path
            .parent()
            .map(|dir| dir.as_std_path().to_path_buf())
            .unwrap_or_default(),
    })
}

/// Runs `cargo ARGS --message-format=json-render-diagnostics` in the workspace root and
/// collects its `compiler-artifact` messages; cargo's own diagnostics go to stderr as usual. A
/// failed build is a [`Fatal`] error.
pub fn artifacts(
    workspace: &Workspace,
    manifest_path: Option<&Path>,
    args: &[String],
) -> Result<Vec<Artifact>, Fatal> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .args(args)
        .arg("--message-format=json-render-diagnostics")
        .current_dir(&workspace.root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(path) = manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    let shown = format!("cargo {}", args.join(" "));
    let mut child = command
        .spawn()
        .map_err(|e| Fatal::new(format!("cannot run `{shown}`: {e}")))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut artifacts = Vec::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message {
            Ok(Message::CompilerArtifact(artifact)) => artifacts.push(artifact),
            Ok(_) => {}
            Err(e) => return Err(Fatal::new(format!("cannot read `{shown}`'s output: {e}"))),
        }
    }
    let status = child
        .wait()
        .map_err(|e| Fatal::new(format!("cannot wait for `{shown}`: {e}")))?;
    if !status.success() {
        return Err(Fatal::new(format!(
            "the build failed: `{shown}` exited with {status}; nothing was explored"
        )));
    }
    Ok(artifacts)
}

#[cfg(test)]
mod tests {
    use super::owns;
    use std::path::Path;

    #[test]
    fn a_target_owns_its_root_and_its_modules() {
        let owns = |src: &str, file: &str| owns(Path::new(src), Path::new(file));
        assert!(owns("/p/src/main.rs", "/p/src/main.rs"));
        assert!(owns("/p/src/main.rs", "/p/src/net/mod.rs"));
        assert!(!owns("/p/src/main.rs", "/p/src/bin/tool.rs"));
        assert!(owns("/p/src/bin/tool.rs", "/p/src/bin/tool/args.rs"));
        assert!(!owns("/p/src/bin/tool.rs", "/p/src/bin/other.rs"));
        assert!(owns("/p/tests/race.rs", "/p/tests/race/helpers.rs"));
        assert!(!owns("/p/tests/race.rs", "/p/tests/other.rs"));
    }
}
